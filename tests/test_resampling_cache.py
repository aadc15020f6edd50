"""Per-group resampling cache: permutation tests and batched intervals are not redone."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import refuse

from analysis.stats import resampling
from analysis.stats.resampling import bootstrap_mean_cis, memoised_intervals, permutation_test

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


def test_batched_intervals_reuse_unchanged_batches(monkeypatch):
    groups = [np.array(X[:5]), np.array(Y[:5]), np.array(X[5:10]), np.array(Y[:3])]
    plain = bootstrap_mean_cis(groups, n_boot=999)
    with memoised_intervals({}) as first:
        np.testing.assert_array_equal(bootstrap_mean_cis(groups, n_boot=999), plain)
    assert len(first) == 2  # one batch of the three groups of 5 values, one of the 3
    changed = [*groups[:3], np.array(Y[3:6])]
    calls = []
    real = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng", lambda seed: calls.append(seed) or real(seed))
    with memoised_intervals(first):
        got = bootstrap_mean_cis(changed, n_boot=999)
    assert len(calls) == 1  # only the changed batch drew resamples
    np.testing.assert_array_equal(got[:3], plain[:3])
    np.testing.assert_array_equal(got, bootstrap_mean_cis(changed, n_boot=999))
