"""Memoised bootstrap intervals: the same floats, no resampling of unchanged groups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.run import pipeline, workspace
from analysis.run.memo_store import load_intervals, store_intervals
from analysis.stats import resampling
from analysis.stats.resampling import bootstrap_ci, memoised_intervals

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
X = [0.1, -0.4, 0.35, 0.8, -0.05, 0.2]
Y = [0.5, 0.25, -0.6]


def test_memo_gives_the_computed_interval_and_skips_resampling(monkeypatch):
    plain = bootstrap_ci(X)
    with memoised_intervals({}) as first:
        assert bootstrap_ci(X) == plain
        bootstrap_ci(Y)
    assert len(first) == 2

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged group was resampled")

    monkeypatch.setattr(resampling, "_resampled", refuse)
    with memoised_intervals(first) as second:
        assert bootstrap_ci(X) == plain
    assert list(second.values()) == [plain]  # Y's interval was not used, so it is dropped


@pytest.mark.parametrize(
    "change",
    [
        {"values": [*X, 0.0]},
        {"values": X[::-1]},
        {"n_boot": 999},
        {"level": 0.9},
        {"seed": 1},
    ],
    ids=["one more value", "other order", "n_boot", "level", "seed"],
)
def test_memo_key_covers_values_order_and_settings(change):
    with memoised_intervals({}) as used:
        bootstrap_ci(X)
        args = {"values": X, **change}
        bootstrap_ci(args.pop("values"), **args)
    assert len(used) == 2


def test_other_statistics_and_no_block_are_not_memoised():
    with memoised_intervals({}) as used:
        bootstrap_ci(X, stat=np.median)
    assert used == {}
    bootstrap_ci(X)
    assert resampling._MEMO.known is None


def test_stored_intervals_round_trip_exactly_for_the_same_code(tmp_path):
    with memoised_intervals({}) as used:
        bootstrap_ci(X)
        bootstrap_ci(Y)
    store_intervals(tmp_path, "a" * 64, used)
    assert load_intervals(tmp_path, "a" * 64) == used
    assert load_intervals(tmp_path, "b" * 64) == {}
    (tmp_path / "intervals.json").write_text("{broken")
    assert load_intervals(tmp_path, "a" * 64) == {}


def test_mean_difference_is_memoised_whole(monkeypatch):
    plain = resampling.mean_difference(X, Y)
    with memoised_intervals({}) as first:
        assert resampling.mean_difference(X, Y) == plain
    assert len(first) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged pair of groups was resampled")

    monkeypatch.setattr(resampling, "_resampled", refuse)
    monkeypatch.setattr(resampling, "permutation_test", refuse)
    with memoised_intervals(first):
        assert resampling.mean_difference(X, Y) == plain
        with pytest.raises(AssertionError, match="resampled"):
            resampling.mean_difference(Y, X)  # the other way round is another comparison


def test_a_run_without_cache_resamples_equal_groups_once(monkeypatch):
    calls = []
    real = resampling._resampled

    def counted(*args):
        calls.append(args[0].size)
        return real(*args)

    monkeypatch.setattr(resampling, "_resampled", counted)
    ws = workspace.build(FIXTURE_CORPUS, jobs=1, cache_dir=None)
    in_run = len(calls)
    assert resampling._MEMO.known is None  # the memo lasted for the run only
    calls.clear()
    plain = pipeline.corpus_tables(ws.corpus, ws.run.tables, ws.lexicon, jobs=1)
    # a speaker quoted in one phase only has the same values in speakers and
    # speakers_by_phase: resampled twice without a memo, once within the run
    assert 0 < in_run < len(calls)
    assert plain.keys() == ws.tables.keys()
    for name, table in plain.items():
        pd.testing.assert_frame_equal(ws.tables[name], table, check_exact=True)
