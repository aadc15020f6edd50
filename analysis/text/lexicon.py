"""Framing lexicons: load a long-format CSV (frame, term, note) and compile it.

The default lexicon is ``analysis/data/framing_lexicon.csv``; its header
explains the matching rules and documents each frame. A user's own lexicon
in the same format is passed with ``--lexicon FILE``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis.errors import InputError

DEFAULT_LEXICON = "framing_lexicon.csv"
_TERM_OK = re.compile(r"^[\w'\- ]+\*?(?: [\w'\-]+\*?)*$")
#: What may stand between the words of a multi-word term: spaces, hyphens and quotes
#: (matched on normalised text, so typographic quotes are already straight; dashes
#: separate clauses and do not join words).
_JOINER = r"[ \-'\"]+"
#: After a term's first character: no word character before that character. ``c`` then
#: ``(?<!\w.)`` matches exactly where ``(?<!\w)`` then ``c`` does (the look-behind spans
#: the character just matched, never a newline, and the one before it), but a pattern
#: opening with a character fails at most places after one comparison, where one opening
#: with a look-behind runs it everywhere: scanning an article for a term costs about 40%
#: less. ``tests/test_framing.py`` compares the two forms.
_NO_WORD_BEFORE = r"(?<!\w.)"


@dataclass(frozen=True)
class Lexicon:
    """A loaded lexicon: its entries (frame, term, note), source and content hash."""

    entries: pd.DataFrame
    source: str
    sha256: str


@cache
def term_regex(term: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """Compile one lexicon term to a whole-word regular expression.

    Case-insensitive unless *case_sensitive* (stance targets match acronyms such as
    "US" only in capitals, so never the pronoun "us").
    """
    parts = [p for p in re.split(r"[\s\-]+", term.strip()) if p]
    pieces = []
    for i, part in enumerate(parts):
        star = part.endswith("*")
        word = part.rstrip("*")
        if i == 0 and word:  # the word-start test goes after the first character
            pieces.append(re.escape(word[0]) + _NO_WORD_BEFORE + re.escape(word[1:]))
        else:
            pieces.append(re.escape(word))
        pieces[-1] += r"\w*" if star else ""
    lead = "" if parts and parts[0].rstrip("*") else r"(?<!\w)"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(lead + _JOINER.join(pieces) + r"(?!\w)", flags)


def parse_lexicon(text: str, source: str) -> Lexicon:
    """Parse lexicon CSV text; *source* names it in error messages.

    Raises
    ------
    InputError
        Naming the source and row for a missing column, an empty frame or term,
        a term with characters other than letters, digits, spaces, hyphens,
        apostrophes and a final ``*`` per word, or a duplicated (frame, term).
    """
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if reader.fieldnames is None or not {"frame", "term"} <= set(reader.fieldnames):
        raise InputError(source, "a lexicon needs a header row with the columns frame,term,note")
    rows, seen = [], set()
    for n, row in enumerate(reader, start=2):
        frame = (row.get("frame") or "").strip()
        term = " ".join((row.get("term") or "").split())
        if not frame or not term:
            raise InputError(source, f"row {n} (after notes) needs both a frame and a term: {row}")
        if not _TERM_OK.match(term) or "*" in term.replace("* ", " ").rstrip("*"):
            raise InputError(
                source,
                f"row {n}: term {term!r} may hold only letters, digits, spaces, hyphens, "
                "apostrophes and a * at the end of a word",
            )
        if (frame, term.lower()) in seen:
            raise InputError(source, f"row {n}: ({frame}, {term}) is listed twice")
        seen.add((frame, term.lower()))
        rows.append({"frame": frame, "term": term, "note": (row.get("note") or "").strip()})
    if not rows:
        raise InputError(source, "has no lexicon rows")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Lexicon(pd.DataFrame(rows, columns=["frame", "term", "note"]), source, digest)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load a lexicon file, or the packaged default when *path* is ``None``."""
    if path is None:
        text = resources.files("analysis").joinpath("data", DEFAULT_LEXICON).read_text("utf-8")
        return parse_lexicon(text, f"analysis/data/{DEFAULT_LEXICON}")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as a UTF-8 lexicon ({exc})") from None
    return parse_lexicon(text, str(path))
