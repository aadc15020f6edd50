"""Target mentions in a document: where each target is named, sentence by sentence.

Each alias is compiled by :func:`analysis.text.lexicon.term_regex`, the framing
lexicon's matcher, so both follow the same rules (whole words, multi-word terms
across spaces, hyphens and quote marks, possessives). A mention must lie inside one
sentence of the sentence table (titles, headings, body and captions). Where matches
overlap, the longest wins (the earlier among equals) and the text counts once.
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


@lru_cache(maxsize=8192)
def _compiled(alias: str, case_sensitive: bool) -> tuple[re.Pattern[str], str]:
    """The alias's pattern and the literal its every match starts with (lower-cased
    unless case-sensitive); cached, so an alias is compiled once per process."""
    first = re.split(r"[\s\-]+", alias.strip())[0].rstrip("*")
    pattern = term_regex(alias, case_sensitive=case_sensitive)
    return pattern, first if case_sensitive else first.lower()


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


def _finditer(
    pattern: re.Pattern[str], probe: str, text: str, haystack: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only where *probe* occurs in
    *haystack* (the text, or its lower-cased copy of the same length)."""
    end = 0
    at = haystack.find(probe)
    while at >= 0:
        if at >= end:
            match = pattern.match(text, at)
            if match:
                yield match
                end = match.end()
        at = haystack.find(probe, at + 1)


def _matches(
    text: str, aliases: Sequence[Alias], resolved: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str, str]]:
    """``(start, end, target, side)`` of every alias match, surnames resolved."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    # an alias's first word locates its matches (where case folding cannot mislead)
    caseless_safe = _caseless_safe(text)
    found: list[tuple[int, int, str, str]] = []
    surnames: list[tuple[int, int, Alias]] = []
    for alias in aliases:
        # a cheap test first: an alias can only match where all its words occur
        whole, partial = _alias_words(alias.alias)
        if not whole <= words or not all(w in lowered for w in partial):
            continue
        pattern, probe = _compiled(alias.alias, alias.case_sensitive)
        if alias.case_sensitive:
            found_here = _finditer(pattern, probe, text, text)
        elif caseless_safe and probe.isascii():
            found_here = _finditer(pattern, probe, text, lowered)
        else:
            found_here = pattern.finditer(text)
        for m in found_here:
            if alias.surname:
                surnames.append((m.start(), m.end(), alias))
            else:
                found.append((m.start(), m.end(), alias.target, alias.side))
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
