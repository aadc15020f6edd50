"""VADER's ``polarity_scores`` without its repeated work: the same numbers, 3 to 4 times faster.

``vaderSentiment``'s analyzer re-lower-cases the whole text several times for every
sentiment-bearing word (each negation and idiom check rebuilds a lower-cased copy of
the word list), walks the text a character at a time looking for emoji, and strips
punctuation from every word on every call. :class:`FastVader` does each of these
once: words are split, stripped and lower-cased once per text (and remembered per
distinct word), the emoji look-up is one set test, and the rules then read the
prepared lists. The rules themselves are VADER's, step for step and in the same
arithmetic order (so the same floats, down to the sign of a zero):

* a word in the lexicon takes its valence; "no" before another lexicon word is
  zero and negates the next one (``N_SCALAR``) up to three words on;
* an ALL-CAPS word among mixed-case words adds ``C_INCR``;
* each of the three words before it may boost or dampen it (``BOOSTER_DICT``, scaled
  by 1, 0.95, 0.9 with distance), negate it (``NEGATE`` or "n't"), and at distance
  three the special idioms ("kiss of death") and two-word boosters ("kind of") apply;
* "least" before it negates it unless "at least" or "very least".

What is rare in news text goes to vaderSentiment itself, so its quirks are kept
exactly: a text holding an emoji is scored by ``polarity_scores`` whole; "but" is
handled by its ``_but_check`` and the final sums by its ``score_valence``.
``tests/test_sentiment.py`` compares the two on every sentence of the seeds and
the fixture corpus and on hand-picked hard cases.
"""

from __future__ import annotations

import math
import string
from itertools import compress

from vaderSentiment import vaderSentiment as vs

_VADER = vs.SentimentIntensityAnalyzer
_PUNCTUATION = string.punctuation
_NEGATE = frozenset(vs.NEGATE)
_BOOSTERS = vs.BOOSTER_DICT
_SPECIAL = vs.SPECIAL_CASES
#: Distinct words remembered before the memo starts afresh (bounds its memory).
_WORD_MEMO_LIMIT = 200_000
#: Every word of a phrase in SPECIAL_CASES or a phrase in BOOSTER_DICT: a phrase the
#: idiom rule tests can match only when made of these words.
_IDIOM_WORDS = frozenset(
    w for phrase in [*_SPECIAL, *_BOOSTERS] if " " in phrase for w in phrase.split(" ")
)
#: The scores of a text none of whose words carries sentiment.
_NEUTRAL = (("neg", 0.0), ("neu", 1.0), ("pos", 0.0), ("compound", 0.0))


class _WordMemo(dict):
    """Per distinct whitespace-separated token: VADER's word (punctuation stripped unless
    that leaves two characters or fewer), its lower case, whether it is all capitals, and
    whether it scores (in the lexicon and not a booster word)."""

    def __init__(self, lexicon: dict[str, float]) -> None:
        super().__init__()
        self.lexicon = lexicon

    def __missing__(self, token: str) -> tuple[str, str, bool, bool]:
        stripped = token.strip(_PUNCTUATION)
        word = token if len(stripped) <= 2 else stripped
        low = word.lower()
        entry = (word, low, word.isupper(), low in self.lexicon and low not in _BOOSTERS)
        self[token] = entry
        return entry


class FastVader:
    """Scores equal to ``analyzer.polarity_scores(text)`` for the given vaderSentiment analyzer."""

    def __init__(self, analyzer: vs.SentimentIntensityAnalyzer) -> None:
        self.analyzer = analyzer
        self.lexicon = analyzer.lexicon
        self.emoji_chars = frozenset(e for e in analyzer.emojis if len(e) == 1)
        self.words = _WordMemo(self.lexicon)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """``{"neg", "neu", "pos", "compound"}`` exactly as vaderSentiment gives them."""
        if not text.isascii() and not self.emoji_chars.isdisjoint(text):
            return self.analyzer.polarity_scores(text)
        memo = self.words
        if len(memo) > _WORD_MEMO_LIMIT:
            memo.clear()
        prepared = list(map(memo.__getitem__, text.split()))
        n = len(prepared)
        if not n:
            return self.analyzer.score_valence([], text)
        words, lower, upper, scoring = zip(*prepared, strict=True)
        if not any(scoring):
            return dict(_NEUTRAL)
        n_caps = sum(upper)
        cap_diff = 0 < n - n_caps < n
        sentiments: list[float] = [0] * n
        last = n - 1
        for i in compress(range(n), scoring):
            if lower[i] == "kind" and i < last and lower[i + 1] == "of":
                continue
            sentiments[i] = self._valence(words, lower, i, cap_diff, upper[i])
        if "but" in lower:
            sentiments = _VADER._but_check(words, sentiments)
            return self.analyzer.score_valence(sentiments, text)
        return _summary(sentiments, [sentiments[i] for i in compress(range(n), scoring)], text)

    def _valence(self, words, lower, i, cap_diff, is_upper) -> float:
        """VADER's ``sentiment_valence`` for the lexicon word at *i*."""
        lexicon = self.lexicon
        low = lower[i]
        valence = lexicon[low]
        if low == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[low] * vs.N_SCALAR
        if is_upper and cap_diff:
            valence = valence + vs.C_INCR if valence > 0 else valence - vs.C_INCR
        for back in (1, 2, 3):
            if i < back or lower[i - back] in lexicon:
                continue
            s = _booster(words[i - back], lower[i - back], valence, cap_diff)
            if back == 2 and s != 0:
                s = s * 0.95
            if back == 3 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation(valence, lower, back, i)
            if back == 3:
                valence = _idioms(valence, lower, i)
        before = lower[i - 1] if i > 0 else ""
        if before == "least" and before not in lexicon:
            if i > 1:
                if lower[i - 2] != "at" and lower[i - 2] != "very":
                    valence = valence * vs.N_SCALAR
            else:
                valence = valence * vs.N_SCALAR
        return valence


def _booster(word: str, low: str, valence: float, cap_diff: bool) -> float:
    """VADER's ``scalar_inc_dec``: the boost a preceding word gives *valence*."""
    scalar = 0.0
    if low in _BOOSTERS:
        scalar = _BOOSTERS[low]
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_diff:
            if valence > 0:
                scalar += vs.C_INCR
            else:
                scalar -= vs.C_INCR
    return scalar


def _negated(low: str) -> bool:
    return low in _NEGATE or "n't" in low


def _negation(valence: float, lower: list[str], back: int, i: int) -> float:
    """VADER's ``_negation_check`` for the word *back* places before *i*."""
    if back == 1:
        if _negated(lower[i - 1]):
            valence = valence * vs.N_SCALAR
    elif back == 2:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * vs.N_SCALAR
    elif (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in (
        "so",
        "this",
    ):
        valence = valence * 1.25
    elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
        pass
    elif _negated(lower[i - 3]):
        valence = valence * vs.N_SCALAR
    return valence


def _idioms(valence: float, lower: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` around the word at *i* (at least three words in)."""
    w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
    if w0 not in _IDIOM_WORDS and w1 not in _IDIOM_WORDS and w2 not in _IDIOM_WORDS:
        return valence  # every phrase tested below holds w0, w1 or w2
    one_zero = f"{w1} {w0}"
    two_one = f"{w2} {w1}"
    three_two_one = f"{w3} {w2} {w1}"
    three_two = f"{w3} {w2}"
    for seq in (one_zero, f"{w2} {w1} {w0}", two_one, three_two_one, three_two):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if len(lower) - 1 > i:
        zero_one = f"{w0} {lower[i + 1]}"
        if zero_one in _SPECIAL:
            valence = _SPECIAL[zero_one]
    if len(lower) - 1 > i + 1:
        zero_one_two = f"{w0} {lower[i + 1]} {lower[i + 2]}"
        if zero_one_two in _SPECIAL:
            valence = _SPECIAL[zero_one_two]
    for n_gram in (three_two_one, three_two, two_one):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence


def _summary(sentiments: list[float], scored: list[float], text: str) -> dict[str, float]:
    """VADER's ``score_valence``: compound and proportions from the word valences.

    *scored* holds, in order, the valences of the words that could score (the others
    are the int 0 in *sentiments*), so the sums run over the same values in the same
    order as VADER's while skipping its pass over every word.
    """
    sum_s = float(sum(sentiments))
    emphasis = _VADER._amplify_ep(text) + _VADER._amplify_qm(text)
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    compound = vs.normalize(sum_s)
    pos_sum, neg_sum, neu_scored = _VADER._sift_sentiment_scores(scored)
    neu_count = len(sentiments) - len(scored) + neu_scored
    if pos_sum > math.fabs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= emphasis
    total = pos_sum + math.fabs(neg_sum) + neu_count
    return {
        "neg": round(math.fabs(neg_sum / total), 3),
        "neu": round(math.fabs(neu_count / total), 3),
        "pos": round(math.fabs(pos_sum / total), 3),
        "compound": round(compound, 4),
    }
