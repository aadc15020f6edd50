"""The English check: the share of Latin letters and of English function words, by hand."""

from __future__ import annotations

import pytest

from analysis.corpus.language import english_share, is_english, latin_share


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("China and the US", 1.0),
        ("Café Ünter straße", 1.0),  # accented Latin letters are Latin
        ("abc中文", 3 / 5),  # five letters, two of them Chinese
        ("中美 talks", 5 / 7),
        ("Переговоры in Anchorage", 11 / 21),  # ten Cyrillic letters, eleven Latin
        ("中美高层战略对话", 0.0),
        ("2021-03-18, 09:00", 0.0),  # no letters at all
        ("² ³ ½", 0.0),  # numeric signs in Latin-1 are not letters
        ("", 0.0),
    ],
)
def test_latin_share_counts_letters_by_hand(text: str, share: float) -> None:
    assert latin_share(text) == pytest.approx(share, abs=0, rel=1e-15)


def test_latin_share_reads_only_the_first_characters() -> None:
    assert latin_share("talks " * 10 + "中" * 1000, max_chars=60) == 1.0
    assert latin_share("ab中文", max_chars=3) == pytest.approx(2 / 3, rel=1e-15)


def test_english_share_counts_function_words() -> None:
    # "the", "of" and "and" are stop words; "talks", "anchorage", "ended" are not
    assert english_share("The talks of Anchorage and ended") == (3 / 6, 6)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("The talks in Anchorage were held on the 18th and 19th of March. " * 3, True),
        ("Le porte-parole a déclaré que les discussions étaient franches. " * 3, False),
        ("中美高层战略对话在安克雷奇举行。" * 5, False),
        ("Short note", True),  # under twenty words: not judged
    ],
)
def test_is_english(text: str, english: bool) -> None:
    assert is_english(text) is english
