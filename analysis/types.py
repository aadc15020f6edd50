"""Shared records and type aliases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

#: What a paragraph of an article is. Only ``COUNTED_TYPES`` count as article text.
ParagraphType = Literal[
    "section", "title", "dateline", "tag", "heading", "body", "caption", "caption_stub", "byline"
]
#: Paragraph types whose words are the article's own prose, counted in rates.
#: A caption's truncated duplicate (``caption_stub``), section labels, date lines,
#: tag lines and bylines are page furniture and are left out of every count.
COUNTED_TYPES: frozenset[str] = frozenset({"title", "heading", "body", "caption"})

Phase = Literal["pre", "during", "post"]
SourceFormat = Literal["globaltimes", "plain"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: ``text[start:end]`` of its document, and what it is."""

    start: int
    end: int
    kind: ParagraphType


@dataclass(frozen=True)
class Document:
    """One parsed article.

    ``raw`` is the file's decoded text, and every offset in the suite indexes it.
    ``text`` is the same string normalised character by character (same length):
    non-breaking and other exotic spaces become a space, curly quotes straight ones.
    ``phase`` is ``pre``/``during``/``post`` relative to the corpus event, or
    ``""`` when the corpus names no event or the document has no date.
    """

    doc_id: str
    path: Path
    raw: str
    text: str
    title: str
    date: dt.date | None
    source_format: SourceFormat
    paragraphs: tuple[Paragraph, ...]
    sha256: str
    section: str = ""
    tags: tuple[str, ...] = ()
    outlet: str = ""
    url: str = ""
    author: str = ""
    phase: str = ""
    warnings: tuple[str, ...] = field(default=())

    def counted_extent(self) -> tuple[int, int]:
        """``(first, length)`` of the stretch of text from the first to the last counted paragraph.

        Positions in an article (0 to 1) are ``(offset - first) / length``.
        """
        counted = [p for p in self.paragraphs if p.kind in COUNTED_TYPES]
        if not counted:
            return 0, 1
        return counted[0].start, max(counted[-1].end - counted[0].start, 1)


@dataclass(frozen=True)
class Event:
    """The event that splits a corpus into phases (inclusive dates)."""

    name: str
    start: dt.date
    end: dt.date

    def phase(self, date: dt.date) -> Phase:
        """Return ``pre``, ``during`` or ``post`` for a publication date."""
        if date < self.start:
            return "pre"
        if date > self.end:
            return "post"
        return "during"
