"""The report command: analyse a corpus, draw, and publish every table and figure."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.config import resolve_jobs
from analysis.forking import forked
from analysis.report import csv_reuse, figure_cache, provenance, summary
from analysis.report.figure_cache import FigureCache
from analysis.report.outputs import StagedOutputs
from analysis.run import stamp, workspace
from analysis.run.fingerprint import code_fingerprint
from analysis.run.parallel import Engine
from analysis.run.workspace import Timings
from analysis.stats.comparison import Comparison

if TYPE_CHECKING:
    from analysis.report.rendering import Builders

#: The modules that draw the figures and the page, all importing matplotlib (0.3 s): not
#: imported with this module, but while a worker analyses the documents
#: (:func:`analysis.run.pipeline.analyze_documents`).
DRAWING_MODULES = ("analysis.report.figures", "analysis.report.page", "analysis.report.rendering")


def run_report(
    corpus_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool = False,
    comparison: Comparison | None = None,
    echo: Callable[[str], object] = print,
    engine: Engine = "local",
    scheduler: str | None = None,
    stamp_key: str | None = None,
) -> tuple[list[Path], Timings, workspace.Workspace]:
    """Regenerate every table and figure for a corpus; return what was written and the timings.

    Tables go to ``<out>/results/*.csv``, each with a provenance sidecar
    ``<name>.csv.meta.json`` (and ``results/provenance.json`` for the run, and
    ``results/summary.md``, the findings in plain sentences);
    figures go to ``<out>/figures/*.png`` and ``*.svg``, and the report page
    to ``<out>/figures/report.html``. Nothing is replaced until everything has been computed and
    drawn (see :mod:`analysis.report.outputs`). Per-document results are cached in
    ``<out>/.cache/`` unless *use_cache* is false; *jobs* processes analyse
    the documents that are not cached (``None``: all cores), or, with *engine*
    ``"dask"``, the Dask cluster at *scheduler* (``None``: a local one). After publishing,
    a stamp records what the outputs depend on (see :mod:`analysis.run.stamp`);
    *stamp_key* is its key (:func:`analysis.run.stamp.report_key` of these arguments)
    when the caller has computed it already, as the command line does to tell whether
    anything changed (it reads every corpus file: 0.16 s for ten copies of PolNeAR).
    With the cache, a figure whose tables have not changed is taken from
    ``<out>/.cache/figures/`` instead of being drawn again (see
    :mod:`analysis.report.figure_cache`), and each per-article table's file is
    rewritten from the last run's, its unchanged articles' lines copied
    (:mod:`analysis.report.csv_reuse`, indexed in ``<out>/.cache/csv/``); the
    figures are drawn, and the tables written, on *jobs* processes.
    """
    timings = Timings()
    root = config.out_dir(out_dir)
    c = comparison or Comparison()
    key = stamp_key or stamp.report_key(
        corpus_dir, lexicon_path, stamp.report_options(c.by, c.a, c.b)
    )
    ws = workspace.build(
        corpus_dir,
        lexicon_path,
        jobs=jobs,
        cache_dir=root / ".cache" if use_cache else None,
        progress=progress,
        comparison=comparison,
        timings=timings,
        engine=engine,
        scheduler=scheduler,
        preload=DRAWING_MODULES,
    )
    from analysis.report import page, rendering  # imported by now (DRAWING_MODULES)

    for w in ws.corpus.warnings:
        echo(f"warning: {w}")
    t = time.perf_counter()
    with StagedOutputs(root) as out:
        cache = FigureCache(root / ".cache" / "figures") if use_cache else None
        csv_dir = root / ".cache" / "csv"
        code = code_fingerprint()
        keys, cached, to_draw = _figures_to_draw(ws, cache, code)
        echo(f"figures: {len(to_draw)} to draw, {len(cached)} unchanged (from the cache)")
        # one queue: workers draw the figures, then write the smallest tables; this
        # process writes from the largest table down, then draws what is left
        tasks = {f"figure {n}": task for n, task in rendering.encoding_tasks(to_draw).items()}
        for name in sorted(ws.tables, key=lambda name: ws.tables[name].size):
            staged = out.reserve(f"results/{name}.csv")
            if cache is None:
                tasks[f"table {name}"] = partial(csv_reuse.write_whole, ws.tables[name], staged)
            else:  # the lines of unchanged documents are copied from the last run's file
                tasks[f"table {name}"] = partial(
                    csv_reuse.write_reusing,
                    ws.tables[name],
                    staged,
                    previous=root / "results" / f"{name}.csv",
                    index=csv_reuse.load_index(csv_dir, name),
                    version=code,
                )
        with forked(tasks, workers=resolve_jobs(jobs) - 1) as results:
            prov = provenance.collect(
                corpus_files={d.doc_id: d.sha256 for d in ws.corpus.documents},
                lexicon_sha256=ws.lexicon.sha256,
                lexicon_source=Path(ws.lexicon.source).name,
            )
            out.file("results/provenance.json", provenance.to_json(prov))
            out.file("results/summary.md", summary.summary_markdown(ws.tables))
            done = results()
        new = {name: done[f"figure {name}"] for name in to_draw}
        csv_sha256 = {name: done[f"table {name}"][0] for name in ws.tables}
        for name in ws.tables:
            out.file(
                f"results/{name}.csv.meta.json", provenance.sidecar_json(prov, csv_sha256[name])
            )
        rendered = {name: cached.get(name) or new[name] for name in keys}
        for name, (png, svg) in rendered.items():
            out.file(f"figures/{name}.png", png)
            out.file(f"figures/{name}.svg", svg)
        pngs = {name: png for name, (png, _) in rendered.items()}
        html = page.build_page(
            ws.tables,
            pngs,
            title=f"Discourse report: {ws.corpus.event.name if ws.corpus.event else 'corpus'}",
            provenance_line=provenance.provenance_line(prov),
        )
        out.file("figures/report.html", html)
    if cache is not None:
        try:
            for name, (png, svg) in new.items():
                cache.put(name, keys[name], png, svg)
            cache.prune(keys)
            for name in ws.tables:
                csv_index = done[f"table {name}"][1]
                csv_reuse.save_index(csv_dir, name, csv_index)
        except OSError as exc:  # the outputs are published; only the next run's speed suffers
            echo(f"warning: could not update the cache {cache.root.parent}: {exc}")
    csv_files = {f"results/{name}.csv": sha for name, sha in csv_sha256.items()}
    stamp.write(root, key, out.published, known=csv_files)
    timings.stage("figures and writing", t)
    return [root / p for p in out.published], timings, ws


def _figures_to_draw(
    ws: workspace.Workspace, cache: FigureCache | None, code: str
) -> tuple[dict[str, str], dict[str, tuple[bytes, bytes]], Builders]:
    """Every figure's key, the figures *cache* holds for their key, and builders for the rest.

    Each builder is given only the tables it declared (see
    :mod:`analysis.report.figure_cache`), so its key covers everything it reads.
    Without a cache no key is computed (each is ``""``) and every figure is drawn.
    """
    from analysis.report import figures  # imported by now (DRAWING_MODULES)
    from analysis.report.style import house_style

    keys = dict.fromkeys(figures.BUILDERS, "")
    cached = {}
    if cache is not None:
        with house_style():
            style = figure_cache.style_digest()
        keys = figure_cache.figure_keys(
            figures.BUILDERS, ws.tables, event=ws.corpus.event, style=style, code=code
        )
        cached = {name: hit for name in keys if (hit := cache.get(name, keys[name])) is not None}
    to_draw = {
        name: partial(build, figure_cache.inputs(build, ws.tables), ws.corpus)
        for name, build in figures.BUILDERS.items()
        if name not in cached
    }
    return keys, cached, to_draw
