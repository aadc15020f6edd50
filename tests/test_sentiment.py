import math

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.text.sentiment import (
    SCORE_COLUMNS,
    analyzer,
    score_sentences,
    score_table,
    score_texts,
    score_utterances,
)
from analysis.text.tokens import SENTENCE_COLUMNS

SENTENCES = [
    "The talks in Anchorage were candid, constructive and helpful.",
    "Washington's arrogant and condescending tone was NOT acceptable!!!",
    "China firmly opposes US interference in its internal affairs.",
    "We hope the US side will not misjudge the situation.",
    "It was a win-win outcome :)",
    "Both sides said there were \u201cdifficulties\u201d but no breakdown.",
    "",
    "Nothing happened.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_scores_equal_vadersentiment(text):
    expected = SentimentIntensityAnalyzer().polarity_scores(text)
    got = score_texts([text]).iloc[0]
    assert got.to_dict() == {c: expected[c] for c in SCORE_COLUMNS}


# Compound scores published in the VADER README (Hutto & Gilbert), not computed by us.
# (Its pos/neu/neg come from the 2014 code and differ slightly from vaderSentiment 3.3.)
@pytest.mark.parametrize(
    ("text", "compound"),
    [
        ("VADER is smart, handsome, and funny.", 0.8316),
        ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342),
        ("The book was good.", 0.4404),
        ("A really bad, horrible book.", -0.8211),
        ("At least it isn't a horrible book.", 0.431),
        ("Today sux", -0.3612),
    ],
)
def test_published_examples(text, compound):
    assert score_texts([text]).compound[0] == compound


def test_order_repeats_and_missing_texts():
    texts = ["good", None, "bad", np.nan, "good", ""]
    scores = score_texts(texts)
    assert list(scores.columns) == SCORE_COLUMNS
    assert list(scores.index) == list(range(6))
    assert scores.iloc[0].tolist() == scores.iloc[4].tolist()
    assert scores.iloc[[1, 3]].isna().all().all()
    assert scores.iloc[5].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert scores.loc[0, "compound"] > 0 > scores.loc[2, "compound"]


def test_non_text_is_rejected():
    with pytest.raises(TypeError, match="int"):
        score_texts(["fine", 3])


def _sentence_table(texts):
    rows = [
        ("doc", i, 0, "body", 10 * i, 10 * i + len(t), t, len(t.split()), i / 10)
        for i, t in enumerate(texts)
    ]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def test_score_sentences_appends_scores_and_keeps_rows():
    table = _sentence_table(SENTENCES).iloc[::-1].set_axis(list("abcdefgh"))
    scored = score_sentences(table)
    assert list(scored.columns) == SENTENCE_COLUMNS + SCORE_COLUMNS
    assert list(scored.index) == list("abcdefgh")
    pd.testing.assert_frame_equal(scored[SENTENCE_COLUMNS], table)
    direct = SentimentIntensityAnalyzer()
    for text, compound in zip(scored.text, scored.compound, strict=True):
        assert compound == direct.polarity_scores(text)["compound"]


@pytest.mark.parametrize("score", [score_sentences, score_utterances])
def test_empty_table_keeps_columns(score):
    empty = _sentence_table([])
    scored = score(empty)
    assert list(scored.columns) == SENTENCE_COLUMNS + SCORE_COLUMNS
    assert len(scored) == 0


def test_existing_scores_are_replaced_not_duplicated():
    table = score_sentences(_sentence_table(["good", "bad"]))
    table["text"] = ["bad", "good"]
    rescored = score_sentences(table)
    assert list(rescored.columns) == SENTENCE_COLUMNS + SCORE_COLUMNS
    assert rescored.compound.tolist() == table.compound.tolist()[::-1]


def test_utterances_and_other_text_columns():
    utterances = pd.DataFrame({"speaker": ["Yang", "Blinken"], "text": ["We are sincere.", "No."]})
    scored = score_utterances(utterances)
    assert list(scored.columns) == ["speaker", "text", *SCORE_COLUMNS]
    quotes = pd.DataFrame({"quote": ["great"]})
    # "great" has lexicon valence 3.1; compound = 3.1 / sqrt(3.1**2 + 15) (VADER's normalisation).
    assert math.isclose(score_table(quotes, text_col="quote").compound[0], 0.6249)
    with pytest.raises(KeyError, match="text"):
        score_utterances(quotes)


def test_nothing_is_downloaded(offline):
    analyzer.cache_clear()
    try:
        scored = score_sentences(_sentence_table(SENTENCES))
    finally:
        analyzer.cache_clear()
    assert scored.compound.notna().all()
