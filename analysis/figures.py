"""The report's figures, built from the corpus tables: one builder per figure.

Each builder takes the tables of :func:`analysis.pipeline.corpus_tables` and the
corpus, and returns one ``Figure`` that is not registered with pyplot.
:data:`BUILDERS` maps each figure's file stem to its builder. Plot functions
proper (one ``Axes`` each) live in :mod:`analysis.plots`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.corpus import Corpus
from analysis.style import PHASE_COLORS, house_style, new_figure

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


def keyness_terms(tables: Tables, corpus: Corpus, *, n: int = 12) -> Figure:
    """The most distinctive terms of each group by G², significant ones filled."""
    key = tables["keyness"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.26 * 2 * n))
        if key.empty:
            _empty(ax, NOT_COMPARED)
            return fig
        a, b = key["group_a"].iloc[0], key["group_b"].iloc[0]
        top = pd.concat([key[key["key_in"] == a].head(n), key[key["key_in"] == b].head(n)])
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
            f"Most distinctive terms, {a} against {b}\n{_groups_line(key)}\n"
            f"Dunning G², filled = BH-adjusted p < 0.05 ({n_sig} of {len(key):,} terms)",
            fontsize=10,
        )
    return fig


def term_scatter(tables: Tables, corpus: Corpus) -> Figure:
    """Every term's rate in B against A on log axes, framing-lexicon terms labelled."""
    key = tables["keyness"]
    with house_style():
        fig, ax = new_figure(figsize=(7.5, 7))
        if key.empty:
            _empty(ax, NOT_COMPARED)
            return fig
        a, b = key["group_a"].iloc[0], key["group_b"].iloc[0]
        data = key.assign(highlight=key["lexicon_frame"].ne(""))
        plots.plot_term_scatter(data, ax=ax)
        ax.set_xlabel(f"rate in {b} (per 1,000 word tokens, log scale)")
        ax.set_ylabel(f"rate in {a} (per 1,000 word tokens, log scale)")
        ax.set_title(
            f"Term rates, {a} against {b} (n = {len(key):,} terms)\n{_groups_line(key)}\n"
            "dashed: equal rates; dotted: absent from a group",
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
    """Log Ratio of each frame's rate (A over B) with its exact 95% interval."""
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
    """Difference in mean VADER compound (A minus B), per unit and side, with 95% CIs."""
    shift = tables["sentiment_shifts"]
    with house_style():
        fig, ax = new_figure(figsize=(8, 1.8 + 0.45 * max(len(shift), 1)))
        if shift.empty:
            _empty(ax, NOT_COMPARED)
            return fig
        data = shift.assign(
            row=shift["unit"] + ": " + shift["scope"],
            label=[
                f"n = {r.n_a} vs {r.n_b}, p = {r.p_perm:.2g}" + (" (too few)" if r.too_few else "")
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
    "keyness_terms": keyness_terms,
    "term_scatter": term_scatter,
    "frame_shifts": frame_shifts,
    "sentiment_shifts": sentiment_shifts,
}


def all_figures(tables: Tables, corpus: Corpus) -> dict[str, Figure]:
    """Every figure of the report, keyed by file stem."""
    return {name: build(tables, corpus) for name, build in BUILDERS.items()}
