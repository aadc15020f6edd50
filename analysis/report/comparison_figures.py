"""The report's comparison figures: group A against group B (post against pre by default).

Builders in the sense of :mod:`analysis.report.figures`, which lists them in
``BUILDERS``: each takes the corpus tables and the corpus and returns one
``Figure``; its docstring, the caption, opens with the question it answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib.figure import Figure

from analysis.corpus.language import STOP_WORDS
from analysis.corpus.loader import Corpus
from analysis.report import plots
from analysis.report.csv_bytes import contiguous
from analysis.report.figure_cache import reads
from analysis.report.style import PHASE_COLORS, empty_axes, house_style, new_figure

Tables = dict[str, pd.DataFrame]


def _groups_line(key: pd.DataFrame) -> str:
    row = key.iloc[0]
    return (
        f"A = {row['group_a']} ({int(row['total_a']):,} word tokens), "
        f"B = {row['group_b']} ({int(row['total_b']):,} word tokens)"
    )


NOT_COMPARED = "the two groups are not both in this corpus; nothing to compare"


#: Function words left out of the keyness figure; "us" stays, as in these articles
#: it is mostly "US" lower-cased.
FUNCTION_WORDS = STOP_WORDS - {"us"}


def is_content_word(word: str) -> bool:
    """Whether *word* has a letter and is not a function word."""
    return any(c.isalpha() for c in word) and word.lower() not in FUNCTION_WORDS


def content_terms(terms: pd.Series) -> np.ndarray:
    """Whether each term has words and every one is a content word (:func:`is_content_word`).

    A boolean array in the order of *terms*. Each distinct word is judged once: a
    keyness table holds some 10^5 terms over far fewer words, and judging every term in
    Python took a third of a second of each report on PolNeAR's 840 articles. Terms are
    split at whitespace by Arrow (Unicode's White_Space characters; terms are words
    joined by single spaces). A missing term has no words.
    """
    text = contiguous(pa.array(terms, type=pa.large_string(), from_pandas=True))
    words = pc.utf8_split_whitespace(text)
    coded = pc.dictionary_encode(pc.list_flatten(words))
    judged = np.array([is_content_word(w) for w in coded.dictionary.to_pylist()], dtype=bool)
    word_ok = judged[coded.indices.to_numpy()]
    owner = pc.list_parent_indices(words).to_numpy()
    n_other = np.bincount(owner[~word_ok], minlength=len(terms))
    n_words = pc.list_value_length(words).fill_null(0).to_numpy()
    return (n_words > 0) & (n_other == 0)


@reads("keyness")
def keyness_terms(tables: Tables, corpus: Corpus, *, n: int = 12) -> Figure:
    """Which content words most set one group apart from the other?

    The top content words of each group by G² (function words and numbers left
    out here; results/keyness.csv has every term); filled bars are significant
    after Benjamini–Hochberg correction.
    """
    key = tables["keyness"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.26 * 2 * n))
        if key.empty:
            empty_axes(ax, NOT_COMPARED)
            return fig
        a, b = key["group_a"].iloc[0], key["group_b"].iloc[0]
        content = key[content_terms(key["term"])]
        top = pd.concat(
            [content[content["key_in"] == a].head(n), content[content["key_in"] == b].head(n)]
        )
        top = top.assign(
            signed_g2=np.where(top["key_in"] == a, top["g2"], -top["g2"]),
            significant=top["p_adj"] < 0.05,
        )
        top = top.sort_values("signed_g2", ascending=False)
        palette = {a: PHASE_COLORS.get(a, "#D55E00"), b: PHASE_COLORS.get(b, "#0072B2")}
        plots.plot_keyness_bars(top, palette=palette, ax=ax)
        ax.set_xlabel(f"signed log-likelihood G² (right: key in {a}; left: key in {b})")
        ax.set_ylabel("term")
        n_sig = int((key["p_adj"] < 0.05).sum())
        ax.set_title(
            f"Most distinctive content words, {a} against {b} (top {n} each)\n"
            f"{_groups_line(key)}\nDunning G², filled = BH-adjusted p < 0.05 "
            f"({n_sig} of {len(key):,} terms, function words included)",
            fontsize=10,
        )
    return fig


@reads("keyness")
def term_scatter(
    tables: Tables, corpus: Corpus, *, max_points: int = 5000, n_labels: int = 10
) -> Figure:
    """Which terms are used at very different rates in the two groups?

    Each term's rate in B against A on log axes; framing-lexicon terms are
    orange and the most distinctive of them are labelled. Up to 5,000 of the
    most frequent other terms are drawn as grey points.
    """
    key = tables["keyness"]
    with house_style():
        fig, ax = new_figure(figsize=(7.5, 7))
        if key.empty:
            empty_axes(ax, NOT_COMPARED)
            return fig
        a, b = key["group_a"].iloc[0], key["group_b"].iloc[0]
        data = key.assign(
            highlight=key["lexicon_frame"].ne(""),
            total=pd.to_numeric(key["count_a"]) + pd.to_numeric(key["count_b"]),
        )
        # a large vocabulary is thinned to its most frequent terms, so the plot stays
        # readable and quick; every framing-lexicon term is always drawn
        others = data[~data["highlight"]].nlargest(max_points, "total", keep="first")
        data = pd.concat([others, data[data["highlight"]]])
        plots.plot_term_scatter(data, rank="g2", n_labels=n_labels, ax=ax)
        ax.set_xlabel(f"rate in {b} (per 1,000 word tokens, log scale)")
        ax.set_ylabel(f"rate in {a} (per 1,000 word tokens, log scale)")
        ax.set_title(
            f"Term rates, {a} against {b} (n = {len(key):,} terms, "
            f"{len(data):,} drawn)\n{_groups_line(key)}\n"
            f"dashed: equal rates; dotted: absent from a group; up to {n_labels} framing "
            "terms labelled, largest G² first",
            fontsize=10,
        )
    return fig


def _clip_intervals(data: pd.DataFrame, low: str, high: str) -> tuple[pd.DataFrame, float]:
    finite = pd.concat([data[low], data[high]])
    finite = finite[np.isfinite(finite)]
    bound = float(finite.abs().max()) + 1 if len(finite) else 5.0
    return data.assign(
        **{low: data[low].clip(-bound, bound), high: data[high].clip(-bound, bound)}
    ), bound


@reads("frame_shifts")
def frame_shifts(tables: Tables, corpus: Corpus) -> Figure:
    """Which frames are used more in one group than the other, beyond chance?

    Log Ratio of each frame's rate (A over B) with its exact 95% interval;
    filled points are significant after Benjamini–Hochberg correction.
    """
    shift = tables["frame_shifts"]
    used = shift[(shift["count_a"] + shift["count_b"]) > 0] if len(shift) else shift
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.45 * max(len(used), 1)))
        if used.empty:
            empty_axes(ax, NOT_COMPARED if shift.empty else "no framing hits in either group")
            return fig
        data, bound = _clip_intervals(used.sort_values("log_ratio"), "lr_low", "lr_high")
        data = data.assign(
            label=[
                f"{int(r.count_a)} vs {int(r.count_b)} hits, adj. p = {r.p_adj:.2g}"
                for r in data.itertuples()
            ],
            significant=data["p_adj"] < 0.05,
        )
        plots.plot_differences(
            data.fillna({"log_ratio": 0.0}),
            y="frame",
            x="log_ratio",
            low="lr_low",
            high="lr_high",
            label="label",
            significant="significant",
            ax=ax,
        )
        a, b = data["group_a"].iloc[0], data["group_b"].iloc[0]
        ax.set_xlabel(
            f"Log Ratio: log2(rate in {a} / rate in {b}); 0.5 for a zero count; "
            f"intervals beyond ±{bound:.0f} are open"
        )
        ax.set_ylabel("frame")
        ax.set_title(
            f"Frame shifts, {a} against {b}, with exact 95% intervals\n"
            f"{_groups_line(used)}; filled = BH-adjusted G² p < 0.05",
            fontsize=10,
        )
    return fig


@reads("sentiment_shifts")
def sentiment_shifts(tables: Tables, corpus: Corpus) -> Figure:
    """Is the tone different between the two groups?

    Difference in mean VADER compound (A minus B) of sentences and of
    utterances, overall and per side, with 95% bootstrap intervals.
    """
    shift = tables["sentiment_shifts"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.45 * max(len(shift), 1)))
        if shift.empty:
            empty_axes(ax, NOT_COMPARED)
            return fig
        data = shift.assign(
            row=shift["unit"] + ": " + shift["scope"],
            label=[
                f"n = {r.n_a} vs {r.n_b}, "
                + ("too few to test" if pd.isna(r.p_perm) else f"p = {r.p_perm:.2g}")
                + (" (too few to read)" if r.too_few and not pd.isna(r.p_perm) else "")
                for r in shift.itertuples()
            ],
            significant=shift["p_perm"] < 0.05,
        )
        plots.plot_differences(
            data,
            y="row",
            x="diff",
            low="ci_low",
            high="ci_high",
            label="label",
            significant="significant",
            ax=ax,
        )
        a, b = data["group_a"].iloc[0], data["group_b"].iloc[0]
        ax.set_xlabel(f"mean VADER compound in {a} minus {b} (−2 … +2), 95% bootstrap CI")
        ax.set_ylabel("unit: scope")
        ax.set_title(
            f"Sentiment shift, {a} against {b}\n"
            "filled = permutation p < 0.05; n counts sentences or utterances",
            fontsize=10,
        )
    return fig
