"""Stage 6, run: the per-document pipeline and corpus tables, the workspace notebooks use,
the per-document cache, the parallel map, and the report and quotes commands.

Names are loaded on first use (PEP 562): ``python -m analysis quotes`` never imports
the plotting stack.
"""

from importlib import import_module

_EXPORTS = {
    "Workspace": "analysis.run.workspace",
    "build": "analysis.run.workspace",
    "DocumentCache": "analysis.run.cache",
    "map_documents": "analysis.run.parallel",
    "analyze_documents": "analysis.run.pipeline",
    "corpus_tables": "analysis.run.pipeline",
    "quotes_table": "analysis.run.quotes",
    "run_report": "analysis.run.report",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
