"""Draw and encode every report figure, on several cores where the platform allows.

Rendering PNG and SVG files is most of a small report's run time, and each
figure is independent of the others. :func:`render_all` draws each figure,
encodes it as PNG and SVG bytes (no timestamps, so equal input gives equal
bytes) and releases it. With ``jobs > 1`` on Linux, figures are shared out to
forked worker processes, which inherit the tables without copying them
through a pipe, and to this process; elsewhere, or for a single job, they are
drawn in turn. The bytes do not depend on which process drew them.
:func:`encoding_tasks` gives the figures as tasks for such a queue, which the
report shares with its table writing (:mod:`analysis.run.report`).

Each figure's text is laid out three times: its tight bounding box is measured
at the figure's dpi (without drawing it), then it is drawn as PNG (at
``savefig.dpi``) and as SVG (at 72 dpi). Text measures differently at each
resolution, so no pass can reuse another's layout without changing the bytes;
a figure whose tables did not change is not drawn at all
(:mod:`analysis.report.figure_cache`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from analysis.config import resolve_jobs
from analysis.forking import forked
from analysis.report.png_canvas import png_bytes
from analysis.report.style import house_style

Builders = dict[str, Callable[[], Figure]]
Rendered = dict[str, tuple[bytes, bytes]]


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
    """The bounding box in inches that ``savefig(bbox_inches="tight")`` would crop *fig* to.

    ``Figure.get_tightbbox`` lays out what it measures (titles, tick labels,
    legends) itself, so no drawing pass is made first; the report's figures
    are all laid out by their builders (``tight_layout`` where used).
    tests/test_rendering.py checks the box equals the one after a full drawing
    pass for every figure, on the fixture corpus and on a large generated one.
    """
    return fig.get_tightbbox().padded(rcParams["savefig.pad_inches"])


def _encoded(build: Callable[[], Figure]) -> tuple[bytes, bytes]:
    return encode(build())


def encoding_tasks(builders: Builders) -> dict[str, Callable[[], tuple[bytes, bytes]]]:
    """One argument-free task per figure, giving its ``(png, svg)`` bytes.

    For :func:`analysis.forking.forked`, which shares them out to forked workers and
    the calling process; the report puts its table writing in the same queue.
    """
    return {name: partial(_encoded, build) for name, build in builders.items()}


def render_all(builders: Builders, *, jobs: int | None = 1) -> Rendered:
    """``{name: (png, svg)}`` for every builder, in the builders' order, on *jobs* processes."""
    with forked(encoding_tasks(builders), workers=resolve_jobs(jobs) - 1) as results:
        return results()
