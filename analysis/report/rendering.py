"""Draw and encode every report figure, on several cores where the platform allows.

Rendering PNG and SVG files is most of a small report's run time, and each
figure is independent of the others. :func:`render_all` draws each figure,
encodes it as PNG and SVG bytes (no timestamps, so equal input gives equal
bytes) and releases it. With ``jobs > 1`` on Linux, figures are shared out to
forked worker processes, which inherit the tables without copying them
through a pipe; elsewhere, or for a single job, they are drawn in turn. The
bytes do not depend on which process drew them.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from analysis.config import resolve_jobs
from analysis.report.outputs import png_bytes
from analysis.report.style import house_style

Builders = dict[str, Callable[[], Figure]]
#: The figure builders of the current render, inherited by forked workers.
_BUILDERS: Builders = {}


def encode(fig: Figure) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of *fig*, in the house style and without timestamps.

    Both files share one tight bounding box, computed once: with
    ``bbox_inches="tight"`` each format would draw the figure twice.
    """
    svg = io.BytesIO()
    with house_style():
        bbox = tight_bbox(fig)
        fig.savefig(svg, format="svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None})
    return png_bytes(fig, bbox_inches=bbox), svg.getvalue()


def tight_bbox(fig: Figure) -> Bbox:
    """The bounding box in inches that ``savefig(bbox_inches="tight")`` would crop *fig* to."""
    fig.draw_without_rendering()
    return fig.get_tightbbox().padded(rcParams["savefig.pad_inches"])


def _render(name: str) -> tuple[str, bytes, bytes]:
    png, svg = encode(_BUILDERS[name]())
    return name, png, svg


def render_all(builders: Builders, *, jobs: int | None = 1) -> dict[str, tuple[bytes, bytes]]:
    """``{name: (png, svg)}`` for every builder, in the builders' order."""
    global _BUILDERS
    jobs = min(resolve_jobs(jobs), len(builders))
    _BUILDERS = builders
    try:
        if jobs <= 1 or sys.platform != "linux":
            results = [_render(name) for name in builders]
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                results = list(pool.map(_render, builders))
    finally:
        _BUILDERS = {}
    return {name: (png, svg) for name, png, svg in results}
