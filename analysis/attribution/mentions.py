"""Speaker mentions: the subject before a cue (over appositives, tags and dashes), the
noun phrase after an inverted cue or "according to", and a sentence's subject."""

from __future__ import annotations

import re

from analysis.attribution.document import _Doc, _trim
from analysis.attribution.lexicons import title_words
from analysis.attribution.words import (
    _AUX,
    _BOUNDARY,
    _DETERMINERS,
    _GROUP_NOUNS,
    _INNER,
    _LEAD_DROP,
    _NOT_CONTENT_START,
    _NOUN_LIKE,
    _NP_FIRST,
    _NUMBERS,
    _PERSON_NOUNS,
    _PRONOUNS,
    _RELATIVE,
    _STOP,
    _TAG,
    _TIME_WORDS,
    Span,
    _ing_forms,
    cue_lexicon,
)


def _np_before(doc: _Doc, lo: int, pos: int) -> tuple[Span, Span] | None:
    """Subject noun phrase ending just before *pos* (after auxiliaries), and its appositive."""
    if pos - lo > 90:
        short = _np_before_in(doc, doc.tokens(pos - 90, pos))
        if short is not None and short[0][0] > pos - 60 and short[1][0] < 0:
            return short
    return _np_before_in(doc, doc.tokens(max(lo, pos - 220), pos))


def _np_before_in(doc: _Doc, toks: list[tuple[int, int, str]]) -> tuple[Span, Span] | None:
    i = len(toks) - 1
    while i >= 0 and (toks[i][2].lower() in _AUX or _is_adverb(toks[i][2])):
        i -= 1
    if i >= 0 and toks[i][2] in (")", "—", "–", "--", "-"):
        close = toks[i][2]
        i -= 1
        while i >= 0 and toks[i][2] != ("(" if close == ")" else close):
            i -= 1
        i -= 1
    chunks: list[tuple[int, int]] = []  # appositive chunks between commas, left to right
    if i >= 1 and toks[i][2].lower() == "who" and toks[i - 1][2] == ",":
        i -= 2
    elif i >= 0 and toks[i][2] == ",":
        k = _comma_before(toks, i)
        if k < 0 or k == i - 1:
            return None
        chunks.append((k + 1, i - 1))
        i = _skip_tags(toks, k - 1)
    got = _subject_tokens(toks, i)
    # "Zhang, a professor at the Center for American Studies, Fudan University, told":
    # a subject that is the object of a preposition, or a lower-case role ("dean of
    # ..."), is itself part of a longer appositive; the subject is before its comma.
    while chunks and got and len(chunks) < 4 and _inside_appositive(toks, got):
        k = _comma_before(toks, got[0])
        if k < 0:
            break
        wider = _subject_tokens(toks, _skip_tags(toks, k - 1))
        if not wider or not toks[wider[0]][2][0].isupper():
            break
        chunks.insert(0, (k + 1, got[-1]))
        got = wider
    if not got or all(toks[g][2].lower() in _DETERMINERS for g in got):
        return None
    if len(got) == 1 and not _head_ok(toks[got[0]][2]):
        return None
    return (toks[got[0]][0], toks[got[-1]][1]), _role_span(toks, chunks)


def _comma_before(toks: list[tuple[int, int, str]], i: int) -> int:
    """Index of the comma opening the chunk that ends before token *i*, else -1."""
    k = i - 1
    while k >= 0 and toks[k][2] not in ',.;:!?"“”()' and i - k < 40:
        k -= 1
    return k if k >= 0 and toks[k][2] == "," else -1


def _skip_tags(toks: list[tuple[int, int, str]], i: int) -> int:
    """Step back over age and party tags: "Leon, 63, an independent," / "Rubio, R-Fla.,"."""
    while i >= 2 and _TAG.fullmatch(toks[i][2]) and toks[i - 1][2] == ",":
        i -= 2
    if i >= 3 and toks[i][2] == "." and _TAG.fullmatch(toks[i - 1][2]) and toks[i - 2][2] == ",":
        i -= 3
    return i


def _inside_appositive(toks: list[tuple[int, int, str]], got: list[int]) -> bool:
    """Whether subject tokens *got* are part of a role rather than a subject: they follow
    a preposition ("at the Center ...") or open with a lower-case role noun ("dean of")."""
    before = toks[got[0] - 1][2].lower() if got[0] > 0 else ""
    first = toks[got[0]][2]
    if before in _INNER:
        return True
    words = {toks[g][2].lower() for g in got}
    return first[0].islower() and first.lower() not in _NP_FIRST and bool(words & _INNER)


def _role_span(toks: list[tuple[int, int, str]], chunks: list[tuple[int, int]]) -> Span:
    """The role: the first appositive chunk, with following chunks that continue an
    institution's name (", Fudan University"); a clause (", when speaking ...") is not."""
    if not chunks or toks[chunks[0][0]][2].lower() in _RELATIVE:
        return (-1, -1)
    first, last = chunks[0]
    for a, b in chunks[1:]:
        if not toks[a][2][0].isupper():
            break
        last = b
    return (toks[first][0], toks[last][1])


def _subject_tokens(toks: list[tuple[int, int, str]], i: int) -> list[int]:
    """Indexes of the subject noun phrase ending at token *i*, read backwards."""
    got: list[int] = []
    j = i
    while j >= 0 and len(got) < 12:
        word = toks[j][2]
        low = word.lower()
        if not word[0].isalnum() or low in _STOP or (word[0].islower() and low in cue_lexicon()):
            joins = low == "and" and got and j > 0 and _joins(toks[j - 1][2], toks[got[-1]][2])
            ratio = low == "in" and got and j > 0 and toks[got[-1]][2].isdigit()
            if not (joins or (ratio and toks[j - 1][2].lower() in _NUMBERS)):
                break
        elif _is_adverb(word) or (low in _INNER and low != "of" and not _inner_joins(toks, j, got)):
            break
        elif word[0].islower() and low.endswith("ed") and len(low) > 4:
            if not (j > 0 and toks[j - 1][2].lower() in _DETERMINERS):
                break
        got.append(j)
        j -= 1
    got.reverse()
    while got and _leading_junk(toks, got):
        got.pop(0)
    return got


def _inner_joins(toks: list[tuple[int, int, str]], j: int, got: list[int]) -> bool:
    """Whether preposition *j* stays inside a subject read backwards: before a capitalised
    word ("Zhang from Fudan University"), or before "the" + a capitalised word after a
    name ("Price from the Commerce Department")."""
    if not got:
        return False
    nxt = toks[got[-1]][2]
    if nxt[0].isupper():
        return True
    return (
        nxt == "the"
        and len(got) >= 2
        and toks[got[-2]][2][0].isupper()
        and j > 0
        and toks[j - 1][2][0].isupper()
    )


def _leading_junk(toks: list[tuple[int, int, str]], got: list[int]) -> bool:
    """Whether the first word of a subject is an adverb or time word to drop ("Earlier",
    "Last week"); "this"/"last"/"next" only before a time word ("this source" stays)."""
    low = toks[got[0]][2].lower()
    if low in ("this", "last", "next"):
        return len(got) > 1 and toks[got[1]][2].lower() in _TIME_WORDS
    return low in _LEAD_DROP or low in _INNER


def _head_ok(word: str) -> bool:
    """Whether a one-word subject can be a speaker: a name, pronoun or plural/person noun."""
    low = word.lower()
    if low == "of":
        return False
    if word[0].isupper():
        return not word.isdigit()
    return low in _PRONOUNS or low in _PERSON_NOUNS or (low.endswith("s") and len(low) > 3)


def _joins(before: str, after: str) -> bool:
    return (before[0].isupper() and after[0].isupper()) or before.lower() in _GROUP_NOUNS


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word.islower()


def _np_after(doc: _Doc, pos: int, hi: int, *, loose: bool = False) -> tuple[Span, Span] | None:
    """Noun phrase starting at *pos* ("said Yang", "according to Chinese experts");
    *loose* accepts any first word ("according to recent data")."""
    toks = doc.tokens(pos, min(hi, pos + 220))
    if (titled := _titled_name(doc, toks)) is not None:
        return titled
    got: list[int] = []
    for j, (_, _, word) in enumerate(toks):
        low = word.lower()
        in_name = got and word[0].isupper() and toks[got[-1]][2][0].isupper()
        # "the US State Department"; "according to a report", "the state Division"
        cue_word = low in cue_lexicon() and not in_name and not (loose and low in _NOUN_LIKE)
        if len(got) >= 10 or not word[0].isalnum() or low in _STOP or cue_word:
            nxt = [t[2] for t in toks[j + 1 : j + 3]]
            if not (low == "by" and got and nxt and (nxt[0][0].isupper() or nxt[0] == "the")):
                break
        if got and word[0].islower() and low.endswith("ed") and len(low) > 4:
            break
        next_is_name = j + 1 < len(toks) and toks[j + 1][2][:1].isupper()
        title = low in title_words() and next_is_name  # "Foreign Ministry spokesperson Li"
        if got and word[0].islower() and low not in _INNER and toks[got[-1]][2][0].isupper():
            names = [toks[g][2] for g in got if toks[g][2].lower() not in ("the", "a", "an")]
            if low.endswith("ed") or (len(names) >= 2 and not title):
                break
        if low in _INNER and not (j + 1 < len(toks) and toks[j + 1][2][:1].isupper()):
            if not (j + 2 < len(toks) and toks[j + 1][2] == "the"):
                break
        got.append(j)
    if not got or all(toks[g][2].lower() in ("a", "an", "the") for g in got):
        return None
    first = toks[got[0]][2].lower()
    if not (loose or toks[got[0]][2][0].isupper() or first in _NP_FIRST or first in title_words()):
        return None
    end = got[-1] + 1
    role: Span = (-1, -1)
    if end + 1 < len(toks) and toks[end][2] == ",":
        r = end + 1
        first_role = toks[r][2]
        if first_role[0].islower() or first_role in ("The", "A", "An"):
            k = r
            while k < len(toks) and toks[k][2] not in ',.;:!?"“”()':
                k += 1
            words = {t[2].lower() for t in toks[r:k]}
            if k > r and not words & _ing_forms() and first_role.lower() not in _RELATIVE:
                role = (toks[r][0], toks[k - 1][1])
    return (toks[got[0]][0], toks[got[-1]][1]), role


def _titled_name(doc: _Doc, toks: list[tuple[int, int, str]]) -> tuple[Span, Span] | None:
    """A long title and a name after an inverted cue: "said Assistant Minister of Commerce
    and chief trade negotiator Pan Jingwen", "said Chinese Ministry of Ecology and
    Environment spokesperson Hu Xiaomei". The title holds a title word, has no verb, and
    the name (two to four capitalised words) ends the phrase."""
    has_title, j = False, 0
    while j < min(len(toks), 14):
        word = toks[j][2]
        low = word.lower()
        if word[:1].isupper() and j >= 1 and has_title:
            k = j
            while k < len(toks) and k - j < 4 and toks[k][2][:1].isupper():
                k += 1
            after = toks[k][2] if k < len(toks) else "."
            name_ok = 2 <= k - j <= 4 and not any(
                toks[i][2].lower().rstrip(".") in title_words() for i in range(j, k)
            )
            if name_ok and (after in ",.;:!?" or after.lower() in _BOUNDARY):
                return (toks[0][0], toks[k - 1][1]), _after_role(toks, k)
        if not word[0].isalpha():
            return None
        if word[:1].islower() and (low in cue_lexicon() or (low in _STOP and low != "and")):
            return None
        if word[:1].islower() and low.endswith("ed") and len(low) > 4:
            return None
        has_title = has_title or low.rstrip(".") in title_words()
        j += 1
    return None


def _after_role(toks: list[tuple[int, int, str]], k: int) -> Span:
    """An appositive after an inverted subject: ", executive director of X," (not ", who")."""
    if k + 1 >= len(toks) or toks[k][2] != ",":
        return (-1, -1)
    r = k + 1
    first = toks[r][2]
    if not (first[0].islower() or first in ("The", "A", "An")) or first.lower() in _RELATIVE:
        return (-1, -1)
    e = r
    while e < len(toks) and toks[e][2] not in ',.;:!?"“”()':
        e += 1
    words = {t[2].lower() for t in toks[r:e]}
    return (toks[r][0], toks[e - 1][1]) if e > r and not words & _ing_forms() else (-1, -1)


def _plain_subject(words: str) -> bool:
    """A pronoun, a name, or a short noun phrase: not "Schlafly put her finger"."""
    first, *rest = words.split()
    if first.lower() in _PRONOUNS:
        return not rest
    if all(w[0].isupper() or w in _INNER for w in words.split()):
        return True
    return first.lower() in _DETERMINERS and len(rest) <= 3


def _shared_subject(doc: _Doc, ss: int, se: int, cs: int) -> tuple[int, Span, Span] | None:
    """Speaker of a cue without its own subject (", adding ...", "... and said ..."):
    the previous utterance in the sentence, else the sentence's subject."""
    for i in range(len(doc.utts) - 1, -1, -1):
        if doc.utts[i].cue_span[0] < ss:
            break
        if doc.utts[i].cue_span[0] < cs:
            return i, doc.utts[i].mention, (-1, -1)
    start = ss
    toks = doc.tokens(ss, min(cs, ss + 200))
    first = toks[0][2].lower() if toks else ""
    opener = first in _LEAD_DROP or first in _STOP or first in _NOT_CONTENT_START
    if opener or first == "despite" or (first.endswith(("ing", "ed")) and len(first) > 4):
        comma = next((t for t in toks if t[2] == ","), None)
        if comma is None:
            return None
        start = comma[1]
    subject = _np_after(doc, _trim(doc.text, start, se)[0], cs)
    if subject is None:
        return None
    (ms, me), role = subject
    if not _plain_subject(doc.text[ms:me]):
        name = re.match(r"(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*", doc.text[ms:me])
        if name is None:
            return None
        me, role = ms + name.end(), (-1, -1)  # "Rowan put it more simply:" -> Rowan
    return -1, (ms, me), role
