import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.attribution.extract import attribute_text
from analysis.text.sentiment import (
    SCORE_COLUMNS,
    _text_scores,
    analyzer,
    score_sentences,
    score_table,
    score_texts,
    score_utterances,
)
from analysis.text.tokens import SENTENCE_COLUMNS, sentence_spans
from analysis.text.vader import FastVader

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
    _text_scores.cache_clear()
    try:
        scored = score_sentences(_sentence_table(SENTENCES))
    finally:
        analyzer.cache_clear()
        _text_scores.cache_clear()
    assert scored.compound.notna().all()


ROOT = Path(__file__).resolve().parents[1]
#: Each rule of VADER's at least once: negation one to three words back and by "n't",
#: "no" before a lexicon word, "never so"/"without doubt", "but", ALL CAPS among mixed
#: case, boosters and dampeners (also in capitals), "kind of"/"sort of", "least",
#: special idioms before and after the word, "!" and "?" emphasis, emoticons, emoji,
#: punctuation stripped or kept, repeated words, no words at all.
HARD_CASES = [
    "The deal is not good.",
    "The deal is not very good.",
    "It isn't really that bad at all.",
    "Nobody said it was never so good, without doubt the best.",
    "This was without doubt a great success.",
    "no problem, no good outcome, no or nor hope",
    "No, no, no.",
    "The food was good but the service was horrible.",
    "It was bad, but not terrible, but fine.",
    "but",
    "The talks were GREAT, but the outcome was BAD!!",
    "ALL CAPS ARE ALL HAPPY AND GOOD",
    "The results were EXTREMELY good and VERY bad.",
    "She was kind of happy, sort of sad, kind of.",
    "The kind offer was kind of generous.",
    "At least it isn't a horrible book. The least helpful, the very least good.",
    "least good",
    "That movie was the bomb and the shit, a real kiss of death, yeah right.",
    "This cake is to die for, my beating heart!",
    "It was a bad ass show at the bus stop.",
    "Great!!!! Really great!!!!!!",
    "Why? Why?? Is it good???? Is it bad?",
    "Happy :) sad :( meh :-/ <3",
    "Smiling \U0001f600 face and \u2764 heart and \U0001f622.",
    "\U0001f600",
    "'good' \"bad\" (great) [terrible]; ...fine...",
    "...!!!???",
    "good good good bad bad bad",
    "not not not",
    "never good, never so good, never this bad",
    "The the the kind of the shit.",
    "I don't like it; we won't accept; they can't win; nor hope; despite success.",
    "uh-uh, that's not a win-win, nope.",
    "   ",
    "",
    "\u00c9lan was superb; na\u00efve hopes; r\u00e9sum\u00e9 GOOD.",
    "STRONG support, WEAK opposition, Strong hope",
    "kind",
    "It was no less than a triumph, hardly a disaster, barely acceptable.",
]


def _corpus_texts() -> list[str]:
    """Every sentence, line and attributed passage of the seeds and the fixture corpus."""
    texts = []
    paths = [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests/fixtures/corpus").glob("*.txt")]
    for path in sorted(paths):
        text = path.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in sentence_spans(text)]
        texts += text.splitlines()
        texts += attribute_text(text)["text"].tolist()
    return texts


def test_fast_path_equals_vadersentiment_on_every_corpus_sentence_and_hard_case():
    texts = _corpus_texts()
    assert len(texts) > 300
    reference = SentimentIntensityAnalyzer()
    fast = FastVader(SentimentIntensityAnalyzer())
    for text in [*texts, *HARD_CASES, *(t.upper() for t in HARD_CASES)]:
        expected = reference.polarity_scores(text)
        got = fast.polarity_scores(text)
        assert list(got.items()) == list(expected.items()), text
        # the same floats, down to the sign of a zero
        assert [math.copysign(1, v) for v in got.values()] == [
            math.copysign(1, v) for v in expected.values()
        ], text
