"""Sentence and utterance sentiment with VADER, exactly as the ``vaderSentiment`` package scores it.

VADER (Hutto & Gilbert, ICWSM 2014) is a lexicon-and-rules model: each text gets
``compound`` (normalised sum of valences, -1..1) and the proportions ``pos``,
``neu``, ``neg`` of its sentiment-bearing mass. The analyzer is the one in the
``vaderSentiment`` PyPI package, whose lexicon ships inside the package; nothing
is downloaded and NLTK's ``vader_lexicon`` resource is never used.

Decisions
---------
* Scores are VADER's own, unmodified: every value equals
  ``SentimentIntensityAnalyzer().polarity_scores(text)``. They are computed by
  :class:`analysis.text.vader.FastVader`, which runs VADER's rules on a text's
  words prepared once rather than re-lower-cased for every rule (3 to 4 times faster, the
  same floats); a test compares the two on every sentence of the seeds and the
  fixture corpus and on hard cases.
* One analyzer is built per process (:func:`analyzer`) and the scores of the
  last few thousand distinct texts are remembered, so a repeated headline,
  caption or quote, or an utterance that is a whole sentence, is scored once;
  this is invisible in the output because ``polarity_scores`` is a pure
  function of its text.
* A missing text (``None``/NaN) gets NaN scores, so it drops out of means; an
  empty string is a text and scores 0 compound, 0 pos/neu/neg, as VADER says.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.text.vader import FastVader

SCORE_COLUMNS = ["compound", "pos", "neu", "neg"]


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """The process-wide VADER analyzer (lexicon read once)."""
    return SentimentIntensityAnalyzer()


def score_texts(texts: Iterable[str | None]) -> pd.DataFrame:
    """VADER scores of each text, in order.

    Parameters
    ----------
    texts : strings; ``None`` or NaN mark a missing text.

    Returns
    -------
    DataFrame
        compound, pos, neu, neg: one row per input text, with a fresh
        ``RangeIndex``. Missing texts get NaN in all four columns.
    """
    return pd.DataFrame(_score_values(texts), columns=SCORE_COLUMNS)


def _score_values(texts: Iterable[str | None]) -> np.ndarray:
    """:func:`score_texts` as a float array, one row per text and a column per score."""
    texts = list(texts)
    if not all(type(t) is str for t in texts):
        for t in texts:
            if not isinstance(t, str) and not (pd.api.types.is_scalar(t) and pd.isna(t)):
                raise TypeError(f"VADER scores strings, got {type(t).__name__}: {t!r}")
    rows = [_text_scores(t) if isinstance(t, str) else _MISSING for t in texts]
    return np.array(rows, dtype=float).reshape(len(rows), len(SCORE_COLUMNS))


def score_columns(texts: Iterable[str | None]) -> dict[str, np.ndarray]:
    """:func:`score_texts` as columns keyed by :data:`SCORE_COLUMNS` (float arrays)."""
    return dict(zip(SCORE_COLUMNS, _score_values(texts).T, strict=True))


_MISSING = (np.nan,) * len(SCORE_COLUMNS)


@cache
def _fast(vader: SentimentIntensityAnalyzer) -> FastVader:
    return FastVader(vader)


@lru_cache(maxsize=4096)
def _text_scores(text: str) -> tuple[float, ...]:
    """compound, pos, neu, neg of one text (in :data:`SCORE_COLUMNS` order)."""
    scores = _fast(analyzer()).polarity_scores(text)
    return tuple(scores[c] for c in SCORE_COLUMNS)


def score_table(table: pd.DataFrame, *, text_col: str = "text") -> pd.DataFrame:
    """A copy of *table* with VADER's compound, pos, neu, neg of *text_col* appended.

    Existing score columns are replaced; the row order and index are kept, and
    an empty table comes back with the four score columns added.
    """
    if text_col not in table.columns:
        raise KeyError(f"the table has no {text_col!r} column to score: {list(table.columns)}")
    scores = score_texts(table[text_col]).set_axis(table.index)
    replaced = [c for c in SCORE_COLUMNS if c in table.columns]
    return pd.concat([table.drop(columns=replaced) if replaced else table, scores], axis=1)


def score_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentence table (:data:`~analysis.text.tokens.SENTENCE_COLUMNS`) with VADER scores."""
    return score_table(sentences, text_col="text")


def score_utterances(utterances: pd.DataFrame) -> pd.DataFrame:
    """Utterance table (quoted or attributed text in ``text``) plus compound, pos, neu, neg."""
    return score_table(utterances, text_col="text")
