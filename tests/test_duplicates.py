"""Exact and near-duplicate detection, checked against hand counts and a brute-force reference."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.duplicates import DUPLICATE_COLUMNS, find_duplicates, text_key

WORDS = [f"w{i}" for i in range(1, 13)]


def words(*items: str) -> str:
    return " ".join(items)


# Hand counts: n distinct words give n - 4 five-word shingles.
CASES = [
    (
        "identical after quote and space normalisation",
        {"a": "He said “win-win”\u00a0cooperation.", "b": 'He  said "win-win" cooperation.'},
        0.8,
        [("a", "b", "exact", 1.0)],
    ),
    (
        "case and punctuation only: near with similarity 1",
        {"a": words(*WORDS[:6]) + ".", "b": words(*WORDS[:6]).upper()},
        0.8,
        [("a", "b", "near", 1.0)],
    ),
    (
        # 10 words each, last differs: 6 shingles each, 5 shared -> 5 / 7
        "one word changed",
        {"a": words(*WORDS[:10]), "b": words(*WORDS[:9], "x")},
        0.7,
        [("a", "b", "near", 5 / 7)],
    ),
    ("below the threshold", {"a": words(*WORDS[:10]), "b": words(*WORDS[:9], "x")}, 0.72, []),
    (
        # 12 words vs the same with two headline words in front: 8 vs 10 shingles, 8 shared
        "headline added",
        {"a": words(*WORDS), "b": words("new", "headline", *WORDS)},
        0.8,
        [("a", "b", "near", 8 / 10)],
    ),
    (
        "three copies and an unrelated text",
        {"a": "x y z", "u": words(*WORDS), "b": "x  y z", "c": "x y\nz"},
        0.8,
        [("a", "b", "exact", 1.0), ("a", "c", "exact", 1.0), ("b", "c", "exact", 1.0)],
    ),
    ("fewer than five words compare only exactly", {"a": "x y z", "b": "x y z!"}, 0.5, []),
    ("empty input", {}, 0.8, []),
    ("one text", {"a": words(*WORDS)}, 0.8, []),
]


@pytest.mark.parametrize(
    ("texts", "threshold", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_find_duplicates(texts: dict, threshold: float, expected: list) -> None:
    out = find_duplicates(texts, threshold=threshold)
    assert list(out.columns) == DUPLICATE_COLUMNS
    assert [tuple(r) for r in out[["doc_a", "doc_b", "kind"]].itertuples(index=False)] == [
        e[:3] for e in expected
    ]
    assert out["similarity"].tolist() == pytest.approx([e[3] for e in expected])
    assert out["similarity"].dtype == "float64"


def test_doc_a_is_the_earlier_text() -> None:
    out = find_duplicates({"z": "same text here", "a": "same text here"})
    assert out[["doc_a", "doc_b"]].values.tolist() == [["z", "a"]]


@pytest.mark.parametrize("threshold", [0, -0.1, 1.01])
def test_threshold_out_of_range(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        find_duplicates({"a": "x"}, threshold=threshold)


def test_text_key_matches_corpus_duplicate_rule() -> None:
    assert text_key("A  b\n\nc") == text_key("A b c") != text_key("a b c")


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return {tuple(tokens[i : i + 5]) for i in range(len(tokens) - 4)}


def brute_force(texts: dict[str, str], threshold: float) -> pd.DataFrame:
    rows = []
    for a, b in itertools.combinations(texts, 2):
        if text_key(texts[a]) == text_key(texts[b]):
            rows.append((a, b, "exact", 1.0))
            continue
        sa, sb = shingles(texts[a]), shingles(texts[b])
        if sa and sb and len(sa & sb) / len(sa | sb) >= threshold:
            rows.append((a, b, "near", len(sa & sb) / len(sa | sb)))
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=0, max_size=14),
        min_size=0,
        max_size=9,
    ),
    threshold=st.sampled_from([0.3, 0.5, 0.8, 1.0]),
)
def test_prefix_filter_finds_every_pair_a_brute_force_search_finds(
    docs: list[list[str]], threshold: float
) -> None:
    texts = {f"d{i}": " ".join(d) for i, d in enumerate(docs)}
    out = find_duplicates(texts, threshold=threshold)
    expected = brute_force(texts, threshold)
    assert out[["doc_a", "doc_b", "kind"]].values.tolist() == (
        expected[["doc_a", "doc_b", "kind"]].values.tolist()
    )
    assert out["similarity"].tolist() == pytest.approx(expected["similarity"].tolist())
