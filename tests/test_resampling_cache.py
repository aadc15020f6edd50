"""Per-group resampling cache: permutation tests and stance intervals are not redone."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import refuse

from analysis.stats import resampling
from analysis.stats.resampling import memoised_intervals, permutation_test

X = [0.1, -0.4, 0.35, 0.8, -0.05, 0.2, 0.9, -0.3, 0.45, 0.6, 0.15, -0.2, 0.05]
Y = [0.5, 0.25, -0.6, 0.1, -0.35, 0.0, -0.15, 0.3, -0.5, 0.2, -0.25]


def test_permutation_test_is_memoised_by_values_and_settings(monkeypatch):
    plain = permutation_test(X, Y)
    with memoised_intervals({}) as first:
        assert permutation_test(X, Y) == plain
        permutation_test(X, Y, alternative="greater")
    assert len(first) == 2  # the alternative is part of the key
    monkeypatch.setattr(resampling, "_permutation", refuse("_permutation"))
    with memoised_intervals(first) as second:
        assert permutation_test(X, Y) == plain
        with pytest.raises(AssertionError, match="_permutation"):
            permutation_test(X, Y, seed=7)
    assert list(second.values()) == [tuple(plain)]


def test_memoised_rows_computes_only_the_unknown_keys():
    asked = []

    def compute(todo):
        asked.append(list(todo))
        return np.array([[float(i), -float(i)] for i in todo])

    assert resampling.memoised_rows(["a", "b"], compute).tolist() == [[0, 0], [1, -1]]
    with memoised_intervals({"b": (5.0, 6.0)}) as used:
        got = resampling.memoised_rows(["a", "b", "c"], compute)
    assert got.tolist() == [[0, 0], [5, 6], [2, -2]]
    assert asked == [[0, 1], [0, 2]]  # without a memo all rows; with one, only a and c
    assert used == {"a": (0.0, -0.0), "b": (5.0, 6.0), "c": (2.0, -2.0)}


def test_stance_intervals_resample_only_changed_groups(monkeypatch):
    from analysis.stats import stance

    groups = [np.array(X[:5]), np.array(Y[:5]), np.array(X[5:10]), np.array(Y[:3])]
    plain = stance._mean_cis(groups)
    with memoised_intervals({}) as first:
        np.testing.assert_array_equal(stance._mean_cis(groups), plain)
    assert len(first) == 4  # one entry per distinct group
    changed = [*groups[:3], np.array(Y[3:6])]
    seen = []
    real = stance._small_mean_cis
    monkeypatch.setattr(stance, "_small_mean_cis", lambda gs: seen.extend(gs) or real(gs))
    with memoised_intervals(first):
        got = stance._mean_cis(changed)
    assert [g.tolist() for g in seen] == [Y[3:6]]  # only the changed group was resampled
    np.testing.assert_array_equal(got[:3], plain[:3])
    monkeypatch.setattr(stance, "_small_mean_cis", real)
    np.testing.assert_array_equal(got, stance._mean_cis(changed))
