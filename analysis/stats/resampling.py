"""Uncertainty for group means: percentile bootstrap intervals and permutation tests.

Every function is pure and seeded: randomness comes from
``numpy.random.default_rng(seed)`` with ``seed=20210318`` unless told otherwise,
so the same input always gives the same numbers. Each group (or scope) starts
from the same seed, so its interval does not depend on which other groups are
in the table or in what order.

Decisions
---------
* Missing values (NaN) are dropped; ``n`` counts the values used.
* Intervals are **percentile bootstrap** intervals (Efron & Tibshirani 1993,
  ch. 13): resample the values with replacement ``n_boot`` times, compute the
  statistic on each resample, and take the ``(1-level)/2`` and
  ``(1+level)/2`` quantiles (numpy's linear interpolation), as
  ``scipy.stats.bootstrap(method="percentile")`` does.
* Fewer than two values give NaN bounds: one value has no spread to resample
  and its degenerate interval ``(x, x)`` would read as certainty.
* Permutation p-values follow Phipson & Smyth (2010): with ``n_perm`` random
  relabellings, ``p = (k + 1) / (n_perm + 1)`` where ``k`` counts relabellings
  at least as extreme as the observed one, so p is never 0. When there are no
  more distinct relabellings than ``n_perm``, all are enumerated and
  ``p = k / N`` exactly (the observed split is one of the ``N``).
  "Two-sided" means ``|diff*| >= |diff|``.
* Large samples (more than :data:`LARGE_N` values in all) use the normal
  theory these resampling methods converge to, because resampling hundreds
  of thousands of sentences ten thousand times costs minutes and changes
  nothing at the second decimal: the interval of a mean is
  ``mean ± z·sd/√n``, and a difference of means gets Welch's standard error
  and Welch's t-test p-value. Small samples, where the difference matters,
  always use the bootstrap and the permutation test. The threshold is 5,000
  values. There the percentile bootstrap's bounds differ from the normal ones
  by about ``γ(z²-1)/(6√n)`` standard errors for a sample of skewness ``γ``
  (Hall 1992, ch. 3): under 0.01 SE for ``|γ| ≤ 1``, less than the Monte Carlo
  error of the bootstrap's own 2.5% and 97.5% quantiles with 9,999 resamples
  (about 0.03 SE). On ten copies of PolNeAR train, over the 8 stance groups of
  5,000-20,000 values, the bounds differed by at most 0.05 SE, and the three
  pre/post permutation p-values of that size were 0.0071, 0.0001 and 0.0001
  against Welch's 0.0065, 4e-12 and 2e-12. Resampling such a group took
  0.2-0.8 s, most of a re-run's corpus tables after one added article
  (docs/benchmark-history.md, stop 29); the threshold was 20,000 before.
* Intervals and permutation p-values can be **memoised** across runs
  (:func:`memoised_intervals`): they depend only on the values, in order, and the
  settings, so they are keyed by a hash of both and an unchanged group (or pair
  of groups) is never resampled again.
  The memo returns the very floats computed before, so results are identical.
* The unit is whatever a row is (a sentence, an utterance). Rows from one
  article are not independent draws, so intervals describe the variability of
  these texts' sentences, not of an outlet's coverage in general; no
  correction for multiple comparisons is applied across scopes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import combinations
from math import comb
from typing import Literal, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from analysis.stats.memo import Memo

T = TypeVar("T")
SEED = 20210318
#: Above this many values, means use normal-theory intervals and Welch's test.
LARGE_N = 5_000
#: Resampled values held in memory at once; larger jobs are done in chunks.
_CHUNK_VALUES = 2_000_000
#: Flags (bytes) held at once by :func:`subset_sums`.
_CHUNK_MASK = 4_000_000

Alternative = Literal["two-sided", "greater", "less"]
#: Bootstrap intervals of means and (interval, p) of mean differences, by a hash of
#: their input and settings (see :func:`memoised_intervals`).
_MEMO: Memo[tuple[float, ...]] = Memo()


@contextmanager
def memoised_intervals(
    known: dict[str, tuple[float, ...]],
) -> Iterator[dict[str, tuple[float, ...]]]:
    """Within the block, resampling results in *known* are reused, not recomputed.

    That is :func:`bootstrap_ci` of means, :func:`permutation_test`, the interval and
    permutation p of :func:`mean_difference` (below :data:`LARGE_N` values; above,
    nothing is resampled), and the rows of :func:`memoised_rows` (e.g. the stance
    intervals, which :mod:`analysis.stats.stance` resamples many groups at a time).

    Yields the dictionary of every interval the block used or computed, keyed
    like *known*, to be stored for the next run; intervals of groups that are
    gone are left out of it, so a stored memo does not grow without bound.
    """
    with _MEMO.block(known) as used:
        yield used


def carrying_memo(task: Callable[[], T]) -> Callable[[], tuple[T, dict]]:
    """*task* as a function returning ``(task(), memo entries it used or added)``.

    For a task run in another process (a forked worker inherits the active memo):
    pass the entries to :func:`adopt_memo` in the process that stores the memo, so
    the intervals the worker computed are kept for the next run.
    """

    def run() -> tuple[T, dict]:
        result = task()
        return result, (dict(_MEMO.used) if _MEMO.active else {})

    return run


def adopt_memo(entries: dict[str, tuple[float, ...]]) -> None:
    """Count *entries* (from :func:`carrying_memo`) as used in the active memo block."""
    if _MEMO.active:
        _MEMO.known.update(entries)
        _MEMO.used.update(entries)


def memo_key(kind: str, arrays: tuple[np.ndarray, ...], *settings) -> str:
    """The memo's key for a result of kind *kind* computed from *arrays* with *settings*."""
    digest = hashlib.sha256(f"{kind}|{len(arrays)}|{settings!r}".encode())
    for x in arrays:
        digest.update(f"|{x.size}|".encode())
        digest.update(np.ascontiguousarray(x, dtype="<f8").tobytes())
    return digest.hexdigest()


def _memoised(key: str, compute: Callable[[], tuple[float, ...]]) -> tuple[float, ...]:
    """``compute()``, or what it gave for *key* before, when a memo is active."""
    if not _MEMO.active:
        return compute()
    if key not in _MEMO.known:
        _MEMO.known[key] = tuple(float(v) for v in compute())
    _MEMO.used[key] = _MEMO.known[key]
    return _MEMO.used[key]


def memoised_rows(keys: Sequence[str], compute: Callable[[list[int]], np.ndarray]) -> np.ndarray:
    """One row of results per key in *keys*, as a ``(len(keys), k)`` float array.

    ``compute(positions)`` returns the rows of the keys at *positions* (a list of
    indices into *keys*), all computed at once. When a memo is active
    (:func:`memoised_intervals`), rows known for a key are reused and ``compute`` is
    called only for the others; otherwise it is called for all. Use it only where a
    row depends on its key's input alone, not on which other rows are computed with it.
    """
    if not _MEMO.active:
        return np.asarray(compute(list(range(len(keys)))), dtype=float).reshape(len(keys), -1)
    missing = [i for i, key in enumerate(keys) if key not in _MEMO.known]
    if missing:
        for i, row in zip(missing, np.asarray(compute(missing), dtype=float), strict=True):
            _MEMO.known[keys[i]] = tuple(float(v) for v in np.ravel(row))
    for key in keys:
        _MEMO.used[key] = _MEMO.known[key]
    return np.array([_MEMO.known[key] for key in keys], dtype=float).reshape(len(keys), -1)


class PermutationResult(NamedTuple):
    """Difference ``mean(a) - mean(b)`` and its permutation p-value."""

    diff: float
    p: float


class MeanDifference(NamedTuple):
    """``mean(a) - mean(b)`` with a bootstrap interval and a permutation p-value."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    diff: float
    ci_low: float
    ci_high: float
    p_perm: float


def _clean(values) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    return x[~np.isnan(x)]


def _resampled(x: np.ndarray, stat: Callable, n_boot: int, rng: np.random.Generator):
    """``stat`` of ``n_boot`` resamples of *x*, computed in chunks of whole resamples."""
    per_chunk = max(1, _CHUNK_VALUES // x.size)
    out = np.empty(n_boot)
    for start in range(0, n_boot, per_chunk):
        stop = min(n_boot, start + per_chunk)
        idx = rng.integers(0, x.size, size=(stop - start, x.size))
        out[start:stop] = stat(x[idx], axis=1)
    return out


def _percentiles(stats: np.ndarray, level: float) -> tuple[float, float]:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    low, high = np.quantile(stats, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def bootstrap_ci(
    values,
    *,
    stat: Callable = np.mean,
    n_boot: int = 9999,
    level: float = 0.95,
    seed: int = SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval ``(low, high)`` for ``stat(values)``.

    Parameters
    ----------
    values : numbers; NaN are dropped.
    stat : a numpy reduction taking ``axis=`` (``np.mean``, ``np.median``...),
        applied to all resamples at once.
    n_boot : number of resamples (9999, scipy's default).
    level : coverage of the interval.
    seed : seed of ``numpy.random.default_rng``.

    Returns
    -------
    (low, high) : floats; both NaN when fewer than two values remain.
    """
    x = _clean(values)
    if x.size < 2:
        return (np.nan, np.nan)
    if stat is np.mean and x.size > LARGE_N:
        half = _z(level) * x.std(ddof=1) / np.sqrt(x.size)
        return (float(x.mean() - half), float(x.mean() + half))

    def compute() -> tuple[float, float]:
        return _percentiles(_resampled(x, stat, n_boot, np.random.default_rng(seed)), level)

    if stat is not np.mean:
        return compute()
    return _memoised(memo_key("ci", (x,), n_boot, level, seed), compute)


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    from scipy.special import ndtri  # scipy.stats.norm.ppf is ndtri; scipy.stats takes 0.5 s

    return float(ndtri((1 + level) / 2))


def welch_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided p of Welch's t-test: ``scipy.stats.ttest_ind(x, y, equal_var=False)``.

    Written out (Welch 1947: t over the unequal-variance standard error, Welch–
    Satterthwaite degrees of freedom) so that a run need not import scipy.stats,
    which takes half a second; the t tail comes from ``scipy.special.stdtr``. A
    test compares it with scipy.stats.
    """
    from scipy.special import stdtr

    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
        t = (x.mean() - y.mean()) / np.sqrt(vx + vy)
    if np.isnan(df):  # both variances 0: df does not matter (scipy takes 1)
        df = 1.0
    return float(2 * stdtr(df, -abs(t)))


def permutation_test(
    a,
    b,
    *,
    n_perm: int = 9999,
    seed: int = SEED,
    alternative: Alternative = "two-sided",
) -> PermutationResult:
    """Permutation test of ``mean(a) - mean(b)``, labels shuffled between the groups.

    ``alternative="greater"`` tests whether ``a`` is higher, ``"less"`` lower.
    See the module notes for the p-value convention and exact enumeration.
    Returns NaN ``diff`` and ``p`` when either group is empty.
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be two-sided, greater or less, got {alternative!r}")
    x, y = _clean(a), _clean(b)
    if x.size == 0 or y.size == 0:
        return PermutationResult(np.nan, np.nan)
    key = memo_key("permutation", (x, y), n_perm, seed, alternative)
    return PermutationResult(*_memoised(key, lambda: _permutation(x, y, n_perm, seed, alternative)))


def _permutation(
    x: np.ndarray, y: np.ndarray, n_perm: int, seed: int, alternative: Alternative
) -> tuple[float, float]:
    """Observed difference and p of :func:`permutation_test` on non-empty cleaned values."""
    pooled = np.concatenate([x, y])
    n, na = pooled.size, x.size
    total = pooled.sum()
    observed = x.mean() - y.mean()
    exact = comb(n, na) <= n_perm
    if exact:
        members = np.array(list(combinations(range(n), na)), dtype=np.intp)
        sums_a = pooled[members].sum(axis=1)
    else:
        # A random relabelling is a uniformly random subset for the smaller group.
        m = min(na, n - na)
        sums_small = subset_sums(pooled, m, n_perm, np.random.default_rng(seed))
        sums_a = sums_small if m == na else total - sums_small
    diffs = sums_a / na - (total - sums_a) / (n - na)
    # Equal splits can differ from the observed value by rounding only.
    tol = 1e-12 * max(1.0, abs(observed))
    if alternative == "two-sided":
        k = np.count_nonzero(np.abs(diffs) >= abs(observed) - tol)
    elif alternative == "greater":
        k = np.count_nonzero(diffs >= observed - tol)
    else:
        k = np.count_nonzero(diffs <= observed + tol)
    p = k / diffs.size if exact else (k + 1) / (n_perm + 1)
    return float(observed), float(p)


def subset_sums(values: np.ndarray, m: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sums of *n* subsets of *m* of *values*, each drawn uniformly at random without replacement.

    Floyd's algorithm (Bentley & Floyd 1987), run for all subsets at once: with ``N``
    values, for ``j = N-m .. N-1`` draw ``t`` uniformly from ``0..j`` and take ``t``, or ``j`` when
    ``t`` is taken already. Its cost grows with ``m``, not ``N``: the 296 permutation
    tests of ten copies of PolNeAR train's report (20 to 3,200 values, the smaller group
    a third of them) took 3.6 s, against 8.8 s when each subset was the positions of
    the ``m`` smallest of ``N`` random keys. The flags of a chunk of subsets are few
    enough (:data:`_CHUNK_MASK`) to stay in the processor's cache.
    """
    size = values.size
    sums = np.empty(n)
    per_chunk = max(1, _CHUNK_MASK // size)
    for start in range(0, n, per_chunk):
        rows = min(n, start + per_chunk) - start
        taken = np.zeros(rows * size, dtype=bool)  # one row of flags per subset
        offsets = np.arange(rows) * size
        total = np.zeros(rows)
        for j in range(size - m, size):
            t = rng.integers(0, j + 1, size=rows)
            t = np.where(taken[offsets + t], j, t)
            taken[offsets + t] = True
            total += values[t]
        sums[start : start + rows] = total
    return sums


def mean_difference(
    a,
    b,
    *,
    n_boot: int = 9999,
    n_perm: int = 9999,
    level: float = 0.95,
    seed: int = SEED,
) -> MeanDifference:
    """``mean(a) - mean(b)``, its percentile bootstrap interval and two-sided permutation p.

    Above :data:`LARGE_N` values in all, the interval is normal-theory with
    Welch's standard error and p is Welch's t-test (see the module notes).
    Otherwise the interval resamples each group separately (its own size, with
    replacement) and takes percentiles of the differences of the resampled
    means; it is NaN unless both groups have at least two values.
    """
    x, y = _clean(a), _clean(b)
    mean_a = float(x.mean()) if x.size else np.nan
    mean_b = float(y.mean()) if y.size else np.nan
    if not (x.size and y.size):  # nothing to compare: no interval, no p, nothing to memoise
        return MeanDifference(x.size, y.size, mean_a, mean_b, np.nan, np.nan, np.nan, np.nan)
    if x.size >= 2 and y.size >= 2 and x.size + y.size > LARGE_N:
        se = np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        half = _z(level) * se
        p = welch_p(x, y)
        diff = mean_a - mean_b
        return MeanDifference(x.size, y.size, mean_a, mean_b, diff, diff - half, diff + half, p)

    def compute() -> tuple[float, float, float]:
        low = high = np.nan
        if x.size >= 2 and y.size >= 2:
            rng = np.random.default_rng(seed)
            boot = _resampled(x, np.mean, n_boot, rng) - _resampled(y, np.mean, n_boot, rng)
            low, high = _percentiles(boot, level)
        return low, high, _permutation(x, y, n_perm, seed, "two-sided")[1]

    key = memo_key("difference", (x, y), n_boot, n_perm, level, seed)
    low, high, p = _memoised(key, compute)
    return MeanDifference(x.size, y.size, mean_a, mean_b, mean_a - mean_b, low, high, p)


def summarise_groups(
    df: pd.DataFrame,
    *,
    by: list[str],
    value: str = "compound",
    words_col: str | None = "n_words",
    min_n: int = 3,
    n_boot: int = 9999,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Mean of *value* per group with a percentile bootstrap interval.

    Parameters
    ----------
    df : one row per unit (sentence, utterance).
    by : grouping columns; missing keys form their own group.
    value : the column averaged (unweighted: each row counts once).
    words_col : if this column is in *df*, its sum per group is reported as
        ``n_words`` (how many words the group's rows hold).
    min_n : groups with fewer rows than this are flagged ``too_few``.

    Returns
    -------
    DataFrame
        *by* columns, n, mean, ci_low, ci_high, too_few [, n_words]; one row
        per group, sorted by the keys.
    """
    with_words = words_col is not None and words_col in df.columns
    columns = [*by, "n", "mean", "ci_low", "ci_high", "too_few"]
    columns += ["n_words"] if with_words else []
    grouped = df.groupby(by, dropna=False, sort=True)
    keys = grouped.size().index
    codes = grouped.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    values = df[value].to_numpy(dtype=float)[order]
    words = df[words_col].to_numpy()[order] if with_words else None
    rows = []
    for g, key in enumerate(keys):
        part = slice(bounds[g], bounds[g + 1])
        x = _clean(values[part])
        low, high = bootstrap_ci(x, n_boot=n_boot, level=level, seed=seed)
        key = key if isinstance(key, tuple) else (key,)
        row = [*key, x.size, x.mean() if x.size else np.nan, low, high, x.size < min_n]
        rows.append(row + ([int(words[part].sum())] if with_words else []))
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"n": int, "too_few": bool})


def sentiment_shift(
    df: pd.DataFrame,
    *,
    by: str = "phase",
    a: str = "post",
    b: str = "pre",
    value: str = "compound",
    within: str | None = None,
    min_n: int = 3,
    n_boot: int = 9999,
    n_perm: int = 9999,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Difference in mean *value* between rows with ``by == a`` and ``by == b``.

    Parameters
    ----------
    by, a, b : the column splitting the rows and its two compared levels
        (default: post-event minus pre-event).
    within : optional column (e.g. ``"side"``); adds one row per level of it,
        each compared on its own rows only.
    min_n : a scope is flagged ``too_few`` when either group has fewer rows.

    Returns
    -------
    DataFrame
        scope ("all", then each *within* level as text), n_a, n_b, mean_a,
        mean_b, diff (a - b), ci_low, ci_high (percentile bootstrap),
        p_perm (two-sided permutation test), too_few.
    """
    scopes: list[tuple[str, pd.DataFrame]] = [("all", df)]
    if within is not None:
        levels = df[within].dropna().unique()
        scopes += [(str(lv), df[df[within] == lv]) for lv in sorted(levels, key=str)]
    rows = []
    for scope, part in scopes:
        result = mean_difference(
            part.loc[part[by] == a, value],
            part.loc[part[by] == b, value],
            n_boot=n_boot,
            n_perm=n_perm,
            level=level,
            seed=seed,
        )
        rows.append({"scope": scope, **result._asdict(), "too_few": min(result[:2]) < min_n})
    return pd.DataFrame(rows).astype({"n_a": int, "n_b": int, "too_few": bool})
