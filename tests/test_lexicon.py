"""Lexicon matching rules and lexicon file errors."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.text.lexicon import load_lexicon, parse_lexicon, term_regex


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("sincer*", "Sincerity needed", ["Sincerity"]),
        (
            "sincer*",
            "a sincere, sincerer and sincerely meant offer",
            ["sincere", "sincerer", "sincerely"],
        ),
        ("sincer*", "insincere words", []),
        ("new normal", "a 'new normal' in ties", ["new normal"]),
        ("new normal", 'a "new-normal" in ties', ["new-normal"]),
        ("new normal", "China-US New Normal", ["New Normal"]),
        ("new normal", "a newer normal", []),
        ("win-win", "win-win and win win and Win - Win", ["win-win", "win win", "Win - Win"]),
        ("zero-sum", "a zero sum game", ["zero sum"]),
        ("bossy", "the boss is bossy", ["bossy"]),
        ("boss", "the boss is bossy", ["boss"]),
        (
            "confront*",
            "confrontation, confrontational, confront",
            ["confrontation", "confrontational", "confront"],
        ),
        ("internal affairs", "China's internal  affairs", ["internal  affairs"]),
        ("red line*", "red lines and a red line", ["red lines", "red line"]),
    ],
)
def test_term_matching(term, text, expected):
    assert [m.group(0) for m in term_regex(term).finditer(text)] == expected


def test_default_lexicon_loads_with_documented_frames():
    lex = load_lexicon()
    frames = set(lex.entries["frame"])
    assert {
        "sincerity",
        "hegemony",
        "cooperation",
        "confrontation",
        "sovereignty",
        "reset",
        "competition",
    } <= frames
    for term in ["sincer*", "bossy", "new normal", "win-win", "zero-sum", "internal affairs"]:
        assert term in set(lex.entries["term"]), term
    assert len(lex.sha256) == 64


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("term,note\nbossy,x\n", "header row"),
        ("frame,term,note\nhegemony,,x\n", "row 2"),
        ("frame,term,note\n,bossy,x\n", "row 2"),
        ("frame,term,note\nhegemony,bossy,\nhegemony,bos$y,\n", "row 3"),
        ("frame,term,note\nhegemony,b*ssy,\n", "row 2"),
        ("frame,term,note\nhegemony,bossy,\nhegemony,Bossy,\n", "listed twice"),
        ("# only notes\nframe,term,note\n", "no lexicon rows"),
    ],
)
def test_bad_lexicon_rows_name_the_file_and_row(text, message):
    with pytest.raises(InputError) as err:
        parse_lexicon(text, "my_lexicon.csv")
    assert "my_lexicon.csv" in str(err.value)
    assert message in str(err.value)


def test_lexicon_file_not_utf8(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_bytes(b"frame,term,note\nhegemony,\xff\xfe,\n")
    with pytest.raises(InputError, match="lex.csv"):
        load_lexicon(path)
