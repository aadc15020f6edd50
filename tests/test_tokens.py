from pathlib import Path

import pytest

from analysis.corpus.loader import parse_document
from analysis.text.tokens import norm, sentence_spans, tokenize_document, word_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Blinken spoke. Then Li left.", ["Mr. Blinken spoke.", "Then Li left."]),
        ("The U.S. side came. China did too.", ["The U.S. side came.", "China did too."]),
        ('"We hope so," Li said. He left.', ['"We hope so," Li said.', "He left."]),
    ],
)
def test_sentences(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China-US ties are win-win.", ["China-US", "ties", "are", "win-win", "."]),
        ("The U.S. grew 6.5% in 2021", ["The", "U.S.", "grew", "6.5%", "in", "2021"]),
        ("China's 1,300 words", ["China's", "1,300", "words"]),
        ("'new normal'", ["'", "new", "normal", "'"]),
    ],
)
def test_words(text, expected):
    assert [text[s:e] for s, e in word_spans(text)] == expected


@pytest.mark.parametrize(
    ("token", "expected"), [("China's", "china"), ("States'", "states"), ("Win-Win", "win-win")]
)
def test_norm(token, expected):
    assert norm(token) == expected


def test_offsets_index_the_raw_file_text(corpus_dir: Path):
    for path in corpus_dir.glob("*.txt"):
        raw = path.read_bytes().decode("utf-8")
        doc = parse_document(path, raw)
        sentences, tokens = tokenize_document(doc)
        assert len(tokens) > 0
        for start, end, text in zip(tokens.start, tokens.end, tokens.text, strict=True):
            assert doc.text[start:end] == text
            assert len(raw[start:end]) == len(text)
        for start, end, text in zip(sentences.start, sentences.end, sentences.text, strict=True):
            assert doc.text[start:end] == text


def test_headings_are_their_own_unit_and_furniture_is_skipped(corpus_dir: Path):
    path = corpus_dir / "pre_talks.txt"
    doc = parse_document(path, path.read_text(encoding="utf-8"))
    sentences, tokens = tokenize_document(doc)
    heading = sentences[sentences.paragraph_type == "heading"]
    assert heading.text.tolist() == ["Sincerity needed"]
    assert set(tokens.paragraph_type) == {"title", "body", "caption", "heading"}
    assert "contributed" not in set(tokens.lower)
    assert "cnsphoto" in set(tokens.lower)
    assert tokens.loc[tokens.lower == "the", "is_stop"].all()
    assert not tokens.loc[tokens.lower == "sincerity", "is_stop"].any()


def test_word_spans_match_nltk_regexp_tokenizer():
    from nltk.tokenize import RegexpTokenizer

    from analysis.text.tokens import WORD_PATTERN, word_spans

    text = "The U.S. said China's 6.5% growth, on 1,300 win-win deals -- isn't bad (A.B.C.)."
    assert word_spans(text) == list(RegexpTokenizer(WORD_PATTERN).span_tokenize(text))


def test_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from analysis.text.tokens import STOP_WORDS

    assert STOP_WORDS == ENGLISH_STOP_WORDS
