"""Stage 5, report: figures (``figures`` and ``plots/``), their rendering and house
style, the self-contained HTML page, staged outputs and provenance.

Names are loaded on first use (PEP 562), so importing this package does not import
matplotlib until a figure is asked for.
"""

from importlib import import_module

_EXPORTS = {
    "BUILDERS": "analysis.report.figures",
    "all_figures": "analysis.report.figures",
    "build_page": "analysis.report.page",
    "render_all": "analysis.report.rendering",
    "StagedOutputs": "analysis.report.outputs",
    "write_csv": "analysis.report.outputs",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
