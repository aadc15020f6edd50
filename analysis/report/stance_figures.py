"""The stance figures of the report: a speaker × target matrix and side × target shifts.

Each builder takes the tables of :func:`analysis.run.pipeline.corpus_tables` and the
corpus and returns one ``Figure`` (see :mod:`analysis.report.figures`, which
registers them). Plot functions proper are in :mod:`analysis.report.plots.stance`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.corpus.loader import Corpus
from analysis.report.figure_cache import reads
from analysis.report.plots.stance import plot_stance_matrix, plot_stance_shifts
from analysis.report.style import house_style, new_figure

Tables = dict[str, pd.DataFrame]
#: Speaker sides in the order the matrix groups them; others follow alphabetically.
SIDE_ORDER = (
    "(article)",
    "Chinese official",
    "Chinese scholar",
    "US official",
    "US scholar",
    "media",
    "other",
    "unknown",
)
TARGET_SIDE_ORDER = ("US", "China", "both", "ally", "issue", "media", "other")


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _side_rank(side: str, order: tuple[str, ...]) -> tuple[int, str]:
    return (order.index(side) if side in order else len(order), side)


@reads("stance_by_speaker", stance=[])  # the mentions are only counted
def stance_matrix(
    tables: Tables, corpus: Corpus, *, max_speakers: int = 25, max_targets: int = 14
) -> Figure:
    """How does each speaker speak of each target?

    Mean stance (p_positive − p_negative) of each speaker toward each target, all phases.
    Rows are speakers grouped by side, "(article)" being the outlet's own voice; the
    speakers and targets with the most mentions are shown (up to 25 and 14). Red is
    negative, blue positive; each cell gives its number of mentions, and hatched cells
    with "(few)" have fewer than 3, too few to read.
    """
    table = tables["stance_by_speaker"]
    cells = table[(table["level"] == "speaker") & (table["phase"] == "all")]
    with house_style():
        if cells.empty:
            fig, ax = new_figure(figsize=(8, 3))
            _empty(ax, "no target mentions in this corpus")
            return fig
        per_speaker = cells.groupby(["speaker", "speaker_side"])["n"].sum().reset_index()
        per_speaker = per_speaker.sort_values(["n", "speaker"], ascending=[False, True])
        shown = per_speaker.head(max_speakers).assign(
            rank=lambda d: [_side_rank(s, SIDE_ORDER) for s in d["speaker_side"]]
        )
        shown = shown.sort_values(["rank", "n", "speaker"], ascending=[True, False, True])
        per_target = cells.groupby(["target", "target_side"])["n"].sum().reset_index()
        per_target = per_target.sort_values(["n", "target"], ascending=[False, True])
        targets = per_target.head(max_targets).assign(
            rank=lambda d: [_side_rank(s, TARGET_SIDE_ORDER) for s in d["target_side"]]
        )
        targets = targets.sort_values(["rank", "n", "target"], ascending=[True, False, True])
        rows, columns = shown["speaker"].tolist(), targets["target"].tolist()
        fig, ax = new_figure(figsize=(2.8 + 0.62 * len(columns), 2.2 + 0.36 * len(rows)))
        image = plot_stance_matrix(
            cells,
            rows=rows,
            columns=columns,
            groups=dict(zip(shown["speaker"], shown["speaker_side"], strict=True)),
            ax=ax,
        )
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.2)
        bar.set_label("mean stance (p_positive − p_negative, −1 … +1)", fontsize=8)
        ax.set_xlabel("target (grouped by side: US, China, both, allies, issues, others)")
        ax.set_ylabel("speaker (grouped by side)")
        n_total = int(tables["stance"].shape[0])
        ax.set_title(
            f"Stance toward targets, by speaker\nn = {n_total:,} target mentions; "
            f"{len(rows)} of {len(per_speaker)} speakers, {len(columns)} of "
            f"{len(per_target)} targets",
            fontsize=10,
        )
    return fig


@reads("stance_shifts")
def stance_shifts(tables: Tables, corpus: Corpus, *, max_pairs: int = 30) -> Figure:
    """Did each side speak of a target more warmly or more harshly after the event?

    Change in mean stance toward each target, group A minus B, per speaker side, with
    95% intervals. Only side × target pairs with mentions in both groups are drawn (when
    there are more than 30, the 30 with the most mentions in their smaller group).
    Filled points have a Benjamini–Hochberg adjusted permutation p below 0.05; grey
    ones have fewer than 3 mentions in a group.
    """
    shift = tables["stance_shifts"]
    both = shift[(shift["n_a"] > 0) & (shift["n_b"] > 0)] if len(shift) else shift
    n_pairs = len(both)
    if n_pairs > max_pairs:
        both = (
            both.assign(fewer=np.minimum(both["n_a"], both["n_b"]), n=both["n_a"] + both["n_b"])
            .sort_values(
                ["fewer", "n", "speaker_side", "target"], ascending=[False, False, True, True]
            )
            .head(max_pairs)
            .drop(columns=["fewer", "n"])
        )
    with house_style():
        fig, ax = new_figure(figsize=(11, 1.8 + 0.4 * max(len(both), 1)))
        if both.empty:
            _empty(
                ax,
                "no side and target with mentions in both compared groups"
                if len(shift)
                else "the two groups are not both in this corpus; nothing to compare",
            )
            return fig
        data = both.assign(
            rank=[_side_rank(s, SIDE_ORDER) for s in both["speaker_side"]],
            row=both["speaker_side"] + " → " + both["target"],
            label=[
                f"n = {r.n_a} vs {r.n_b}, adj. p = {r.p_adj:.2g}"
                + (" (too few)" if r.too_few else "")
                for r in both.itertuples()
            ],
            significant=both["p_adj"] < 0.05,
        ).sort_values(["rank", "target"])
        plot_stance_shifts(data, ax=ax)
        fig.subplots_adjust(left=0.25, right=0.72)
        a, b = data["group_a"].iloc[0], data["group_b"].iloc[0]
        ax.set_xlabel(
            f"mean stance in {a} minus {b} (p_positive − p_negative; −2 … +2), 95% bootstrap CI"
        )
        ax.set_ylabel("speaker side → target")
        ax.set_title(
            f"Stance shift, {a} against {b}, per speaker side and target\n"
            + (
                f"{len(data)} pairs"
                if n_pairs == len(data)
                else f"the {len(data)} of {n_pairs} pairs with the most mentions in both groups"
            )
            + "; n counts target mentions; filled = BH-adjusted permutation p < 0.05",
            fontsize=10,
        )
    return fig
