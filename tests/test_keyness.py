"""Keyness statistics against hand computations from the published formulas, and scipy.

The small made-up table used throughout: a term seen 10 times in 1,000 words of
group a and 2 times in 1,200 words of group b.
"""

from __future__ import annotations

from math import log, log2, sqrt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import digamma, polygamma
from scipy.stats import chi2, chi2_contingency, false_discovery_control

from analysis.corpus.loader import parse_document
from analysis.run.term_table import TermTable
from analysis.stats.background import background_frequencies
from analysis.stats.keyness import (
    COLUMNS,
    bh_adjust,
    g2,
    g2_p,
    keyness,
    keyness_from_terms,
    log_odds_z,
    log_ratio,
    pct_diff,
    phrase_frequency,
    term_matrix,
)
from analysis.text.terms import document_terms
from analysis.text.tokens import tokenize_corpus, tokenize_document

# Expected cell counts of the 2x2 table [[10, 2], [990, 1198]]: row sum * column sum / N.
N = 2200
E = {(0, 0): 12 * 1000 / N, (0, 1): 12 * 1200 / N, (1, 0): 2188 * 1000 / N, (1, 1): 2188 * 1200 / N}
G2_HAND = 2 * (
    10 * log(10 / E[0, 0])
    + 2 * log(2 / E[0, 1])
    + 990 * log(990 / E[1, 0])
    + 1198 * log(1198 / E[1, 1])
)
# Yates: |O - E| = 10 - 5.4545... > 0.5, so every cell moves 0.5 towards its expected value.
G2_YATES_HAND = 2 * (
    9.5 * log(9.5 / E[0, 0])
    + 2.5 * log(2.5 / E[0, 1])
    + 990.5 * log(990.5 / E[1, 0])
    + 1197.5 * log(1197.5 / E[1, 1])
)
# Williams (1976): q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N).
WILLIAMS_Q = 1 + (N / 12 + N / 2188 - 1) * (N / 1000 + N / 1200 - 1) / (6 * N)


@pytest.mark.parametrize(
    ("correction", "expected"),
    [("none", G2_HAND), ("yates", G2_YATES_HAND), ("williams", G2_HAND / WILLIAMS_Q)],
)
def test_g2_by_hand(correction, expected):
    assert g2(10, 2, 1000, 1200, correction=correction) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("correction", "scipy_correction"), [("none", False), ("yates", True)])
def test_g2_matches_scipy(correction, scipy_correction):
    stat, *_ = chi2_contingency(
        np.array([[10, 2], [990, 1198]]), lambda_="log-likelihood", correction=scipy_correction
    )
    assert g2(10, 2, 1000, 1200, correction=correction) == pytest.approx(stat, abs=1e-9)


@given(
    st.integers(0, 200),
    st.integers(0, 200),
    st.integers(1, 5000),
    st.integers(1, 5000),
)
def test_g2_matches_scipy_on_any_table(a, b, extra_a, extra_b):
    if a + b == 0:
        assert g2(a, b, a + extra_a, b + extra_b) == 0
        return
    table = np.array([[a, b], [extra_a, extra_b]])
    stat, *_ = chi2_contingency(table, lambda_="log-likelihood", correction=False)
    ours = g2(a, b, a + extra_a, b + extra_b)
    assert ours == pytest.approx(stat, rel=1e-9, abs=1e-9)
    assert g2(b, a, b + extra_b, a + extra_a) == pytest.approx(ours, rel=1e-9, abs=1e-9)


def test_g2_p_is_the_chi_square_upper_tail_with_one_df():
    values = np.array([0.0, 1e-12, 0.5, 3.841458820694124, 10.0, 100.0, 700.0])
    assert g2_p(values) == pytest.approx(chi2.sf(values, 1), rel=1e-12, abs=1e-300)
    assert g2_p(3.841458820694124) == pytest.approx(0.05, rel=1e-12)  # the 5% critical value


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((10, 2, 1000, 1200), log2(6)),  # (10/1000) / (2/1200) = 6
        ((10, 0, 1000, 1200), log2((10 / 1000) / (0.5 / 1200))),  # zero -> 0.5 (Hardie)
        ((0, 2, 1000, 1200), log2((0.5 / 1000) / (2 / 1200))),
        ((5, 6, 1000, 1200), 0.0),
    ],
)
def test_log_ratio_by_hand(counts, expected):
    assert log_ratio(*counts) == pytest.approx(expected, abs=1e-9)


def test_log_ratio_of_two_zeros_is_nan():
    assert np.isnan(log_ratio(0, 0, 1000, 1200))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((10, 2, 1000, 1200), (10 / 1000 - 2 / 1200) * 100 / (2 / 1200)),  # = 500
        ((0, 2, 1000, 1200), -100.0),
        ((10, 0, 1000, 1200), np.inf),
        ((5, 6, 1000, 1200), 0.0),
    ],
)
def test_pct_diff_by_hand(counts, expected):
    assert pct_diff(*counts) == pytest.approx(expected, abs=1e-9)


def test_pct_diff_of_two_zeros_is_nan():
    assert np.isnan(pct_diff(0, 0, 1000, 1200))


# Monroe et al. (2008) eqs. 16 and 20 with pi = 0.004 and strength 1:
# alpha_a = 1 * 1000 * 0.004 = 4, alpha_0a = 1000; alpha_b = 1200 * 0.004 = 4.8, alpha_0b = 1200.
DELTA_HAND = log((10 + 4) / (1000 + 1000 - 10 - 4)) - log((2 + 4.8) / (1200 + 1200 - 2 - 4.8))
Z_HAND = DELTA_HAND / sqrt(1 / (10 + 4) + 1 / (2 + 4.8))
# Strength 0.5: alpha_a = 2, alpha_0a = 500; alpha_b = 2.4, alpha_0b = 600.
Z_HALF_HAND = (
    log((10 + 2) / (1000 + 500 - 10 - 2)) - log((2 + 2.4) / (1200 + 600 - 2 - 2.4))
) / sqrt(1 / (10 + 2) + 1 / (2 + 2.4))


@pytest.mark.parametrize(("strength", "expected"), [(1.0, Z_HAND), (0.5, Z_HALF_HAND)])
def test_log_odds_z_by_hand(strength, expected):
    z = log_odds_z(10, 2, 1000, 1200, 0.004, strength=strength)
    assert z == pytest.approx(expected, abs=1e-9)


def test_log_odds_z_agrees_with_the_beta_posterior():
    """Independent route: the exact mean and variance of the posterior log-odds difference.

    Each group's share of the term has posterior Beta(y + α_w, n + α_0 - y - α_w), whose
    logit has mean ψ(p) - ψ(q) and variance ψ'(p) + ψ'(q). Monroe et al.'s closed form
    approximates that z when counts are large and the term is a small share of the text.
    """
    y_a, y_b, n_a, n_b, pi = 400, 250, 100_000, 120_000, 0.001
    p_a, q_a = y_a + n_a * pi, 2 * n_a - y_a - n_a * pi
    p_b, q_b = y_b + n_b * pi, 2 * n_b - y_b - n_b * pi
    mean = digamma(p_a) - digamma(q_a) - digamma(p_b) + digamma(q_b)
    var = sum(polygamma(1, x) for x in (p_a, q_a, p_b, q_b))
    assert log_odds_z(y_a, y_b, n_a, n_b, pi) == pytest.approx(mean / sqrt(var), rel=0.01)


@given(st.integers(0, 500), st.integers(1, 10_000), st.integers(1, 5), st.floats(1e-6, 0.5))
def test_log_odds_z_is_zero_when_rates_are_equal(y, extra, k, pi):
    n = y + extra
    assert log_odds_z(y, k * y, n, k * n, pi) == pytest.approx(0.0, abs=1e-9)


def test_bh_by_hand():
    # sorted p 0.01, 0.03, 0.04, 0.5 times m/rank: 0.04, 0.06, 0.0533.., 0.5;
    # then the running minimum from the largest rank down.
    expected = [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    assert bh_adjust([0.01, 0.04, 0.03, 0.5]) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("size", [0, 1, 2, 7, 1000])
def test_bh_is_scipys_false_discovery_control_bit_for_bit(size):
    rng = np.random.default_rng(size)
    p = rng.choice([0.0, 0.001, 0.02, 0.5, 1.0], size) if size == 7 else rng.uniform(0, 1, size)
    p = np.concatenate([p, p[: size // 3]])  # ties
    expected = false_discovery_control(p, method="bh") if p.size else p
    assert np.array_equal(bh_adjust(p), expected)


def test_bh_refuses_what_is_not_a_p_value():
    with pytest.raises(ValueError, match="between 0 and 1"):
        bh_adjust([0.1, np.nan])


def test_phrase_frequency_by_hand():
    assert phrase_frequency(2e-4, 5e-5) == pytest.approx(1 / (1 / 2e-4 + 1 / 5e-5), abs=1e-15)


# ---- keyness on self-written passages ---------------------------------------------------

TEXTS = {
    # pre: 3 sentences, 7 + 6 + 2 = 15 words (the title comes from metadata, not the text)
    "pre1": "China and the US met in Alaska. The US said China must change. China disagreed.",
    # post1: 6 + 2 = 8 words; the quotes keep "win-win cooperation" a bigram, the comma
    # breaks "china the", and the full stop and paragraph break "cooperation talks".
    "post1": 'China, the US and "win-win" cooperation.\n\nTalks resumed.',
    # post2: 4 + 8 = 12 words
    "post2": "We want win-win cooperation. We want dialogue, not lecturing from the US.",
    "during1": "Alaska talks began.",
}
PHASES = {"pre1": "pre", "post1": "post", "post2": "post", "during1": "during"}
OUTLETS = {"pre1": "X", "post1": "Y", "post2": "X", "during1": "Z"}


@pytest.fixture(scope="module")
def tables():
    docs = [parse_document(Path(f"{k}.txt"), v, {"title": k}) for k, v in TEXTS.items()]
    _, tokens = tokenize_corpus(docs)
    table = pd.DataFrame(
        {
            "doc_id": list(TEXTS),
            "phase": [PHASES[k] for k in TEXTS],
            "outlet": [OUTLETS[k] for k in TEXTS],
        }
    )
    return tokens, table


def _row(table: pd.DataFrame, term: str) -> pd.Series:
    rows = table[table["term"] == term]
    assert len(rows) == 1, term
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("term", "ngram", "count_a", "count_b", "docs_a", "docs_b"),
    [
        ("china", 1, 1, 3, 1, 1),
        ("us", 1, 2, 2, 2, 1),
        ("the us", 2, 2, 2, 2, 1),
        ("win-win", 1, 2, 0, 2, 0),
        ("win-win cooperation", 2, 2, 0, 2, 0),
        ("we want", 2, 2, 0, 1, 0),
        ("alaska", 1, 0, 1, 0, 1),
        ("must change", 2, 0, 1, 0, 1),
    ],
)
def test_counts(tables, term, ngram, count_a, count_b, docs_a, docs_b):
    row = _row(keyness(*tables), term)
    assert (row["ngram"], row["count_a"], row["count_b"]) == (ngram, count_a, count_b)
    assert (row["docs_a"], row["docs_b"]) == (docs_a, docs_b)
    assert (row["total_a"], row["total_b"]) == (20, 15)
    assert row["rate_a"] == pytest.approx(1000 * count_a / 20)
    assert row["g2"] == pytest.approx(g2(count_a, count_b, 20, 15))


@pytest.mark.parametrize(
    "absent",
    [
        "china the",  # a comma between them
        "cooperation talks",  # a sentence and paragraph boundary between them
        "alaska the",  # a sentence boundary between them
        "lecturing from the",  # not a unigram or bigram
        "alaska talks",  # only in the "during" document, which is in neither group
        ",",
    ],
)
def test_terms_not_counted(tables, absent):
    assert absent not in set(keyness(*tables)["term"])


def test_table_shape_and_order(tables):
    table = keyness(*tables)
    assert list(table.columns) == COLUMNS
    assert (table["group_a"] == "post").all() and (table["group_b"] == "pre").all()
    assert table["g2"].is_monotonic_decreasing
    assert table["p_adj"].to_numpy() == pytest.approx(bh_adjust(table["p"]))
    assert (table.loc[table["log_ratio"] > 0, "key_in"] == "post").all()
    assert (table.loc[table["log_ratio"] < 0, "key_in"] == "pre").all()
    # with stop words kept, unigram counts add up to the totals
    unigrams = table[table["ngram"] == 1]
    assert (unigrams["count_a"].sum(), unigrams["count_b"].sum()) == (20, 15)


@pytest.mark.parametrize("sorted_terms", [False, True])
def test_ties_in_g2_are_in_alphabetical_order(tables, sorted_terms):
    """Rows go by g2, largest first, then by term, whether the term summary's
    vocabulary is in order of first use (a token table's) or alphabetical (the
    categories of a gathered term table)."""
    tokens, docs = tables
    summary = document_terms(tokens)
    if sorted_terms:
        gathered = TermTable(list(docs["doc_id"]))
        gathered.add(summary)
        summary = gathered.table()
        assert summary["term"].cat.categories.is_monotonic_increasing
    table = keyness_from_terms(summary, docs)
    expected = table.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)
    pd.testing.assert_frame_equal(table, expected)
    assert table["g2"].duplicated().any()  # there are ties to break
    pd.testing.assert_frame_equal(table, keyness(*tables))


def test_token_tables_concatenated_with_their_own_index(tables):
    docs = [parse_document(Path(f"{k}.txt"), v, {"title": k}) for k, v in TEXTS.items()]
    tokens = pd.concat([tokenize_document(d)[1] for d in docs])  # index restarts per document
    pd.testing.assert_frame_equal(keyness(tokens, tables[1]), keyness(*tables))


def test_identical_groups_show_no_keyness():
    docs = [parse_document(Path(f"{k}.txt"), TEXTS["pre1"], {"title": k}) for k in ("x", "y")]
    _, tokens = tokenize_corpus(docs)
    table = keyness(tokens, pd.DataFrame({"doc_id": ["x", "y"]}), by="doc_id", a="x", b="y")
    assert (table["key_in"] == "").all()
    assert (table["g2"] == 0).all() and (table["p_adj"] == 1).all()
    assert table[["log_ratio", "pct_diff", "z_logodds"]].abs().max().max() < 1e-12


def test_zero_counts(tables):
    table = keyness(*tables)
    only_b = _row(table, "alaska")
    assert only_b["log_ratio"] == pytest.approx(log2((0.5 / 20) / (1 / 15)))
    assert only_b["pct_diff"] == -100
    only_a = _row(table, "win-win")
    assert only_a["pct_diff"] == np.inf
    assert only_a["key_in"] == "post"


def test_without_stop_words(tables):
    table = keyness(*tables, keep_stop_words=False)
    assert not {"the", "the us", "we want", "we"} & set(table["term"])
    assert "win-win cooperation" in set(table["term"])
    assert (table["total_a"].iat[0], table["total_b"].iat[0]) == (20, 15)


def test_min_count_and_ngrams(tables):
    table = keyness(*tables, min_count=3, ngrams=(1,))
    # seen 4 times each; "we", "want", "win-win", "cooperation" and "and" only twice
    assert set(table["term"]) == {"china", "us", "the"}
    assert (table["ngram"] == 1).all()


@pytest.mark.parametrize(
    ("by", "a", "b", "group_b", "totals", "china"),
    [
        # outlet X: pre1 (15 words) + post2 (12); outlet Y: post1 (8)
        ("outlet", "X", "Y", "Y", (27, 8), (3, 1)),
        # outlet X against every other document with an outlet: post1 (8) + during1 (3)
        ("outlet", "X", None, "not X", (27, 11), (3, 1)),
        ("doc_id", "post1", "pre1", "pre1", (8, 15), (1, 3)),
    ],
)
def test_grouping_by_any_column(tables, by, a, b, group_b, totals, china):
    table = keyness(*tables, by=by, a=a, b=b)
    row = _row(table, "china")
    assert (row["group_a"], row["group_b"]) == (a, group_b)
    assert (row["total_a"], row["total_b"]) == totals
    assert (row["count_a"], row["count_b"]) == china


def test_pooled_prior_by_hand(tables):
    table = keyness(*tables, ngrams=(1,), prior="pooled")
    row = _row(table, "china")
    # pi = pooled count / all unigram counts = 4 / 35; alpha_a = 20 pi, alpha_0a = 20;
    # alpha_b = 15 pi, alpha_0b = 15
    pi = 4 / 35
    delta = log((1 + 20 * pi) / (40 - 1 - 20 * pi)) - log((3 + 15 * pi) / (30 - 3 - 15 * pi))
    z = delta / sqrt(1 / (1 + 20 * pi) + 1 / (3 + 15 * pi))
    assert row["z_logodds"] == pytest.approx(z, abs=1e-9)


def test_wordfreq_prior_uses_background_shares(tables):
    table = keyness(*tables, ngrams=(1,))
    freq = background_frequencies(table["term"])
    pi = freq / freq.sum()
    expected = log_odds_z(table["count_a"], table["count_b"], 20, 15, pi)
    assert table["z_logodds"].to_numpy() == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "section"}, "no column 'section'"),
        ({"a": "post", "b": "post"}, "both 'post'"),
        ({"a": "post", "b": "later"}, "'later' has no word tokens"),
        ({"prior": "uniform"}, "prior must be one of"),
        ({"correction": "exact"}, "correction must be one of"),
        ({"ngrams": (1, 3)}, "ngrams must be among 1 and 2"),
    ],
)
def test_errors(tables, kwargs, message):
    with pytest.raises(ValueError, match=message):
        keyness(*tables, **kwargs)


def test_unigram_counts_match_scikit_learns_count_vectorizer(tables):
    from sklearn.feature_extraction.text import CountVectorizer

    tokens, _ = tables
    matrix, doc_ids, terms = term_matrix(tokens, ngrams=(1,))
    words = tokens[tokens["is_word"]]
    per_doc = [words.loc[words["doc_id"] == d, "norm"].tolist() for d in doc_ids]
    vectorizer = CountVectorizer(analyzer=lambda toks: toks)
    reference = vectorizer.fit_transform(per_doc)
    ours = pd.DataFrame(matrix.toarray(), columns=terms["term"].tolist()).sort_index(axis=1)
    theirs = pd.DataFrame(reference.toarray(), columns=vectorizer.get_feature_names_out())
    pd.testing.assert_frame_equal(ours, theirs.sort_index(axis=1), check_dtype=False)
