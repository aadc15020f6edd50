"""Figures comparing two groups (post vs pre by default): differences with intervals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import LogFormatter

#: Font size of the term scatter's labels, in points.
LABEL_SIZE = 8
#: A label's estimated width per character, as a share of its font size.
LABEL_EM = 0.62


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


def plot_keyness_bars(
    data: pd.DataFrame,
    *,
    y: str = "term",
    x: str = "signed_g2",
    significant: str = "significant",
    color: str = "key_in",
    palette: dict[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of a signed statistic per term; non-significant bars hatched and pale."""
    ax = ax or plt.gca()
    palette = palette or {}
    pos = np.arange(len(data))
    for p, (_, row) in zip(pos, data.iterrows(), strict=True):
        c = palette.get(row[color], "#0072B2")
        sig = bool(row[significant])
        ax.barh(
            p,
            row[x],
            color=c if sig else "white",
            edgecolor=c,
            hatch=None if sig else "///",
            linewidth=1.2,
        )
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(pos, data[y])
    ax.set_ylim(len(data) - 0.5, -0.5)
    return ax


def plot_term_scatter(
    data: pd.DataFrame,
    *,
    x: str = "rate_b",
    y: str = "rate_a",
    label: str = "term",
    highlight: str = "highlight",
    rank: str | None = None,
    n_labels: int = 10,
    floor: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Rate in group B against rate in group A on log axes, highlighted terms labelled.

    Zero rates are drawn at *floor* (default: half the smallest non-zero rate),
    on a dotted line marking "absent from this group". At most *n_labels*
    highlighted terms are labelled, largest *rank* first, and a term is left
    unlabelled when its point or its label would touch a label already placed, so
    labels never pile up (terms with equal rates share one point). A label's width is
    estimated from its length (:data:`LABEL_EM` of the font size per character, wider
    than DejaVu Sans's lower-case letters), so no text is measured.
    """
    ax = ax or plt.gca()
    positive = pd.concat([data[x], data[y]])
    positive = positive[positive > 0]
    floor = floor or (float(positive.min()) / 2 if len(positive) else 0.1)
    xs, ys = data[x].clip(lower=floor), data[y].clip(lower=floor)
    hl = data[highlight].astype(bool)
    ax.scatter(xs[~hl], ys[~hl], s=8, color="#BBBBBB", alpha=0.6, linewidths=0, label="other terms")
    ax.scatter(xs[hl], ys[hl], s=30, color="#D55E00", zorder=3, label="framing-lexicon terms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        # ticks as plain numbers (0.1, 1, 10), not powers of ten set in mathtext
        axis.set_major_formatter(LogFormatter())
        axis.set_minor_formatter(LogFormatter(labelOnlyBase=False))
    top = float(max(xs.max(), ys.max())) * 1.5 if len(data) else 10
    ax.plot([floor, top], [floor, top], color="#666666", linewidth=0.8, linestyle="--")
    for axis_line in (ax.axvline, ax.axhline):
        axis_line(floor, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_xlim(floor / 1.5, top)
    ax.set_ylim(floor / 1.5, top)
    candidates = data[hl].assign(px_=xs[hl], py_=ys[hl])
    if rank:
        candidates = candidates.sort_values([rank, label], ascending=[False, True])
    points_per_pixel = 72 / ax.figure.dpi
    placed: list[np.ndarray] = []  # each label's box in points: x0, y0, x1, y1
    for row in candidates.itertuples(index=False):
        if len(placed) >= n_labels:
            break
        text = str(getattr(row, label))
        x, y = ax.transData.transform((row.px_, row.py_)) * points_per_pixel
        box = np.array([x, y, x + 4 + LABEL_EM * LABEL_SIZE * len(text), y + 3 + LABEL_SIZE])
        # the point itself, then its label: neither may sit on a label already placed
        if any(
            (box[0] - 2 < p[2]) & (p[0] < box[2]) & (box[1] - 2 < p[3]) & (p[1] < box[3])
            for p in placed
        ):
            continue
        placed.append(box)
        ax.annotate(
            text,
            (row.px_, row.py_),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=LABEL_SIZE,
        )
    ax.legend(loc="upper left")
    return ax
