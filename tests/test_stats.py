from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from analysis.stats import resampling
from analysis.stats.resampling import (
    bootstrap_ci,
    mean_difference,
    permutation_test,
    sentiment_shift,
    summarise_groups,
)


def _scipy_mean_diff(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _scipy_exact_p(a, b, alternative):
    """scipy enumerates every relabelling when n_resamples exceeds their number."""
    res = st.permutation_test(
        (a, b), _scipy_mean_diff, vectorized=True, n_resamples=10**6, alternative=alternative
    )
    return res.pvalue


# --- bootstrap_ci -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], (np.nan, np.nan)),
        ([0.4], (np.nan, np.nan)),
        ([np.nan, 0.4, np.nan], (np.nan, np.nan)),
        ([0.3, 0.3, 0.3], (0.3, 0.3)),
        # Resampled means of {0, 1} are 0, 0.5, 1 with chances 1/4, 1/2, 1/4:
        # the 2.5% and 97.5% percentiles are 0 and 1.
        ([0.0, 1.0], (0.0, 1.0)),
        ([0.0, np.nan, 1.0], (0.0, 1.0)),
    ],
)
def test_bootstrap_ci_hand_cases(values, expected):
    np.testing.assert_allclose(bootstrap_ci(values), expected)


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(1).normal(0.1, 0.4, 40),
        np.random.default_rng(2).uniform(-1, 1, 7),
        np.random.default_rng(3).exponential(1.0, 200),
    ],
)
def test_bootstrap_ci_brackets_estimate_and_agrees_with_scipy(values):
    low, high = bootstrap_ci(values)
    assert low < values.mean() < high
    ref = st.bootstrap((values,), np.mean, method="percentile", random_state=0)
    # Different random draws: bounds agree to a small fraction of the width.
    width = high - low
    assert abs(low - ref.confidence_interval.low) < 0.1 * width
    assert abs(high - ref.confidence_interval.high) < 0.1 * width


def test_bootstrap_ci_other_statistics_and_levels():
    values = np.random.default_rng(4).normal(size=60)
    med_low, med_high = bootstrap_ci(values, stat=np.median)
    assert med_low < np.median(values) < med_high
    narrow = bootstrap_ci(values, level=0.5)
    wide = bootstrap_ci(values, level=0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]
    with pytest.raises(ValueError, match="level"):
        bootstrap_ci(values, level=95)


def test_bootstrap_ci_is_seeded():
    values = np.random.default_rng(5).normal(size=25)
    assert bootstrap_ci(values) == bootstrap_ci(values)
    assert bootstrap_ci(values, seed=1) == bootstrap_ci(values, seed=1)
    assert bootstrap_ci(values, seed=1) != bootstrap_ci(values, seed=2)


def test_bootstrap_ci_coverage_on_known_mean():
    # 300 samples of 30 from N(0.2, 1): a 95% interval should hold 0.2 about 95%
    # of the time (percentile intervals run a little short at n = 30).
    rng = np.random.default_rng(6)
    hits = 0
    for i in range(300):
        low, high = bootstrap_ci(rng.normal(0.2, 1.0, 30), n_boot=2000, seed=i)
        hits += low <= 0.2 <= high
    assert 0.89 <= hits / 300 <= 0.99


# --- permutation_test -------------------------------------------------------------


# a = [1, 2, 3], b = [4, 5, 6, 7]: of the C(7, 3) = 35 ways to pick group a, only
# {1, 2, 3} (diff -3.5) and {5, 6, 7} (diff +3.5) are as extreme as observed, and
# only {1, 2, 3} is as low; every split is at least as high.
@pytest.mark.parametrize(
    ("alternative", "p"), [("two-sided", 2 / 35), ("less", 1 / 35), ("greater", 1.0)]
)
def test_permutation_exact_hand_count(alternative, p):
    result = permutation_test([1, 2, 3], [4, 5, 6, 7], alternative=alternative)
    assert result.diff == pytest.approx(-3.5)
    assert result.p == pytest.approx(p)
    assert _scipy_exact_p([1, 2, 3], [4, 5, 6, 7], alternative) == pytest.approx(p)


@pytest.mark.parametrize("seed", [7, 8, 9])
@pytest.mark.parametrize(("na", "nb"), [(4, 5), (6, 6), (3, 8)])
def test_permutation_one_sided_exact_matches_scipy(seed, na, nb):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0.3, 1, na), rng.normal(0, 1, nb)
    for alternative in ["greater", "less"]:
        assert permutation_test(a, b, alternative=alternative).p == pytest.approx(
            _scipy_exact_p(a, b, alternative)
        )


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_permutation_two_sided_exact_matches_scipy_for_equal_sizes(seed):
    # With equal sizes the permutation distribution is symmetric, so scipy's
    # "twice the smaller tail" equals our P(|diff*| >= |diff|).
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0.5, 1, 6), rng.normal(0, 1, 6)
    assert permutation_test(a, b).p == pytest.approx(_scipy_exact_p(a, b, "two-sided"))


def test_permutation_monte_carlo():
    rng = np.random.default_rng(13)
    a, b = rng.normal(0.25, 1, 80), rng.normal(0, 1, 90)
    result = permutation_test(a, b, n_perm=4999)
    assert result.diff == pytest.approx(a.mean() - b.mean())
    k = result.p * 5000 - 1
    assert k == pytest.approx(round(k)) and result.p > 0
    ref = st.permutation_test(
        (a, b), _scipy_mean_diff, vectorized=True, n_resamples=4999, random_state=0
    )
    assert abs(result.p - ref.pvalue) < 0.03
    assert permutation_test(a, b, n_perm=4999) == result
    assert permutation_test(a, a + 5, n_perm=999).p == pytest.approx(1 / 1000)


@pytest.mark.parametrize("chunk", [4_000_000, 6 * 1000])
def test_subset_sums_draws_every_subset_equally_often(monkeypatch, chunk):
    # values 1, 2, 4, ... make each subset's sum its own bit mask
    monkeypatch.setattr(resampling, "_CHUNK_MASK", chunk)  # 6,000 flags: 1,000 a chunk
    sums = resampling.subset_sums(2.0 ** np.arange(6), 3, 40_000, np.random.default_rng(5))
    masks = sums.astype(int)
    assert all(bin(k).count("1") == 3 for k in np.unique(masks))
    subsets = [sum(1 << i for i in c) for c in combinations(range(6), 3)]
    counts = np.bincount(masks, minlength=64)[subsets]
    assert counts.sum() == 40_000  # every draw is one of the C(6, 3) = 20 subsets
    assert st.chisquare(counts).pvalue > 0.001


@pytest.mark.parametrize(("a", "b"), [([], [1.0, 2.0]), ([1.0], []), ([np.nan], [1.0])])
def test_permutation_empty_group(a, b):
    result = permutation_test(a, b)
    assert np.isnan(result.diff) and np.isnan(result.p)


def test_permutation_bad_alternative():
    with pytest.raises(ValueError, match="alternative"):
        permutation_test([1, 2], [3, 4], alternative="both")


# --- mean_difference ---------------------------------------------------------------


def test_mean_difference_hand_case():
    # b is constant, so the resampled difference is the resampled mean of {0, 1}.
    result = mean_difference([0.0, 1.0], [0.0, 0.0])
    assert (result.n_a, result.n_b, result.mean_a, result.mean_b) == (2, 2, 0.5, 0.0)
    assert (result.diff, result.ci_low, result.ci_high) == (0.5, 0.0, 1.0)
    # Exact: each of the C(4, 2) = 6 splits of {0, 1, 0, 0} gives a difference of +-0.5.
    assert result.p_perm == pytest.approx(1.0)


def test_mean_difference_properties():
    rng = np.random.default_rng(14)
    a, b = rng.normal(0.3, 1, 40), rng.normal(0, 1, 50)
    result = mean_difference(a, b)
    assert result.diff == pytest.approx(a.mean() - b.mean())
    assert result.ci_low < result.diff < result.ci_high
    assert result.p_perm == permutation_test(a, b).p
    assert mean_difference(a, b) == result


@pytest.mark.parametrize(("a", "b"), [([0.5], [0.1, 0.2, 0.3]), ([0.1, 0.2], [])])
def test_mean_difference_too_small_for_an_interval(a, b):
    result = mean_difference(a, b)
    assert np.isnan(result.ci_low) and np.isnan(result.ci_high)


# --- summarise_groups / sentiment_shift --------------------------------------------


@pytest.fixture
def scored():
    return pd.DataFrame(
        {
            "phase": ["pre"] * 5 + ["post"] * 4,
            "side": ["China", "US", "China", "US", "China", "China", "US", "US", None],
            "compound": [0.1, -0.2, 0.3, -0.4, 0.5, 0.6, -0.1, 0.0, 0.9],
            "n_words": [10, 20, 30, 40, 50, 60, 70, 80, 90],
        }
    )


def test_summarise_groups_table(scored):
    table = summarise_groups(scored, by=["phase", "side"])
    expected = pd.DataFrame(
        {
            "phase": ["post", "post", "post", "pre", "pre"],
            "side": ["China", "US", None, "China", "US"],
            "n": [1, 2, 1, 3, 2],
            "mean": [0.6, -0.05, 0.9, 0.3, -0.3],
            "too_few": [True, True, True, False, True],
            "n_words": [60, 150, 90, 90, 60],
        }
    )
    got = table[expected.columns]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    china_pre = table.iloc[3]
    assert (china_pre.ci_low, china_pre.ci_high) == bootstrap_ci([0.1, 0.3, 0.5])
    assert table.loc[table.n < 2, ["ci_low", "ci_high"]].isna().all().all()


def test_summarise_groups_options(scored):
    table = summarise_groups(scored, by=["phase"], value="n_words", words_col=None, min_n=5)
    assert list(table.columns) == ["phase", "n", "mean", "ci_low", "ci_high", "too_few"]
    assert table.set_index("phase").too_few.to_dict() == {"post": True, "pre": False}
    assert table.set_index("phase")["mean"].to_dict() == {"post": 75.0, "pre": 30.0}


def test_summarise_groups_empty_keeps_columns(scored):
    table = summarise_groups(scored.iloc[:0], by=["phase"])
    assert list(table.columns) == ["phase", "n", "mean", "ci_low", "ci_high", "too_few", "n_words"]
    assert table.empty


def test_sentiment_shift_table(scored):
    table = sentiment_shift(scored, within="side")
    assert list(table.columns) == [
        "scope",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "diff",
        "ci_low",
        "ci_high",
        "p_perm",
        "too_few",
    ]
    assert table.scope.tolist() == ["all", "China", "US"]
    assert table.n_a.tolist() == [4, 1, 2]
    assert table.n_b.tolist() == [5, 3, 2]
    assert table.too_few.tolist() == [False, True, True]
    np.testing.assert_allclose(table["diff"], [0.35 - 0.06, 0.6 - 0.3, -0.05 + 0.3])
    overall = mean_difference([0.6, -0.1, 0.0, 0.9], [0.1, -0.2, 0.3, -0.4, 0.5])
    assert tuple(table.iloc[0, 1:9]) == pytest.approx(tuple(overall))
    assert np.isnan(table.loc[1, "ci_low"])


def test_sentiment_shift_reversed_and_without_within(scored):
    table = sentiment_shift(scored, a="pre", b="post")
    assert table.scope.tolist() == ["all"]
    assert table.loc[0, "diff"] == pytest.approx(0.06 - 0.35)


@pytest.mark.parametrize(
    ("n_x", "n_y", "shift"),
    [(2, 2, 0.0), (30, 7, 0.3), (25_000, 900, -0.01), (5, 40_000, 2.0)],
)
def test_welch_p_is_scipys_ttest_ind(n_x, n_y, shift):
    from scipy import stats as scipy_stats

    from analysis.stats.resampling import welch_p

    rng = np.random.default_rng(n_x + n_y)
    x, y = rng.normal(shift, 1.0, n_x), rng.normal(0.0, 2.0, n_y)
    expected = scipy_stats.ttest_ind(x, y, equal_var=False).pvalue
    assert welch_p(x, y) == pytest.approx(expected, rel=1e-12, abs=1e-300)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # scipy's, on constants
def test_welch_p_of_constant_samples_is_scipys():
    from scipy import stats as scipy_stats

    from analysis.stats.resampling import welch_p

    for x, y in [(np.ones(3), np.ones(4)), (np.ones(3), np.zeros(4))]:
        expected = scipy_stats.ttest_ind(x, y, equal_var=False).pvalue
        assert welch_p(x, y) == pytest.approx(expected, nan_ok=True)


def test_at_the_threshold_normal_bounds_are_within_the_bootstraps_own_noise(monkeypatch):
    """Skewed values in [-1, 1] (skewness about 1.4): the normal bounds just above LARGE_N
    differ from 9,999 resamples' by less than 0.1 standard errors, where the bootstrap's
    own Monte Carlo error is about 0.03 (see the module notes)."""
    from analysis.stats import resampling as stats

    x = 2 * np.random.default_rng(7).beta(0.5, 3.0, size=stats.LARGE_N + 1) - 1
    skew = ((x - x.mean()) ** 3).mean() / x.std() ** 3
    assert skew > 1
    normal = np.array(stats.bootstrap_ci(x))
    monkeypatch.setattr(stats, "LARGE_N", 10**9)  # resample this one
    boot = np.array(stats.bootstrap_ci(x))
    se = x.std(ddof=1) / np.sqrt(x.size)
    assert np.abs(boot - normal).max() < 0.1 * se


def test_large_samples_use_normal_theory_matching_the_bootstrap():
    from scipy import stats as scipy_stats

    from analysis.stats import resampling as stats

    rng = np.random.default_rng(1)
    big = rng.normal(0.1, 0.4, size=stats.LARGE_N + 1)
    low, high = stats.bootstrap_ci(big)
    half = 1.959963984540054 * big.std(ddof=1) / np.sqrt(big.size)
    assert (low, high) == pytest.approx((big.mean() - half, big.mean() + half), abs=1e-12)
    # the percentile bootstrap on the same data agrees to the third decimal
    boot_low, boot_high = stats.bootstrap_ci(big, n_boot=999, stat=np.nanmean)
    assert boot_low == pytest.approx(low, abs=2e-3) and boot_high == pytest.approx(high, abs=2e-3)
    other = rng.normal(0.0, 0.5, size=1000)
    result = stats.mean_difference(big, other)
    assert result.p_perm == pytest.approx(scipy_stats.ttest_ind(big, other, equal_var=False).pvalue)
    assert result.ci_low < result.diff < result.ci_high
