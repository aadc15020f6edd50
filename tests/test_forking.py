"""Tasks in forked workers: the results of a serial run, errors that keep their type."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from functools import partial

import pandas as pd
import pytest

from analysis.corpus import loader
from analysis.corpus.loader import load_corpus
from analysis.errors import InputError, InputErrors, OptionError
from analysis.forking import forked
from analysis.run import pipeline
from analysis.stats import resampling
from analysis.stats.resampling import bootstrap_ci, memoised_intervals
from analysis.text.lexicon import load_lexicon

needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _square(x: int) -> int:
    return x * x


def _fail() -> None:
    raise OptionError("--group-a", "no documents for phase = during")


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_results_come_in_the_order_of_the_tasks(workers):
    tasks = {name: (lambda k=k: _square(k)) for name, k in (("c", 3), ("a", 1), ("b", 2))}
    with forked(tasks, workers=workers) as wait:
        assert list(wait().items()) == [("c", 9), ("a", 1), ("b", 4)]


@needs_fork
def test_tasks_run_in_other_processes_that_see_the_callers_objects():
    here = os.getpid()
    inherited = list(range(1000))  # not pickled: the forked workers inherit it
    tasks = {"pid": os.getpid, "sum": lambda: sum(inherited)}
    with forked(tasks, workers=2) as wait:
        done = wait()
    assert done["pid"] != here and done["sum"] == 499500


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@needs_fork
def test_the_caller_runs_the_last_tasks_no_worker_has_started():
    tasks = {name: partial(_pid_after, 0.5) for name in "abcd"}
    with forked(tasks, workers=1) as wait:
        pids = wait()
    assert pids["a"] != os.getpid()  # handed to the worker at once
    assert pids["d"] == os.getpid()  # still queued when the caller asked: run here


@needs_fork
def test_a_busy_worker_holds_no_queued_task_the_caller_could_run():
    tasks = {"slow": partial(_pid_after, 1.0), "next": partial(_pid_after, 0.0)}
    tasks["last"] = partial(_pid_after, 0.0)
    with forked(tasks, workers=1) as wait:
        pids = wait()
    assert pids["slow"] != os.getpid()
    assert pids["next"] == pids["last"] == os.getpid()  # not left queued behind "slow"


@pytest.mark.parametrize(
    "error",
    [
        InputError("corpus/a.txt", "no date line"),
        InputErrors([InputError("a.txt", "empty"), InputError("b.txt", "no title")]),
        OptionError("--compare-by", "no column 'desk'"),
    ],
    ids=["InputError", "InputErrors", "OptionError"],
)
def test_user_errors_survive_pickling_with_their_message(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)


@needs_fork
def test_a_user_error_in_a_worker_reaches_the_caller_as_itself():
    with forked({"ok": lambda: 1, "bad": _fail}, workers=2) as wait:
        with pytest.raises(OptionError, match="--group-a: no documents for phase = during"):
            wait()


@needs_fork
def test_intervals_resampled_in_a_worker_are_kept_in_the_callers_memo():
    values = [0.1, -0.4, 0.35, 0.8, -0.05]
    with memoised_intervals({}) as used:
        task = resampling.carrying_memo(lambda: bootstrap_ci(values))
        with forked({"ci": task, "other": lambda: (None, {})}, workers=2) as wait:
            (ci, memo), _ = wait().values()
        resampling.adopt_memo(memo)
    assert list(used.values()) == [ci] and ci == bootstrap_ci(values)


@needs_fork
def test_corpus_tables_do_not_depend_on_the_number_of_workers(corpus_dir):
    corpus, lexicon = load_corpus(corpus_dir), load_lexicon()
    per_doc = pipeline.analyze_documents(corpus, lexicon, jobs=1).tables
    serial = pipeline.corpus_tables(corpus, per_doc, lexicon, jobs=1)
    spread = pipeline.corpus_tables(corpus, per_doc, lexicon, jobs=2)
    assert list(spread) == list(serial)
    for name, table in serial.items():
        pd.testing.assert_frame_equal(spread[name], table, obj=name)


def _varied_corpus(folder, *, broken: bool):
    """Copies of the fixture articles, one not in English, and optionally two without a date."""
    source = sorted(p for p in folder.glob("*.txt"))
    for k in range(20):
        for p in source:
            text = p.read_text(encoding="utf-8")
            (folder / f"{p.stem}_{k:02d}.txt").write_text(f"{text}\nCopy {k}.\n", encoding="utf-8")
    (folder / "zz_french.txt").write_text(
        "Le sommet\nPublished: Mar 11, 2021\n\n" + "Les deux pays ont parlé de la paix. " * 40,
        encoding="utf-8",
    )
    if broken:
        for name in ("aa_undated.txt", "mm_undated.txt"):
            (folder / name).write_text("A title\n\nA body without any date.\n", encoding="utf-8")


@needs_fork
def test_a_corpus_read_by_workers_is_the_corpus_read_here(corpus_dir, monkeypatch):
    _varied_corpus(corpus_dir, broken=False)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    here, forked_ = load_corpus(corpus_dir, jobs=1), load_corpus(corpus_dir, jobs=2)
    assert len(here.documents) == 42
    assert forked_ == here  # documents in order, warnings (the French file) in order
    assert any("zz_french.txt" in w for w in here.warnings)


@needs_fork
def test_files_that_fail_in_workers_are_reported_as_here(corpus_dir, monkeypatch):
    _varied_corpus(corpus_dir, broken=True)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    messages = []
    for jobs in (1, 2):
        with pytest.raises(InputErrors) as caught:
            load_corpus(corpus_dir, jobs=jobs)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "aa_undated.txt" in messages[0] and "mm_undated.txt" in messages[0]


@pytest.mark.skipif(sys.platform != "linux", reason="malloc_trim is glibc's")
def test_free_heap_pages_go_back_to_the_system_before_a_fork():
    # 300 MB of small strings, every 64th kept so the heap cannot shrink from its top:
    # freed, they stay resident until malloc_trim hands their pages back
    code = (
        "from analysis.forking import release_free_heap\n"
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "blocks = [b'x' * 1000 + bytes(str(i), 'ascii') for i in range(300_000)]\n"
        "kept = blocks[::64]\n"
        "del blocks\n"
        "before = rss()\n"
        "release_free_heap()\n"
        "print(before - rss())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) > 200e6
