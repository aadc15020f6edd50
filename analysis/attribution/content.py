"""Content spans of reported speech: forward after a cue (listener, adverbials,
"that"), backward before a final cue clause, and the quotes next to a cue."""

from __future__ import annotations

import bisect
import re

from analysis.attribution.document import _Doc, _trim, _Utt
from analysis.attribution.words import (
    _ADVERBIAL,
    _DATELINE,
    _DETERMINERS,
    _FIRST_PERSON,
    _LOOSE_TAIL,
    _NEEDS_CLAUSE,
    _NOT_CONTENT_START,
    _OBJECT_PRONOUN,
    _OPENERS,
    _PP_CLAUSE,
    _PP_THAT,
    _TWO_WORDS,
    _WORD,
    Span,
    _content_cut,
)


def _content_forward(doc: _Doc, pos: int, frame: str, sent_end: int, cue: str = "") -> Span | None:
    """Reported content after a cue: optional listener, adverbials, "that", to sentence end.
    Content may open with a short fronted phrase and a comma ("believes at the bilateral
    level, relations will ..."); cues in :data:`_NEEDS_CLAUSE` need "that" or a quote."""
    text = doc.text
    for _ in range(3):
        m = _ADVERBIAL.match(text, pos, sent_end)
        if not m or m.end() == pos:
            break
        pos = m.end()
    if frame == "tell":
        pos = _skip_listener(doc, pos, sent_end)
    elif m := _PP_THAT.match(text, pos, sent_end):
        pos = m.end() - 4
    s, e = _trim(text, pos, sent_end)
    if s < e and text[s] in ",:" and doc.quote_at(_trim(text, s + 1, e)[0]) < 0:
        s = _trim(text, s + 1, e)[0]
    e = _content_end(doc, s, e)
    two = _TWO_WORDS.search(text, s, e)
    if two is None:
        return None
    first = two[1].lower()
    if first in _NOT_CONTENT_START and not (first == "to" and frame == "tell"):
        if not _PP_CLAUSE.match(text, s, e):
            return None
    if cue in _NEEDS_CLAUSE and not re.match(r"that\b|[\"“:]|''", text[s:e]):
        return None  # "the talks concluded in Alaska on Friday local time ..."
    return s, e


def _skip_listener(doc: _Doc, pos: int, sent_end: int) -> int:
    """Position after a listener ("told the Global Times (on Sunday) (that) ...")."""
    toks = doc.tokens(pos, min(sent_end, pos + 200))
    for s, _, word in toks[:12]:
        if word.lower() == "that":
            return s
        if not word[0].isalnum():
            break
    if not toks:
        return pos
    j = 0
    if toks[0][2].lower() in _OBJECT_PRONOUN:
        j = 1
    else:
        if toks[0][2].lower() in _DETERMINERS:
            j = 1
        if j < len(toks) and toks[j][2][:1].isupper():
            while j < len(toks) and (toks[j][2][:1].isupper() or toks[j][2] in ("of", "'s")):
                j += 1
        elif j < len(toks) and toks[j][2][0].isalnum():
            j += 1
    end = toks[j - 1][1] if j else pos
    m = _ADVERBIAL.match(doc.text, end, sent_end)
    return m.end() if m else end


def _content_end(doc: _Doc, s: int, e: int) -> int:
    """Cut reported content before a participle cue, "according to" or a final cue clause;
    extend it to the close of a quote it opens; drop the sentence's final punctuation."""
    text = doc.text
    cut = _content_cut().search(text, s, e)
    if cut:
        e = cut.start()
    q = doc.quote_at(e - 1)
    if q >= 0 and doc.quotes[q].start >= s and doc.quotes[q].end > e:
        e = doc.quotes[q].end
    while e > s and text[e - 1] in ".!?;:, ":
        e -= 1
    if e > s and text[e - 1] in "\"”'’" and doc.quote_at(e - 1) < 0:
        while e > s and text[e - 1] in "\"”'’.!?, ":
            e -= 1
    return e


def _quote_after(doc: _Doc, pos: int, limit: int) -> int:
    """Index of the quote opening right after *pos*, else -1.

    Allowed between: commas, colons, dashes, adverbials ("on Sunday"), a short
    phrase ending with a colon or comma ("said of the senator, "), and a
    paragraph break after a colon ("released the following statement:").
    """
    i = bisect.bisect_left(doc.q_starts, pos)
    if i >= len(doc.quotes):
        return -1
    q = doc.quotes[i]
    gap = doc.text[pos : q.start]
    if q.start >= limit:
        colon_break = gap.rstrip().endswith(":") and q.para == doc.para_of(pos) + 1
        return i if colon_break and q.start == doc.paras[q.para][0] else -1
    if re.fullmatch(r"[^;!?\"“”\n]{0,80}[:,]\s*", gap) and len(gap.split()) <= 8:
        if gap.rstrip().endswith(":") or len(gap.split()) <= 6:
            return i
    for _ in range(3):
        m = _ADVERBIAL.match(gap)
        if not m or not m.end():
            break
        gap = gap[m.end() :]
    if not re.fullmatch(r"[\s,:—–-]*", gap):
        return -1
    return i if q.opens_clause or gap.strip() else -1


def _quote_before(doc: _Doc, pos: int, lo: int) -> int:
    """Index of the quote that closes right before *pos* (only [,] between), else -1."""
    i = bisect.bisect_right(doc.q_starts, pos) - 1
    if i < 0 or doc.quotes[i].end > pos or doc.quotes[i].end < lo:
        return -1
    return i if re.fullmatch(r"[\s,'’—–-]*", doc.text[doc.quotes[i].end : pos]) else -1


def _content_first(doc: _Doc, ss: int, ms: int, after: int, se: int) -> bool:
    """Whether a subject-first cue follows its content ("China and the US should meet
    halfway, Vice Minister Deng said here on Tuesday as ..."): the sentence runs to a
    comma before the subject and opens with a noun phrase, not a participle, preposition
    or subordinate clause, and what follows the cue is circumstance ("here", "as ..."),
    not content of its own."""
    text = doc.text
    lead = text[ss:ms].rstrip()
    if not lead.endswith(",") or len(_WORD.findall(lead)) < 4:
        return False
    first = _WORD.search(text, _dateline_end(doc, ss), ms)
    word = first[0].lower() if first else ""
    if not word or word in _NOT_CONTENT_START or word in _OPENERS or word.endswith(("ing", "ed")):
        return False
    return _LOOSE_TAIL.match(text, after, se) is not None


def _dateline_end(doc: _Doc, pos: int) -> int:
    m = _DATELINE.match(doc.text, pos)
    return m.end() if m else pos


def _content_backward(doc: _Doc, utt: _Utt, lo: int, ss: int, se: int, after: int) -> _Utt | None:
    """Content before a final cue clause: "The talks were frank, Yang said (on Friday)."."""
    text = doc.text
    head = min(utt.mention[0], utt.cue_span[0])
    lo = _free_start(doc, ss, head)
    before = text[lo:head].rstrip()
    if before.endswith(","):
        s, e = _trim(text, lo, lo + len(before) - 1)
    elif re.search(r",(?:[\"”»]|'')$", before):
        s, e = _trim(text, lo, lo + len(before))
    else:
        return None
    n_words = len(_WORD.findall(text, s, e))
    if doc.is_claimed(s) or n_words < 1:
        return None
    if s == ss:
        s = _first_person_lead(doc, s)
    segments = [(s, e)]
    tail_start = after
    m = _ADVERBIAL.match(text, tail_start, se)
    if m and m.end() > tail_start:
        tail_start = m.end()
    tail = text[tail_start:se]
    if tail.lstrip().startswith(","):
        t0, t1 = _trim(text, tail_start + tail.index(",") + 1, se)
        t1 = _content_end(doc, t0, t1)
        if len(_WORD.findall(text, t0, t1)) >= 1:
            segments.append((t0, t1))
            n_words += 2
    elif utt.cue != "according to" and len(tail.split()) > 8 and not _LOOSE_TAIL.match(tail):
        return None
    if n_words < 2:
        return None
    utt.segments = segments
    return utt


def _first_person_lead(doc: _Doc, s: int) -> int:
    """Start of reported content that begins a sentence or more before its cue: a
    preceding sentence of the same paragraph that speaks in the first person outside
    quote marks ("..., it is inevitable ... when we get along with each other. What
    matters is how we handle them, Li told the press conference.") is the speaker's,
    since the journalist does not write "we"."""
    ps = doc.paras[doc.para_of(s)][0]
    while s > ps:
        prev = doc.sentence(s - 1)
        if prev[0] < ps or doc.is_claimed(prev[0]) or _quote_in(doc, prev):
            break
        if not _FIRST_PERSON.search(doc.text, prev[0], prev[1]):
            break
        s = prev[0]
    return s


def _quote_in(doc: _Doc, span: Span) -> bool:
    i = bisect.bisect_left(doc.q_starts, span[0])
    return i < len(doc.quotes) and doc.quotes[i].start < span[1]


def _free_start(doc: _Doc, ss: int, head: int) -> int:
    """First position after *ss* not inside earlier claimed content or an owned quote."""
    start = ss
    first = max(bisect.bisect_right(doc.claimed, (ss, len(doc.text) + 1)) - 3, 0)
    for _, e in doc.claimed[first : bisect.bisect_left(doc.claimed, (head, 0))]:
        if start < e <= head:
            start = e
    i = bisect.bisect_left(doc.q_starts, ss)
    while i < len(doc.quotes) and doc.quotes[i].end <= head:
        if doc.quotes[i].owner >= 0:
            start = max(start, doc.quotes[i].end)
        i += 1
    return _trim(doc.text, _dateline_end(doc, start), head)[0]
