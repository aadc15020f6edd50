"""Stance plots: a speaker × target matrix of mean stance, and stance shifts with intervals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize

#: Paul Tol's diverging "BuRd" scheme, reversed so that negative stance is red and
#: positive blue; colour-blind safe, with a pale neutral middle.
STANCE_CMAP = LinearSegmentedColormap.from_list(
    "stance",
    [
        "#B2182B",
        "#D6604D",
        "#F4A582",
        "#FDDBC7",
        "#F7F7F7",
        "#D1E5F0",
        "#92C5DE",
        "#4393C3",
        "#2166AC",
    ],
)
STANCE_NORM = Normalize(-1.0, 1.0)


def plot_stance_matrix(
    data: pd.DataFrame,
    *,
    rows: list[str],
    columns: list[str],
    row: str = "speaker",
    column: str = "target",
    value: str = "mean_stance",
    n: str = "n",
    too_few: str = "too_few",
    groups: dict[str, str] | None = None,
    ax: Axes | None = None,
):
    """A heat map of *value* per (*row*, *column*) with each cell's *n* written in it.

    Parameters
    ----------
    data : one line per cell that has mentions; other cells stay blank.
    rows, columns : the row and column labels, in drawing order.
    too_few : cells where this is true are hatched and their n is marked "(few)".
    groups : row label -> group name (e.g. the speaker's side); a line separates
        consecutive groups and the group name is written at the right.

    Returns
    -------
    The image (for a colour bar); it is drawn on *ax*.
    """
    ax = ax or plt.gca()
    r_index = {r: i for i, r in enumerate(rows)}
    c_index = {c: j for j, c in enumerate(columns)}
    grid = np.full((len(rows), len(columns)), np.nan)
    cells = data[data[row].isin(r_index) & data[column].isin(c_index)]
    for cell in cells.itertuples(index=False):
        i, j = r_index[getattr(cell, row)], c_index[getattr(cell, column)]
        grid[i, j] = getattr(cell, value)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=STANCE_CMAP, norm=STANCE_NORM, aspect="auto")
    ax.set_facecolor("#FFFFFF")
    for cell in cells.itertuples(index=False):
        i, j = r_index[getattr(cell, row)], c_index[getattr(cell, column)]
        few = bool(getattr(cell, too_few))
        if few:
            ax.add_patch(
                plt.Rectangle(
                    (j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#777777", lw=0
                )
            )
        strong = abs(getattr(cell, value)) > 0.6
        ax.text(
            j,
            i,
            f"{int(getattr(cell, n))}" + ("\n(few)" if few else ""),
            ha="center",
            va="center",
            fontsize=7,
            color="white" if strong else "black",
            fontstyle="italic" if few else "normal",
        )
    ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#DDDDDD", linewidth=0.6)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    if groups:
        labels = [groups.get(r, "") for r in rows]
        starts = [i for i, g in enumerate(labels) if i == 0 or g != labels[i - 1]]
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else len(rows)
            if start:
                ax.axhline(start - 0.5, color="#333333", linewidth=1.2)
            ax.annotate(
                labels[start],
                (1.01, (start + stop - 1) / 2),
                xycoords=("axes fraction", "data"),
                va="center",
                fontsize=8,
                fontweight="bold",
                annotation_clip=False,
            )
    return image


def plot_stance_shifts(
    data: pd.DataFrame,
    *,
    y: str = "row",
    x: str = "diff",
    low: str = "ci_low",
    high: str = "ci_high",
    label: str = "label",
    significant: str = "significant",
    muted: str = "too_few",
    ax: Axes | None = None,
) -> Axes:
    """A point per row at *x* with its interval [*low*, *high*] and a zero line.

    Rows where *significant* is true are filled, the others hollow; rows where
    *muted* is true (too few mentions) are grey. *label* is written at the right,
    outside the axes: leave room for it (``Figure.subplots_adjust(right=...)``).
    """
    ax = ax or plt.gca()
    pos = np.arange(len(data))
    colour = np.where(data[muted].astype(bool), "#999999", "#332288")
    filled = data[significant].astype(bool).to_numpy()
    for p, (_, r), c, fill in zip(pos, data.iterrows(), colour, filled, strict=True):
        if np.isfinite(r[low]) and np.isfinite(r[high]):
            ax.plot([r[low], r[high]], [p, p], color=c, linewidth=1.4, solid_capstyle="butt")
        ax.scatter([r[x]], [p], s=40, color=c if fill else "white", edgecolors=c, zorder=3)
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(pos, data[y])
    ax.set_ylim(len(data) - 0.5, -0.5)
    for p, text in zip(pos, data[label], strict=True):
        ax.annotate(
            text,
            (1.01, p),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=7,
            annotation_clip=False,
        )
    return ax
