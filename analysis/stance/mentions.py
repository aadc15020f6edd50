"""Target mentions in a document: where each target is named, sentence by sentence.

An alias matches as :func:`analysis.text.lexicon.term_regex`, the framing lexicon's
matcher, would find it, so both follow the same rules (whole words, multi-word terms
across spaces, hyphens and quote marks, possessives); for speed it is tried only where
its first word occurs, and a plain alias is checked there by hand rather than compiled
(:func:`_spans`). A mention must lie inside one sentence of the sentence table (titles,
headings, body and captions). Where matches overlap, the longest wins (the earlier
among equals) and the text counts once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

import pandas as pd

from analysis.stance.targets import Alias
from analysis.text.lexicon import term_regex

MENTION_COLUMNS = ["target", "target_side", "start", "end", "mention", "sentence_id"]


_WORD = re.compile(r"\w+")


@cache
def _alias_words(alias: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """What a text must hold for *alias* to match in it: the alias's words, lower-cased,
    that are whole ``\\w+`` words of any match, and the other word beginnings (a word
    ending in * right after its leading word characters, or starting with none)."""
    whole, partial = set(), []
    for part in alias.replace("-", " ").split():
        word = _WORD.match(part)
        if word is None:
            partial.append(part.rstrip("*").lower())
        elif part.endswith("*") and word.end() == len(part) - 1:
            partial.append(word.group().lower())
        else:
            whole.add(word.group().lower())
    return frozenset(whole), tuple(partial)


#: What may join the words of a multi-word alias (the lexicon's ``_JOINER``).
_JOINERS = frozenset(" -'\"")


@lru_cache(maxsize=8192)
def _compiled(alias: str, case_sensitive: bool) -> re.Pattern[str]:
    """The alias's pattern, compiled once per process (re's own cache holds 512)."""
    return term_regex(alias, case_sensitive=case_sensitive)


@cache
def _parts(alias: str, case_sensitive: bool) -> tuple[tuple[str, ...], bool]:
    """The alias's words as its pattern matches them (lower-cased unless
    case-sensitive), and whether they are plain: no word ending in ``*``, none after
    the first starting with a joining character (so no backtracking is needed)."""
    parts = tuple(p for p in re.split(r"[\s\-]+", alias.strip()) if p)
    plain = bool(parts) and not any(p.endswith("*") for p in parts)
    plain = plain and not any(p[0] in _JOINERS for p in parts[1:])
    if not case_sensitive:
        parts = tuple(p.lower() for p in parts)
    return parts, plain


def _is_word(c: str) -> bool:
    """Whether *c* is a regex ``\\w`` character (alphanumeric or the underscore)."""
    return c.isalnum() or c == "_"


def _caseless_safe(text: str) -> bool:
    """Whether lower-casing *text* keeps every offset and none of its non-ASCII
    characters can match an ASCII letter regardless of case (the Kelvin sign "K" does
    "k", the long "ſ" does "s"): then an ASCII word's case-insensitive matches start
    where its lower-cased form occurs in the lower-cased text."""
    for c in {c for c in set(text) if not c.isascii()}:
        forms = c.lower() + c.upper() + c.casefold()
        if len(c.lower()) != 1 or any(x.isascii() and x.isalpha() for x in forms):
            return False
    return True


def _spans(alias: Alias, text: str, lowered: str, caseless_safe: bool) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the alias's matches, as ``term_regex(alias).finditer(text)``
    gives them.

    Every match starts with the alias's first word, literally, or lower-cased in the
    lower-cased text for a case-insensitive alias (when *caseless_safe*, see
    :func:`_caseless_safe`), so ``str.find`` locates the candidates. A plain alias
    (see :func:`_parts`) is then checked by hand: no word character before, the words
    joined by one or more spaces, hyphens or quote marks, no word character after;
    any other is checked by its pattern, which sees the character before too.
    Candidates inside the previous match are skipped, as ``finditer`` does.
    """
    parts, plain = _parts(alias.alias, alias.case_sensitive)
    if not alias.case_sensitive and not (caseless_safe and "".join(parts).isascii()):
        yield from (m.span() for m in _compiled(alias.alias, False).finditer(text))
        return
    hay = text if alias.case_sensitive else lowered
    pattern = None if plain else _compiled(alias.alias, alias.case_sensitive)
    probe = parts[0].rstrip("*") if parts else ""
    n, end = len(text), 0
    at = hay.find(probe)
    while at >= 0:
        if at >= end:
            if pattern is not None:
                match = pattern.match(text, at)
                stop = match.end() if match else -1
            else:
                stop = _plain_match(parts, text, hay, at, n)
            if stop >= 0:
                yield at, stop
                end = stop
        at = hay.find(probe, at + 1)


def _plain_match(parts: tuple[str, ...], text: str, hay: str, at: int, n: int) -> int:
    """End of a plain alias's match starting at *at* (where its first word is), or -1."""
    if at > 0 and _is_word(text[at - 1]):
        return -1
    q = at + len(parts[0])
    for part in parts[1:]:
        r = q
        while r < n and text[r] in _JOINERS:
            r += 1
        if r == q or not hay.startswith(part, r):
            return -1
        q = r + len(part)
    if q < n and _is_word(text[q]):
        return -1
    return q


def _matches(
    text: str, aliases: Sequence[Alias], resolved: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str, str]]:
    """``(start, end, target, side)`` of every alias match, surnames resolved."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    caseless_safe = _caseless_safe(text)
    found: list[tuple[int, int, str, str]] = []
    surnames: list[tuple[int, int, Alias]] = []
    for alias in aliases:
        # a cheap test first: an alias can only match where all its words occur
        whole, partial = _alias_words(alias.alias)
        if not whole <= words or not all(w in lowered for w in partial):
            continue
        for start, end in _spans(alias, text, lowered, caseless_safe):
            if alias.surname:
                surnames.append((start, end, alias))
            else:
                found.append((start, end, alias.target, alias.side))
    if surnames:
        named = sorted((s, t) for s, _, t, _ in found)
        named_starts = [s for s, _ in named]
        for start, end, alias in surnames:
            people = dict(alias.people)
            target = next((n for a, b, n in resolved if a <= start and end <= b), None)
            if target not in people:
                # the person among them whose full name appeared last before the surname
                i = bisect.bisect_left(named_starts, start) - 1
                while i >= 0 and named[i][1] not in people:
                    i -= 1
                target = named[i][1] if i >= 0 else None
            if target is not None:
                found.append((start, end, target, people[target]))
    return found


def _longest_first(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop every match overlapping a longer (or equally long, earlier) one."""
    kept: list[tuple[int, int, str, str]] = []
    starts: list[int] = []
    for match in sorted(found, key=lambda m: (m[0] - m[1], m[0], m[2])):
        i = bisect.bisect_left(starts, match[0])
        if i > 0 and kept[i - 1][1] > match[0]:
            continue
        if i < len(kept) and kept[i][0] < match[1]:
            continue
        starts.insert(i, match[0])
        kept.insert(i, match)
    return kept


def find_mentions(
    text: str,
    sentences: pd.DataFrame,
    aliases: Sequence[Alias],
    *,
    resolved: Sequence[tuple[int, int, str]] = (),
) -> pd.DataFrame:
    """Every target mention of one document, in text order.

    Parameters
    ----------
    text : the document text (``Document.text``); offsets index it.
    sentences : its sentence table (sentence_id, start, end).
    aliases : what to look for (:func:`analysis.stance.targets.document_targets`).
    resolved : speaker mentions the attribution already resolved, ``(start, end, name)``:
        a bare surname inside one is that person ("Zhang from Fudan University").

    Returns
    -------
    DataFrame
        target, target_side, start, end (offsets into *text*), mention (the text
        matched), sentence_id.
    """
    if sentences.empty:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    bounds = (sentences["start"].tolist(), sentences["end"].tolist())
    rows = mention_rows(text, bounds, sentences["sentence_id"].tolist(), aliases, resolved)
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def mention_rows(
    text: str,
    bounds: tuple[list[int], list[int]],
    sentence_ids: list,
    aliases: Sequence[Alias],
    resolved: Sequence[tuple[int, int, str]] = (),
) -> list[tuple]:
    """The rows of :func:`find_mentions` as tuples, from the sentences' (starts, ends)
    *bounds* and ids as lists (for callers that build their own table)."""
    starts, ends = bounds
    rows = []
    for start, end, target, side in _longest_first(_matches(text, aliases, resolved)):
        s = bisect.bisect_right(starts, start) - 1
        if s < 0 or end > ends[s]:
            continue
        rows.append((target, side, start, end, text[start:end], sentence_ids[s]))
    return rows
