"""Figures over calendar time: frame rates per period, with the event marked."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from analysis.report.style import category_colors


def mark_event(ax: Axes, start: dt.date, end: dt.date, name: str) -> Axes:
    """Shade the event's dates (inclusive) and label the band."""
    ax.axvspan(
        pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1), color="#999999", alpha=0.3
    )
    ax.annotate(
        name,
        xy=(pd.Timestamp(start), 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        va="top",
        fontsize=8,
        color="#555555",
    )
    return ax


#: Marker shapes cycled through the frames, so frames with equal rates stay told apart.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "h")


def plot_rates_over_time(
    data: pd.DataFrame,
    *,
    x: str = "period_mid",
    y: str = "rate_per_1k",
    hue: str = "frame",
    lines: bool = True,
    dodge: pd.Timedelta | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The rate of each *hue* level in each period, joined by lines when *lines*.

    Each level is shifted sideways by its share of *dodge* (the total spread)
    and has its own marker shape, so levels with equal values stay visible.
    """
    ax = ax or plt.gca()
    levels = sorted(data[hue].unique())
    colors = category_colors(levels)
    dodge = pd.Timedelta(0) if dodge is None else dodge
    for i, level in enumerate(levels):
        part = data[data[hue] == level].sort_values(x)
        shift = dodge * ((i - (len(levels) - 1) / 2) / max(len(levels), 1))
        ax.plot(
            pd.to_datetime(part[x]) + shift,
            part[y],
            marker=MARKERS[i % len(MARKERS)],
            linestyle="-" if lines else "none",
            color=colors[level],
            label=level,
        )
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylabel("rate per 1,000 word tokens")
    ax.legend(title=hue, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def plot_mean_over_time(
    data: pd.DataFrame,
    *,
    x: str = "period_mid",
    y: str = "mean",
    lines: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Mean per period with a 95% interval (mean ± 1.96 standard errors), labelled with n."""
    ax = ax or plt.gca()
    data = data.sort_values(x)
    half = (1.96 * data["sd"] / data["n"].clip(lower=1) ** 0.5).fillna(0)
    xs = pd.to_datetime(data[x])
    ax.errorbar(
        xs,
        data[y],
        yerr=half,
        marker="o",
        linestyle="-" if lines else "none",
        color="#0072B2",
        capsize=3,
        linewidth=1,
    )
    for xv, yv, n in zip(xs, data[y], data["n"], strict=True):
        ax.annotate(f"n={n}", (xv, yv), xytext=(4, 4), textcoords="offset points", fontsize=7)
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_ylabel("mean sentence\nVADER compound\n(95% interval)")
    return ax
