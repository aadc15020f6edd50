"""Colours and style shared by all figures (the rest of the style is ``data/analysis.mplstyle``)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from importlib import resources

import matplotlib.pyplot as plt
import pandas as pd

#: Okabe-Ito colours (colour-blind safe) for phases and speaker sides.
PHASE_COLORS = {"pre": "#0072B2", "during": "#999999", "post": "#D55E00", "": "#000000"}
SIDE_COLORS = {
    "Chinese official": "#D55E00",
    "Chinese scholar": "#E69F00",
    "US official": "#0072B2",
    "US scholar": "#56B4E9",
    "media": "#009E73",
    "other": "#999999",
    "unknown": "#CC79A7",
}
#: Colour of a side not listed in :data:`SIDE_COLORS`; never black, which the
#: legends use for phase markers.
OTHER_SIDE_COLOR = "#999999"
#: Paul Tol's "muted" scheme, for categories such as frames.
CATEGORY_COLORS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#DDDDDD",
)
PHASE_ORDER = ("pre", "during", "post")


def category_colors(names: Iterable[str]) -> dict[str, str]:
    """Give each name (in the order given) a colour-blind-safe colour, cycling if needed."""
    return {n: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, n in enumerate(names)}


def phase_order(phases: Iterable[str]) -> list[str]:
    """The phases present, in time order.

    A Series gives its distinct values first: a report's sentence table has
    hundreds of thousands of rows, and iterating them as Arrow text took 0.2 s.
    """
    present = set(phases.unique() if isinstance(phases, pd.Series) else phases)
    return [p for p in PHASE_ORDER if p in present] + sorted(present - set(PHASE_ORDER))


@contextmanager
def house_style():
    """Apply ``analysis.mplstyle`` inside a ``with`` block."""
    path = resources.files("analysis").joinpath("data", "analysis.mplstyle")
    with resources.as_file(path) as p, plt.style.context(str(p)):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], **kwargs):
    """A figure and its axes, like ``plt.subplots``, already released by pyplot.

    Report figures are built this way so that a notebook shows each one exactly
    once (when it is returned, not again when the cell ends) and a long run
    never accumulates open figures. Call it inside :func:`house_style` so the
    axes take the house style.
    """
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
    plt.close(fig)
    return fig, axes


def empty_axes(ax, message: str) -> None:
    """Say *message* in the middle of *ax* and hide its axes: a figure with nothing to draw."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
