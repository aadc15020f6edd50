"""Frame shifts on a made-up per-document count table, checked by hand and against scipy."""

from __future__ import annotations

from math import log2
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import beta, binomtest, chi2_contingency

from analysis.run import workspace
from analysis.stats.keyness import bh_adjust
from analysis.stats.shifts import SHIFT_STATS, log_ratio_ci, shifts
from analysis.text import framing

CORPUS = Path(__file__).parent / "fixtures" / "corpus"

# Word tokens per document: pre = d1 + d2 = 1,500; post = d3 = 1,200; d4 is "during".
DOCS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3", "d4"],
        "phase": ["pre", "pre", "post", "during"],
        "outlet": ["X", "Y", "X", "Y"],
        "n_tokens": [1000, 500, 1200, 300],
    }
)
HITS = {  # (frame, term): hits in d1, d2, d3, d4
    ("F1", "alpha"): (4, 2, 9, 5),
    ("F1", "beta"): (0, 0, 3, 0),
    ("F2", "gamma"): (0, 0, 0, 0),
    ("F2", "delta"): (1, 0, 0, 0),
}


def term_table() -> pd.DataFrame:
    """The shape of :func:`analysis.text.framing.term_counts`."""
    rows = [
        (doc.doc_id, doc.phase, frame, term, hits[i], 0, doc.n_tokens)
        for (frame, term), hits in HITS.items()
        for i, doc in enumerate(DOCS.itertuples())
    ]
    out = pd.DataFrame(
        rows,
        columns=["doc_id", "phase", "frame", "term", "count", "count_heading", "n_tokens"],
    )
    return out.assign(rate_per_1k=1000 * out["count"] / out["n_tokens"])


def _row(table: pd.DataFrame, term: str) -> pd.Series:
    return table[table["term"] == term].iloc[0]


def _ci_from_scipy(k: int, other: int, ta: float, tb: float) -> tuple[float, float]:
    """Clopper-Pearson interval of scipy's binomtest, mapped to log2 of the rate ratio."""
    ci = binomtest(k, k + other).proportion_ci(confidence_level=0.95, method="exact")
    p = np.array([ci.low, ci.high])
    with np.errstate(divide="ignore"):
        return tuple(np.log2(p / (1 - p) * tb / ta))


@pytest.mark.parametrize(("k", "other"), [(9, 6), (3, 0), (0, 1), (1, 1), (50, 20), (0, 7)])
def test_log_ratio_ci_matches_scipy_binomtest(k, other):
    low, high = log_ratio_ci(k, other, 1200, 1500)
    expected = _ci_from_scipy(k, other, 1200, 1500)
    assert (low, high) == pytest.approx(expected, abs=1e-9)


def test_log_ratio_ci_quantiles_are_scipys_beta_ppf_bit_for_bit():
    rng = np.random.default_rng(3)
    k = rng.integers(0, 10**6, 5000)
    other = rng.integers(0, 10**6, 5000)
    k[:50], other[50:100] = 0, 0  # the infinite ends; none is 0 and 0 (that row is NaN)
    tail = (1 - 0.95) / 2  # 0.025000000000000022, as the function computes it
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = log_ratio_ci(k, other, 1200, 1500, level=0.95)
        p_low = np.where(k == 0, 0.0, beta.ppf(tail, k, other + 1))
        p_high = np.where(other == 0, 1.0, beta.ppf(1 - tail, k + 1, other))
        expected_low = np.log2(p_low / (1 - p_low) * (1500 / 1200))
        expected_high = np.log2(p_high / (1 - p_high) * (1500 / 1200))
    assert np.array_equal(low, expected_low)
    assert np.array_equal(high, expected_high)


def test_log_ratio_ci_by_hand():
    # All hits in one group: Clopper-Pearson gives (0.025**(1/m), 1) or (0, 1 - 0.025**(1/m)).
    low, high = log_ratio_ci(3, 0, 1200, 1500)
    p = 0.025 ** (1 / 3)
    assert low == pytest.approx(log2(p / (1 - p) * 1500 / 1200), abs=1e-9)
    assert high == np.inf
    low, high = log_ratio_ci(0, 1, 1200, 1500)
    assert low == -np.inf
    assert high == pytest.approx(log2(0.975 / 0.025 * 1500 / 1200), abs=1e-9)
    assert np.isnan(log_ratio_ci(0, 0, 1200, 1500)).all()


def test_log_ratio_ci_level():
    narrow = log_ratio_ci(9, 6, 1200, 1500, level=0.5)
    wide = log_ratio_ci(9, 6, 1200, 1500, level=0.99)
    assert wide[0] < narrow[0] < log2((9 / 1200) / (6 / 1500)) < narrow[1] < wide[1]
    with pytest.raises(ValueError, match="level"):
        log_ratio_ci(9, 6, 1200, 1500, level=95)


def test_term_shifts_by_hand():
    table = shifts(term_table())
    assert list(table.columns) == ["frame", "term", *SHIFT_STATS]
    assert list(table["term"]) == ["alpha", "beta", "gamma", "delta"]
    assert (table["total_a"] == 1200).all() and (table["total_b"] == 1500).all()
    alpha = _row(table, "alpha")
    assert (alpha["count_a"], alpha["count_b"], alpha["docs_a"], alpha["docs_b"]) == (9, 6, 1, 2)
    assert alpha["rate_a"] == pytest.approx(7.5)  # 9 per 1,200 tokens
    assert alpha["rate_b"] == pytest.approx(4.0)  # 6 per 1,500 tokens
    assert alpha["diff"] == pytest.approx(3.5)
    assert alpha["log_ratio"] == pytest.approx(log2(7.5 / 4), abs=1e-9)
    stat, p, *_ = chi2_contingency(
        np.array([[9, 6], [1191, 1494]]), lambda_="log-likelihood", correction=False
    )
    assert (alpha["g2"], alpha["p"]) == pytest.approx((stat, p), abs=1e-9)
    assert (alpha["lr_low"], alpha["lr_high"]) == pytest.approx(
        _ci_from_scipy(9, 6, 1200, 1500), abs=1e-9
    )
    beta = _row(table, "beta")
    assert beta["log_ratio"] == pytest.approx(log2((3 / 1200) / (0.5 / 1500)), abs=1e-9)
    assert beta["lr_low"] < beta["log_ratio"] < beta["lr_high"] == np.inf


def test_rows_without_hits_are_kept_but_not_tested():
    table = shifts(term_table())
    gamma = _row(table, "gamma")
    assert (gamma["g2"], gamma["p"], gamma["p_adj"]) == (0, 1, 1)
    assert gamma[["log_ratio", "lr_low", "lr_high"]].isna().all()
    tested = table[table["term"] != "gamma"]
    assert tested["p_adj"].to_numpy() == pytest.approx(bh_adjust(tested["p"]), abs=1e-12)


def test_frame_shifts_sum_their_terms():
    terms = term_table()
    frames = (
        terms.groupby(["doc_id", "phase", "frame"], sort=False)
        .agg(count=("count", "sum"), n_tokens=("n_tokens", "first"))
        .reset_index()
    )
    table = shifts(frames)
    assert list(table.columns) == ["frame", *SHIFT_STATS]
    f1 = table[table["frame"] == "F1"].iloc[0]
    assert (f1["count_a"], f1["count_b"], f1["docs_a"], f1["docs_b"]) == (12, 6, 1, 2)
    assert f1["log_ratio"] == pytest.approx(log2((12 / 1200) / (6 / 1500)), abs=1e-9)


@pytest.mark.parametrize(
    ("a", "b", "group_b", "totals", "alpha"),
    [
        # outlet X: d1 + d3 = 2,200 tokens; outlet Y: d2 + d4 = 800
        ("X", "Y", "Y", (2200, 800), (13, 7)),
        ("Y", None, "not Y", (800, 2200), (7, 13)),
    ],
)
def test_grouping_from_a_documents_table(a, b, group_b, totals, alpha):
    table = shifts(term_table(), by="outlet", a=a, b=b, docs=DOCS[["doc_id", "outlet"]])
    row = _row(table, "alpha")
    assert (row["group_a"], row["group_b"]) == (a, group_b)
    assert (row["total_a"], row["total_b"]) == totals
    assert (row["count_a"], row["count_b"]) == alpha


def test_missing_group_is_an_error():
    with pytest.raises(ValueError, match="'later' has no word tokens"):
        shifts(term_table(), b="later")


def test_on_the_framing_tables_of_the_test_corpus():
    tables = workspace.build(CORPUS).tables
    pooled = framing.by_group(tables["framing_frames"], ["frame"])
    table = shifts(tables["framing_frames"])
    merged = table.merge(pooled[pooled["phase"] == "post"], on="frame")
    assert len(merged) == len(table) > 0
    assert merged["count_a"].tolist() == merged["count"].tolist()
    assert merged["rate_a"].to_numpy() == pytest.approx(merged["rate_per_1k"].to_numpy())
