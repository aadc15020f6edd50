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
- **Surnames** resolve to the full name with that key mentioned most recently
  before the mention (salience): full names in the text, and earlier mentions as
  they were resolved, so after "Zhang from Fudan University" a bare "Zhang" is
  Zhang Jiadong again, whichever Zhang the text named last. A qualifier ("Zhang
  from Fudan University", "Yang of the China Institute of International
  Studies") that occurs in one candidate's role or introducing sentence picks
  that candidate.
- **Pronouns** (``data/pronouns.csv``): he/she -> the person in focus (the most
  recent person speaker, else the most recent full name before the mention);
  they/it -> the most recent group or institution speaker; I/we -> the writer,
  which stays unresolved. Unresolved mentions get speaker ``""`` and
  speaker_type/side ``"unknown"``.
- **Titles.** The title written before a name ("Ambassador to the U.S. Chen
  Hua", "Chinese Foreign Ministry spokesperson Zhao Lijian") is kept with the
  name. A mention whose head is a title ("the ambassador", "the spokesperson")
  resolves to the most recent person introduced with that title, else to the
  most recent person whose role holds it; an unnamed title with no such person
  speaks for the institution its sentence names before it ("At a White House
  press briefing, principal deputy spokesperson said" -> White House, role
  "principal deputy spokesperson").
- **Never a canonical speaker:** a mention made only of function words,
  determiners, pronouns or titles ("the", "one", "spokesperson") that nothing
  resolves is left unresolved (speaker ``""``), not kept as a name.
- **Groups and institutions** come from the patterns in ``data/groups.csv``
  ("the Chinese side", "the White House", "experts", "the Global Times"); a
  singular match ("a senior official") is a person. "A statement by the White
  House" resolves to the White House. Other lower-case mentions keep their words
  ("four in 10", "the report"): ``group`` when plural or a share, else ``unknown``.
- **Role**: the appositive the attribution found (with an institution's name
  that continues it: "a professor at the Center for American Studies, Fudan
  University"), else the longer of the document's first appositive/title for
  that name and the mention's own title, else the registry's role.
- **Side**: the registry ``data/speakers.csv`` first; then the group pattern's
  side; then what the role and mention *state* (``data/side_keywords.csv``): the
  country is the employer's (the phrase after the last "at"/"with": "director
  of the China Studies Program at a Washington think tank" is American), else the
  role's head before any preposition ("US Secretary of State", "Chinese
  experts"), else a named institution in it ("of the CPC Central Committee").
  Study fields ("Center for American Studies", "China policy") are never an
  affiliation. Media words give ``media``, scholar words ``<country> scholar``,
  official words ``<country> official``, a country without either ``other``.
  No stated country, or a mixed one ("Chinese and US diplomats"), gives
  ``unknown``: the suite does not guess a side from a stray "China" in a role.

speaker_type is ``person``, ``institution``, ``group`` (plural people:
experts, officials) or ``unknown``; side is one of ``Chinese official``,
``Chinese scholar``, ``US official``, ``US scholar``, ``media``, ``other``, or
``unknown`` when the text does not say.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
import pandas as pd

from analysis.attribution.lexicons import (
    _DETERMINERS,
    UNKNOWN,
    Speaker,
    _org_words,
    _pronouns,
    registry,
    title_words,
)
from analysis.attribution.names import (
    _NAME_RUN,
    _institution_in,
    _is_junk,
    _strip_determiner,
    _title_before,
    _title_text,
    match_group,
    name_key,
    split_title,
)
from analysis.attribution.sides import _is_institution, infer_side

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

_SHARE = re.compile(r"\b\w+ in \d+\b|\bpercent\b|%")

_APPOSITIVE = re.compile(
    r",\s+((?:[a-z]|the |a |an |The |A |An )[^,;:.“”\"]{2,160}?"
    r"(?:,\s+[A-Z][\w'’-]*(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*))*)?)(?=,|\.\s|$)"
)

_DOCUMENT_OF = re.compile(
    r"(?:a |an |the )?(?:[\w-]+ )?(?:statement|report|readout|release|transcript|survey|poll|study|"
    r"memo|letter|document|analysis)s? (?:by|from|of|released by|issued by) (.+)$",
    re.IGNORECASE,
)

_QUALIFIER = re.compile(r"\s+(?:from|of|at|with)\s+(?:the\s+)?(.+)$")


class SpeakerResolver:
    """Resolve speaker mentions of one text, in text order (see the module notes).

    Parameters
    ----------
    text : the document text; every ``start`` passed to :meth:`resolve` indexes it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        # Every full personal name seen so far, by position: in the text, and each
        # resolved mention ("Zhang from Fudan University" -> Zhang Jiadong) as it is
        # resolved, so a bare surname goes to the most recently mentioned bearer.
        self._positions: list[int] = []
        self._names: list[tuple[str, str]] = []  # (full name, title)
        self._keys: list[str] = []
        self._roles: dict[str, str] = {}
        self._intros: dict[str, str] = {}  # full name -> the sentence that introduced it
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
            title_text = _title_before(text, m.start() + m[0].index(name[0]))
            self._add(m.start(), full, title_text)
            self._intros.setdefault(full, text[m.start() : _sentence_end(text, m.end())])
            app = _APPOSITIVE.match(text, m.end())
            if app and full not in self._roles:
                self._roles[full] = app[1].strip()
            elif title_text and full not in self._roles:
                self._roles[full] = title_text

    def _add(self, start: int, full: str, title: str) -> None:
        i = bisect.bisect_right(self._positions, start)
        self._positions.insert(i, start)
        self._names.insert(i, (full, title))
        self._keys.insert(i, name_key(full))

    def role_of(self, name: str) -> str:
        """The first appositive (or title) seen with *name* in this text, else ``""``."""
        return self._roles.get(name, "")

    def _recent(self, start: int, key: str | None = None) -> list[tuple[str, str]]:
        """(full name, title) of the names before *start*, most recent first, deduplicated
        by name; only those with name key *key* when given."""
        i = bisect.bisect_left(self._positions, start)
        found: dict[str, str] = {}
        for j in range(i - 1, -1, -1):
            name, title = self._names[j]
            if (key is None or self._keys[j] == key) and not found.get(name):
                found[name] = title
        return list(found.items())

    def _latest(self, start: int, key: str | None = None, qualifier: str = "") -> str:
        """Most recent full name before *start* (with name key *key*); with a qualifier,
        the most recent one whose role or introduction contains it, if any."""
        candidates = [name for name, _ in self._recent(start, key)]
        q = qualifier.lower()
        for name in candidates if q else []:
            known = f"{self._roles.get(name, '')} {self._intros.get(name, '')} "
            if q in (known + self._reg_role(name)).lower():
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

    def resolve(self, mention: str, start: int, *, role: str = "", context: str = "") -> Speaker:
        """Resolve *mention* found at *start*; *role* is its appositive if the text gives one;
        *context* is the text of its sentence before the mention (where an unnamed title
        finds its institution: "At a White House briefing, the spokesperson said").

        Person and group speakers update the focus used by later pronouns and surnames.
        """
        speaker = self._resolve(mention.strip(), start, role, context)
        if _is_junk(speaker.speaker):
            speaker = Speaker("", "unknown", "unknown", speaker.role)
        if speaker.speaker_type == "person":
            self._last_person = (start, speaker.speaker)
            if role and speaker.speaker not in self._roles:
                self._roles[speaker.speaker] = role
            if len(speaker.speaker.split()) >= 2:
                self._add(start, speaker.speaker, "")
        elif speaker.speaker_type in ("group", "institution"):
            self._last_group = (start, speaker)
        return speaker

    def _resolve(self, mention: str, start: int, role: str, context: str) -> Speaker:
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
            return self._resolve(doc[1], start, role, context)
        if entry := registry().get(low):
            return self._person(entry.speaker, role, mention)
        if group := match_group(mention):
            return Speaker(group.speaker, group.speaker_type, group.side, role)
        title, name = split_title(mention.split())
        if len(name) >= 2 and not _is_institution(name):  # "Minister of Commerce ... Pan Jingwen"
            entry = registry().get(" ".join(name).lower())
            full = entry.speaker if entry else " ".join(name)
            return self._person(full, role, mention, _title_text(mention, name))
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
        return self._title_only(mention, start, role, context)

    def _title_only(self, mention: str, start: int, role: str, context: str) -> Speaker:
        """A mention without a name: "the ambassador" is the person the text introduced
        with that title; an unnamed title speaks for the institution its sentence names;
        other lower-case mentions keep their words."""
        words = [w.lower() for w in mention.split()]
        bare = _strip_determiner(mention)
        if words and words[-1] in title_words():
            # the title written before a name first ("President Obama"), then roles
            word = re.compile(rf"\b{re.escape(words[-1])}\b", re.IGNORECASE)
            recent = self._recent(start)
            for name, title in recent:
                if word.search(title):
                    return self._person(name, "", "")
            for name, _ in recent:
                if word.search(f"{self._roles.get(name, '')} {self._reg_role(name)}"):
                    return self._person(name, "", "")
            institution = _institution_in(context)
            if institution is not None:
                return Speaker(institution.speaker, "institution", institution.side, bare)
        plural = words and (words[-1].endswith("s") or _SHARE.search(bare))
        kind = "group" if plural else "unknown"
        side = infer_side(f"{role} {bare}", speaker_type=kind)
        return Speaker(bare, kind, side, role)


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[.!?](?=\s+[A-Z\"“])|\n").search(text, pos)
    return m.end() if m else len(text)


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
            "doc_ids": _joined_documents(named),
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
    # the distinct speakers, then sorted: iterating every row of Arrow text costs 0.1 s
    speakers = pd.Index(sorted(utterances["speaker"].unique()), name="speaker")
    return found.reindex(speakers, fill_value="")


def _joined_documents(utterances: pd.DataFrame) -> pd.Series:
    """Per speaker, the distinct documents it is quoted in, sorted and joined with ``;``.

    Sorted once over all (speaker, document) pairs and cut at each speaker, instead of
    a Python function per speaker. Text sorts by code point either way (Arrow
    compares UTF-8 bytes, which order as the code points do).
    """
    pairs = pd.DataFrame(
        {"speaker": utterances["speaker"], "doc_id": utterances["doc_id"].astype(str)}
    ).drop_duplicates()
    pairs = pairs.sort_values(["speaker", "doc_id"], ignore_index=True)
    speaker = pairs["speaker"].to_numpy(dtype=object)
    doc_ids = pairs["doc_id"].to_numpy(dtype=object).tolist()
    starts = np.flatnonzero(np.concatenate([[True], speaker[1:] != speaker[:-1]]))
    ends = [*starts[1:].tolist(), len(doc_ids)]
    joined = [";".join(doc_ids[s:e]) for s, e in zip(starts.tolist(), ends, strict=True)]
    return pd.Series(joined, index=pd.Index(speaker[starts], name="speaker"), dtype="str")
