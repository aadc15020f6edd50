"""Figures comparing two groups (post vs pre by default): differences with intervals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes


def plot_differences(
    data: pd.DataFrame,
    *,
    y: str,
    x: str,
    low: str,
    high: str,
    label: str | None = None,
    significant: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A point per row of *y* at *x* with an interval [*low*, *high*] and a zero line.

    *label*, if given, names a text column written at the right of each row (e.g.
    counts and p-values). Rows where the *significant* column is true are filled,
    the others hollow.
    """
    ax = ax or plt.gca()
    pos = np.arange(len(data))
    sig = data[significant].astype(bool).to_numpy() if significant else np.ones(len(data), bool)
    err = np.vstack(
        [
            (data[x] - data[low]).clip(lower=0).fillna(0),
            (data[high] - data[x]).clip(lower=0).fillna(0),
        ]
    )
    ax.errorbar(data[x], pos, xerr=err, fmt="none", ecolor="#0072B2", elinewidth=1.2)
    ax.scatter(
        data[x],
        pos,
        s=40,
        c=np.where(sig, "#0072B2", "white"),
        edgecolors="#0072B2",
        linewidths=1.5,
        zorder=3,
    )
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(pos, data[y])
    ax.set_ylim(len(data) - 0.5, -0.5)
    if label:
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
