"""A quick check that an article is in English, which every lexicon of the suite assumes.

English prose is about 40-55% function words (the, of, and, to, in, ...).
:func:`english_share` measures the share of a text's words that are in
scikit-learn's English stop-word list; below :data:`MIN_ENGLISH_SHARE` the
text is taken to be in another language. French, German, Spanish or Chinese
news text scores well under 0.15, English news text well over 0.3, so the
threshold leaves a wide margin on both sides (the lowest of PolNeAR's 840
English training articles scores 0.21). Text whose letters are mostly not
Latin (Chinese, Russian, Arabic...) is not English whatever its length; other
very short texts (fewer than :data:`MIN_WORDS` words) are not judged.

The stop-word list is read from ``analysis/data/english_stop_words.txt``, a copy
of scikit-learn's ``ENGLISH_STOP_WORDS`` (a test checks they are equal), so that
loading a corpus does not import scikit-learn.
"""

from __future__ import annotations

import re
from importlib import resources

#: scikit-learn's English stop words, from ``analysis/data/english_stop_words.txt``.
STOP_WORDS = frozenset(
    line
    for line in resources.files("analysis")
    .joinpath("data", "english_stop_words.txt")
    .read_text("utf-8")
    .split("\n")
    if line and not line.startswith("#")
)

MIN_ENGLISH_SHARE = 0.15
MIN_WORDS = 20
_WORD = re.compile(r"\w+")
#: Every character below U+0250: ASCII, Latin-1 and Latin Extended-A/B letters and the rest.
_LATIN_OR_OTHER = re.compile("[\u0000-\u024f]+")


def english_share(text: str, *, max_words: int = 2000) -> tuple[float, int]:
    """Share of the first *max_words* words that are English function words, and the count."""
    words = _WORD.findall(text[: max_words * 12].lower())[:max_words]
    if not words:
        return 0.0, 0
    return sum(map(STOP_WORDS.__contains__, words)) / len(words), len(words)


def latin_share(text: str, *, max_chars: int = 20000) -> float:
    """Share of the letters in the first *max_chars* characters that are Latin (a-z, accented)."""
    chunk = text[:max_chars]
    other = sum(map(str.isalpha, _LATIN_OR_OTHER.sub("", chunk)))
    if not other:  # every letter is Latin: the share is 1 if there is one, without counting
        return 1.0 if any(map(str.isalpha, chunk)) else 0.0
    letters = sum(map(str.isalpha, chunk))
    return (letters - other) / letters


def is_english(text: str) -> bool:
    """Whether *text* reads as English (see the module docstring for the rule)."""
    if latin_share(text) < 0.5:
        return False
    share, n = english_share(text)
    return n < MIN_WORDS or share >= MIN_ENGLISH_SHARE
