"""The term summaries of many documents gathered into one corpus table.

:func:`analysis.run.pipeline.analyze_documents` adds each document's term counts
(:func:`analysis.text.terms.document_terms`) as they arrive, and the stored table
of a re-run at once; :meth:`TermTable.table` gives them as one table in document
order, with categorical doc_id and term columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.text import terms


class TermTable:
    """Term summaries of many documents gathered into one table with categorical columns.

    Terms are numbered as they arrive, so each is held once however many
    documents use it; at the end, rows are put in document order and the
    terms (the categories) in alphabetical order.

    A first table whose terms are categorical with sorted categories (the stored
    table of a re-run, which this class wrote) keeps its codes: its vocabulary
    becomes the first numbers as it is, and later terms are looked up in it by
    binary search. At the end only the new terms are sorted and merged in. On ten
    copies of PolNeAR train after one added article, numbering and sorting its
    237k terms again took 0.4 s.
    """

    def __init__(self, doc_ids: Sequence[str]) -> None:
        self.doc_ids = list(doc_ids)
        self.position = {d: i for i, d in enumerate(self.doc_ids)}
        #: terms numbered 0 .. len(base) - 1, in alphabetical order (a sorted first table)
        self.base = np.zeros(0, dtype=object)
        #: other terms, numbered from len(base) in order of arrival
        self.index: dict[str, int] = {}
        self.parts: list[tuple[np.ndarray, ...]] = []

    def _number(self, words: np.ndarray) -> np.ndarray:
        numbers = np.empty(len(words), dtype=np.int32)
        where = np.searchsorted(self.base, words)
        known = where < len(self.base)
        known[known] = self.base[where[known]] == words[known]
        numbers[known] = where[known]
        index, offset = self.index, len(self.base)
        numbers[~known] = np.fromiter(
            (offset + index.setdefault(t, len(index)) for t in words[~known]),
            dtype=np.int32,
            count=int(np.count_nonzero(~known)),
        )
        return numbers

    def add(self, table: pd.DataFrame) -> None:
        """Add the rows of *table* (plain or categorical doc_id and term columns)."""
        term_code, term_values = terms.term_codes(table["term"])
        if not self.parts and _sorted_categories(table["term"]):
            self.base, numbers = term_values, np.arange(len(term_values), dtype=np.int32)
        else:
            used = terms.used_codes(term_code, len(term_values))
            numbers = np.zeros(len(term_values), dtype=np.int32)
            numbers[used] = self._number(term_values[used])
        self.parts.append(
            (
                document_positions(table["doc_id"], self.position, missing=-1).astype(np.int32),
                numbers[term_code],
                table["ngram"].to_numpy(dtype=np.int8),
                table["n"].to_numpy(dtype=np.int64),
            )
        )

    def _vocabulary(self, term: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The terms used by *term* (numbers), sorted, and each number's place among them."""
        base, new = self.base, np.array(list(self.index), dtype=object)
        alphabetical = np.argsort(new, kind="stable")
        # the base is sorted and holds none of the new terms: merge the two
        slots = np.searchsorted(base, new[alphabetical])
        before = np.cumsum(np.bincount(slots, minlength=len(base) + 1))[: len(base)]
        place = np.empty(len(base) + len(new), dtype=np.int64)
        place[: len(base)] = np.arange(len(base)) + before
        place[len(base) + alphabetical] = slots + np.arange(len(new))
        words = np.empty(len(place), dtype=object)
        words[place] = np.concatenate([base, new])
        # the terms of rows no longer there (an article removed) are left out
        used = np.bincount(place[term], minlength=len(words)) > 0
        if not used.all():
            place = (np.cumsum(used) - 1)[place]
            words = words[used]
        return words, place.astype(np.int32)

    def table(self) -> pd.DataFrame:
        """Every row added, documents in order, each document's rows in their order."""
        doc, term, ngram, n = (
            np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0, dtype=t)
            for i, t in enumerate((np.int32, np.int32, np.int8, np.int64))
        )
        # cached documents come in order, new ones after them: often nothing to sort
        order = stable_order(doc)
        # sorted, so that the table does not depend on which documents came from the cache
        words, place = self._vocabulary(term)
        return pd.DataFrame(
            {
                "doc_id": pd.Categorical.from_codes(
                    doc[order], categories=pd.Index(self.doc_ids, dtype=object)
                ),
                "term": pd.Categorical.from_codes(
                    place[term][order], categories=pd.Index(words, dtype=object)
                ),
                "ngram": ngram[order],
                "n": n[order],
            },
            copy=False,  # the columns are new arrays; pandas would copy them again
        )


def _sorted_categories(column: pd.Series) -> bool:
    """Whether *column* is categorical with text categories in increasing order."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return False
    categories = column.cat.categories
    return pd.api.types.is_string_dtype(categories.dtype) and categories.is_monotonic_increasing


def stable_order(keys: np.ndarray) -> np.ndarray | slice:
    """``np.argsort(keys, kind="stable")``, sorted run by run; ``slice(None)`` if in order.

    A table's rows come in runs of one document, so the runs of equal keys are
    sorted (stably) and expanded rather than the rows: the same order. On the term
    table of ten copies of PolNeAR train after one added article (7.7M rows, 8,391
    runs) sorting the rows took 0.3-0.6 s.
    """
    keys = np.asarray(keys)
    if len(keys) < 2 or not np.any(keys[1:] < keys[:-1]):
        return slice(None)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    runs = np.argsort(keys[starts], kind="stable")
    first, sizes = starts[runs], sizes[runs]
    # a row's place: its run's first row, plus how far into the run it is
    ahead = np.cumsum(sizes) - sizes
    return np.repeat(first - ahead, sizes) + np.arange(len(keys))


#: At most this many contiguous pieces are joined by :func:`take_rows`; more are taken.
MAX_PIECES = 256


def take_rows(table: pd.DataFrame, order: np.ndarray | slice) -> pd.DataFrame:
    """``table.iloc[order]``, joined from slices when *order* is a few contiguous runs.

    After an article is added, a table's rows are the stored ones in order with
    the new article's rows to be put in between: :func:`stable_order` then gives a
    permutation of two or three runs. Taking the rows one by one copied every column,
    Arrow text included (0.25 s over the cached tables of ten copies of PolNeAR train);
    slices are views, and joining them copies only the numeric columns. The rows,
    their order and the columns' types are the same either way.
    """
    if isinstance(order, slice):
        return table.iloc[order]
    order = np.asarray(order)
    starts = np.flatnonzero(np.diff(order, prepend=order[:1] - 2) != 1)
    if len(starts) > MAX_PIECES:
        return table.iloc[order]
    ends = np.append(starts[1:], len(order))
    pieces = [table.iloc[order[a] : order[a] + (b - a)] for a, b in zip(starts, ends, strict=True)]
    return pd.concat(pieces) if len(pieces) > 1 else pieces[0]


def document_positions(doc_ids: pd.Series, position: dict[str, int], *, missing: int) -> np.ndarray:
    """Each row's document position in *position* (*missing* where it has none).

    Each distinct doc_id is looked up once: a table has many rows per document.
    """
    codes, values = terms.term_codes(doc_ids)
    return np.array([position.get(d, missing) for d in values], dtype=np.int64)[codes]
