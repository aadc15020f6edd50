"""Re-runs from the cache give the bytes of a run from scratch, after add, change and remove.

Tables are compared as the report writes them to ``results/`` (figures are drawn
from these tables alone, so they follow).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import refuse

from analysis.report.outputs import StagedOutputs
from analysis.run import cache as cache_module
from analysis.run import pipeline, workspace
from analysis.run.cache import DocumentCache
from analysis.stats import background

THIRD = (
    "CHINA / DIPLOMACY\nThird piece\nPublished: Mar 22, 2021 08:00 AM\n\n"
    'Observers said the bossy tone would fade. "We will not be bullied," Wang Yi said.\n'
)


@pytest.fixture(autouse=True)
def _fixed_run_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")


def results(
    corpus: Path, out: Path, cache: Path | None, jobs: int = 1
) -> tuple[dict[str, bytes], object]:
    """The bytes of every ``results/*.csv`` a report on *corpus* writes, and the run."""
    ws = workspace.build(corpus, jobs=jobs, cache_dir=cache)
    with StagedOutputs(out) as staged:
        for name, table in ws.tables.items():
            staged.table(name, table)
    return {p.name: p.read_bytes() for p in sorted((out / "results").iterdir())}, ws.run


def _add(corpus: Path) -> None:
    (corpus / "third.txt").write_text(THIRD, encoding="utf-8")


def _change(corpus: Path) -> None:
    path = corpus / "pre_talks.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("the", "a", 3), encoding="utf-8")


def _remove(corpus: Path) -> None:
    (corpus / "third.txt").unlink()


def _segments(cache: Path) -> int:
    return len(json.loads((cache / "current" / "meta.json").read_text())["segments"])


# the fixture corpus is small: one article is a third of it. "appended" lets every
# re-run append its new articles to the stored set, as a re-run after adding a few
# articles to a large corpus does (removing the third article drops its segment);
# "rewritten" makes each one write the whole set. On 2 jobs, the added or changed article
# is analysed in a forked process while the cached tables are read.
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    ("store", "share", "segments"), [("appended", 1.0, [2, 3, 2]), ("rewritten", 0.0, [1, 1, 1])]
)
def test_cached_reruns_equal_runs_from_scratch(
    corpus_dir, tmp_path, monkeypatch, store, share, segments, jobs
):
    # the corpus tables are reduced from the cached summaries: no token table is read back
    monkeypatch.setattr(DocumentCache, "load_tokens", refuse("DocumentCache.load_tokens"))
    monkeypatch.setattr(cache_module, "APPEND_SHARE", share)
    forks: list[list[str]] = []
    real_forked = pipeline.forked
    monkeypatch.setattr(
        pipeline, "forked", lambda tasks, **kw: forks.append([*tasks]) or real_forked(tasks, **kw)
    )
    looked_up: list[str] = []  # words looked up in wordfreq by this process
    real_looked_up = background._looked_up
    monkeypatch.setattr(
        background, "_looked_up", lambda words: looked_up.extend(words) or real_looked_up(words)
    )
    cache = tmp_path / "cache"
    results(corpus_dir, tmp_path / "first", cache)
    # (step, edit, documents analysed, documents from the cache, segments stored after)
    for (step, edit, computed, cached), n_segments in zip(
        [("add", _add, 1, 2), ("change", _change, 1, 2), ("remove", _remove, 0, 2)],
        segments,
        strict=True,
    ):
        edit(corpus_dir)
        looked_up.clear()
        got, run = results(corpus_dir, tmp_path / f"cached-{step}", cache, jobs)
        assert (run.n_computed, run.n_cached) == (computed, cached), step
        # analysed beside the cache read on 2 jobs (the corpus tables fork other tasks)
        assert (["new"] in forks) == (jobs == 2 and computed > 0), step
        forks.clear()
        # the frequencies of the last run are kept; a new article's words are looked up
        # beside the cache read on 2 jobs, so keyness has none to look up here
        assert (looked_up != []) == (jobs == 1 and step == "add"), step
        assert _segments(cache) == n_segments, step
        want, _ = results(corpus_dir, tmp_path / f"fresh-{step}", None)
        assert len(want) > 20
        assert want.keys() == got.keys(), step
        assert [n for n in want if want[n] != got[n]] == [], step
