"""Figures of framing-term use: rates by group, frame composition, and dispersion."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis.report.style import (
    PHASE_COLORS,
    category_colors,
    house_style,
    new_figure,
    phase_order,
)


def _group_label(data: pd.DataFrame, hue: str, value: str) -> str:
    row = data[data[hue] == value].iloc[0]
    n_docs = int(row["n_docs"])
    docs = "1 doc" if n_docs == 1 else f"{n_docs} docs"
    return f"{value or 'all'} (n = {docs}, {int(row['n_tokens']):,} tokens)"


def plot_term_rates(
    data: pd.DataFrame,
    *,
    y: str = "term",
    x: str = "rate_per_1k",
    hue: str = "phase",
    ax: Axes | None = None,
) -> Axes:
    """Grouped horizontal bars: the rate of each term (or frame) in each group.

    *data* is a pooled table from :func:`analysis.text.framing.by_group` with the
    columns *y*, *x*, *hue*, n_docs and n_tokens; the legend states each
    group's documents and tokens. With a ``count`` column, each non-zero bar is
    labelled with its count, so a reader sees when a rate rests on one hit.
    """
    ax = ax or plt.gca()
    groups = phase_order(data[hue]) if hue == "phase" else sorted(data[hue].unique())
    labels = sorted(data[y].unique())
    height = 0.8 / max(len(groups), 1)
    pos = np.arange(len(labels))
    for i, g in enumerate(groups):
        part = data[data[hue] == g].set_index(y).reindex(labels)
        bars = ax.barh(
            pos + (i - (len(groups) - 1) / 2) * height,
            part[x].fillna(0).to_numpy(),
            height=height,
            color=PHASE_COLORS.get(g, f"C{i}"),
            label=_group_label(data, hue, g),
        )
        if "count" in part.columns:
            counts = part["count"].fillna(0).astype(int)
            ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=2, fontsize=7)
    ax.set_yticks(pos, labels)
    ax.invert_yaxis()
    ax.set_xlabel("rate per 1,000 word tokens")
    ax.set_ylabel(y.replace("_", " "))
    ax.legend(title=hue, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_frame_composition(
    data: pd.DataFrame,
    *,
    y: str = "phase",
    x: str = "count",
    hue: str = "frame",
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars: each group's framing hits split by frame, as a share (%).

    *data* has one row per (group, frame) with the hit count in *x*; each bar
    is labelled with the group's total hits (n).
    """
    ax = ax or plt.gca()
    groups = phase_order(data[y]) if y == "phase" else sorted(data[y].unique())
    frames = sorted(data[hue].unique())
    colors = category_colors(frames)
    table = data.pivot_table(index=y, columns=hue, values=x, aggfunc="sum").reindex(
        index=groups, columns=frames
    )
    table = table.fillna(0)
    totals = table.sum(axis=1)
    shares = table.div(totals.where(totals > 0), axis=0).fillna(0) * 100
    left = np.zeros(len(groups))
    for f in frames:
        ax.barh(range(len(groups)), shares[f].to_numpy(), left=left, color=colors[f], label=f)
        left += shares[f].to_numpy()
    ax.set_yticks(
        range(len(groups)), [f"{g or 'all'}\n(n = {int(totals[g])} hits)" for g in groups]
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of framing-term hits (%)")
    ax.set_ylabel(y)
    ax.legend(title=hue, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax


def plot_dispersion(
    data: pd.DataFrame,
    *,
    x: str = "position",
    y: str = "frame",
    order: list[str] | None = None,
    bins: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A dispersion ("x-ray") plot: one row per frame, a mark where each hit falls.

    Hits in headings are drawn as hollow squares, other hits as bars. With
    *bins*, positions are binned instead (as for thousands of hits): one dot
    per frame and non-empty bin, at the bin's centre, its area proportional to
    the bin's hits (the fullest bin of the plot has the largest dot).
    """
    ax = ax or plt.gca()
    order = order or sorted(data[y].unique())
    colors = category_colors(order)
    rows = {f: i for i, f in enumerate(order)}
    if bins is not None:
        _binned_dispersion(data, x=x, y=y, rows=rows, colors=colors, bins=bins, ax=ax)
    for heading, marker in () if bins is not None else ((False, "|"), (True, "s")):
        part = data[data["paragraph_type"].eq("heading") == heading]
        ax.scatter(
            part[x] * 100,
            part[y].map(rows),
            marker=marker,
            s=140 if not heading else 40,
            c=[colors[f] for f in part[y]] if not heading else "none",
            edgecolors=[colors[f] for f in part[y]] if heading else None,
            linewidths=1.5,
        )
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("position in article (% of article text)")
    return ax


def _binned_dispersion(data, *, x, y, rows, colors, bins, ax) -> None:
    edges = np.clip((data[x].to_numpy(dtype=float) * bins).astype(int), 0, bins - 1)
    counts = data.assign(_bin=edges).groupby([y, "_bin"]).size().rename("n").reset_index()
    counts = counts[counts[y].isin(rows)]
    if counts.empty:
        return
    ax.scatter(
        (counts["_bin"] + 0.5) * 100 / bins,
        counts[y].map(rows),
        s=120 * counts["n"] / counts["n"].max(),
        c=[colors[f] for f in counts[y]],
        linewidths=0,
    )


#: Position bins of the dispersion panels per phase (beyond ``max_panels`` documents).
BINS = 50


def dispersion_figure(
    hits: pd.DataFrame, docs: pd.DataFrame, *, frames: list[str], max_panels: int = 12
) -> Figure:
    """One dispersion panel per document (per phase beyond *max_panels* documents).

    Panels per phase bin the positions (:data:`BINS` bins): one mark per hit
    would draw hundreds of thousands of marks for a large corpus.

    *docs* gives the documents (doc_id, phase, date), so a document without
    any hit still gets an empty panel; *frames* lists every frame in order, so
    colours match the other framing figures.
    """
    per_doc = len(docs) <= max_panels
    key = "doc_id" if per_doc else "phase"
    # only what the marks need: copying the KWIC text too would touch every string
    hits = hits[[key, "frame", "position", "paragraph_type"]]
    panels = list(docs.sort_values(["date", "doc_id"])[key].drop_duplicates())
    with house_style():
        fig, axes = new_figure(
            len(panels),
            1,
            figsize=(9, 1.2 + 0.28 * max(len(frames), 1) * len(panels)),
            sharex=True,
            squeeze=False,
        )
        for ax, panel in zip(axes[:, 0], panels, strict=True):
            part = hits[hits[key] == panel]
            plot_dispersion(part, order=frames, bins=None if per_doc else BINS, ax=ax)
            if per_doc:
                row = docs[docs["doc_id"] == panel].iloc[0]
                ax.set_title(
                    f"{panel} ({row['phase'] or 'no phase'}, {row['date']}; {len(part)} hits)",
                    fontsize=10,
                )
            else:
                n = int((docs["phase"] == panel).sum())
                ax.set_title(f"{panel} (n = {n} docs; {len(part)} hits)", fontsize=10)
            ax.set_ylabel("frame")
        for ax in axes[:-1, 0]:
            ax.set_xlabel("")
        fig.suptitle(
            "Where framing terms fall in each article", x=0.01, ha="left", fontweight="bold"
        )
        binned = [
            Line2D(
                [],
                [],
                marker="o",
                color="black",
                linestyle="",
                label=f"hits in {100 // BINS}% of the article's length (area: number)",
            )
        ]
        fig.legend(
            handles=binned
            if not per_doc
            else [
                Line2D([], [], marker="|", color="black", linestyle="", markersize=12, label="hit"),
                Line2D(
                    [],
                    [],
                    marker="s",
                    color="black",
                    fillstyle="none",
                    linestyle="",
                    label="hit in a heading",
                ),
            ],
            loc="upper right",
            ncols=2,
        )
        fig.tight_layout()
    return fig
