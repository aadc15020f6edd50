"""The report's figures, built from the corpus tables: one builder per figure.

Each builder takes the tables of :func:`analysis.pipeline.corpus_tables` and the
corpus, and returns one ``Figure`` that is not registered with pyplot.
:data:`BUILDERS` maps each figure's file stem to its builder. Plot functions
proper (one ``Axes`` each) live in :mod:`analysis.plots`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.corpus import Corpus
from analysis.style import house_style, new_figure

Tables = dict[str, pd.DataFrame]


def _event(corpus: Corpus) -> str:
    return corpus.event.name if corpus.event else "the event"


def _n_label(tables: Tables) -> str:
    docs = tables["documents"]
    return f"n = {len(docs)} documents, {int(docs['n_tokens'].sum()):,} word tokens"


def framing_rates_by_phase(tables: Tables, corpus: Corpus) -> Figure:
    """Rate per 1,000 tokens of every lexicon term with at least one hit, by phase."""
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
    """Share of each frame among the framing hits of each phase."""
    frames = tables["framing_frames_by_phase"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.6 * max(frames["phase"].nunique(), 1)))
        plots.plot_frame_composition(frames, ax=ax)
        ax.set_title(f"Frame composition by phase relative to {_event(corpus)}\n{_n_label(tables)}")
    return fig


def framing_dispersion(tables: Tables, corpus: Corpus) -> Figure:
    """Where each framing hit falls in each article."""
    frames = sorted(tables["framing_frames"]["frame"].unique())
    fig = plots.dispersion_figure(tables["framing_kwic"], tables["documents"], frames=frames)
    fig.suptitle(
        f"Where framing terms fall in each article (n = {len(tables['framing_kwic'])} hits)",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    return fig


def framing_over_time(tables: Tables, corpus: Corpus) -> Figure:
    """Frame rates and mean sentence sentiment per week or month, with the event shaded."""
    data = tables["framing_frames_by_period"]
    mood = tables["sentiment_by_period"]
    freq = data["freq"].iloc[0] if len(data) else "week"
    n_periods = data["period_start"].nunique()
    with house_style():
        fig, (ax, ax2) = new_figure(
            2, 1, figsize=(9, 6), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
        )
        if data.empty:
            ax.text(0.5, 0.5, "no dated framing hits", ha="center", transform=ax.transAxes)
        else:
            plots.plot_rates_over_time(data, ax=ax)
        ax.set_title(f"Framing-frame rates and sentence sentiment per {freq}\n{_n_label(tables)}")
        if not mood.empty:
            plots.plot_mean_over_time(mood, ax=ax2)
        ax2.set_xlabel(
            f"date (each point is one {freq} of articles, at its midpoint; n = {n_periods} {freq}s)"
        )
        if corpus.event:
            for a in (ax, ax2):
                plots.mark_event(a, corpus.event.start, corpus.event.end, corpus.event.name)
        fig.align_ylabels()
    return fig


BUILDERS: dict[str, Callable[[Tables, Corpus], Figure]] = {
    "framing_rates_by_phase": framing_rates_by_phase,
    "frame_composition_by_phase": frame_composition_by_phase,
    "framing_dispersion": framing_dispersion,
    "framing_over_time": framing_over_time,
}


def all_figures(tables: Tables, corpus: Corpus) -> dict[str, Figure]:
    """Every figure of the report, keyed by file stem."""
    return {name: build(tables, corpus) for name, build in BUILDERS.items()}
