"""The report's figures, built from the corpus tables: one function per topic.

Each builder takes the tables of :func:`analysis.pipeline.corpus_tables` and
returns ``{name: Figure}``; :func:`all_figures` gathers them. Plot functions
proper (one ``Axes`` each) live in :mod:`analysis.plots`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.corpus import Corpus
from analysis.style import house_style


def framing_figures(tables: dict[str, pd.DataFrame], corpus: Corpus) -> dict[str, Figure]:
    """The framing figures: term rates by phase, frame composition, dispersion."""
    event = corpus.event.name if corpus.event else "the event"
    by_phase = tables["framing_terms_by_phase"]
    used = by_phase.groupby("term")["count"].transform("sum") > 0
    rates = by_phase[used].assign(term=lambda d: d["frame"] + ": " + d["term"])
    figures = {}
    with house_style():
        fig, ax = plt.subplots(figsize=(8, 1.5 + 0.32 * max(rates["term"].nunique(), 1)))
        if rates.empty:
            ax.text(
                0.5, 0.5, "no framing-term hits in this corpus", ha="center", transform=ax.transAxes
            )
        else:
            plots.plot_term_rates(rates, ax=ax)
        ax.set_title(f"Framing-term rates by phase relative to {event}")
        figures["framing_rates_by_phase"] = fig

        frames = tables["framing_frames_by_phase"]
        fig, ax = plt.subplots(figsize=(8, 1.6 + 0.6 * frames["phase"].nunique()))
        plots.plot_frame_composition(frames, ax=ax)
        ax.set_title(f"Frame composition by phase relative to {event}")
        figures["frame_composition_by_phase"] = fig
    figures["framing_dispersion"] = dispersion = plots.dispersion_figure(
        tables["framing_kwic"], tables["documents"], frames=sorted(frames["frame"].unique())
    )
    dispersion.suptitle(
        f"Where framing terms fall in each article (n = {len(tables['framing_kwic'])} hits)",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    return figures


def all_figures(tables: dict[str, pd.DataFrame], corpus: Corpus) -> dict[str, Figure]:
    """Every figure of the report, keyed by file stem."""
    return {**framing_figures(tables, corpus)}
