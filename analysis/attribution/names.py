"""Names, titles and groups in speaker mentions: the name after a title, the key a
later surname uses, group and institution patterns, titles written before a name, and
what is never a canonical speaker."""

from __future__ import annotations

import re
from functools import cache

from analysis.attribution.lexicons import (
    _DETERMINERS,
    Speaker,
    _chinese_surnames,
    _org_words,
    attribution_words,
    group_patterns,
    title_words,
)
from analysis.attribution.sides import infer_side

_COMMON_WORDS = frozenset(
    "experts expert analysts analyst observers observer scholars scholar academics insiders "
    "commentators officials official diplomats lawmakers politicians sources critics officers "
    "netizens people residents citizens voters supporters media press reports outlets some many "
    "most several other others few".split()
)

_SCHOLAR_GROUP = re.compile(r"expert|analyst|observer|scholar|academic|insider|commentator", re.I)

_MASS_NOUNS = frozenset("people media press".split())

_NAME_WORD = r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Jr|St|[A-Z])\.|[A-Z][\w'’-]*)"

_NAME_RUN = re.compile(
    rf"(?<![\w.])(?=[A-Z]){_NAME_WORD}"
    rf"(?:\s+(?:(?:of|de|van|von|bin|al|da|di|le|la)\s+)?(?=[A-Z]){_NAME_WORD})+"
)

_CONNECTORS = ("of", "to", "the", "for", "and", "on", "in")

_NON_NAME = frozenset(
    "The A An But And In On At For This That These Those It He She They We I If When While "
    "After Before As Also However Meanwhile Earlier Later Last Next Then Now So Yet Still "
    "According Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April May June July August September October November December Chinese China "
    "US U.S. American America Beijing Washington Taiwan Hong Kong Xinjiang Anchorage Alaska "
    "United States Republican Republicans Democrat Democrats Democratic GOP Mr. Mrs. Ms. "
    "Dr.".split()
)


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split words into (title, name): the name is the capitalised run after the last title word."""
    titles = title_words()
    cut = len(words)
    while cut > 0:
        w = words[cut - 1]
        if not w[:1].isupper() or w in _NON_NAME or w.lower().rstrip(".") in titles:
            break
        cut -= 1
    return words[:cut], words[cut:]


def name_key(name: str) -> str:
    """The word a later surname-only mention uses: first word of Chinese names, else last."""
    words = name.split()
    if len(words) == 2 and words[0] in _chinese_surnames():
        return words[0]
    return words[-1]


def _strip_determiner(mention: str) -> str:
    words = mention.split()
    while len(words) > 1 and words[0].lower() in _DETERMINERS and words[1] not in ("in", "of"):
        words = words[1:]
    return " ".join(words)


@cache
def _group_regex() -> re.Pattern[str]:
    alternatives = (f"(?P<g{i}>{p.pattern})" for i, (p, *_) in enumerate(group_patterns()))
    return re.compile("|".join(alternatives), re.IGNORECASE)


@cache
def _group_search() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_group_regex().pattern})(?!\w)", re.IGNORECASE)


def match_group(mention: str) -> Speaker | None:
    """The ``data/groups.csv`` row whose pattern matches the whole mention, as a Speaker."""
    mention = mention.strip()
    bare = _strip_determiner(mention)
    m = _group_regex().fullmatch(bare) or _group_regex().fullmatch(mention)
    if m is None:
        return None
    _, speaker, speaker_type, side = group_patterns()[int(m.lastgroup[1:])]
    name = bare if speaker == "{mention}" else speaker
    first, _, rest = name.partition(" ")
    if first.lower() in _COMMON_WORDS:
        name = " ".join([first.lower(), rest]).strip()
    if side == "infer":
        side = infer_side(bare, speaker_type=speaker_type)
        side = "other" if side == "media" else side
        if side.endswith("official") and _SCHOLAR_GROUP.search(bare):
            side = side.replace("official", "scholar")
    last = name.split()[-1].lower()
    if speaker_type == "group" and not last.endswith("s") and last not in _MASS_NOUNS:
        speaker_type = "person"
    return Speaker(name, speaker_type, side, "")


def _title_text(mention: str, name: list[str]) -> str:
    """The words of *mention* before its name, as written ("Foreign Ministry spokesperson")."""
    return mention[: mention.rfind(name[0])].strip(" ,")


def _title_before(text: str, start: int) -> str:
    """The title written before a name at *start* ("Ambassador to the U.S." Chen Hua,
    "Chinese Foreign Ministry spokesperson" Zhao Lijian), else ``""``."""
    m = _title_run().search(text, max(0, start - 120), start)
    if m is None:
        return ""
    words = m[0].split()
    for i in range(len(words) - 2, -1, -1):
        w = words[i]
        if words[i + 1] == "and" and w[:1].isupper() and not _title_or_org(w):
            words = words[i + 1 :]  # "Antony Blinken and National Security Advisor"
            break
    while words and words[0].lower() in _CONNECTORS:
        words.pop(0)
    if not any(w.lower().rstrip(".") in title_words() for w in words):
        return ""
    return " ".join(words)


def _title_or_org(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in title_words() or low in _org_words() or word in _NON_NAME


@cache
def _title_run() -> re.Pattern[str]:
    titles = "|".join(sorted(title_words(), key=len, reverse=True))
    return re.compile(
        r"(?:(?:[A-Z][\w.'’-]*|" + "|".join(_CONNECTORS) + r"|(?:" + titles + r"))\s+)+$"
    )


def _institution_in(context: str) -> Speaker | None:
    """The last institution that *context* names ("At a White House press briefing")."""
    found = None
    for m in _group_search().finditer(context):
        group = match_group(m[0])
        if group is not None and group.speaker_type == "institution":
            found = group
    return found


def _is_junk(name: str) -> bool:
    """A canonical speaker is never only function words, determiners or titles."""
    words = [w.lower().strip(".,'’") for w in name.split()]
    sets = attribution_words()
    junk = sets["stop"] | sets["determiners"] | sets["pronouns"] | title_words()
    return bool(words) and all(w in junk or not w for w in words)
