"""One call from a corpus folder to every table and figure: what notebooks and the report use.

``build()`` loads the corpus (``--corpus``/``$ANALYSIS_CORPUS``, else ``seeds/``)
and the lexicon, analyses each document and builds the corpus tables.
Notebooks call it and show ``ws.tables[...]`` and ``ws.figure(...)``; the report
command publishes the same tables and figures.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.corpus.loader import Corpus, load_corpus
from analysis.corpus.parsed_store import ParsedStore
from analysis.run import memo_store, pipeline
from analysis.run.cache import DocumentCache
from analysis.run.fingerprint import code_fingerprint
from analysis.run.parallel import Engine
from analysis.stats.background import memoised_frequencies
from analysis.stats.comparison import Comparison
from analysis.stats.resampling import memoised_intervals
from analysis.text.lexicon import Lexicon, load_lexicon

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Comparison", "Timings", "Workspace", "build"]


@dataclass
class Timings:
    """Wall time of each stage, in seconds, in the order they ran."""

    stages: dict[str, float] = field(default_factory=dict)

    def stage(self, name: str, start: float) -> float:
        """Record the time since *start* under *name*; return the current time."""
        now = time.perf_counter()
        self.stages[name] = now - start
        return now


@dataclass
class Workspace:
    """A loaded and analysed corpus: its documents, lexicon and tables."""

    corpus: Corpus
    lexicon: Lexicon
    tables: dict[str, pd.DataFrame]
    run: pipeline.AnalysisRun

    def figures(self) -> dict[str, Figure]:
        """Every report figure, keyed by file stem."""
        from analysis.report import figures  # imports matplotlib: only when drawing

        return figures.all_figures(self.tables, self.corpus)

    def figure(self, name: str) -> Figure:
        """One report figure by file stem, e.g. ``"framing_rates_by_phase"``."""
        from analysis.report import figures

        if name not in figures.BUILDERS:
            raise KeyError(f"no figure {name!r}; choose from {', '.join(figures.BUILDERS)}")
        return figures.BUILDERS[name](self.tables, self.corpus)


def build(
    corpus_dir: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    *,
    jobs: int | None = 1,
    cache_dir: str | Path | None = None,
    progress: bool = False,
    comparison: Comparison | None = None,
    timings: Timings | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    preload: Sequence[str] = (),
) -> Workspace:
    """Load and analyse a corpus folder; see :func:`analysis.run.pipeline.corpus_tables`.

    *jobs* processes analyse the documents (``None``: all cores). With
    *cache_dir*, per-document results are cached there (see
    :mod:`analysis.run.cache`), so a re-run analyses only new or changed articles,
    and so are bootstrap intervals, so a group whose values are unchanged is not
    resampled again (see :func:`analysis.stats.resampling.memoised_intervals`), and
    the background frequencies of keyness's prior, so wordfreq is loaded only for
    words new to the corpus (:func:`analysis.stats.background.memoised_frequencies`).
    Without a cache the memo lasts for the run: a group whose values equal another's
    (a speaker quoted in one phase only has the same utterances in ``speakers`` and
    ``speakers_by_phase``) is resampled once. The results are the same either way.
    *comparison* chooses the two groups compared (default: post against pre;
    see :class:`analysis.stats.comparison.Comparison`). *engine* ``"dask"`` runs
    the per-document analysis on the Dask cluster at *scheduler* (``None``: a local
    cluster); see :mod:`analysis.run.dask_engine`. The modules named in *preload* (the
    report's drawing modules) are imported while a worker analyses the documents, with
    those the corpus tables need (:func:`analysis.run.pipeline.analyze_documents`).
    """
    timings = timings if timings is not None else Timings()
    t = time.perf_counter()
    lexicon = load_lexicon(lexicon_path)
    parsed = None
    if cache_dir is not None:  # files unchanged since the last run are not parsed again
        parsed = ParsedStore(Path(cache_dir) / "documents", version=code_fingerprint())
    corpus = load_corpus(corpus_dir, jobs=jobs, parsed=parsed)
    t = timings.stage("load", t)
    cache = DocumentCache(Path(cache_dir)) if cache_dir is not None else None
    code = code_fingerprint() if cache is not None else ""
    known = memo_store.load_frequencies(cache.root, code) if cache is not None else {}
    with memoised_frequencies(known) as frequencies:
        run = pipeline.analyze_documents(
            corpus,
            lexicon,
            jobs=jobs,
            cache=cache,
            progress=progress,
            engine=engine,
            scheduler=scheduler,
            preload=(*pipeline.CORPUS_TABLE_MODULES, *preload),
        )
        t = timings.stage("analyse documents", t)
        reduce = partial(
            pipeline.corpus_tables, corpus, run.tables, lexicon, comparison=comparison, jobs=jobs
        )
        if cache is None:  # a memo for this run only: equal groups are resampled once
            with memoised_intervals({}):
                tables = reduce()
        else:  # groups whose values are unchanged are not resampled again
            with memoised_intervals(memo_store.load_intervals(cache.root, code)) as used:
                tables = reduce()
            memo_store.store_intervals(cache.root, code, used)
            memo_store.store_frequencies(cache.root, code, frequencies, unless=known)
    timings.stage("corpus tables", t)
    return Workspace(corpus, lexicon, tables, run)
