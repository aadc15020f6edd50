"""Draw and encode every report figure, on several cores where the platform allows.

Rendering PNG and SVG files is most of a small report's run time, and each
figure is independent of the others. :func:`render_all` draws each figure,
encodes it as PNG and SVG bytes (no timestamps, so equal input gives equal
bytes) and releases it. With ``jobs > 1`` on Linux, figures are shared out to
forked worker processes, which inherit the tables without copying them
through a pipe, and to this process; elsewhere, or for a single job, they are
drawn in turn. The bytes do not depend on which process drew them.
:func:`rendering` starts the workers and lets the caller go on while they draw;
other tasks can follow the figures in the same queue (the report writes its
tables so, on every job).

Each figure's text is laid out three times: its tight bounding box is measured
at the figure's dpi (without drawing it), then it is drawn as PNG (at
``savefig.dpi``) and as SVG (at 72 dpi). Text measures differently at each
resolution, so no pass can reuse another's layout without changing the bytes;
a figure whose tables did not change is not drawn at all
(:mod:`analysis.report.figure_cache`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from analysis.config import resolve_jobs
from analysis.forking import forked
from analysis.report.outputs import png_bytes
from analysis.report.style import house_style

T = TypeVar("T")
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


@contextmanager
def rendering(
    builders: Builders, *, jobs: int | None = 1, also: dict[str, Callable[[], T]] | None = None
) -> Iterator[Callable[[], tuple[Rendered, dict[str, T]]]]:
    """Start drawing every figure of *builders*; yield a function that waits for the bytes.

    With several jobs, ``jobs - 1`` forked workers draw the figures while the body of
    the ``with`` block runs. The yielded function returns ``{name: (png, svg)}`` in the
    builders' order and ``{name: task()}`` for the tasks *also*, running here the tasks
    no worker has started (see :func:`analysis.forking.forked`). *also* (the report
    writes its tables so) comes after the figures: workers take those tasks once every
    figure is taken, and this process from the last of *also* back, so put the longest
    last. With one job, or off Linux, everything runs in turn when it is called.
    """
    also = also or {}
    tasks: dict[str, Callable[[], object]] = {
        f"figure {name}": partial(_encoded, build) for name, build in builders.items()
    }
    tasks.update({f"also {name}": task for name, task in also.items()})
    with forked(tasks, workers=resolve_jobs(jobs) - 1) as results:

        def split() -> tuple[Rendered, dict[str, T]]:
            done = results()
            return (
                {name: done[f"figure {name}"] for name in builders},
                {name: done[f"also {name}"] for name in also},
            )

        yield split


def render_all(builders: Builders, *, jobs: int | None = 1) -> Rendered:
    """``{name: (png, svg)}`` for every builder, in the builders' order."""
    with rendering(builders, jobs=jobs) as results:
        return results()[0]
