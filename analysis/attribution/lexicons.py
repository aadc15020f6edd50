"""The data files speaker resolution reads (``analysis/data/``): the registry of known
people, group and institution patterns, side keywords, pronouns, titles, institution
words, Chinese surnames and the attribution word sets; and the :class:`Speaker` record."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

SIDES = (
    "Chinese official",
    "Chinese scholar",
    "US official",
    "US scholar",
    "media",
    "other",
    "unknown",
)

_DETERMINERS = frozenset(
    "the a an some many most several other others one two three four five few all both "
    "any each these those this that".split()
)


def _data(name: str) -> str:
    return resources.files("analysis").joinpath(f"data/{name}").read_text("utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in _data(name).splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _word_list(name: str) -> frozenset[str]:
    return frozenset(
        ln.strip() for ln in _data(name).splitlines() if ln.strip() and not ln.startswith("#")
    )


@cache
def attribution_words() -> dict[str, frozenset[str]]:
    """The named word sets of ``data/attribution_words.txt`` (grammar the rules read)."""
    sets = {}
    for line in _data("attribution_words.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, words = line.partition(":")
            sets[name.strip()] = frozenset(words.split())
    return sets


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: canonical name, speaker type, side and role."""

    speaker: str
    speaker_type: str
    side: str
    role: str


UNKNOWN = Speaker("", "unknown", "unknown", "")


@cache
def registry() -> dict[str, Speaker]:
    """``data/speakers.csv`` keyed by lower-cased name and every alias."""
    out: dict[str, Speaker] = {}
    for row in _csv_rows("speakers.csv"):
        entry = Speaker(row["name"], row["speaker_type"] or "person", row["side"], row["role"])
        for alias in [row["name"], *row["aliases"].split("|")]:
            if alias.strip():
                out[alias.strip().lower()] = entry
    return out


@cache
def group_patterns() -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    """``data/groups.csv`` compiled: (pattern, speaker, speaker_type, side)."""
    return tuple(
        (re.compile(r["pattern"], re.IGNORECASE), r["speaker"], r["speaker_type"], r["side"])
        for r in _csv_rows("groups.csv")
    )


@cache
def _side_rules() -> dict[str, re.Pattern[str]]:
    rules: dict[str, list[str]] = {}
    for row in _csv_rows("side_keywords.csv"):
        rules.setdefault(row["class"], []).append(row["keyword"])
    return {
        cls: re.compile(r"(?<![\w.])(?:" + "|".join(words) + r")s?(?![\w])", re.IGNORECASE)
        for cls, words in rules.items()
    }


@cache
def _pronouns() -> dict[str, str]:
    return {r["pronoun"]: r["refers_to"] for r in _csv_rows("pronouns.csv")}


@cache
def title_words() -> frozenset[str]:
    """The title words of ``data/speaker_titles.txt`` (lower case)."""
    return _word_list("speaker_titles.txt")


@cache
def _org_words() -> frozenset[str]:
    return _word_list("org_words.txt")


@cache
def _chinese_surnames() -> frozenset[str]:
    return _word_list("chinese_surnames.txt")
