"""A loaded corpus as tables: one row per document (:func:`documents_table`) and one per
paragraph (:func:`paragraphs_table`), as the report writes them.

A paragraph's rows depend on its document alone, so the analysis makes them article by
article (:func:`paragraph_rows`) and gathers many articles' rows at once
(:func:`paragraphs_frame`); :func:`paragraphs_table` is the two together.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.loader import Corpus
from analysis.types import COUNTED_TYPES, Document


def documents_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document.

    Columns: doc_id, title, date, phase, outlet, url, author, section, tags,
    source_format, n_paragraphs, n_chars, sha256, file.
    """
    rows = [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "date": d.date,
            "phase": d.phase,
            "outlet": d.outlet,
            "url": d.url,
            "author": d.author,
            "section": d.section,
            "tags": "; ".join(d.tags),
            "source_format": d.source_format,
            "n_paragraphs": len(d.paragraphs),
            "n_chars": len(d.raw),
            "sha256": d.sha256,
            "file": d.path.name,
        }
        for d in corpus.documents
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "doc_id",
            "title",
            "date",
            "phase",
            "outlet",
            "url",
            "author",
            "section",
            "tags",
            "source_format",
            "n_paragraphs",
            "n_chars",
            "sha256",
            "file",
        ],
    )


#: Columns of :func:`paragraphs_table`.
PARAGRAPH_COLUMNS = ["doc_id", "paragraph_id", "paragraph_type", "counted", "start", "end", "text"]


def paragraphs_table(corpus: Corpus) -> pd.DataFrame:
    """One row per paragraph of every document: what the parser took each block to be.

    Columns: doc_id, paragraph_id, paragraph_type, counted (whether its words
    count in rates), start, end, text (normalised).
    """
    return paragraphs_frame([row for d in corpus.documents for row in paragraph_rows(d)])


def paragraph_rows(doc: Document) -> list[tuple]:
    """The rows of :func:`paragraphs_table` for one document, as tuples."""
    return [
        (doc.doc_id, i, p.kind, p.kind in COUNTED_TYPES, p.start, p.end, doc.text[p.start : p.end])
        for i, p in enumerate(doc.paragraphs)
    ]


def paragraphs_frame(rows: list[tuple]) -> pd.DataFrame:
    """:func:`paragraph_rows` of any number of documents as one table."""
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)
