"""Who a speaker mention refers to: canonical name, speaker type, side and role.

:class:`SpeakerResolver` turns the mention an utterance's cue points at ("he",
"Zhang", "Chinese Premier Li Keqiang", "the Chinese side", "experts") into a
canonical speaker, one document at a time. :func:`speaker_table` then merges
the same canonical speaker across documents.

Decisions
---------
- **Per document.** A resolver sees one text; a surname never resolves to a
  full name from another document. ``speaker_table`` merges by the canonical
  full name only.
- **Names.** A person's name is the run of capitalised words after the last
  title word (``data/speaker_titles.txt``): "US Secretary of State Antony
  Blinken" -> "Antony Blinken", "spokesperson Zhao Lijian" -> "Zhao Lijian";
  the title words become the role when there is no appositive. A two-word name
  whose first word is a common Chinese surname (``data/chinese_surnames.txt``)
  is keyed by that word ("Zhang Jiadong" -> "Zhang"), other names by their last
  word ("Jake Sullivan" -> "Sullivan"). Capitalised runs holding an institution
  word (``data/org_words.txt``: University, House, Times...) are institutions.
- **Surnames** resolve to the most recent full name with that key before the
  mention, anywhere in the text (not only among speakers), unless the mention
  carries a qualifier ("Zhang from Fudan University", "Yang of the China
  Institute of International Studies") that occurs in one candidate's role:
  that candidate wins.
- **Pronouns** (``data/pronouns.csv``): he/she -> the person in focus (the most
  recent person speaker, else the most recent full name before the mention);
  they/it -> the most recent group or institution speaker; I/we -> the writer,
  which stays unresolved. Unresolved mentions get speaker ``""`` and
  speaker_type/side ``"unknown"``.
- **Title-only mentions** ("the spokesperson", "the professor") resolve to the
  most recent person whose role holds that title word.
- **Groups and institutions** come from the patterns in ``data/groups.csv``
  ("the Chinese side", "the White House", "experts", "the Global Times"); a
  singular match ("a senior official") is a person. "A statement by the White
  House" resolves to the White House. Other lower-case mentions keep their words
  ("four in 10", "the report"): ``group`` when plural or a share, else ``unknown``.
- **Role**: the appositive the attribution found, else the longer of the
  document's first appositive/title for that name and the mention's own title,
  else the registry's role.
- **Side**: the registry ``data/speakers.csv`` first; then the group pattern's
  side; then keyword rules over role + mention (``data/side_keywords.csv``):
  the first country keyword decides Chinese/US (study fields such as "Center for
  American Studies" are not affiliations and are ignored), media words give
  ``media``, scholar words ``<country> scholar``, official words
  ``<country> official``; anything else is ``other``.

speaker_type is ``person``, ``institution``, ``group`` (plural people:
experts, officials) or ``unknown``; side is one of ``Chinese official``,
``Chinese scholar``, ``US official``, ``US scholar``, ``media``, ``other``, or
``unknown`` when the speaker is.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

SPEAKER_TABLE_COLUMNS = [
    "speaker",
    "speaker_type",
    "side",
    "role",
    "n_utterances",
    "words_quoted",
    "n_documents",
    "doc_ids",
]
SIDES = ("Chinese official", "Chinese scholar", "US official", "US scholar", "media", "other")

_COMMON_WORDS = frozenset(
    "experts expert analysts analyst observers observer scholars scholar academics insiders "
    "commentators officials official diplomats lawmakers politicians sources critics officers "
    "netizens people residents citizens voters supporters media press reports outlets some many "
    "most several other others few".split()
)
_SCHOLAR_GROUP = re.compile(r"expert|analyst|observer|scholar|academic|insider|commentator", re.I)
_SHARE = re.compile(r"\b\w+ in \d+\b|\bpercent\b|%")
_MASS_NOUNS = frozenset("people media press".split())
_DETERMINERS = frozenset(
    "the a an some many most several other others one two three four five few all both "
    "any each these those this that".split()
)
_NAME_WORD = r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Jr|St|[A-Z])\.|[A-Z][\w'’-]*)"
_NAME_RUN = re.compile(
    rf"(?<![\w.])(?=[A-Z]){_NAME_WORD}"
    rf"(?:\s+(?:(?:of|de|van|von|bin|al|da|di|le|la)\s+)?(?=[A-Z]){_NAME_WORD})+"
)
_APPOSITIVE = re.compile(r",\s+((?:[a-z]|the |a |an |The |A |An )[^,;:.“”\"]{2,160}?)(?=,|\.\s|$)")
#: Field names that mention a country without being an affiliation ("American Studies").
_TOPIC = re.compile(
    r"\b(?:American|US|U\.S\.|China|Chinese|Sino-US)\s+(?:Studies|studies|affairs)\b"
)
_DOCUMENT_OF = re.compile(
    r"(?:a |an |the )?(?:[\w-]+ )?(?:statement|report|readout|release|transcript|survey|poll|study|"
    r"memo|letter|document|analysis)s? (?:by|from|of|released by|issued by) (.+)$",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(r"\s+(?:from|of|at|with)\s+(?:the\s+)?(.+)$")
_NON_NAME = frozenset(
    "The A An But And In On At For This That These Those It He She They We I If When While "
    "After Before As Also However Meanwhile Earlier Later Last Next Then Now So Yet Still "
    "According Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April May June July August September October November December Chinese China "
    "US U.S. American America Beijing Washington Taiwan Hong Kong Xinjiang Anchorage Alaska "
    "United States Republican Republicans Democrat Democrats Democratic GOP Mr. Mrs. Ms. "
    "Dr.".split()
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


def infer_side(text: str, *, speaker_type: str = "person") -> str:
    """Side from keywords in *text* (role and mention), by the rules in the module notes.

    Study fields ("Center for American Studies") are not affiliations and are ignored.
    """
    if speaker_type == "unknown":
        return "unknown"
    rules = _side_rules()
    text = _TOPIC.sub(" ", text)
    if rules["media"].search(text) and not rules["official"].search(text):
        return "media"
    china, us = rules["china"].search(text), rules["us"].search(text)
    if china and us:
        country = "Chinese" if china.start() < us.start() else "US"
    elif china or us:
        country = "Chinese" if china else "US"
    else:
        return "other"
    if rules["scholar"].search(text):
        return f"{country} scholar"
    if rules["official"].search(text):
        return f"{country} official"
    return "other"


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


def _is_institution(words: list[str]) -> bool:
    return any(w.lower().rstrip(".") in _org_words() for w in words)


def _strip_determiner(mention: str) -> str:
    words = mention.split()
    while len(words) > 1 and words[0].lower() in _DETERMINERS and words[1] not in ("in", "of"):
        words = words[1:]
    return " ".join(words)


@cache
def _group_regex() -> re.Pattern[str]:
    alternatives = (f"(?P<g{i}>{p.pattern})" for i, (p, *_) in enumerate(group_patterns()))
    return re.compile("|".join(alternatives), re.IGNORECASE)


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


class SpeakerResolver:
    """Resolve speaker mentions of one text, in text order (see the module notes).

    Parameters
    ----------
    text : the document text; every ``start`` passed to :meth:`resolve` indexes it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: list[int] = []
        self._names: list[tuple[str, str]] = []  # (full name, title)
        self._keys: list[str] = []
        self._roles: dict[str, str] = {}
        self._last_person: tuple[int, str] | None = None
        self._last_group: tuple[int, Speaker] | None = None
        org = _org_words()
        for m in _NAME_RUN.finditer(text):
            words = m[0].split()
            title, name = split_title(words)
            if len(name) < 2 or len(name) > 4 or any(w.lower() in org for w in words):
                continue
            full = " ".join(w.rstrip(".") if len(w) > 2 else w for w in name)
            full = registry().get(full.lower(), Speaker(full, "", "", "")).speaker
            self._positions.append(m.start())
            self._names.append((full, " ".join(title)))
            self._keys.append(name_key(full))
            app = _APPOSITIVE.match(text, m.end())
            if app and full not in self._roles:
                self._roles[full] = app[1].strip()
            elif title and full not in self._roles:
                self._roles[full] = " ".join(title)

    def role_of(self, name: str) -> str:
        """The first appositive (or title) seen with *name* in this text, else ``""``."""
        return self._roles.get(name, "")

    def _latest(self, start: int, key: str | None = None, qualifier: str = "") -> str:
        """Most recent full name before *start* (with name key *key*); with a qualifier,
        the most recent one whose role contains it, if any."""
        i = bisect.bisect_left(self._positions, start)
        matches = (
            self._names[j][0] for j in range(i - 1, -1, -1) if key is None or self._keys[j] == key
        )
        if not qualifier:
            return next(matches, "")
        candidates = list(dict.fromkeys(matches))
        q = qualifier.lower()
        for name in candidates:
            if q in (self._roles.get(name, "") + " " + self._reg_role(name)).lower():
                return name
        return candidates[0] if candidates else ""

    @staticmethod
    def _reg_role(name: str) -> str:
        entry = registry().get(name.lower())
        return entry.role if entry else ""

    def _person(self, name: str, role: str, mention: str, title: str = "") -> Speaker:
        entry = registry().get(name.lower())
        known = self._roles.get(name, "")
        role = (
            role or (title if len(title) > len(known) else known) or (entry.role if entry else "")
        )
        if entry:
            return Speaker(entry.speaker, entry.speaker_type, entry.side, role)
        return Speaker(name, "person", infer_side(f"{role} {mention}"), role)

    def resolve(self, mention: str, start: int, *, role: str = "") -> Speaker:
        """Resolve *mention* found at *start*; *role* is its appositive if the text gives one.

        Person and group speakers update the focus used by later pronouns.
        """
        speaker = self._resolve(mention.strip(), start, role)
        if speaker.speaker_type == "person":
            self._last_person = (start, speaker.speaker)
            if role and speaker.speaker not in self._roles:
                self._roles[speaker.speaker] = role
        elif speaker.speaker_type in ("group", "institution"):
            self._last_group = (start, speaker)
        return speaker

    def _resolve(self, mention: str, start: int, role: str) -> Speaker:
        low = mention.lower()
        if not mention:
            return UNKNOWN
        refers = _pronouns().get(low)
        if refers == "person":
            name = self._last_person[1] if self._last_person else self._latest(start)
            return self._person(name, "", "") if name else UNKNOWN
        if refers == "group":
            return self._last_group[1] if self._last_group else UNKNOWN
        if refers is not None:
            return UNKNOWN
        if doc := _DOCUMENT_OF.match(mention):
            return self._resolve(doc[1], start, role)
        if entry := registry().get(low):
            return self._person(entry.speaker, role, mention)
        if group := match_group(mention):
            return Speaker(group.speaker, group.speaker_type, group.side, role)
        head, qualifier = mention, ""
        q = _QUALIFIER.search(mention)
        last = mention[: q.start()].split()[-1] if q else ""
        if q and last[:1].isupper() and last.lower() not in _DETERMINERS:
            head, qualifier = mention[: q.start()], q[1].rstrip(" .")
        words = head.split()
        title, name = split_title(words)
        if _is_institution(name) or (not name and _is_institution(words)):
            bare = _strip_determiner(mention)
            return Speaker(bare, "institution", infer_side(f"{role} {bare}"), role)
        if len(name) >= 2:
            full = " ".join(name)
            entry = registry().get(full.lower())
            return self._person(entry.speaker if entry else full, role, mention, " ".join(title))
        if len(name) == 1:
            full = self._latest(start, name[0].rstrip("."), qualifier) or name[0]
            return self._person(full, role, mention, " ".join(title))
        return self._title_only(mention, start, role)

    def _title_only(self, mention: str, start: int, role: str) -> Speaker:
        words = [w.lower() for w in mention.split()]
        titles = [w for w in words if w in title_words()]
        if titles and self._last_person is not None:
            name = self._last_person[1]
            person_role = (self._roles.get(name, "") + " " + self._reg_role(name)).lower()
            if titles[-1] in person_role:
                return self._person(name, "", "")
        bare = _strip_determiner(mention)
        plural = words and (words[-1].endswith("s") or _SHARE.search(bare))
        kind = "group" if plural else "unknown"
        side = infer_side(f"{role} {bare}", speaker_type=kind)
        return Speaker(bare, kind, side, role)


def speaker_table(utterances: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical speaker across documents.

    Utterances with an empty speaker (unresolved pronouns, quotes without a
    known speaker) are left out. speaker_type, side and role are each the most
    common non-empty value among the speaker's utterances (first seen on ties).

    Returns
    -------
    DataFrame
        speaker, speaker_type, side, role, n_utterances, words_quoted (sum of
        n_words), n_documents, doc_ids (sorted, joined with ``;``), sorted by
        n_utterances descending, then speaker.
    """
    named = utterances[utterances["speaker"].fillna("").astype(str) != ""]
    if named.empty:
        return pd.DataFrame(columns=SPEAKER_TABLE_COLUMNS)

    grouped = named.groupby("speaker", sort=True)
    table = pd.DataFrame(
        {
            "speaker_type": _most_common(named, "speaker_type"),
            "side": _most_common(named, "side"),
            "role": _most_common(named, "role"),
            "n_utterances": grouped.size(),
            "words_quoted": grouped["n_words"].sum(),
            "n_documents": grouped["doc_id"].nunique(),
            "doc_ids": grouped["doc_id"].agg(lambda s: ";".join(sorted(set(map(str, s))))),
        }
    ).reset_index()
    table = table.sort_values(["n_utterances", "speaker"], ascending=[False, True])
    return table.reset_index(drop=True)[SPEAKER_TABLE_COLUMNS]


def _most_common(utterances: pd.DataFrame, column: str) -> pd.Series:
    """Per speaker, the most common non-empty *column* value (first seen on ties), else ""."""
    pairs = pd.DataFrame(
        {
            "speaker": utterances["speaker"].to_numpy(),
            "value": utterances[column].fillna("").astype(str).to_numpy(),
            "order": np.arange(len(utterances)),
        }
    )
    pairs = pairs[pairs["value"] != ""]
    counted = pairs.groupby(["speaker", "value"], sort=False)["order"].agg(["size", "min"])
    best = counted.reset_index().sort_values(
        ["speaker", "size", "min"], ascending=[True, False, True], kind="stable"
    )
    found = best.drop_duplicates("speaker").set_index("speaker")["value"]
    speakers = pd.Index(sorted(set(utterances["speaker"])), name="speaker")
    return found.reindex(speakers, fill_value="")
