"""General term tables: frequent terms per group and TF-IDF distinctive terms per document."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer


def content_tokens(tokens: pd.DataFrame) -> pd.DataFrame:
    """Tokens that carry content: words with a letter, not stop words, longer than one character."""
    norm = tokens["norm"]
    number = norm.str.fullmatch(r"[0-9.,:%]+")
    keep = tokens["is_word"] & ~tokens["is_stop"] & ~number & (norm.str.len() > 1)
    return tokens[keep]


def top_terms(
    tokens: pd.DataFrame, docs: pd.DataFrame, *, by: str = "phase", n: int = 30
) -> pd.DataFrame:
    """The *n* most frequent content terms per group.

    Parameters
    ----------
    tokens : token table (doc_id, norm, is_word, is_stop)
    docs : documents table with doc_id and the grouping column *by*
    by : grouping column, e.g. ``phase`` or ``doc_id``

    Returns
    -------
    DataFrame
        *by*, rank, term, count, n_tokens (word tokens in the group),
        rate_per_1k. Ties are broken alphabetically.
    """
    words = tokens.loc[tokens["is_word"], ["doc_id", "norm", "is_word", "is_stop"]]
    if by != "doc_id":
        words = words.merge(docs[["doc_id", by]].drop_duplicates(), on="doc_id")
    totals = words.groupby(by).size()
    content = content_tokens(words)
    counts = content.groupby([by, "norm"]).size().rename("count").reset_index()
    counts = counts.sort_values([by, "count", "norm"], ascending=[True, False, True])
    counts["rank"] = counts.groupby(by).cumcount() + 1
    out = counts[counts["rank"] <= n].rename(columns={"norm": "term"})
    out["n_tokens"] = out[by].map(totals).astype(int)
    out["rate_per_1k"] = 1000 * out["count"] / out["n_tokens"]
    return out[[by, "rank", "term", "count", "n_tokens", "rate_per_1k"]].reset_index(drop=True)


def tfidf_terms(tokens: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The *n* terms with the highest TF-IDF weight in each document.

    Uses scikit-learn's ``TfidfVectorizer`` (smoothed idf, l2-normalised rows)
    on the content tokens of each document. With only two documents, idf can
    take just two values, so the ranking mostly separates terms found in one
    document from terms found in both; it grows more useful as articles are added.

    Returns
    -------
    DataFrame
        doc_id, rank, term, tfidf, count. Ties are broken alphabetically.
    """
    content = content_tokens(tokens[["doc_id", "norm", "is_word", "is_stop"]])
    grouped = content.groupby("doc_id", sort=True)["norm"].apply(list)
    if grouped.empty:
        return pd.DataFrame(columns=["doc_id", "rank", "term", "tfidf", "count"])
    vec = TfidfVectorizer(analyzer=lambda toks: toks)
    weights = vec.fit_transform(grouped.tolist()).tocoo()
    terms = vec.get_feature_names_out()
    df = pd.DataFrame(
        {
            "doc_id": grouped.index.to_numpy()[weights.row],
            "term": terms[weights.col],
            "tfidf": weights.data,
        }
    )
    tally = content.groupby(["doc_id", "norm"]).size()
    df["count"] = tally.reindex(pd.MultiIndex.from_arrays([df["doc_id"], df["term"]])).to_numpy()
    df = df.sort_values(["doc_id", "tfidf", "term"], ascending=[True, False, True])
    df["rank"] = df.groupby("doc_id").cumcount() + 1
    return (
        df[df["rank"] <= n][["doc_id", "rank", "term", "tfidf", "count"]]
        .reset_index(drop=True)
        .astype({"count": np.int64})
    )
