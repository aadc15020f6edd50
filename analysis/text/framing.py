"""Framing-term hits, their counts and rates, and keyword-in-context lines.

A hit is one match of one lexicon entry in a counted paragraph (title,
heading, body or caption) that stays inside one sentence. Rates are per 1,000
word tokens of the same counted paragraphs, so headings count both in hits and
in the denominator. Each hit keeps its ``paragraph_type``, so heading hits can
be told apart or filtered out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from analysis.text.lexicon import Lexicon, term_regex
from analysis.types import COUNTED_TYPES, Document

HIT_COLUMNS = [
    "doc_id",
    "phase",
    "frame",
    "term",
    "match",
    "start",
    "end",
    "paragraph_id",
    "paragraph_type",
    "sentence_id",
    "position",
]


@cache
def _first_stem(term: str) -> str:
    """The lower-cased first word of *term* without its ``*``: every match contains it."""
    return re.split(r"[\s\-]+", term.strip())[0].rstrip("*").lower()


def find_hits(doc: Document, sentences: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """Every lexicon hit in one document.

    Parameters
    ----------
    doc : the document
    sentences : its sentence table from :func:`analysis.text.tokens.tokenize_document`
    lexicon : the framing lexicon

    Returns
    -------
    DataFrame
        doc_id, phase, frame, term (the entry as written in the lexicon), match
        (the text matched), start, end (offsets into the file text),
        paragraph_id, paragraph_type, sentence_id, position (0 to 1: where in
        the article's counted text the hit starts).
    """
    return hits_frame(hit_rows(doc, sentences, lexicon))


def hits_frame(rows: list[tuple]) -> pd.DataFrame:
    """:func:`hit_rows` of any number of documents as one table (:func:`find_hits`)."""
    return pd.DataFrame(rows, columns=HIT_COLUMNS) if rows else pd.DataFrame(columns=HIT_COLUMNS)


def hit_rows(
    doc: Document, sentences: pd.DataFrame | Mapping[str, np.ndarray], lexicon: Lexicon
) -> list[tuple]:
    """The rows of :func:`find_hits` as tuples in :data:`HIT_COLUMNS` order, sorted.

    *sentences* is the sentence table or its columns as numpy arrays
    (:func:`analysis.text.tokens.split_document`).
    """
    counted = [(i, p) for i, p in enumerate(doc.paragraphs) if p.kind in COUNTED_TYPES]
    sent_starts = sentences["start"].tolist()
    if not counted or not sent_starts:
        return []
    para_starts = [p.start for _, p in counted]
    sent_ends = sentences["end"].tolist()
    sent_ids = sentences["sentence_id"].tolist()
    first, span = doc.counted_extent()
    last = counted[-1][1].end
    lowered = doc.text.lower()
    rows = []
    for frame, term in zip(
        lexicon.entries["frame"].tolist(), lexicon.entries["term"].tolist(), strict=True
    ):
        if _first_stem(term) not in lowered:
            continue
        for m in term_regex(term).finditer(doc.text, first, last):
            start, end = m.span()
            p = bisect_right(para_starts, start) - 1
            s = bisect_right(sent_starts, start) - 1
            if p < 0 or s < 0 or end > counted[p][1].end or end > sent_ends[s]:
                continue
            pid, para = counted[p]
            rows.append(
                (
                    doc.doc_id,
                    doc.phase,
                    frame,
                    term,
                    m.group(),
                    start,
                    end,
                    pid,
                    para.kind,
                    sent_ids[s],
                    (start - first) / span,
                )
            )
    rows.sort(key=lambda r: (r[5], r[2], r[3]))
    return rows


def term_counts(
    hits: pd.DataFrame, docs: pd.DataFrame, n_tokens: pd.Series, lexicon: Lexicon
) -> pd.DataFrame:
    """One row per (document, lexicon entry), zeros included.

    Parameters
    ----------
    hits : :func:`find_hits` for all documents, concatenated
    docs : documents table with doc_id and phase
    n_tokens : word tokens per document (counted paragraphs), indexed by doc_id

    Returns
    -------
    DataFrame
        doc_id, phase, frame, term, count, count_heading (hits in headings),
        n_tokens, rate_per_1k.
    """
    entries = lexicon.entries[["frame", "term"]]
    n_docs, n_entries = len(docs), len(entries)
    # the hits counted in one array per (document, entry) pair, in the grid's order
    # (documents, each with every entry): merging a document x entry grid with the
    # grouped hits took 0.4 s on ten copies of PolNeAR train, in the main process. An
    # entry listed twice gets the counts of its first listing, as a merge gives it
    pair: dict[tuple, int] = {}
    first = np.array(
        [
            pair.setdefault(key, i)
            for i, key in enumerate(zip(entries["frame"], entries["term"], strict=True))
        ],
        dtype=np.int64,
    )
    entry = np.array(
        [pair.get(k, -1) for k in zip(hits["frame"], hits["term"], strict=True)], dtype=np.int64
    )
    doc = pd.Index(docs["doc_id"]).get_indexer(hits["doc_id"])
    kept = (doc >= 0) & (entry >= 0)
    cell = doc[kept].astype(np.int64) * n_entries + entry[kept]
    heading = hits["paragraph_type"].to_numpy()[kept] == "heading"
    cells = (np.arange(n_docs)[:, None] * n_entries + first[None, :]).ravel()
    size = n_docs * n_entries
    rows = np.repeat(np.arange(n_docs), n_entries)
    columns = np.tile(np.arange(n_entries), n_docs)
    tokens = docs["doc_id"].map(n_tokens).fillna(0).astype(int).to_numpy()
    # the text columns taken as they are typed (Arrow text stays Arrow), not as objects
    out = pd.DataFrame(
        {
            "doc_id": docs["doc_id"].array.take(rows),
            "phase": docs["phase"].array.take(rows),
            "frame": entries["frame"].array.take(columns),
            "term": entries["term"].array.take(columns),
            "count": np.bincount(cell, minlength=size)[cells].astype(int),
            "count_heading": np.bincount(cell[heading], minlength=size)[cells].astype(int),
            "n_tokens": tokens[rows],
        }
    )
    out["rate_per_1k"] = _rate(out["count"], out["n_tokens"])
    return out


def frame_counts(terms: pd.DataFrame) -> pd.DataFrame:
    """Sum :func:`term_counts` over each frame's entries: doc_id, phase, frame, count, ..."""
    out = (
        terms.groupby(["doc_id", "phase", "frame"], sort=False)
        .agg(
            count=("count", "sum"),
            count_heading=("count_heading", "sum"),
            n_tokens=("n_tokens", "first"),
        )
        .reset_index()
    )
    out["rate_per_1k"] = _rate(out["count"], out["n_tokens"])
    return out


def by_group(table: pd.DataFrame, keys: Sequence[str], *, group: str = "phase") -> pd.DataFrame:
    """Pool a per-document count table (:func:`term_counts` or :func:`frame_counts`) by *group*.

    Counts and tokens are summed over the group's documents, so the rate is the
    pooled rate (total hits per 1,000 total tokens), not a mean of rates.

    Returns
    -------
    DataFrame
        group, *keys, n_docs, count, count_heading, n_tokens, rate_per_1k.
    """
    tokens = table.drop_duplicates("doc_id").groupby(group)["n_tokens"].sum()
    out = (
        table.groupby([group, *keys], sort=False)
        .agg(
            n_docs=("doc_id", "nunique"),
            count=("count", "sum"),
            count_heading=("count_heading", "sum"),
        )
        .reset_index()
    )
    out["n_tokens"] = out[group].map(tokens).astype(int)
    out["rate_per_1k"] = _rate(out["count"], out["n_tokens"])
    return out


def _cut(text: str, start: int, end: int, *, side: str) -> str:
    """``text[start:end]`` with whitespace collapsed, less a word cut at its *side* edge."""
    words = text[start:end].split()
    if side == "left" and words and start > 0 and not text[start - 1].isspace():
        words = words[1:] if not text[start].isspace() else words
    if side == "right" and words and end < len(text) and not text[end].isspace():
        words = words[:-1] if not text[end - 1].isspace() else words
    return " ".join(words)


#: Columns of :func:`kwic`.
KWIC_COLUMNS = [
    "doc_id",
    "phase",
    "frame",
    "term",
    "paragraph_type",
    "left",
    "match",
    "right",
    "start",
    "end",
    "position",
]


def kwic(hits: pd.DataFrame, docs: Iterable[Document], *, width: int = 60) -> pd.DataFrame:
    """Keyword-in-context lines for every hit, context taken from the hit's paragraph.

    Returns
    -------
    DataFrame
        doc_id, phase, frame, term, paragraph_type, left, match, right, start,
        end, position. Context stops at the paragraph's edges and at most *width*
        characters from the hit, and never cuts a word in two; whitespace in it
        is collapsed to single spaces.
    """
    return kwic_frame(kwic_rows(hits, docs, width=width))


def kwic_rows(
    hits: pd.DataFrame | Iterable[tuple], docs: Iterable[Document], *, width: int = 60
) -> list[tuple]:
    """The rows of :func:`kwic` as tuples (for one document's hits, say).

    *hits* is a hit table, or rows of one in :data:`HIT_COLUMNS` order (:func:`hit_rows`).
    """
    by_id = {d.doc_id: d for d in docs}
    if isinstance(hits, pd.DataFrame):
        hits = hits[HIT_COLUMNS].itertuples(index=False, name=None)
    rows = []
    for doc_id, phase, frame, term, match, start, end, pid, kind, _, position in hits:
        doc = by_id[doc_id]
        para = doc.paragraphs[pid]
        left = _cut(doc.text, max(para.start, start - width), start, side="left")
        right = _cut(doc.text, end, min(para.end, end + width), side="right")
        rows.append((doc_id, phase, frame, term, kind, left, match, right, start, end, position))
    return rows


def kwic_frame(rows: list[tuple]) -> pd.DataFrame:
    """:func:`kwic_rows` of any number of documents as one table."""
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def _rate(count: pd.Series, n_tokens: pd.Series) -> pd.Series:
    return (1000 * count / n_tokens.where(n_tokens > 0)).fillna(0.0)


def lexicon_frames(terms: pd.Series, lexicon: Lexicon) -> pd.Series:
    """For each term (e.g. a keyness term), the frame of the first lexicon entry matching it whole.

    Returns a Series aligned with *terms*: the frame name, or ``""``. Each
    entry is tried only on terms starting with its first word's stem, so a
    corpus vocabulary of hundreds of thousands of terms stays quick.
    """
    frames = np.full(len(terms), "", dtype=object)
    unmatched = np.ones(len(terms), dtype=bool)
    lowered = terms.astype(str).str.lower()
    values = lowered.to_numpy(dtype=object)
    for frame, term in zip(
        lexicon.entries["frame"].tolist(), lexicon.entries["term"].tolist(), strict=True
    ):
        starts = lowered.str.startswith(_first_stem(term)).to_numpy(dtype=bool)
        candidates = np.flatnonzero(starts & unmatched)
        if not candidates.size:
            continue
        pattern = term_regex(term)
        hits = candidates[[pattern.fullmatch(t) is not None for t in values[candidates]]]
        frames[hits] = frame
        unmatched[hits] = False
    return pd.Series(frames, index=terms.index, dtype=object)
