"""The report's figures, built from the corpus tables: one builder per figure.

Each builder takes the tables of :func:`analysis.run.pipeline.corpus_tables` and the
corpus, and returns one ``Figure`` that is not registered with pyplot. Each declares
the tables it reads with :func:`~analysis.report.figure_cache.reads`; the report hands
it only those, and draws it again only when one of them changed.
:data:`BUILDERS` maps each figure's file stem to its builder. Plot functions
proper (one ``Axes`` each) live in :mod:`analysis.report.plots`.

A builder's docstring is its figure's caption on the report page, and opens with
the one question the figure answers (a browser test checks every caption).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from matplotlib.figure import Figure

from analysis.corpus.loader import Corpus
from analysis.report import plots, stance_figures
from analysis.report.comparison_figures import (
    frame_shifts,
    keyness_terms,
    sentiment_shifts,
    term_scatter,
)
from analysis.report.figure_cache import reads
from analysis.report.style import empty_axes, house_style, new_figure

Tables = dict[str, pd.DataFrame]


def _event(corpus: Corpus) -> str:
    return corpus.event.name if corpus.event else "the event"


def _n_label(tables: Tables) -> str:
    docs = tables["documents"]
    return f"n = {len(docs)} documents, {int(docs['n_tokens'].sum()):,} word tokens"


@reads("framing_terms_by_phase", "documents")
def framing_rates_by_phase(tables: Tables, corpus: Corpus, *, max_terms: int = 40) -> Figure:
    """Which framing terms does each phase use, and how often?

    Rate per 1,000 word tokens of every lexicon term with at least one hit, by
    phase (when more than 40 terms have hits, the 40 with the most); the number
    at each bar is its count of hits.
    """
    by_phase = tables["framing_terms_by_phase"]
    used = by_phase.groupby("term")["count"].transform("sum") > 0
    rates = by_phase[used].assign(term=lambda d: d["frame"] + ": " + d["term"])
    hits = rates.groupby("term")["count"].sum()
    capped = ""
    if len(hits) > max_terms:
        top = hits.reset_index().sort_values(["count", "term"], ascending=[False, True])
        rates = rates[rates["term"].isin(set(top["term"].head(max_terms)))]
        capped = f"; the {max_terms} of {len(hits)} terms with the most hits"
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.32 * max(rates["term"].nunique(), 1)))
        if rates.empty:
            ax.text(
                0.5, 0.5, "no framing-term hits in this corpus", ha="center", transform=ax.transAxes
            )
        else:
            plots.plot_term_rates(rates, ax=ax)
        ax.set_title(
            f"Framing-term rates by phase relative to {_event(corpus)}\n{_n_label(tables)}{capped}"
        )
    return fig


@reads("framing_frames_by_phase", "documents")
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


@reads("framing_frames", "framing_kwic", "documents")
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


@reads("framing_frames_by_period", "sentiment_by_period", "documents")
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


@reads("speakers_by_phase", "speakers", utterances=["speaker"])
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
            empty_axes(ax, "no attributed utterances with a resolved speaker")
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


@reads(utterances=["speaker", "side", "n_words", "phase"])
def share_of_voice(tables: Tables, corpus: Corpus, *, n: int = 15) -> Figure:
    """Whose words does the coverage carry?

    Words quoted or reported for the 15 speakers with the most words (left) and
    for every side, all speakers included (right), by phase.
    """
    # only the columns drawn (all a notebook's call hands it): copying the quoted text
    # too would touch every string
    utts = tables["utterances"][["speaker", "side", "n_words", "phase"]]
    with house_style():
        fig, (ax1, ax2) = new_figure(
            1, 2, figsize=(12, 2 + 0.35 * n), gridspec_kw={"width_ratios": [3, 2]}
        )
        named = utts[utts["speaker"].fillna("") != ""]
        if named.empty:
            empty_axes(ax1, "no attributed utterances with a resolved speaker")
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


@reads("documents", sentences=["doc_id", "position", "compound", "phase"])
def sentiment_arc(tables: Tables, corpus: Corpus, *, max_panels: int = 8) -> Figure:
    """Does the tone rise or fall through each article?

    Rolling mean of sentence VADER compound over 5 sentences through each
    article (raw sentences as faint points), one panel per article in date
    order. With more than 8 articles, one panel instead: the mean compound of
    the sentences in each tenth of the articles, per phase, with 95% intervals.
    """
    docs = tables["documents"]
    if len(docs) > max_panels:
        return _tone_by_position(tables)
    docs = docs.sort_values(["date", "doc_id"])
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
            f"sentences (n = {len(docs)} articles)",
            x=0.01,
            ha="left",
            fontweight="bold",
        )
        fig.tight_layout()
    return fig


def _tone_by_position(tables: Tables) -> Figure:
    sentences = tables["sentences"]
    with house_style():
        fig, ax = new_figure(figsize=(9, 4))
        plots.plot_tone_by_position(sentences, ax=ax)
        ax.set_title(
            "Tone through the articles: mean VADER compound of the sentences in each tenth\n"
            f"n = {len(tables['documents']):,} articles, {len(sentences):,} sentences; "
            "bands: 95% intervals",
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
    "stance_matrix": stance_figures.stance_matrix,
    "stance_shifts": stance_figures.stance_shifts,
}


def all_figures(tables: Tables, corpus: Corpus) -> dict[str, Figure]:
    """Every figure of the report, keyed by file stem."""
    return {name: build(tables, corpus) for name, build in BUILDERS.items()}
