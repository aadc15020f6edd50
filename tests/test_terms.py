"""Term summaries per document, and the corpus term tables reduced from them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text import terms
from analysis.text.tokens import STOP_WORDS


def token_table(docs: dict[str, list[list[str]]]) -> pd.DataFrame:
    """A token table from ``{doc_id: [sentence tokens]}`` (a token is a word if it has a letter)."""
    rows = []
    for doc_id, sentences in docs.items():
        for sid, sentence in enumerate(sentences):
            for tok in sentence:
                rows.append((doc_id, sid, tok, any(c.isalnum() for c in tok), tok in STOP_WORDS))
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "norm", "is_word", "is_stop"])


def test_document_terms_counts_words_and_pairs_within_sentences():
    tokens = token_table(
        {"d1": [['"', "win-win", '"', "cooperation", ",", "the", "end"], ["end"]], "d0": [["us"]]}
    )
    got = terms.document_terms(tokens)
    # by hand: punctuation gets a row with n = 0, quotes none; a quote does not break a pair,
    # a comma and a sentence end do; rows follow first occurrence, documents their order
    want = pd.DataFrame(
        {
            "doc_id": ["d1"] * 7 + ["d0"],
            "term": [
                "win-win",
                "cooperation",
                ",",
                "the",
                "end",
                "win-win cooperation",
                "the end",
                "us",
            ],
            "ngram": np.array([1, 1, 1, 1, 1, 2, 2, 1], dtype=np.int8),
            "n": [1, 1, 0, 1, 2, 1, 1, 1],
        }
    )
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["n"].dtype == np.int64
    # the same from the Arrow token table the pipeline hands over
    arrow = pa.Table.from_pandas(tokens, preserve_index=False)
    pd.testing.assert_frame_equal(terms.document_terms(arrow), got)


def test_top_terms_are_counted_content_words_per_group():
    tokens = token_table(
        {
            "a": [["china", "and", "the", "us", "china", "2021", "."]],
            "b": [["china", "talks", "x"]],
            "c": [["talks", "talks"]],
        }
    )
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "phase": ["pre", "pre", "post"]})
    got = terms.top_terms(terms.document_terms(tokens), docs, by="phase", n=2)
    # by hand: "and", "the", "us" are stop words, "2021" a number, "x" one character;
    # word tokens: pre 6 + 3 = 9, post 2
    assert got.to_dict("list") == {
        "phase": ["post", "pre", "pre"],
        "rank": [1, 1, 2],
        "term": ["talks", "china", "talks"],
        "count": [2, 3, 1],
        "n_tokens": [2, 9, 9],
        "rate_per_1k": [1000.0, 1000 * 3 / 9, 1000 / 9],
    }


@pytest.mark.parametrize("by", ["phase", "doc_id"])
def test_top_terms_are_those_of_a_pandas_group_sum(by):
    # by phase: a bin per (phase, term) pair; by doc_id, 2,000 documents of a 600-word
    # vocabulary: more pairs than bins allowed, so the sorted-keys path
    rng = np.random.default_rng(7)
    vocabulary = np.array([f"w{i}" for i in range(600)] + ["the", "2021", "x"])
    docs = {f"d{d:04d}": [list(rng.choice(vocabulary, size=20))] for d in range(2000)}
    phase = {d: ["pre", "during", "post"][i % 3] for i, d in enumerate(docs)}
    table = pd.DataFrame({"doc_id": list(docs), "phase": list(phase.values())})
    summary = terms.document_terms(token_table(docs))
    got = terms.top_terms(summary, table, by=by, n=5)
    rows = summary[(summary["ngram"] == 1) & terms.is_content(summary["term"])]
    rows = rows.assign(phase=rows["doc_id"].map(phase).astype(object))
    sums = rows.astype({"term": object}).groupby([by, "term"])["n"].sum().reset_index()
    sums = sums.sort_values([by, "n", "term"], ascending=[True, False, True])
    sums["rank"] = sums.groupby(by).cumcount() + 1
    want = sums[sums["rank"] <= 5]
    assert len(got) == len(want) == (15 if by == "phase" else 10_000)
    assert got[by].tolist() == want[by].tolist()
    assert got["term"].tolist() == want["term"].tolist()
    assert got["count"].tolist() == want["n"].tolist()
    assert got["rank"].tolist() == want["rank"].tolist()


def test_word_counts_sum_each_documents_unigram_word_tokens():
    tokens = token_table({"b": [["talks", "x"]], "a": [["china", "and", ".", "china"], ["."]]})
    summary = terms.document_terms(tokens)
    got = terms.word_counts(summary)
    # by hand: "." is no word (n = 0), bigrams ("china and", "talks x") are not counted
    assert got.to_dict() == {"a": 3, "b": 2}
    docs = pd.DataFrame({"doc_id": ["a", "b"], "phase": ["pre", "post"]})
    for by in ("phase", "doc_id"):  # counts handed in give the table computed without them
        pd.testing.assert_frame_equal(
            terms.top_terms(summary, docs, by=by, words=got), terms.top_terms(summary, docs, by=by)
        )


def test_tfidf_gives_the_floats_of_scikit_learn():
    rng = np.random.default_rng(3)
    vocabulary = [f"w{i}" for i in range(300)] + ["the", "of", "7", "."]
    weights = 1 / np.arange(1, len(vocabulary) + 1)  # Zipf-like: many shared, many rare
    docs = {}
    for d in rng.permutation(60):  # documents out of doc_id order
        words = rng.choice(vocabulary, size=rng.integers(1, 400), p=weights / weights.sum())
        docs[f"doc{d:02d}"] = [list(words[:50]), list(words[50:])]
    tokens = token_table(docs)
    got = terms.tfidf_terms(terms.document_terms(tokens), n=10_000)

    content = tokens[
        tokens["is_word"] & ~tokens["is_stop"] & ~tokens["norm"].str.fullmatch(r"[0-9.,:%]+")
    ]
    grouped = content.groupby("doc_id", sort=True)["norm"].apply(list)
    vec = TfidfVectorizer(analyzer=lambda toks: toks)
    matrix = vec.fit_transform(grouped.tolist()).tocoo()
    want = pd.DataFrame(
        {
            "doc_id": grouped.index.to_numpy()[matrix.row],
            "term": vec.get_feature_names_out()[matrix.col],
            "tfidf": matrix.data,
        }
    )
    merged = want.merge(got, on=["doc_id", "term"], how="outer", suffixes=("_sk", ""))
    assert len(merged) == len(want) == len(got) > 3000
    assert (merged["tfidf"].to_numpy() == merged["tfidf_sk"].to_numpy()).all()


@pytest.mark.parametrize("n", [1, 3, 15])
def test_tfidf_top_n_are_the_first_rows_of_the_whole_ranking(n):
    # few words, many repeats: equal weights within a document, ties at the cut-off
    rng = np.random.default_rng(5)
    vocabulary = [f"w{i}" for i in range(12)]
    docs = {
        f"doc{d:02d}": [list(rng.choice(vocabulary, size=rng.integers(1, 30)))] for d in range(40)
    }
    summary = terms.document_terms(token_table(docs))
    everything = terms.tfidf_terms(summary, n=10_000)
    want = everything[everything["rank"] <= n].reset_index(drop=True)
    got = terms.tfidf_terms(summary, n=n)
    pd.testing.assert_frame_equal(got, want)
    tied = everything.groupby(["doc_id", "tfidf"]).size()
    assert (tied > 1).sum() > 10
