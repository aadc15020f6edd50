"""The report's figures, built from the corpus tables: one builder per figure.

Each builder takes the tables of :func:`analysis.run.pipeline.corpus_tables` and the
corpus, and returns one ``Figure`` that is not registered with pyplot.
:data:`BUILDERS` maps each figure's file stem to its builder. Plot functions
proper (one ``Axes`` each) live in :mod:`analysis.report.plots`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus.loader import Corpus
from analysis.report import plots
from analysis.report.style import PHASE_COLORS, house_style, new_figure

Tables = dict[str, pd.DataFrame]


def _event(corpus: Corpus) -> str:
    return corpus.event.name if corpus.event else "the event"


def _n_label(tables: Tables) -> str:
    docs = tables["documents"]
    return f"n = {len(docs)} documents, {int(docs['n_tokens'].sum()):,} word tokens"


def framing_rates_by_phase(tables: Tables, corpus: Corpus) -> Figure:
    """Which framing terms does each phase use, and how often?

    Rate per 1,000 word tokens of every lexicon term with at least one hit, by phase.
    """
    by_phase = tables["framing_terms_by_phase"]
    used = by_phase.groupby("term")["count"].transform("sum") > 0
    rates = by_phase[used].assign(term=lambda d: d["frame"] + ": " + d["term"])
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.32 * max(rates["term"].nunique(), 1)))
        if rates.empty:
            ax.text(
                0.5, 0.5, "no framing-term hits in this corpus", ha="center", transform=ax.transAxes
            )
        else:
            plots.plot_term_rates(rates, ax=ax)
        ax.set_title(
            f"Framing-term rates by phase relative to {_event(corpus)}\n{_n_label(tables)}"
        )
    return fig


def frame_composition_by_phase(tables: Tables, corpus: Corpus) -> Figure:
    """Does the mix of frames change between phases?

    Share of each frame among the framing hits of each phase.
    """
    frames = tables["framing_frames_by_phase"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.6 * max(frames["phase"].nunique(), 1)))
        plots.plot_frame_composition(frames, ax=ax)
        ax.set_title(f"Frame composition by phase relative to {_event(corpus)}\n{_n_label(tables)}")
    return fig


def framing_dispersion(tables: Tables, corpus: Corpus) -> Figure:
    """Where in each article do the framing terms fall?

    One mark per hit at its position through the article (0 to 100% of its length).
    """
    frames = sorted(tables["framing_frames"]["frame"].unique())
    fig = plots.dispersion_figure(tables["framing_kwic"], tables["documents"], frames=frames)
    fig.suptitle(
        f"Where framing terms fall in each article (n = {len(tables['framing_kwic'])} hits)",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    return fig


#: With fewer periods than this, points over time are not joined by lines.
MIN_PERIODS_FOR_LINES = 4


def article_dates(periods: pd.DataFrame, docs: pd.DataFrame) -> pd.Series:
    """For each row of a per-period table, the mean date of the articles in its period.

    Dates are drawn at noon of the day. A period with no dated article keeps its midpoint.
    """
    dates = pd.to_datetime(docs["date"], errors="coerce").dropna()
    out = []
    for start, end, mid in zip(
        pd.to_datetime(periods["period_start"]),
        pd.to_datetime(periods["period_end"]),
        pd.to_datetime(periods["period_mid"]),
        strict=True,
    ):
        inside = dates[(dates >= start) & (dates <= end)]
        # an article dated 20 Mar is drawn at noon, inside that day, not on its edge
        out.append(inside.mean() + pd.Timedelta(hours=12) if len(inside) else mid)
    return pd.Series(out, index=periods.index, dtype="datetime64[ns]")


def framing_over_time(tables: Tables, corpus: Corpus) -> Figure:
    """Do frame rates and sentence tone change around the event?

    Frame rates per 1,000 word tokens and mean sentence tone (VADER compound with
    95% intervals) per week or month, drawn at the mean date of the period's
    articles; with fewer than 4 periods, points are not joined by lines.
    """
    data = tables["framing_frames_by_period"]
    mood = tables["sentiment_by_period"]
    freq = data["freq"].iloc[0] if len(data) else "week"
    n_periods = data["period_start"].nunique()
    lines = n_periods >= MIN_PERIODS_FOR_LINES
    docs = tables["documents"]
    data = data.assign(article_date=article_dates(data, docs))
    mood = mood.assign(article_date=article_dates(mood, docs))
    with house_style():
        fig, (ax, ax2) = new_figure(
            2, 1, figsize=(9, 6), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
        )
        if data.empty:
            ax.text(0.5, 0.5, "no dated framing hits", ha="center", transform=ax.transAxes)
        else:
            plots.plot_rates_over_time(
                data, x="article_date", lines=lines, dodge=pd.Timedelta(days=0.8), ax=ax
            )
        ax.set_title(f"Framing-frame rates and sentence tone per {freq}\n{_n_label(tables)}")
        if not mood.empty:
            plots.plot_mean_over_time(mood, x="article_date", lines=lines, ax=ax2)
        ax2.set_xlabel(
            f"date (each point: one {freq} of articles, at their mean date; "
            f"n = {n_periods} {freq}s)"
            + ("" if lines else "\ntoo few periods for a trend line; frames are spread sideways")
        )
        if corpus.event:
            for a in (ax, ax2):
                plots.mark_event(a, corpus.event.start, corpus.event.end, corpus.event.name)
        fig.align_ylabels()
    return fig


def speaker_sentiment(tables: Tables, corpus: Corpus, *, n: int = 20) -> Figure:
    """In what tone is each speaker quoted, and does it differ by phase?

    Mean VADER compound of each speaker's utterances per phase with its 95%
    bootstrap interval; colour gives the speaker's side, marker shape the phase. The speakers
    with the most words quoted (up to 20) are shown; hollow marks have fewer
    than 3 utterances, too few to read.
    """
    data = tables["speakers_by_phase"]
    speakers_ = tables["speakers"].sort_values("words_quoted", ascending=False)["speaker"]
    data = data[data["speaker"].isin(set(speakers_.head(n)))]
    with house_style():
        fig, ax = new_figure(figsize=(9, 2 + 0.42 * max(data["speaker"].nunique(), 1)))
        if data.empty:
            _empty(ax, "no attributed utterances with a resolved speaker")
            return fig
        plots.plot_sentiment_dots(data, ax=ax)
        n_utt = int(tables["utterances"]["speaker"].fillna("").ne("").sum())
        ax.set_title(
            f"Tone of each speaker's quoted words by phase\n"
            f"n = {n_utt} utterances with a resolved speaker, "
            f"{tables['speakers']['speaker'].nunique()} speakers (top {n} by words quoted)",
            fontsize=10,
        )
    return fig


def share_of_voice(tables: Tables, corpus: Corpus, *, n: int = 15) -> Figure:
    """Whose words does the coverage carry?

    Words quoted or reported for the 15 speakers with the most words (left) and
    for every side, all speakers included (right), by phase.
    """
    utts = tables["utterances"]
    with house_style():
        fig, (ax1, ax2) = new_figure(
            1, 2, figsize=(12, 2 + 0.35 * n), gridspec_kw={"width_ratios": [3, 2]}
        )
        named = utts[utts["speaker"].fillna("") != ""]
        if named.empty:
            _empty(ax1, "no attributed utterances with a resolved speaker")
            ax2.set_axis_off()
            return fig
        words = named.rename(columns={"n_words": "words_quoted"})
        per_speaker = words.groupby("speaker")["words_quoted"].sum()
        top = per_speaker.sort_values(ascending=False, kind="stable").head(n).index
        plots.plot_share_of_voice(words[words["speaker"].isin(top)], totals=False, ax=ax1)
        ax1.set_title(
            f"top {len(top)} of {len(per_speaker)} named speakers "
            f"({int(per_speaker[top].sum()):,} of {int(utts['n_words'].sum()):,} words)",
            fontsize=10,
        )
        sides = utts.rename(columns={"n_words": "words_quoted"}).assign(
            side=lambda d: d["side"].fillna("").replace("", "unresolved")
        )
        plots.plot_share_of_voice(sides, y="side", ax=ax2)
        ax2.set_title("per side, every utterance (legend: total words)", fontsize=10)
        fig.suptitle(
            f"Share of voice: words quoted or reported, by phase "
            f"(n = {len(utts)} utterances, {int(utts['n_words'].sum()):,} words)",
            x=0.01,
            ha="left",
            fontweight="bold",
        )
    return fig


#: Sentences in the sentiment arc's rolling mean.
ARC_WINDOW = 5


def sentiment_arc(tables: Tables, corpus: Corpus, *, max_panels: int = 8) -> Figure:
    """Does the tone rise or fall through each article?

    Rolling mean of sentence VADER compound over 5 sentences through each
    article (raw sentences as faint points). One panel per article, in date
    order (the first 8 when there are more).
    """
    docs = tables["documents"].sort_values(["date", "doc_id"]).head(max_panels)
    sentences = tables["sentences"]
    with house_style():
        fig, axes = new_figure(
            len(docs) or 1, 1, figsize=(9, 1 + 1.8 * max(len(docs), 1)), sharex=True, squeeze=False
        )
        for ax, row in zip(axes[:, 0], docs.itertuples(), strict=False):
            sent = sentences[sentences["doc_id"] == row.doc_id]
            plots.plot_sentiment_arc(sent, window=ARC_WINDOW, ax=ax)
            ax.set_title(
                f"{row.doc_id} ({row.phase or 'no phase'}, {row.date}; n = {len(sent)} sentences)",
                fontsize=9,
            )
        axes[0, 0].legend(loc="lower right", fontsize=8)
        for ax in axes[:-1, 0]:
            ax.set_xlabel("")
        fig.suptitle(
            f"Tone through each article: mean VADER compound of {ARC_WINDOW} consecutive "
            f"sentences (n = {len(tables['documents'])} articles"
            + (f", first {max_panels} shown)" if len(tables["documents"]) > max_panels else ")"),
            x=0.01,
            ha="left",
            fontweight="bold",
        )
        fig.tight_layout()
    return fig


def _groups_line(key: pd.DataFrame) -> str:
    row = key.iloc[0]
    return (
        f"A = {row['group_a']} ({int(row['total_a']):,} word tokens), "
        f"B = {row['group_b']} ({int(row['total_b']):,} word tokens)"
    )


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


NOT_COMPARED = "the two groups are not both in this corpus; nothing to compare"


#: Function words left out of the keyness figure; "us" stays, as in these articles
#: it is mostly "US" lower-cased.
FUNCTION_WORDS = frozenset(ENGLISH_STOP_WORDS) - {"us"}


def is_content_term(term: str) -> bool:
    """Whether every word of *term* has a letter and is not a function word."""
    words = str(term).split()
    return bool(words) and all(
        any(c.isalpha() for c in w) and w.lower() not in FUNCTION_WORDS for w in words
    )


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
            _empty(ax, NOT_COMPARED)
            return fig
        a, b = key["group_a"].iloc[0], key["group_b"].iloc[0]
        content = key[key["term"].map(is_content_term)]
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
            _empty(ax, NOT_COMPARED)
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
            _empty(ax, NOT_COMPARED if shift.empty else "no framing hits in either group")
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


def sentiment_shifts(tables: Tables, corpus: Corpus) -> Figure:
    """Is the tone different between the two groups?

    Difference in mean VADER compound (A minus B) of sentences and of
    utterances, overall and per side, with 95% bootstrap intervals.
    """
    shift = tables["sentiment_shifts"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.45 * max(len(shift), 1)))
        if shift.empty:
            _empty(ax, NOT_COMPARED)
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


BUILDERS: dict[str, Callable[[Tables, Corpus], Figure]] = {
    "framing_rates_by_phase": framing_rates_by_phase,
    "frame_composition_by_phase": frame_composition_by_phase,
    "framing_dispersion": framing_dispersion,
    "framing_over_time": framing_over_time,
    "speaker_sentiment": speaker_sentiment,
    "share_of_voice": share_of_voice,
    "sentiment_arc": sentiment_arc,
    "keyness_terms": keyness_terms,
    "term_scatter": term_scatter,
    "frame_shifts": frame_shifts,
    "sentiment_shifts": sentiment_shifts,
}


def all_figures(tables: Tables, corpus: Corpus) -> dict[str, Figure]:
    """Every figure of the report, keyed by file stem."""
    return {name: build(tables, corpus) for name, build in BUILDERS.items()}
