from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.corpus.loader import parse_document
from analysis.text.columns import columns_frame
from analysis.text.tokens import (
    SENTENCE_COLUMNS,
    norm,
    sentence_spans,
    split_document,
    tokenize_document,
    word_spans,
)


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


def test_split_document_gives_the_tables_of_tokenize_document(corpus_dir: Path):
    docs = [parse_document(p, p.read_text("utf-8")) for p in sorted(corpus_dir.glob("*.txt"))]
    split = [split_document(doc) for doc in docs]
    for doc, (columns, arrow) in zip(docs, split, strict=True):
        sentences, tokens = tokenize_document(doc)
        pd.testing.assert_frame_equal(columns_frame([columns], SENTENCE_COLUMNS), sentences)
        pd.testing.assert_frame_equal(arrow.to_pandas(), tokens)
    # many documents' columns at once: their tables one after another
    many = pd.concat([tokenize_document(doc)[0] for doc in docs], ignore_index=True)
    pd.testing.assert_frame_equal(columns_frame([c for c, _ in split], SENTENCE_COLUMNS), many)


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


def _reference_tokens(doc) -> list[tuple]:
    """Tokens the straightforward way: Punkt per counted paragraph, then NLTK's
    RegexpTokenizer per sentence, then Python's own lower-casing and tests per token."""
    import re

    from nltk.tokenize import RegexpTokenizer

    from analysis.text.tokens import STOP_WORDS, WORD_PATTERN
    from analysis.types import COUNTED_TYPES

    words = RegexpTokenizer(WORD_PATTERN)
    rows = []
    sentence_id = 0
    for pid, para in enumerate(doc.paragraphs):
        if para.kind not in COUNTED_TYPES:
            continue
        for s, e in sentence_spans(doc.text, para.start, para.end):
            for a, b in words.span_tokenize(doc.text[s:e]):
                word = doc.text[s + a : s + b]
                rows.append(
                    (
                        sentence_id,
                        pid,
                        para.kind,
                        s + a,
                        s + b,
                        word,
                        word.lower(),
                        norm(word),
                        re.search(r"[^\W_]", word) is not None,
                        norm(word) in STOP_WORDS,
                    )
                )
            sentence_id += 1
    return rows


TRICKY = (
    "Title: U.S.-China Talks\n\n"
    "Mr. Blinken said the U.S. would “never” accept it. Li’s reply: ‘No.’\n\n"
    "İstanbul's ÉLAN, Straße and naïve STATES' hopes grew 6.5% (1,300 win-win deals)...\n\n"
    "Ｆｕｌｌｗｉｄｔｈ text — and 日本語 words; e-mail's end.A.B. ran.\n"
)


def test_tokens_equal_a_straightforward_tokenizer(corpus_dir: Path, tmp_path: Path):
    tricky = tmp_path / "tricky.txt"
    tricky.write_text(TRICKY, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    paths = [*sorted(corpus_dir.glob("*.txt")), *sorted((root / "seeds").glob("*.txt")), tricky]
    for path in paths:
        doc = parse_document(path, path.read_text(encoding="utf-8"))
        sentences, tokens = tokenize_document(doc)
        columns = ["sentence_id", "paragraph_id", "paragraph_type", "start", "end", "text"]
        got = list(zip(*(tokens[c].tolist() for c in [*columns, "lower", "norm"]), strict=True))
        flags = list(zip(tokens.is_word.tolist(), tokens.is_stop.tolist(), strict=True))
        expected = _reference_tokens(doc)
        assert [(*g, *f) for g, f in zip(got, flags, strict=True)] == expected, path.name
        assert tokens.token_id.tolist() == list(range(len(expected)))
        n_words = [sum(r[8] for r in expected if r[0] == i) for i in sentences.sentence_id]
        assert sentences.n_words.tolist() == n_words


@given(
    text=st.text(alphabet="ab1.,'- \n’é", max_size=60),
    cuts=st.lists(st.integers(0, 60), max_size=8),
)
def test_one_scan_gives_the_tokens_of_scanning_each_sentence(text, cuts):
    """Sentence edges anywhere, even inside a token, give the same tokens as a scan per sentence."""
    from analysis.text.tokens import _token_spans, _token_spans_by_sentence

    edges = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    spans = [(s, e) for s, e in zip(edges, edges[1:], strict=False) if e > s][::2]
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    fast = _token_spans(text, starts, ends)
    slow = _token_spans_by_sentence(text, starts, ends)
    assert [a.tolist() for a in fast[:3]] == [a.tolist() for a in slow[:3]]
    assert fast[3] == slow[3]
