"""Split an article's text into typed paragraphs, and find its title and date.

Two formats are read (see the README, "Adding articles"):

``globaltimes``
    A page saved from the Global Times site: an optional section label
    ("CHINA / DIPLOMACY"), the title, a ``Published: Mar 11, 2021 04:12 PM``
    line (optionally followed by ``Updated: ...``), tag lines, then the body,
    one paragraph per line. In the body, a line ending in ``Photo: <source>``
    is a caption and a line just before it that the caption starts with is the
    page's truncated duplicate of it (``caption_stub``); a short line without
    final punctuation is a heading; "X contributed to this article" is a byline.
``plain``
    Any other text: paragraphs are separated by blank lines (or, in a file with
    no blank line, are single lines). The first paragraph is the title unless
    the manifest gives one, in which case it is body text.

The format is recognised by a ``Published:`` line among the first ten lines.
A format that belongs to one outlet names it (:data:`FORMAT_OUTLETS`), so its
articles have an ``outlet`` without a manifest; a manifest value still wins.
All offsets index the decoded file text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dateutil import parser as dateparser

from analysis.types import Paragraph, SourceFormat

_PUBLISHED = re.compile(r"^\s*Published:\s*(?P<date>.+?)\s*$")
_UPDATED = re.compile(r"^\s*Updated:\s*.+$")
_SECTION = re.compile(r"^[A-Z0-9&,' ]+(?:\s*/\s*[A-Z0-9&,' ]+)+$")
_CAPTION = re.compile(r"Photos?:\s*[^.!?]{1,80}\s*$")
_BYLINE = re.compile(
    r"^[A-Z][\w.' -]{1,80}\s+contributed to (?:this|the) (?:article|story|report)\.?$"
)
_FINAL_PUNCT = tuple(".!?:;,\"')]")
#: The outlet a page format belongs to; ``plain`` text belongs to none.
FORMAT_OUTLETS: dict[str, str] = {"globaltimes": "Global Times"}
HEADING_MAX_WORDS = 8
TAG_MAX_WORDS = 6


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every non-blank line, whitespace trimmed."""
    for m in re.finditer(r"[^\r\n]+", text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            yield s, e


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of plain text: blank-line separated blocks, else lines."""
    lines = list(_lines(text))
    if not re.search(r"\n[ \t\r\u00a0]*\n", text):
        return lines
    blocks: list[tuple[int, int]] = []
    for s, e in lines:
        if blocks and not re.search(r"\n[ \t\r\u00a0]*\n", text[blocks[-1][1] : s]):
            blocks[-1] = (blocks[-1][0], e)
        else:
            blocks.append((s, e))
    return blocks


def detect_format(text: str) -> SourceFormat:
    """Return ``globaltimes`` if a ``Published:`` line is among the first ten lines."""
    for i, (s, e) in enumerate(_lines(text)):
        if i >= 10:
            break
        if _PUBLISHED.match(text[s:e]):
            return "globaltimes"
    return "plain"


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str) -> dt.date | None:
    """Parse a date written as "Mar 11, 2021 04:12 PM", "2021-03-20", "20 March 2021"...

    Purely numeric dates other than ISO ``YYYY-MM-DD`` are refused (``None``):
    "03/04/2021" means March or April depending on the reader's country. So is
    a date without a four-digit year or without a day ("March 2021" would
    otherwise fall on the 1st and could land in the wrong phase).
    """
    value = value.strip()
    if not value:
        return None
    if _ISO_DATE.fullmatch(value):  # the common case, without dateutil's general parser
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.*", value) or not re.search(r"\d{4}", value):
        return None
    if re.fullmatch(r"\d{4}[/.-]\d{1,2}", value):
        return None
    without_time = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", value)
    if not re.match(r"\d{4}-\d{2}-\d{2}", value) and not re.search(
        r"(?<!\d)\d{1,2}(?!\d)", without_time
    ):
        return None
    try:
        return dateparser.parse(value, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and not line.endswith(_FINAL_PUNCT)
        and (line[0].isupper() or line[0].isdigit())
    )


def _body_types(text: str, spans: list[tuple[int, int]]) -> list[str]:
    kinds = []
    for i, (s, e) in enumerate(spans):
        line = text[s:e]
        nxt = text[spans[i + 1][0] : spans[i + 1][1]] if i + 1 < len(spans) else ""
        if _CAPTION.search(line):
            kinds.append("caption")
        elif nxt and _CAPTION.search(nxt) and nxt.startswith(line) and len(line) < len(nxt):
            kinds.append("caption_stub")
        elif _BYLINE.match(line):
            kinds.append("byline")
        elif _is_heading(line):
            kinds.append("heading")
        else:
            kinds.append("body")
    return kinds


def parse_globaltimes(text: str) -> tuple[list[Paragraph], str | None]:
    """Split Global Times text into paragraphs; return them and the raw date string."""
    spans = list(_lines(text))
    pub = next(i for i, (s, e) in enumerate(spans) if _PUBLISHED.match(text[s:e]))
    paragraphs: list[Paragraph] = []
    header = spans[:pub]
    if len(header) > 1 and _SECTION.match(text[slice(*header[0])]):
        paragraphs.append(Paragraph(*header[0], "section"))
        header = header[1:]
    paragraphs += [Paragraph(s, e, "title") for s, e in header]
    date_text = _PUBLISHED.match(text[slice(*spans[pub])]).group("date")
    paragraphs.append(Paragraph(*spans[pub], "dateline"))
    i = pub + 1
    while i < len(spans) and _UPDATED.match(text[slice(*spans[i])]):
        paragraphs.append(Paragraph(*spans[i], "dateline"))
        i += 1
    while i < len(spans):
        line = text[slice(*spans[i])]
        if len(line.split()) > TAG_MAX_WORDS or line.endswith(_FINAL_PUNCT):
            break
        paragraphs.append(Paragraph(*spans[i], "tag"))
        i += 1
    body = spans[i:]
    paragraphs += [
        Paragraph(s, e, k) for (s, e), k in zip(body, _body_types(text, body), strict=True)
    ]
    return paragraphs, date_text


def parse_plain(text: str, *, has_title: bool) -> list[Paragraph]:
    """Split plain text into paragraphs; the first is the title unless *has_title*."""
    blocks = _blocks(text)
    kinds = ["body"] * len(blocks)
    if blocks and not has_title:
        kinds[0] = "title"
    return [Paragraph(s, e, k) for (s, e), k in zip(blocks, kinds, strict=True)]
