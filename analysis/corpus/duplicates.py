"""Exact and near-duplicate articles: the same story saved twice, or syndicated.

Two articles are

``exact`` duplicates
    when their texts are equal after :func:`analysis.corpus.normalize.normalize`
    (curly quotes, exotic spaces) and collapsing every run of whitespace to one
    space: the same key as the duplicate check of :func:`analysis.corpus.loader.load_corpus`.
``near`` duplicates
    when the Jaccard similarity of their sets of word 5-shingles (five
    consecutive words, lower-cased, punctuation ignored) is at least a
    threshold, 0.8 by default: a syndicated copy with another headline or a
    boilerplate line added scores about 0.9 for a 300-word article. A pair that
    is an exact duplicate is reported once, as ``exact``.

Texts of fewer than five words have no shingle and are compared by exact key
only. Shingles are hashed into 2**30 buckets (scikit-learn's
``HashingVectorizer``), so two different shingles share a bucket with
probability about 1e-9: negligible for similarities.

All pairs are found without comparing every pair (an O(n^2) loop would take
hours on 10,000 articles). The search uses the prefix filter of Chaudhuri,
Ganti & Kaushik (ICDE 2006) and Bayardo, Ma & Srikant (WWW 2007), which is
exact, not approximate: order shingles from rarest to most common; two sets
with Jaccard >= t share at least one shingle among the first
``|x| - ceil(t |x|) + 1`` of each. Candidate pairs are the non-zero entries of
the sparse product of these prefix matrices, and each candidate's exact
Jaccard is then computed from the full shingle matrix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.corpus.normalize import normalize

if TYPE_CHECKING:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

SHINGLE_WORDS = 5
N_BUCKETS = 2**30
DUPLICATE_COLUMNS = ["doc_a", "doc_b", "kind", "similarity"]
#: Candidate pairs verified per batch, bounding memory on large clusters of copies.
_VERIFY_BATCH = 10_000


@cache
def _vectorizer() -> HashingVectorizer:
    """The shingle hasher; scikit-learn (about 1 s to import) is imported on first use."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_BUCKETS,
        token_pattern=r"(?u)\w+",
        ngram_range=(SHINGLE_WORDS, SHINGLE_WORDS),
        lowercase=True,
        binary=True,
        norm=None,
        alternate_sign=False,
        dtype=np.float32,
    )


def text_key(text: str) -> str:
    """sha256 of the quote/space-normalised, whitespace-collapsed text (the exact key)."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode("utf-8")).hexdigest()


def shingle_matrix(texts: list[str]) -> sp.csr_matrix:
    """Binary document x shingle matrix, columns ordered from rarest to most common.

    Columns are the shingles present, numbered by increasing document
    frequency (ties by hash bucket), which is the global order the prefix
    filter needs; rows hold sorted indices, so a row's first entries are its
    rarest shingles. Values are 0/1 ``int32``.
    """
    import scipy.sparse as sp

    hashed = _vectorizer().transform(texts).tocsr()
    buckets, inverse, df = np.unique(hashed.indices, return_inverse=True, return_counts=True)
    rank = np.empty(len(buckets), dtype=np.int32)
    rank[np.argsort(df, kind="stable")] = np.arange(len(buckets), dtype=np.int32)
    x = sp.csr_matrix(
        (np.ones(len(inverse), dtype=np.int32), rank[inverse], hashed.indptr),
        shape=(len(texts), len(buckets)),
    )
    x.sort_indices()
    return x


def _prefix_matrix(x: sp.csr_matrix, threshold: float) -> sp.csr_matrix:
    """Keep each row's ``|x| - ceil(t |x|) + 1`` first (rarest) shingles."""
    import scipy.sparse as sp

    sizes = np.diff(x.indptr)
    rows = np.repeat(np.arange(x.shape[0]), sizes)
    position = np.arange(x.nnz) - x.indptr[rows]
    prefix = sizes - np.ceil(threshold * sizes - 1e-9).astype(np.int64) + 1
    keep = position < prefix[rows]
    return sp.csr_matrix(
        (x.data[keep], x.indices[keep], np.r_[0, np.cumsum(np.minimum(sizes, prefix))]),
        shape=x.shape,
    )


def _near_pairs(x: sp.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row pairs ``i < j`` with shingle Jaccard >= *threshold*, and their similarity."""
    import scipy.sparse as sp

    prefix = _prefix_matrix(x, threshold)
    candidates = sp.triu(prefix @ prefix.T, k=1).tocoo()
    a, b = candidates.row.astype(np.int64), candidates.col.astype(np.int64)
    sizes = np.diff(x.indptr)
    small, large = np.minimum(sizes[a], sizes[b]), np.maximum(sizes[a], sizes[b])
    fits = small >= threshold * large - 1e-9
    a, b = a[fits], b[fits]
    inter = np.empty(len(a), dtype=np.int64)
    for s in range(0, len(a), _VERIFY_BATCH):
        ia, ib = a[s : s + _VERIFY_BATCH], b[s : s + _VERIFY_BATCH]
        inter[s : s + _VERIFY_BATCH] = np.asarray(x[ia].multiply(x[ib]).sum(axis=1)).ravel()
    sim = inter / (sizes[a] + sizes[b] - inter)
    hit = sim >= threshold - 1e-12
    return a[hit], b[hit], sim[hit]


def find_duplicates(texts: Mapping[str, str], *, threshold: float = 0.8) -> pd.DataFrame:
    """Every pair of exact or near-duplicate texts.

    Parameters
    ----------
    texts : ``{doc_id: text}``
    threshold : smallest word-5-shingle Jaccard similarity reported as ``near``,
        in (0, 1]

    Returns
    -------
    DataFrame
        doc_a, doc_b (``doc_a`` comes first in *texts*), kind (``exact`` or
        ``near``), similarity (1.0 for exact pairs; the Jaccard similarity for
        near ones, which is 1.0 when texts differ only in case or punctuation).
        Sorted by doc_a, doc_b in the order of *texts*.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ids = list(texts)
    values = [texts[i] for i in ids]
    keys = [text_key(t) for t in values]
    group = pd.Series(keys).factorize()[0] if ids else np.array([], dtype=np.int64)
    a_parts = [np.array([], dtype=np.int64)]
    b_parts = [np.array([], dtype=np.int64)]
    for members in pd.Series(np.arange(len(ids))).groupby(group).indices.values():
        if len(members) > 1:
            ia, ib = np.triu_indices(len(members), k=1)
            a_parts.append(members[ia])
            b_parts.append(members[ib])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    kind = np.full(len(a), "exact", dtype=object)
    sim = np.ones(len(a))
    if ids:
        na, nb, nsim = _near_pairs(shingle_matrix(values), threshold)
        near = group[na] != group[nb]
        a, b = np.r_[a, na[near]], np.r_[b, nb[near]]
        kind = np.r_[kind, np.full(near.sum(), "near", dtype=object)]
        sim = np.r_[sim, nsim[near]]
    order = np.lexsort((b, a))
    return pd.DataFrame(
        {
            "doc_a": [ids[i] for i in a[order]],
            "doc_b": [ids[i] for i in b[order]],
            "kind": list(kind[order]),
            "similarity": sim[order].astype(np.float64),
        },
        columns=DUPLICATE_COLUMNS,
    )
