"""The report command: load, analyse, draw, and publish every table and figure."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import config, pipeline, plots  # noqa: E402
from analysis.corpus import Corpus, load_corpus  # noqa: E402
from analysis.lexicon import load_lexicon  # noqa: E402
from analysis.outputs import StagedOutputs  # noqa: E402
from analysis.style import house_style  # noqa: E402


@dataclass
class Timings:
    """Wall time of each stage, in seconds, in the order they ran."""

    stages: dict[str, float] = field(default_factory=dict)

    def stage(self, name: str, start: float) -> float:
        now = time.perf_counter()
        self.stages[name] = now - start
        return now


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


def run_report(
    corpus_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    *,
    echo: Callable[[str], object] = print,
) -> tuple[list[Path], Timings]:
    """Regenerate every table and figure for a corpus; return what was written and the timings.

    Tables go to ``<out>/results/*.csv`` and figures to ``<out>/figures/*.png``
    and ``*.svg``. Nothing is replaced until everything has been computed and
    drawn (see :mod:`analysis.outputs`).
    """
    timings = Timings()
    t = time.perf_counter()
    lexicon = load_lexicon(lexicon_path)
    corpus = load_corpus(corpus_dir)
    for w in corpus.warnings:
        echo(f"warning: {w}")
    t = timings.stage("load", t)
    per_doc = pipeline.analyze_documents(corpus, lexicon)
    t = timings.stage("analyse documents", t)
    tables = pipeline.corpus_tables(corpus, per_doc, lexicon)
    t = timings.stage("corpus tables", t)
    figures = framing_figures(tables, corpus)
    root = config.out_dir(out_dir)
    with StagedOutputs(root) as out:
        for name, table in tables.items():
            out.table(name, table)
        for name, fig in figures.items():
            out.figure(name, fig)
            plt.close(fig)
    timings.stage("figures and writing", t)
    return [root / p for p in out.published], timings
