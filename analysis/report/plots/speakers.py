"""Figures of who speaks and in what tone: sentiment dot plots, share of voice, arcs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from analysis.report.style import PHASE_COLORS, SIDE_COLORS, phase_order

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
        colors = [SIDE_COLORS.get(s, "#000000") for s in part[hue]]
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
    sides = [s for s in SIDE_COLORS if s in set(data[hue])]
    handles = [
        Line2D([], [], marker="o", linestyle="", color=SIDE_COLORS[s], label=s) for s in sides
    ]
    handles += [
        Line2D([], [], marker=PHASE_MARKERS.get(p, "o"), linestyle="", color="black", label=p)
        for p in styles
    ]
    handles.append(
        Line2D([], [], marker="o", linestyle="", color="black", fillstyle="none", label="n < 3")
    )
    ax.legend(handles=handles, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def plot_share_of_voice(
    data: pd.DataFrame,
    *,
    y: str = "speaker",
    x: str = "words_quoted",
    hue: str = "phase",
    ax: Axes | None = None,
) -> Axes:
    """Grouped horizontal bars: words quoted per *y*, one bar per *hue* level."""
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
            label=f"{g or 'all'} ({total:,} words)",
        )
    ax.set_yticks(pos, order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel("words quoted or reported")
    ax.set_ylabel(y)
    ax.legend(title=hue, loc="lower right")
    return ax


def plot_sentiment_arc(
    sentences: pd.DataFrame,
    utterances: pd.DataFrame,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Sentence compound along one article (x = position, %), quoted passages shaded.

    *sentences* has position and compound; *utterances* has position_start and
    position_end (0 to 1) of each attributed passage.
    """
    ax = ax or plt.gca()
    for row in utterances.itertuples():
        ax.axvspan(row.position_start * 100, row.position_end * 100, color="#E69F00", alpha=0.25)
    ax.plot(sentences["position"] * 100, sentences["compound"], color="#0072B2", linewidth=1)
    ax.scatter(sentences["position"] * 100, sentences["compound"], color="#0072B2", s=10)
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("VADER compound")
    ax.set_xlabel("position in article (% of article text)")
    return ax
