"""Stance targets: the editable targets file, and the resolved speakers as targets.

``analysis/data/targets.csv`` is a long table (target, alias, side, note) whose header
gives the matching rules. :func:`document_targets` adds, for one article, every
resolved speaker: the people of the speaker registry (``speakers.csv``) and the
article's own speakers, because speakers talk about each other.

Decisions
---------
- **Sides of targets** are coarse: ``US``, ``China``, ``both``, ``issue``, ``ally`` in
  the file; a speaker-target takes its country from the speaker's side (``Chinese
  official`` -> ``China``, ``US scholar`` -> ``US``), else ``media`` or ``other``.
- **A speaker that is already a listed target** is not added again: a speaker whose
  name, or the words that named it in the article, equal a listed alias (ignoring a
  leading "the" and case) is that target ("China said", speaker "Chinese government",
  is the target China). A registry person whose full name is a listed target's name
  adds its aliases to that target.
- **People** match by full name and registry aliases, case-sensitively (names are
  capitalised: the surname "Sun" is not "sun"). A bare surname (the last word, or the
  first of a Chinese name, as the attribution rules read it) goes to the person with
  that surname whose full name appeared last before it in the article, and is left
  out when none has: "Yang" after "Yang Jiechi" is Yang Jiechi, after "Yang Xiyu" is
  Yang Xiyu.
- **Other aliases** match case-insensitively unless written without lower-case letters.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis.attribution.names import name_key
from analysis.errors import InputError
from analysis.text.columns import column_list

DEFAULT_TARGETS = "targets.csv"
TARGET_SIDES = ("US", "China", "both", "issue", "ally")
_ALIAS_OK = re.compile(r"^[\w'.\- ]+\*?(?: [\w'.\-]+\*?)*$")


@dataclass(frozen=True)
class Targets:
    """A loaded targets file: its rows (target, alias, side, note), source and hash."""

    entries: pd.DataFrame
    source: str
    sha256: str


@dataclass(frozen=True)
class Alias:
    """One way of naming a target, as matched in a document.

    ``surname`` aliases match only after one of their people's full names (see the
    module notes); ``people`` lists those ``(name, side)``, and the mention goes to the
    most recent of them.
    """

    target: str
    side: str
    alias: str
    case_sensitive: bool
    surname: bool = False
    people: tuple[tuple[str, str], ...] = ()


def parse_targets(text: str, source: str) -> Targets:
    """Parse targets CSV text; *source* names it in error messages.

    Raises
    ------
    InputError
        Naming the source and row: a missing column, an empty target or alias, a side
        outside :data:`TARGET_SIDES`, an alias with characters other than letters,
        digits, spaces, hyphens, apostrophes, dots and a final ``*``, or an alias
        listed twice (for one target or for two).
    """
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if reader.fieldnames is None or not {"target", "alias", "side"} <= set(reader.fieldnames):
        raise InputError(source, "a targets file needs a header row target,alias,side,note")
    rows, seen = [], {}
    for n, row in enumerate(reader, start=2):
        target = " ".join((row.get("target") or "").split())
        alias = " ".join((row.get("alias") or "").split())
        side = (row.get("side") or "").strip()
        if not target or not alias:
            raise InputError(source, f"row {n} (after notes) needs a target and an alias: {row}")
        if side not in TARGET_SIDES:
            raise InputError(
                source, f"row {n}: side {side!r} must be one of {', '.join(TARGET_SIDES)}"
            )
        if not _ALIAS_OK.match(alias):
            raise InputError(
                source,
                f"row {n}: alias {alias!r} may hold only letters, digits, spaces, hyphens, "
                "apostrophes, dots and a * at the end of a word",
            )
        if alias in seen:
            raise InputError(
                source, f"row {n}: alias {alias!r} is already listed for {seen[alias]}"
            )
        seen[alias] = target
        rows.append({"target": target, "alias": alias, "side": side, "note": row.get("note") or ""})
    if not rows:
        raise InputError(source, "has no target rows")
    entries = pd.DataFrame(rows, columns=["target", "alias", "side", "note"])
    sides = entries.groupby("target")["side"].nunique()
    if (sides > 1).any():
        target = sides[sides > 1].index[0]
        raise InputError(source, f"target {target!r} is given more than one side")
    return Targets(entries, source, hashlib.sha256(text.encode("utf-8")).hexdigest())


def load_targets(path: str | Path | None = None) -> Targets:
    """Load a targets file, or the packaged ``analysis/data/targets.csv`` when *path* is None."""
    if path is None:
        return _packaged()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as a UTF-8 targets file ({exc})") from None
    return parse_targets(text, str(path))


@cache
def _packaged() -> Targets:
    text = resources.files("analysis").joinpath("data", DEFAULT_TARGETS).read_text("utf-8")
    return parse_targets(text, f"analysis/data/{DEFAULT_TARGETS}")


def texts(column, fill: str | None = "") -> list:
    """``column.fillna(fill).astype(str).tolist()`` (``fill=None``: no ``fillna``), value by
    value, without pandas' per-call cost on a document's small tables. *column* may also be
    an array or list (a document's columns, :func:`analysis.text.columns.column_list`)."""
    out = []
    for v in column_list(column):
        if not isinstance(v, str):
            missing = v is None or v is pd.NA or (isinstance(v, float) and v != v)
            v = (v if fill is None else fill) if missing else str(v)
        out.append(v)
    return out


def is_case_sensitive(alias: str) -> bool:
    """Whether *alias* matches only as written: it has letters but none in lower case."""
    return any(c.isalpha() for c in alias) and not any(c.islower() for c in alias)


def target_side(speaker_side: str) -> str:
    """A speaker's side as a target side: the country, else ``media`` or ``other``."""
    if speaker_side.startswith("Chinese"):
        return "China"
    if speaker_side.startswith("US"):
        return "US"
    return "media" if speaker_side == "media" else "other"


def _bare(alias: str) -> str:
    words = alias.lower().split()
    return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


def listed_aliases(targets: Targets) -> list[Alias]:
    """The file's rows as :class:`Alias` records."""
    return [
        Alias(r.target, r.side, r.alias, is_case_sensitive(r.alias))
        for r in targets.entries.itertuples(index=False)
    ]


def _person_aliases(name: str, side: str, names: list[str], taken: set[str]) -> list[Alias]:
    return [Alias(name, side, a, True) for a in dict.fromkeys(names) if a and a not in taken]


_STATIC: dict[str, tuple] = {}


def _static(targets: Targets) -> tuple:
    """What :func:`document_targets` needs that does not depend on the document."""
    if targets.sha256 not in _STATIC:
        listed = listed_aliases(targets)
        by_bare = {_bare(a.alias) for a in listed}
        sides = dict(zip(targets.entries["target"], targets.entries["side"], strict=True))
        people: dict[str, list[str]] = {}
        for name, side, names in _registry_people():
            people.setdefault(name, []).extend(names)
            sides.setdefault(name, target_side(side))
        _STATIC[targets.sha256] = (listed, set(targets.entries["alias"]), by_bare, sides, people)
    return _STATIC[targets.sha256]


def document_targets(
    utterances: pd.DataFrame | Mapping[str, object], targets: Targets
) -> list[Alias]:
    """Every alias to look for in one document: the listed ones and its speakers'.

    Parameters
    ----------
    utterances : the document's utterances (speaker, speaker_type, side, mention), a table
        or columns.
    targets : the loaded targets file.

    Returns
    -------
    list of Alias
        The file's aliases, then the registry's people, then the document's speakers
        (see the module notes), then one surname alias per surname shared by the
        people among them.
    """
    listed, taken, by_bare, sides, people = _static(targets)
    out, taken, sides = list(listed), set(taken), dict(sides)
    people = {name: list(names) for name, names in people.items()}
    rows = zip(
        texts(utterances["speaker"]),
        texts(utterances["speaker_type"]),
        texts(utterances["side"]),
        texts(utterances["mention"]),
        strict=True,
    )
    speakers: dict[str, tuple[str, str, list[str]]] = {}
    for speaker, kind, side, mention in rows:
        if speaker:
            speakers.setdefault(speaker, (kind, side, []))[2].append(mention)
    for speaker in sorted(speakers):
        kind, side, mentions = speakers[speaker]
        if kind == "person":
            people.setdefault(speaker, []).append(speaker)
            sides.setdefault(speaker, target_side(side))
            continue
        if any(_bare(n) in by_bare for n in [speaker, *mentions]) or speaker in sides:
            continue
        sides[speaker] = target_side(side)
        if speaker not in taken:
            out.append(Alias(speaker, sides[speaker], speaker, False))
            taken.add(speaker)
    by_key: dict[str, list[str]] = {}
    for name in sorted(people):
        out += _person_aliases(name, sides[name], [name, *people[name]], taken)
        taken.update(people[name])
        by_key.setdefault(name_key(name), []).append(name)
    for key, names in sorted(by_key.items()):
        if key not in taken and len(key) > 1:
            people_sides = tuple((n, sides[n]) for n in names)
            out.append(Alias("", "", key, True, surname=True, people=people_sides))
    return out


@cache
def _registry_people() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, side, aliases) of every person in ``data/speakers.csv``, as written there."""
    text = resources.files("analysis").joinpath("data", "speakers.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    people = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        if (row.get("speaker_type") or "person") == "person" and row["name"].strip():
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            people.append(
                (row["name"].strip(), row["side"].strip(), (row["name"].strip(), *aliases))
            )
    return tuple(sorted(people))
