"""The report command: analyse a corpus, draw, and publish every table and figure."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from analysis import config, workspace
from analysis.outputs import StagedOutputs
from analysis.workspace import Timings


def run_report(
    corpus_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool = False,
    echo: Callable[[str], object] = print,
) -> tuple[list[Path], Timings, workspace.Workspace]:
    """Regenerate every table and figure for a corpus; return what was written and the timings.

    Tables go to ``<out>/results/*.csv`` and figures to ``<out>/figures/*.png``
    and ``*.svg``. Nothing is replaced until everything has been computed and
    drawn (see :mod:`analysis.outputs`). Per-document results are cached in
    ``<out>/.cache/`` unless *use_cache* is false; *jobs* processes analyse
    the documents that are not cached (``None``: all cores).
    """
    timings = Timings()
    root = config.out_dir(out_dir)
    ws = workspace.build(
        corpus_dir,
        lexicon_path,
        jobs=jobs,
        cache_dir=root / ".cache" if use_cache else None,
        progress=progress,
        timings=timings,
    )
    for w in ws.corpus.warnings:
        echo(f"warning: {w}")
    t = time.perf_counter()
    figures = ws.figures()
    tables = ws.tables
    with StagedOutputs(root) as out:
        for name, table in tables.items():
            out.table(name, table)
        for name, fig in figures.items():
            out.figure(name, fig)
    timings.stage("figures and writing", t)
    return [root / p for p in out.published], timings, ws
