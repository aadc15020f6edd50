"""Which side a speaker is on, from what the role and mention state (see
:func:`infer_side`; the rules are in :mod:`analysis.attribution.speakers`)."""

from __future__ import annotations

import re

from analysis.attribution.lexicons import _org_words, _side_rules

#: Field names that mention a country without being an affiliation ("American Studies").
_TOPIC = re.compile(
    r"\b(?:American|US|U\.S\.|China|Chinese|Sino-US|China-US|US-China)\s+"
    r"(?:Studies|studies|affairs|Affairs|policy|Policy|relations|Relations)\b"
)

#: Where a role names its employer: the phrase after the last "at"/"with" ("director of
#: the China Studies Program at a Washington think tank" works in Washington).
_EMPLOYER = re.compile(r".*\b(?:at|with)\s+(.+)$", re.DOTALL)

#: A role's head: the words before its first preposition.
_HEAD = re.compile(r".*?(?=\s(?:of|on|for|in|at|with|to)\s|$)", re.DOTALL)

#: A named institution: capitalised words joined by of/the/for/and.
_ORG_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|and|the|on)\s+)*[A-Z][\w'’.-]*)*")

#: "Chinese and US diplomats": a mixed group has no one side.
_BOTH = re.compile(
    r"\b(?:chin(?:a|ese)|beijing)\s+and\s+(?:the\s+)?(?:us|u\.s\.|american|washington)\b"
    r"|\b(?:us|u\.s\.|american|washington)\s+and\s+(?:chin(?:a|ese)|beijing)\b",
    re.IGNORECASE,
)


def infer_side(text: str, *, speaker_type: str = "person") -> str:
    """Side from what *text* (role and mention) states, by the rules in the module notes.

    The country is the employer's (the phrase after the last "at"/"with"), else the
    first country word outside study fields ("Center for American Studies", "China
    policy"); a mixed group ("Chinese and US diplomats") or no country at all gives
    ``unknown``, never a guess.
    """
    if speaker_type == "unknown":
        return "unknown"
    rules = _side_rules()
    text = _TOPIC.sub(" ", text)
    if rules["media"].search(text) and not rules["official"].search(text):
        return "media"
    country = _country(text, rules)
    if country is None:
        return "unknown"
    if rules["scholar"].search(text):
        return f"{country} scholar"
    if rules["official"].search(text):
        return f"{country} official"
    return "other"


def _country(text: str, rules: dict[str, re.Pattern[str]]) -> str | None:
    """``Chinese``, ``US`` or None, from the first scope that states a country: the
    employer after the last "at"/"with"; the head before any "of"/"on"/"for"/"in"
    ("US Secretary of State", "Chinese experts"); a named institution ("of the CPC
    Central Committee"). A mixed head ("Chinese and US diplomats") states none."""
    employer = _EMPLOYER.match(text)
    head = _HEAD.match(text)
    scopes = [employer[1] if employer else "", head[0] if head else ""]
    scopes += [m[0] for m in _ORG_RUN.finditer(text) if _is_institution(m[0].split())]
    for scope in scopes:
        if _BOTH.search(scope):
            return None
        china, us = rules["china"].search(scope), rules["us"].search(scope)
        if china and us:
            return "Chinese" if china.start() < us.start() else "US"
        if china or us:
            return "Chinese" if china else "US"
    return None


def _is_institution(words: list[str]) -> bool:
    return any(w.lower().rstrip(".") in _org_words() for w in words)
