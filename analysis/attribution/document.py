"""Per-text working state of attribution: paragraphs, sentences, quote marks and the
spans already claimed (:class:`_Doc`), and the utterance record (:class:`_Utt`)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.attribution.lexicons import Speaker
from analysis.attribution.words import _CLOSE, _OPEN, _PARA_BLANK, _QMARK, _SENT_END, _TOK, Span
from analysis.text.tokens import abbreviations


@dataclass
class _Quote:
    start: int
    end: int
    para: int
    opens_clause: bool
    continues: bool = False
    owner: int = -1
    closed: bool = True


@dataclass
class _Utt:
    cue: str
    cue_span: Span
    mention: Span
    role: Span
    segments: list[Span]
    quotes: list[int] = field(default_factory=list)
    conduit: str = ""
    parent: int = -1
    speaker: Speaker | None = None
    refers: Span = (-1, -1)


def split_paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks between blank lines, else lines; outer white space trimmed."""
    sep = _PARA_BLANK if _PARA_BLANK.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for m in [*sep.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = _trim(text, pos, end)
        if e > s:
            spans.append((s, e))
        pos = m.end() if m else len(text)
    return spans


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentence_spans(text: str, paragraphs: Sequence[Span]) -> list[Span]:
    """Fast sentence spans inside each paragraph (a period after an abbreviation or initial
    does not end a sentence; same abbreviation list as :mod:`analysis.text.tokens`)."""
    abbrev = abbreviations()
    out: list[Span] = []
    for ps, pe in paragraphs:
        s = ps
        for m in _SENT_END.finditer(text, ps, pe):
            dot = m.start()
            if text[dot] == "." and dot > ps:
                words = text[max(ps, dot - 12) : dot].rsplit(None, 1) or [""]
                word = words[-1].lstrip("(\"“'‘").lower()
                if len(word) == 1 or word in abbrev:
                    continue
            out.append((s, m.end()))
            s, _ = _trim(text, m.end(), pe)
        if pe > s:
            out.append((s, pe))
    return out


def _find_quotes(text: str, paragraphs: Sequence[Span], sent_starts: set[int]) -> list[_Quote]:
    """Quotes of each paragraph, in order (see the module notes on unbalanced marks)."""
    quotes: list[_Quote] = []
    for pid, (ps, pe) in enumerate(paragraphs):
        open_at = -1
        for m in _QMARK.finditer(text, ps, pe):
            mark, pos = m[0], m.start()
            if open_at < 0:
                before = text[pos - 1] if pos > ps else " "
                after = text[m.end()] if m.end() < pe else " "
                looks_close = not before.isspace() and (after.isspace() or after in ".,;:!?")
                if mark in _CLOSE or (mark not in _OPEN and looks_close and pos > ps):
                    continue
                open_at = pos
            elif mark in _OPEN:
                q = _quote(text, open_at, _trim(text, open_at, pos)[1], pid, ps, sent_starts)
                q.closed = False
                quotes.append(q)
                open_at = pos
            else:
                quotes.append(_quote(text, open_at, m.end(), pid, ps, sent_starts))
                open_at = -1
        if open_at >= 0:
            q = _quote(text, open_at, pe, pid, ps, sent_starts)
            q.closed = False
            nxt = paragraphs[pid + 1][0] if pid + 1 < len(paragraphs) else -1
            q.continues = nxt >= 0 and _QMARK.match(text, nxt) is not None
            if q.continues or q.opens_clause:
                quotes.append(q)
    return quotes


def _quote(text: str, s: int, e: int, pid: int, ps: int, sent_starts: set[int]) -> _Quote:
    lead = text[max(ps, s - 3) : s].rstrip()
    opens = s == ps or s in sent_starts or lead.endswith((",", ":", "—", "–"))
    return _Quote(s, e, pid, opens)


class _Doc:
    """Per-text working state: paragraphs, sentences, quotes and claimed spans."""

    def __init__(self, text: str, paragraphs: Sequence[Span]) -> None:
        self.text = text
        self.paras = list(paragraphs)
        self.para_starts = [p[0] for p in self.paras]
        self.sents = sentence_spans(text, self.paras)
        self.sent_starts = [s for s, _ in self.sents]
        self.quotes = _find_quotes(text, self.paras, set(self.sent_starts))
        self.q_starts = [q.start for q in self.quotes]
        self.utts: list[_Utt] = []
        self.claimed: list[Span] = []

    def sentence(self, pos: int) -> Span:
        i = max(bisect.bisect_right(self.sent_starts, pos) - 1, 0)
        return self.sents[i] if self.sents else (0, len(self.text))

    def para_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self.para_starts, pos) - 1, 0)

    def quote_at(self, pos: int) -> int:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i if i >= 0 and pos < self.quotes[i].end else -1

    def is_claimed(self, pos: int) -> bool:
        i = bisect.bisect_right(self.claimed, (pos, len(self.text) + 1))
        return any(pos < e for _, e in self.claimed[max(i - 3, 0) : i])

    def claim(self, span: Span) -> None:
        bisect.insort(self.claimed, span)

    def tokens(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m[0]) for m in _TOK.finditer(self.text, lo, hi)]


def _span(utt: _Utt) -> Span:
    return (min(s for s, _ in utt.segments), max(e for _, e in utt.segments))
