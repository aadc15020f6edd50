"""Figures of who speaks and in what tone: sentiment dot plots, share of voice, arcs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from analysis.report.style import OTHER_SIDE_COLOR, PHASE_COLORS, SIDE_COLORS, phase_order

PHASE_MARKERS = {"pre": "o", "during": "D", "post": "s", "": "^"}


def plot_sentiment_dots(
    data: pd.DataFrame,
    *,
    y: str = "speaker",
    hue: str = "side",
    style: str = "phase",
    ax: Axes | None = None,
) -> Axes:
    """Mean compound with its 95% CI per row of *y*, coloured by *hue*, one marker per *style*.

    *data* comes from :func:`analysis.stats.resampling.summarise_groups` (mean, ci_low,
    ci_high, n, too_few). Rows flagged ``too_few`` are drawn hollow and the
    number of utterances is written beside each point.
    """
    ax = ax or plt.gca()
    order = (
        data.groupby(y)
        .agg(side=(hue, "first"), mean=("mean", "mean"))
        .sort_values(["side", "mean"])
        .index.tolist()
    )
    rows = {name: i for i, name in enumerate(order)}
    styles = phase_order(data[style]) if style == "phase" else sorted(data[style].unique())
    step = 0.6 / max(len(styles), 1)
    for j, level in enumerate(styles):
        part = data[data[style] == level]
        pos = part[y].map(rows).to_numpy() + (j - (len(styles) - 1) / 2) * step
        colors = [SIDE_COLORS.get(s, OTHER_SIDE_COLOR) for s in part[hue]]
        err = np.vstack(
            [
                (part["mean"] - part["ci_low"]).fillna(0).clip(lower=0),
                (part["ci_high"] - part["mean"]).fillna(0).clip(lower=0),
            ]
        )
        ax.errorbar(part["mean"], pos, xerr=err, fmt="none", ecolor=colors, elinewidth=1.2)
        ax.scatter(
            part["mean"],
            pos,
            marker=PHASE_MARKERS.get(level, "o"),
            s=45,
            c=["white" if few else c for few, c in zip(part["too_few"], colors, strict=True)],
            edgecolors=colors,
            linewidths=1.5,
            zorder=3,
        )
        for x, p, n in zip(part["mean"], pos, part["n"], strict=True):
            ax.annotate(
                f"n={n}", (x, p), xytext=(6, 0), textcoords="offset points", va="center", fontsize=7
            )
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("mean VADER compound (−1 negative … +1 positive), 95% bootstrap CI")
    ax.set_ylabel(y)
    present = set(data[hue])
    sides = [s for s in SIDE_COLORS if s in present] + sorted(present - set(SIDE_COLORS))
    side_handles = [
        Line2D(
            [], [], marker="o", linestyle="", color=SIDE_COLORS.get(s, OTHER_SIDE_COLOR), label=s
        )
        for s in sides
    ]
    # phase is the marker's shape only: drawn in black, a colour no side uses
    phase_handles = [
        Line2D([], [], marker=PHASE_MARKERS.get(p, "o"), linestyle="", color="black", label=p)
        for p in styles
    ]
    phase_handles.append(
        Line2D([], [], marker="o", linestyle="", color="black", fillstyle="none", label="n < 3")
    )
    # one legend with two headed parts: a second legend added with add_artist
    # would fall outside the saved figure's tight bounding box
    handles = [
        Line2D([], [], linestyle="", label=f"{hue} (colour)"),
        *side_handles,
        Line2D([], [], linestyle="", label=f"{style} (shape)"),
        *phase_handles,
    ]
    ax.legend(handles=handles, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def plot_share_of_voice(
    data: pd.DataFrame,
    *,
    y: str = "speaker",
    x: str = "words_quoted",
    hue: str = "phase",
    totals: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Grouped horizontal bars: words quoted per *y*, one bar per *hue* level.

    With *totals*, the legend gives each level's total over the rows of *data*.
    """
    ax = ax or plt.gca()
    order = data.groupby(y)[x].sum().sort_values(ascending=False).index.tolist()
    groups = phase_order(data[hue]) if hue == "phase" else sorted(data[hue].unique())
    height = 0.8 / max(len(groups), 1)
    pos = np.arange(len(order))
    for i, g in enumerate(groups):
        part = data[data[hue] == g].groupby(y)[x].sum().reindex(order).fillna(0)
        total = int(part.sum())
        ax.barh(
            pos + (i - (len(groups) - 1) / 2) * height,
            part.to_numpy(),
            height=height,
            color=PHASE_COLORS.get(g, f"C{i}"),
            label=f"{g or 'all'} ({total:,} words)" if totals else (g or "all"),
        )
    ax.set_yticks(pos, order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel("words quoted or reported")
    ax.set_ylabel(y)
    ax.legend(title=hue, loc="lower right")
    return ax


def plot_sentiment_arc(
    sentences: pd.DataFrame,
    *,
    window: int = 5,
    ax: Axes | None = None,
) -> Axes:
    """Rolling mean of sentence compound along one article (x = position, %).

    *sentences* has position (0 to 1) and compound. The line is the centred
    mean over *window* sentences (at least 3 at the article's ends); each
    sentence's own score is a faint point behind it.
    """
    ax = ax or plt.gca()
    data = sentences.sort_values("position")
    x = data["position"] * 100
    smooth = data["compound"].rolling(window, center=True, min_periods=min(3, window)).mean()
    ax.scatter(x, data["compound"], color="#BBBBBB", s=8, linewidths=0, label="sentence")
    ax.plot(x, smooth, color="#0072B2", linewidth=1.8, label=f"mean of {window} sentences")
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("VADER compound")
    ax.set_xlabel("position in article (% of article text)")
    return ax


def plot_tone_by_position(
    sentences: pd.DataFrame,
    *,
    bins: int = 10,
    hue: str = "phase",
    ax: Axes | None = None,
) -> Axes:
    """Mean sentence compound by position through the article, pooled over articles.

    *sentences* has position (0 to 1), compound and *hue*. Positions are cut
    into *bins* equal bins; each *hue* level gets a line through the bin means,
    with a 95% normal interval (mean ± 1.96 standard errors) as a band.
    """
    ax = ax or plt.gca()
    # only the columns used: copying the sentence text too would touch every string
    data = sentences[list(dict.fromkeys(["doc_id", "position", "compound", hue]))].assign(
        _bin=np.clip((sentences["position"].to_numpy(dtype=float) * bins).astype(int), 0, bins - 1)
    )
    groups = phase_order(data[hue]) if hue == "phase" else sorted(data[hue].unique())
    for i, g in enumerate(groups):
        part = data[data[hue] == g].groupby("_bin")["compound"].agg(["mean", "sem", "size"])
        x = (part.index.to_numpy() + 0.5) * 100 / bins
        color = PHASE_COLORS.get(g, f"C{i}")
        half = 1.96 * part["sem"].fillna(0).to_numpy()
        ax.fill_between(x, part["mean"] - half, part["mean"] + half, color=color, alpha=0.2)
        n_docs = data.loc[data[hue] == g, "doc_id"].nunique()
        ax.plot(
            x,
            part["mean"],
            color=color,
            marker="o",
            label=f"{g or 'all'} ({n_docs:,} articles, {int(part['size'].sum()):,} sentences)",
        )
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"position in article (% of article text, {bins} bins)")
    ax.set_ylabel("mean VADER compound")
    ax.legend(title=hue, loc="lower right", fontsize=8)
    return ax
