"""One handler per kind of cue: verbs with a subject, participles, "according to",
"quoted X as saying", naming verbs, and participles opening a sentence."""

from __future__ import annotations

import bisect
import re

from analysis.attribution.content import (
    _content_backward,
    _content_end,
    _content_first,
    _content_forward,
    _quote_after,
    _quote_before,
)
from analysis.attribution.document import _Doc, _trim, _Utt
from analysis.attribution.mentions import _np_after, _np_before, _plain_subject, _shared_subject
from analysis.attribution.names import match_group
from analysis.attribution.words import (
    _BLOCKERS,
    _CONTENT_START,
    _NOT_CONTENT_START,
    _NOUN_LIKE,
    _PAREN_ADVERB,
    _SUBORDINATE,
    _WHO,
    _WORD,
    _final_cue,
    cue_lexicon,
)


def _analyse(doc: _Doc, m: re.Match[str]) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    ss, se = doc.sentence(cs)
    pid = doc.para_of(cs)
    ps = doc.paras[pid][0]
    prev = text[max(ps, cs - 12) : cs].split()
    if prev and prev[-1].lower().strip('“"(') in _BLOCKERS:
        return None
    qi = bisect.bisect_right(doc.q_starts, cs) - 1
    lo = max(ss, ps, doc.quotes[qi].end if qi >= 0 and doc.quotes[qi].end <= cs else ss)
    if m["acc"]:
        return _according(doc, m, lo, ss, se)
    if m["opener"]:
        return _opener(doc, m, ss, se)
    form = " ".join(m[0].lower().split())
    if m["quoted"]:
        return _quoted(doc, m, lo, se, form)
    frame = cue_lexicon()[form].frame
    if form.endswith("ing"):
        return _participle(doc, m, form, frame, lo, ss, se)
    if frame == "naming":
        return _naming(doc, m, lo, se)
    if form in _NOUN_LIKE and not _CONTENT_START.match(text, ce):
        return None
    subject = _np_before(doc, lo, cs)
    inverted = False
    if subject is None and re.search(
        r"\b(?:and|but)\s+(?:\w+ly\s+|also\s+|then\s+)?$", text[lo:cs]
    ):
        shared = _shared_subject(doc, ss, se, cs)
        if shared is None:
            return None
        parent, mention, _ = shared
        utt = _Utt(form, (cs, ce), mention, (-1, -1), [], parent=parent)
        content = _content_forward(doc, ce, frame, se, form)
        if content is None:
            return None
        utt.segments = [content]
        return utt
    if subject is None:
        if frame == "cognition" or lo == ss == cs:
            return None
        lead = text[lo:cs].rstrip() or text[ps:cs].rstrip()
        if not lead.endswith((",", "”", '"', "''")):
            return None
        subject = _np_after(doc, ce, se)
        if subject is None:
            return None
        inverted = True
    (ms, me), role = subject
    after = max(ce, role[1] if inverted and role[0] >= 0 else me if inverted else ce)
    if paren := _PAREN_ADVERB.match(text, after, se):
        after = paren.end()
    utt = _Utt(form, (cs, ce), (ms, me), role, [])
    if not inverted and (who := _WHO.match(text, me, cs)):
        utt.mention, utt.refers = who.span(1), (ms, me)
        se = text.find(",", ce, se) if "," in text[ce:se] else se  # the relative clause ends
    q_before = _quote_before(doc, cs if inverted else ms, lo)
    if q_before >= 0 and doc.quotes[q_before].owner < 0 and doc.quotes[q_before].opens_clause:
        utt.quotes = [q_before]
        return utt
    q_after = _quote_after(doc, after, doc.paras[pid][1])
    if q_after >= 0 and doc.quotes[q_after].owner < 0 and doc.quotes[q_after].start < se + 2:
        utt.quotes = [q_after]
        return utt
    q_that = re.match(r"\s*that\s+", text[after:se])
    if q_that and _quote_after(doc, after + q_that.end(), se) >= 0:
        qi2 = _quote_after(doc, after + q_that.end(), se)
        utt.segments = [(after + q_that.start() + q_that[0].index("that"), doc.quotes[qi2].end)]
        return utt
    if not inverted and _content_first(doc, ss, ms, after, se):
        if (backward := _content_backward(doc, utt, lo, ss, se, after)) is not None:
            return backward
    if not inverted and not text[after:se].lstrip().startswith(","):
        if _final_cue().search(text, ce, se):
            return None  # "China urges the US ..., Li said.": the cue is inside Li's content
        if _SUBORDINATE.fullmatch(text, ss, ms) and "," in text[ce:se]:
            se = text.index(",", ce, se)
        content = _content_forward(doc, after, frame, se, form)
        if content is not None:
            utt.segments = [content]
            return utt
    if (backward := _content_backward(doc, utt, lo, ss, se, after)) is not None:
        return backward
    # '"... as well." Trump told ABC.': a quote that ends the previous sentence
    head = cs if inverted else ms
    q_prev = _quote_before(doc, head, ps)
    if q_prev >= 0 and head == ss and len(text[after:se].split()) <= 8:
        if doc.quotes[q_prev].owner < 0 and doc.quotes[q_prev].opens_clause:
            utt.quotes = [q_prev]
            return utt
    return None


def _opener(doc: _Doc, m: re.Match[str], ss: int, se: int) -> _Utt | None:
    """A participle opening its sentence: "Noting China does not expect quick results,
    Chen voiced hope ...": the content runs to the comma, the speaker is the subject
    of the main clause after it."""
    cs, ce = m.span()
    if cs != ss:
        return None
    comma = doc.text.find(",", ce, se)
    if comma < 0:
        return None
    s, e = _trim(doc.text, ce, comma)
    words = _WORD.findall(doc.text, s, e)
    if len(words) < 3 or words[0].lower() in _NOT_CONTENT_START or doc.quote_at(s) >= 0:
        return None
    subject = _np_after(doc, _trim(doc.text, comma + 1, se)[0], se)
    if subject is None or not _plain_subject(doc.text[subject[0][0] : subject[0][1]]):
        return None
    form = m[0].lower()
    return _Utt(form, (cs, ce), subject[0], subject[1], [(s, e)])


def _naming(doc: _Doc, m: re.Match[str], lo: int, se: int) -> _Utt | None:
    """'X called the talks "a disaster"': the quote a few words after the cue."""
    cs, ce = m.span()
    i = bisect.bisect_left(doc.q_starts, ce)
    if i >= len(doc.quotes) or doc.quotes[i].start >= se or doc.quotes[i].owner >= 0:
        return None
    gap = doc.text[ce : doc.quotes[i].start]
    if len(gap.split()) > 6 or re.search(r"[.;:!?]", gap):
        return None
    if len(_WORD.findall(doc.text, doc.quotes[i].start, doc.quotes[i].end)) < 3:
        return None  # "called it "arbitrary"": a label, not a quotation
    subject = _np_before(doc, lo, cs)
    if subject is None:
        return None
    form = " ".join(m[0].lower().split())
    return _Utt(form, (cs, ce), subject[0], subject[1], [], [i])


def _participle(doc, m, form, frame, lo, ss, se) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    after_comma = text[max(lo, cs - 4) : cs].rstrip().endswith(",")
    if not after_comma and not re.match(r"\s+that\b|[,:]?\s*(?:[\"“]|'')", text[ce : ce + 8]):
        return None
    shared = _shared_subject(doc, ss, se, cs)
    if shared is None:
        return None
    parent, mention, role = shared
    utt = _Utt(form, (cs, ce), mention, role, [], parent=parent)
    qa = _quote_after(doc, ce, doc.paras[doc.para_of(cs)][1])
    if qa >= 0 and doc.quotes[qa].owner < 0 and doc.quotes[qa].start < se + 2:
        utt.quotes = [qa]
        return utt
    content = _content_forward(doc, ce, frame, se, form)
    if content is None:
        return None
    utt.segments = [content]
    return utt


def _according(doc: _Doc, m, lo: int, ss: int, se: int) -> _Utt | None:
    cs, ce = m.span()
    subject = _np_after(doc, ce, se, loose=True)
    if subject is None:
        return None
    (ms, me), role = subject
    utt = _Utt("according to", (cs, ce), (ms, me), role, [])
    text = doc.text
    if role[0] >= 0 and not text[role[1] : se].lstrip().startswith(","):
        role = (-1, -1)
    utt.role = role
    clause_end = role[1] if role[0] >= 0 else me
    if not text[lo:cs].strip():
        if "," not in text[clause_end:se]:
            return None
        s, e = _trim(text, text.index(",", clause_end, se) + 1, se)
        e = _content_end(doc, s, e)
        if len(_WORD.findall(text, s, e)) < 2:
            return None
        utt.segments = [(s, e)]
        return utt
    return _content_backward(doc, utt, lo, ss, se, clause_end)


def _quoted(doc: _Doc, m, lo: int, se: int, form: str) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    link = re.compile(r"\s+(?:as\s+)?(?:saying|telling\s+\w+(?:\s+\w+)?)\b")
    subject = _np_after(doc, ce, se)
    if subject is None:
        return None
    (ms, me), _ = subject
    tail = link.match(text, me, se)
    if not tail:
        return None
    conduit = _np_before(doc, lo, cs)
    conduit_text = ""
    if conduit is not None:
        words = text[conduit[0][0] : conduit[0][1]]
        group = match_group(words)
        conduit_text = group.speaker if group else words
    utt = _Utt(form, (cs, ce), (ms, me), (-1, -1), [], conduit=conduit_text)
    qa = _quote_after(doc, tail.end(), doc.paras[doc.para_of(cs)][1])
    if qa >= 0 and doc.quotes[qa].owner < 0:
        utt.quotes = [qa]
        return utt
    content = _content_forward(doc, tail.end(), "speech", se)
    if content is None:
        return None
    utt.segments = [content]
    return utt
