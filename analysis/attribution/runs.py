"""Quote runs: claim spans, join quotes that continue an utterance, and give cue-less
quotes to the speaker before them (or to a cue outside the list, or a colon)."""

from __future__ import annotations

import bisect
import re

from analysis.attribution.document import _Doc, _Quote, _span, _Utt
from analysis.attribution.mentions import _np_before, _shared_subject
from analysis.attribution.words import _AFTER_QUOTE, _NOT_VERBS, _WORD


def _claim(doc: _Doc, idx: int, utt: _Utt) -> None:
    for qi in utt.quotes:
        doc.quotes[qi].owner = idx
    for s, e in utt.segments:
        doc.claim((s, e))
        for qi in range(bisect.bisect_left(doc.q_starts, s), len(doc.quotes)):
            if doc.quotes[qi].start >= e:
                break
            doc.quotes[qi].owner = idx


def _extend_runs(doc: _Doc) -> None:
    """Join unowned quotes that continue a direct quote (see the module notes)."""
    for idx, utt in enumerate(doc.utts):
        if utt.quotes:
            _extend(doc, idx)


def _extend(doc: _Doc, idx: int) -> None:
    """Grow utterance *idx*'s quote run backward and forward over joinable quotes."""
    text, utt = doc.text, doc.utts[idx]
    first = utt.quotes[0]
    while first > 0:
        q, prev = doc.quotes[first], doc.quotes[first - 1]
        joined = prev.para == q.para or (prev.continues and prev.para == q.para - 1)
        if prev.owner >= 0 or not joined or text[prev.end : q.start].strip():
            break
        first -= 1
        prev.owner = idx
        utt.quotes.insert(0, first)
    cue_end = doc.sentence(utt.cue_span[0])[1] if utt.cue_span[0] >= 0 else -1
    k = utt.quotes[-1] + 1
    while k < len(doc.quotes):
        q, nxt = doc.quotes[utt.quotes[-1]], doc.quotes[k]
        if nxt.owner < 0 and not nxt.opens_clause and nxt.end <= cue_end:
            k += 1  # a title or scare quote inside the cue's sentence
            continue
        if nxt.owner >= 0 or not nxt.opens_clause:
            break
        gap = text[q.end : nxt.start]
        if gap.strip() in (",", "and", "or", ", and", ", or"):
            gap = ""  # '"Send them home," and "Build the wall."'
        continued = q.continues and nxt.para == q.para + 1 and not gap.strip()
        cue_between = q.end <= utt.cue_span[0] < nxt.start and (
            nxt.start < cue_end or not text[cue_end : nxt.start].strip()
        )
        if not continued and (nxt.para != q.para or (gap.strip() and not cue_between)):
            break
        nxt.owner = idx
        utt.quotes.append(k)
        k += 1


def _orphans(doc: _Doc) -> None:
    """Whole-sentence quotes without a cue: the previous utterance's speaker if close."""
    text = doc.text
    sent_ends = {e for _, e in doc.sents} | {e for _, e in doc.paras}
    starts = sorted((_span(u)[0], i) for i, u in enumerate(doc.utts))
    for qi, q in enumerate(doc.quotes):
        if q.owner >= 0 or not q.opens_clause:
            continue
        if utt := _unlisted_cue(doc, q):
            utt.segments, utt.quotes = [(q.start, q.end)], [qi]
            q.owner = len(doc.utts)
            doc.utts.append(utt)
            bisect.insort(starts, (q.start, q.owner))
            _extend(doc, q.owner)
            continue
        end = q.end
        tail = re.match(r"[\s.!?]*", text[end : end + 3])
        if end not in sent_ends and (end + (tail.end() if tail else 0)) not in sent_ends:
            if not (q.start in doc.sent_starts or q.start == doc.paras[q.para][0]):
                continue
            if text[end : end + 2].strip()[:1].isalnum():
                continue
        if len(_WORD.findall(text, q.start, q.end)) < 3:
            continue
        utt = _colon_utterance(doc, q) or _Utt("", (-1, -1), (-1, -1), (-1, -1), [])
        utt.segments, utt.quotes = [(q.start, q.end)], [qi]
        if utt.mention[0] < 0:
            i = bisect.bisect_left(starts, (q.start, -1)) - 1
            prev = starts[i][1] if i >= 0 else -1
            if prev >= 0 and doc.para_of(_span(doc.utts[prev])[1]) >= q.para - 1:
                utt.parent, utt.mention = prev, doc.utts[prev].mention
            else:
                utt.parent = -2
        q.owner = len(doc.utts)
        doc.utts.append(utt)
        bisect.insort(starts, (q.start, q.owner))
        _extend(doc, q.owner)


def _unlisted_cue(doc: _Doc, q: _Quote) -> _Utt | None:
    """A verb outside the cue list right after a quote that ends with [,?!] inside its
    marks: '"...," Trump shot back.', '"...?" asked Li' -- the punctuation marks speech."""
    text = doc.text
    inner = text[max(q.start, q.end - 3) : q.end].rstrip("\"”'»")
    if not q.closed or not inner.endswith((",", "?", "!")):
        return None
    m = _AFTER_QUOTE.match(text, q.end, doc.paras[q.para][1])
    if m is None or (m["verb"] or m["verb2"]).split()[0] in _NOT_VERBS:
        return None
    if m["np"]:
        span, cue = m.span("np"), m.span("verb")
    else:
        span, cue = m.span("np2"), m.span("verb2")
    return _Utt(text[cue[0] : cue[1]].lower(), cue, span, (-1, -1), [])


def _colon_utterance(doc: _Doc, q: _Quote) -> _Utt | None:
    """A quote after a colon ("Shaw: '...'", "he declared:" at a paragraph's end):
    cue ":", speaker the name right before the colon, else the sentence's subject."""
    text = doc.text
    ps = doc.paras[q.para][0]
    lo = doc.paras[q.para - 1][0] if q.start == ps and q.para > 0 else ps
    before = text[lo : q.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = lo + len(before) - 1
    ss, se = doc.sentence(colon)
    subject = _np_before(doc, ss, colon)
    words = text[subject[0][0] : subject[0][1]].split() if subject is not None else []
    if words and subject[0][1] == colon and all(w[0].isupper() or w == "of" for w in words):
        mention, role, parent = subject[0], subject[1], -1
    else:
        shared = _shared_subject(doc, ss, se, colon)
        if shared is None:
            return None
        parent, mention, role = shared
    return _Utt(":", (colon, colon + 1), mention, role, [], parent=parent)
