"""Term counts per document, and the corpus term tables reduced from them.

:func:`document_terms` turns a token table into a small summary: each
document's unigram and bigram counts. Every corpus term table is a reduce over
these summaries, so the corpus-wide token table is never needed in memory:
:func:`top_terms` (frequent content terms per group), :func:`tfidf_terms`
(distinctive terms per document) and keyness
(:func:`analysis.stats.keyness.keyness_from_terms`).

A term summary has one row per (document, term): ``doc_id``, ``term``,
``ngram`` and ``n``. Each document's unigram rows come first, one per distinct
``norm`` of its tokens (punctuation too, with ``n = 0``: ``n`` counts word
tokens only), then its bigram rows; both in the order the terms first occur in
the document. That order is what lets a reduce find the order in which terms
first occur in the corpus, which the floating-point sums of keyness and TF-IDF
follow. ``doc_id`` and ``term`` may be categorical (the pipeline keeps them so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text.columns import columns_frame
from analysis.text.tokens import STOP_WORDS

#: Tokens that neither count as a unigram row nor break a bigram.
QUOTES = frozenset({'"', "'"})
#: Columns of a term summary (:func:`document_terms`).
TERM_COLUMNS = ["doc_id", "term", "ngram", "n"]
_NUMBER = r"[0-9.,:%]+"


def document_terms(tokens: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Unigram and bigram counts of each document of a token table.

    Parameters
    ----------
    tokens : token table(s) of :func:`analysis.text.tokens.tokenize_document`
        (doc_id, sentence_id, norm, is_word), each document's rows contiguous
        and in reading order; or the same as an Arrow table
        (:func:`analysis.text.tokens.split_document`)

    Returns
    -------
    DataFrame
        :data:`TERM_COLUMNS`, as the module docstring describes. A bigram
        joins two word tokens adjacent in one sentence, a quotation mark
        between them not breaking the pair (:data:`QUOTES`); its term is the
        two norms joined by a space.
    """
    return columns_frame([term_columns(tokens)], TERM_COLUMNS)


def term_columns(tokens: pd.DataFrame | pa.Table) -> dict[str, object]:
    """:func:`document_terms` as columns (:func:`analysis.text.columns.columns_frame`).

    The counting is vectorised: each distinct norm and joined pair gets a code from
    Arrow's dictionary encoding (in order of first occurrence), and each (document,
    code) pair is counted once with numpy.
    """
    if not isinstance(tokens, pa.Table):
        tokens = pa.Table.from_pandas(
            tokens[["doc_id", "sentence_id", "norm", "is_word"]], preserve_index=False
        )
    kept = pc.invert(pc.is_in(tokens.column("norm"), value_set=pa.array(sorted(QUOTES))))
    tokens = tokens.filter(kept)
    doc_ids, doc = _codes(tokens.column("doc_id"))
    norm = tokens.column("norm").combine_chunks().cast(pa.large_string())
    words, word_code = _codes(norm)
    word = tokens.column("is_word").to_numpy()
    sentence = tokens.column("sentence_id").to_numpy()
    pair = np.flatnonzero(
        word[:-1] & word[1:] & (doc[:-1] == doc[1:]) & (sentence[:-1] == sentence[1:])
    )
    space = pa.scalar(" ", pa.large_string())
    joined = pc.binary_join_element_wise(norm.take(pair), norm.take(pair + 1), space)
    pairs, pair_code = _codes(joined)
    # each (document, term) once, in the order it first occurs
    uni_doc, uni_term, uni_n = _first_counts(doc, word_code, len(words), word)
    bi_doc, bi_term, bi_n = _first_counts(doc[pair], pair_code, len(pairs), None)
    row_doc = np.concatenate([uni_doc, bi_doc])
    ngram = np.repeat(np.array([1, 2], dtype=np.int8), [len(uni_doc), len(bi_doc)])
    order = np.argsort(row_doc * 2 + ngram, kind="stable")
    return {
        "doc_id": doc_ids.take(row_doc[order]),
        "term": pa.concat_arrays([words.take(uni_term), pairs.take(bi_term)]).take(order),
        "ngram": ngram[order],
        "n": np.concatenate([uni_n, bi_n])[order],
    }


def _codes(values: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The distinct strings of *values* in order of first occurrence, and each value's index."""
    encoded = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    encoded = encoded.cast(pa.large_string()).dictionary_encode()
    return encoded.dictionary, encoded.indices.to_numpy().astype(np.int64)


def _first_counts(
    doc: np.ndarray, code: np.ndarray, n_codes: int, counted: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct (doc, code) pair in order of first occurrence, and its count.

    The count is of the rows where *counted* is true (all rows when None).
    """
    width = max(n_codes, 1)
    key = doc.astype(np.int64) * width + code
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    counts = np.bincount(inverse, weights=counted, minlength=len(distinct))
    order = np.argsort(first, kind="stable")
    distinct = distinct[order]
    return distinct // width, distinct % width, counts[order].astype(np.int64)


def as_term_summary(table: pd.DataFrame) -> pd.DataFrame:
    """A term summary as is, or the one of a token table (which has ``norm``)."""
    return document_terms(table) if "norm" in table.columns else table


def term_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the values they index, of a plain or categorical column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), np.asarray(column.cat.categories, dtype=object)
    codes, values = pd.factorize(column)
    return codes, np.asarray(values, dtype=object)


def used_codes(codes: np.ndarray, n_values: int) -> np.ndarray:
    """The distinct codes in *codes* (each in ``0 .. n_values - 1``), sorted.

    ``np.unique`` gives the same, but sorts every row: 0.5 s on the 7.8 million rows
    of ten copies of PolNeAR, where counting them takes 0.04 s.
    """
    return np.flatnonzero(np.bincount(codes, minlength=n_values))


def is_content(terms) -> np.ndarray:
    """Which unigram norms carry content: not stop words, numbers, or single characters."""
    norms = pd.Series(np.asarray(terms, dtype=object), dtype=object)
    number = norms.str.fullmatch(_NUMBER).fillna(False).to_numpy(dtype=bool)
    stop = norms.isin(STOP_WORDS).to_numpy()
    return ~stop & ~number & (norms.str.len() > 1).to_numpy()


def _content_rows(codes: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """*rows* (a mask of unigram rows) narrowed to content terms (:func:`is_content`).

    Only the terms of those rows are tested, not the whole vocabulary, most of
    which is bigrams.
    """
    used = used_codes(codes[rows], len(values))
    content = np.zeros(len(values), dtype=bool)
    content[used] = is_content(values[used])
    return rows & content[codes]


def word_counts(terms: pd.DataFrame) -> pd.Series:
    """Word tokens per document (the sum of its unigram counts), for documents that have any.

    Indexed by doc_id, sorted.
    """
    terms = as_term_summary(terms)
    doc, doc_ids = term_codes(terms["doc_id"])
    unigram = terms["ngram"].to_numpy() == 1
    # the unigram rows only: a weight for every row, bigrams at 0, meant three arrays as
    # long as the table (ten copies of PolNeAR train, 7.7M rows: about 180 MB at once
    # and 0.12 s, against 0.04 s)
    weights = terms["n"].to_numpy()[unigram]
    totals = np.bincount(doc[unigram], weights=weights, minlength=len(doc_ids)).astype(np.int64)
    out = pd.Series(totals, index=pd.Index(doc_ids, dtype=object, name="doc_id"))
    return out[out > 0].sort_index()


def top_terms(
    terms: pd.DataFrame,
    docs: pd.DataFrame | None = None,
    *,
    by: str = "phase",
    n: int = 30,
    words: pd.Series | None = None,
) -> pd.DataFrame:
    """The *n* most frequent content terms per group.

    Parameters
    ----------
    terms : term summary (:func:`document_terms`), or a token table
    docs : documents table with doc_id and the grouping column *by* (not needed
        when *by* is ``doc_id``)
    by : grouping column, e.g. ``phase`` or ``doc_id``
    words : :func:`word_counts` of *terms*, when the caller has it already (the
        report builds two of these tables and the documents table from one count)

    Returns
    -------
    DataFrame
        *by*, rank, term, count, n_tokens (word tokens in the group),
        rate_per_1k. Ties are broken alphabetically.
    """
    terms = as_term_summary(terms)
    words = word_counts(terms) if words is None else words
    doc, doc_ids = term_codes(terms["doc_id"])
    codes, values = term_codes(terms["term"])
    if by == "doc_id":
        doc_group = pd.Series(doc_ids, index=doc_ids, dtype=object)
    else:
        doc_group = docs.drop_duplicates("doc_id").set_index("doc_id")[by].reindex(doc_ids)
    group_code, groups = pd.factorize(doc_group.to_numpy(dtype=object))
    groups = np.asarray(groups, dtype=object)
    totals = words.groupby(doc_group.reindex(words.index).to_numpy(), sort=True).sum()
    # integer codes throughout: a corpus has millions of (document, term) rows
    n_all = terms["n"].to_numpy()
    rows = _content_rows(codes, values, (terms["ngram"].to_numpy() == 1) & (n_all > 0))
    rows &= group_code[doc] >= 0
    key, count = _key_sums(group_code[doc[rows]], codes[rows], n_all[rows], len(values))
    g, t = np.divmod(key, len(values))
    # by group, count descending, then term: the order of sorting the strings
    order = np.lexsort((_used_ranks(t, values)[t], -count, _ranks(groups)[g]))
    g, t, count = g[order], t[order], count[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)])) + 1
    top = rank <= n
    out = pd.DataFrame(
        {by: groups[g[top]], "rank": rank[top], "term": values[t[top]], "count": count[top]}
    )
    out["n_tokens"] = out[by].map(totals).astype(int)
    out["rate_per_1k"] = 1000 * out["count"] / out["n_tokens"]
    return out


def _key_sums(
    group: np.ndarray, term: np.ndarray, n: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each (group, term) pair's key ``group * n_terms + term``, ascending, and its sum of *n*.

    *n* holds positive integers. With few groups (the phases) the sums are counted in one
    bin per possible pair, exactly (float sums of integers below 2**53); sorting the keys
    of the 3 million content rows of ten copies of PolNeAR train took 0.3 s. With many
    groups (the documents of a chunk) the bins would outnumber the rows, and runs of
    equal keys are summed once sorted.
    """
    key = group.astype(np.int64) * n_terms + term
    bins = (int(group.max()) + 1 if len(group) else 0) * n_terms
    if bins <= max(4 * len(key), 1 << 20):
        sums = np.bincount(key, weights=n, minlength=bins)
        present = np.flatnonzero(sums)
        return present, sums[present].astype(np.int64)
    by_key = np.argsort(key, kind="stable")
    key = key[by_key]
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    return key[starts], np.add.reduceat(n[by_key].astype(np.int64), starts)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's position in sorted order."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def _used_ranks(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each value's position in sorted order among the values *codes* use (0 for the others).

    Sorting only them, not a vocabulary that is mostly bigrams, for breaking ties.
    """
    used = used_codes(codes, len(values))
    ranks = np.zeros(len(values), dtype=np.int64)
    ranks[used] = _ranks(values[used])
    return ranks


def tfidf_terms(terms: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The *n* terms with the highest TF-IDF weight in each document.

    The weights are scikit-learn's ``TfidfVectorizer`` defaults on the content
    unigrams of each document (documents sorted by doc_id), computed from the
    counts with the same floating-point operations in the same order, so the
    values are the very floats it gives (a test checks): smoothed idf
    ``ln((1 + n_docs) / (1 + df)) + 1``, weight ``count × idf``, each
    document's weights divided by their Euclidean norm, the squares summed in
    the order the terms first occur in the corpus. With only two documents,
    idf can take just two values, so the ranking mostly separates terms found
    in one document from terms found in both; it grows more useful as articles
    are added.

    Every step works on integer codes of doc_id and term, and only the rows
    kept are given their strings: a corpus has millions of content rows, and
    tables of them with text columns cost far more memory than the codes.

    Returns
    -------
    DataFrame
        doc_id, rank, term, tfidf, count. Ties are broken alphabetically.
    """
    terms = as_term_summary(terms)
    doc, doc_ids = term_codes(terms["doc_id"])
    codes, values = term_codes(terms["term"])
    count = terms["n"].to_numpy(dtype=np.int64)
    rows = _content_rows(codes, values, (terms["ngram"].to_numpy() == 1) & (count > 0))
    if not rows.any():
        return pd.DataFrame(columns=["doc_id", "rank", "term", "tfidf", "count"])
    doc, codes, count = doc[rows], codes[rows], count[rows]
    # documents in doc_id order, each one's terms in order of first occurrence
    doc_order = _ranks(doc_ids)[doc]
    by_doc = np.argsort(doc_order, kind="stable")
    first_seen = pd.unique(codes[by_doc])
    rank = np.empty(codes.max() + 1, dtype=np.int64)
    rank[first_seen] = np.arange(len(first_seen))
    # one key per row, as (doc_order, rank) would sort: a stable sort of one integer
    # takes 0.06 s on the 2.1M content rows of ten copies of PolNeAR, np.lexsort 0.24 s
    order = np.argsort(doc_order * len(first_seen) + rank[codes], kind="stable")
    doc, codes, count = doc[order], codes[order], count[order]
    position = np.cumsum(np.r_[True, doc[1:] != doc[:-1]]) - 1  # 0, 1, ... by document
    n_docs = int(position[-1]) + 1
    df = np.bincount(codes, minlength=len(rank)).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    weights = count.astype(np.float64)
    weights *= idf[codes]
    bounds = np.flatnonzero(np.diff(position, prepend=-1, append=n_docs))
    floor = np.full(n_docs, -np.inf)  # each document's n-th largest weight
    for i, (start, end) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        row = weights[start:end]
        total = np.cumsum(row * row)[-1]
        if total != 0.0:
            row /= np.sqrt(total)
        if end - start > n:
            floor[i] = np.partition(row, end - start - n)[end - start - n]
    # only a row at or above its document's floor can rank among the n first, so only
    # those are sorted: a tenth of the rows on ten copies of PolNeAR, 0.02 s, not 0.4 s
    kept = np.flatnonzero(weights >= floor[position])
    # by document, weight descending, then term: the order of sorting the strings
    term_rank = _used_ranks(codes, values)
    order = kept[np.lexsort((term_rank[codes[kept]], -weights[kept], position[kept]))]
    starts = np.flatnonzero(np.r_[True, position[order][1:] != position[order][:-1]])
    ranks = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)])) + 1
    top = order[ranks <= n]
    return pd.DataFrame(
        {
            "doc_id": np.asarray(doc_ids, dtype=object)[doc[top]],
            "rank": ranks[ranks <= n],
            "term": values[codes[top]],
            "tfidf": weights[top],
            "count": count[top],
        }
    )
