"""Sentences and word tokens with character offsets, using NLTK and no downloads.

Sentences come from NLTK's Punkt (loaded without the rest of NLTK:
:mod:`analysis.text.punkt`) with fixed parameters: the abbreviation list
in ``data/abbreviations.txt`` (so "Mr." or "U.S." does not end a sentence) and
no training. Training Punkt on the corpus would make one article's sentences
depend on which other articles are in the corpus; fixed parameters keep every
document's analysis a function of that document alone.

Words come from a regular-expression tokenizer (the pattern of an NLTK
``RegexpTokenizer``, run with Python's ``re``): abbreviations with periods
("U.S."), numbers ("1,300", "6.5%"), words with inner hyphens or apostrophes
("China-US", "win-win", "China's") and single punctuation marks. It is many
times faster than the Treebank tokenizer on news text and keeps offsets exact.

Each paragraph is split separately, so a heading is its own unit and never
joins the sentence after it; ``paragraph_type`` says what each unit is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.corpus import language
from analysis.text.columns import columns_frame
from analysis.text.punkt import punkt_module
from analysis.types import COUNTED_TYPES, Document

if TYPE_CHECKING:
    from nltk.tokenize import PunktSentenceTokenizer

WORD_PATTERN = r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*%?|\w+(?:['-]\w+)*|[^\w\s]"


def _word_list(name: str) -> frozenset[str]:
    """The words of ``analysis/data/<name>``, one a line; ``#`` lines are notes."""
    lines = resources.files("analysis").joinpath("data", name).read_text("utf-8")
    return frozenset(w.strip() for w in lines.splitlines() if w.strip() and not w.startswith("#"))


#: scikit-learn's English stop words, as :mod:`analysis.corpus.language` reads them
#: from ``data/english_stop_words.txt``, so that tokenizing does not import scikit-learn.
STOP_WORDS = language.STOP_WORDS

SENTENCE_COLUMNS = [
    "doc_id",
    "sentence_id",
    "paragraph_id",
    "paragraph_type",
    "start",
    "end",
    "text",
    "n_words",
    "position",
]
TOKEN_COLUMNS = [
    "doc_id",
    "sentence_id",
    "token_id",
    "paragraph_id",
    "paragraph_type",
    "start",
    "end",
    "text",
    "lower",
    "norm",
    "is_word",
    "is_stop",
]


@cache
def abbreviations() -> frozenset[str]:
    """The abbreviation list shipped in ``analysis/data/abbreviations.txt``."""
    return _word_list("abbreviations.txt")


@cache
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """Punkt with the shipped abbreviations and no training data."""
    punkt = punkt_module()
    params = punkt.PunktParameters()
    params.abbrev_types = set(abbreviations())
    return punkt.PunktSentenceTokenizer(params)


#: The word pattern run with Python's ``re``: the same tokens as
#: ``nltk.tokenize.RegexpTokenizer(WORD_PATTERN)``, without the per-match ReDoS
#: guard NLTK 3.9 wraps around it (a third of tokenization time; the pattern has
#: no nested quantifiers to guard against). A test checks the two agree.
_WORDS = re.compile(WORD_PATTERN)
_WORDS_SPLIT = re.compile(f"({WORD_PATTERN})")
_HAS_ALNUM = re.compile(r"[^\W_]")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text[start:end]``, as offsets into *text*."""
    chunk = text[start:end]
    return [(start + s, start + e) for s, e in sentence_tokenizer().span_tokenize(chunk)]


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word-token ``(start, end)`` offsets of ``text[start:end]``, as offsets into *text*."""
    return [(start + m.start(), start + m.end()) for m in _WORDS.finditer(text[start:end])]


def norm(token: str) -> str:
    """Lower-case a token and drop a possessive ("China's" -> "china")."""
    return _norm_lower(token.lower())


def _norm_lower(low: str) -> str:
    if low.endswith("'s"):
        return low[:-2]
    return low[:-1] if low.endswith("s'") else low


def split_document(doc: Document) -> tuple[dict[str, object], pa.Table]:
    """:func:`tokenize_document` without DataFrames: sentence columns and an Arrow token table.

    The per-document summaries start from this. The sentence columns (numpy arrays,
    and Arrow arrays of strings) become a table with many documents' at once
    (:func:`analysis.text.columns.columns_frame` with :data:`SENTENCE_COLUMNS`); the
    tokens go only to the term counts (:func:`analysis.text.terms.document_terms`) and
    to the cache's token store, which writes Arrow. Both give :func:`tokenize_document`'s
    tables (``to_pandas()`` for the tokens).
    """
    sentences, tokens = _columns(doc)
    return sentences, pa.table({c: tokens[c] for c in TOKEN_COLUMNS})


def _columns(doc: Document) -> tuple[dict[str, object], dict[str, object]]:
    """Sentence and token columns of one document: numpy arrays, and Arrow arrays of strings."""
    text = doc.text
    first, span = doc.counted_extent()
    starts, ends, pids, kinds = [], [], [], []
    for pid, para in enumerate(doc.paragraphs):
        if para.kind in COUNTED_TYPES:
            for s, e in sentence_spans(text, para.start, para.end):
                starts.append(s)
                ends.append(e)
                pids.append(pid)
                kinds.append(para.kind)
    tok_start, tok_end, sid, words = _token_spans(text, starts, ends)
    word_text, lower, norms, is_word, is_stop = _word_forms(words)
    kind = pa.array(kinds, type=pa.large_string())
    paragraph_id = np.array(pids, dtype=np.int64)
    sentence_start = np.array(starts, dtype=np.int64)
    n_sentences = len(starts)
    sentences = {
        "doc_id": pa.array([doc.doc_id] * n_sentences, type=pa.large_string()),
        "sentence_id": np.arange(n_sentences, dtype=np.int64),
        "paragraph_id": paragraph_id,
        "paragraph_type": kind,
        "start": sentence_start,
        "end": np.array(ends, dtype=np.int64),
        "text": pa.array([text[s:e] for s, e in zip(starts, ends, strict=True)], pa.large_string()),
        "n_words": np.bincount(sid, weights=is_word, minlength=n_sentences).astype(np.int64),
        "position": (sentence_start - first) / span,
    }
    tokens = {
        "doc_id": pa.array([doc.doc_id] * len(words), type=pa.large_string()),
        "sentence_id": sid,
        "token_id": np.arange(len(words), dtype=np.int64),
        "paragraph_id": paragraph_id[sid],
        "paragraph_type": kind.take(pa.array(sid, type=pa.int64())),
        "start": tok_start,
        "end": tok_end,
        "text": word_text,
        "lower": lower,
        "norm": norms,
        "is_word": is_word,
        "is_stop": is_stop,
    }
    return sentences, tokens


def _token_spans(
    text: str, starts: list[int], ends: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Start, end, sentence index and text of each word token of the sentences ``starts``/``ends``.

    The text from the first sentence to the last is split once at the word pattern
    (``re.split`` with the pattern captured gives gaps and tokens in turn, so offsets are
    cumulative lengths), and tokens between sentences are dropped. As the pattern has no
    anchors or look-arounds, that gives the tokens of scanning each sentence alone, unless a
    token runs across a sentence's edge: then each sentence is scanned alone
    (:func:`_token_spans_by_sentence`).
    """
    if not starts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, []
    parts = _WORDS_SPLIT.split(text[starts[0] : ends[-1]])
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    tok_end = np.cumsum(lengths)[1::2] + starts[0]
    tok_start = tok_end - lengths[1::2]
    sent_start = np.array(starts, dtype=np.int64)
    sent_end = np.array(ends, dtype=np.int64)
    sid = np.searchsorted(sent_start, tok_start, side="right") - 1
    inside = tok_start < sent_end[sid]
    following = np.minimum(sid + 1, len(starts) - 1)
    crosses = np.where(
        inside, tok_end > sent_end[sid], (sid + 1 < len(starts)) & (tok_end > sent_start[following])
    )
    if crosses.any():
        return _token_spans_by_sentence(text, starts, ends)
    words = parts[1::2]
    if not inside.all():
        words = list(compress(words, inside.tolist()))
    return tok_start[inside], tok_end[inside], sid[inside], words


def _token_spans_by_sentence(
    text: str, starts: list[int], ends: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """:func:`_token_spans` the straightforward way: each sentence scanned alone."""
    spans = [
        (s + a, s + b, i)
        for i, (s, e) in enumerate(zip(starts, ends, strict=True))
        for a, b in (m.span() for m in _WORDS.finditer(text[s:e]))
    ]
    table = np.array(spans, dtype=np.int64).reshape(len(spans), 3)
    words = [text[a:b] for a, b, _ in spans]
    return table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy(), words


def _word_forms(words: list[str]) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Text, lower case, :func:`norm`, is_word and is_stop of each token.

    Arrow's compute kernels do all tokens, and agree with Python's ``str.lower`` and
    ``[^\\W_]`` on ASCII text; tokens with other characters are then redone in Python.
    """
    text = pa.array(words, type=pa.large_string())
    lower = pc.ascii_lower(text)
    norms = pc.if_else(
        pc.ends_with(lower, "'s"),
        pc.utf8_slice_codeunits(lower, 0, -2),
        pc.if_else(pc.ends_with(lower, "s'"), pc.utf8_slice_codeunits(lower, 0, -1), lower),
    )
    is_word = (
        pc.match_substring_regex(text, "[A-Za-z0-9]").to_numpy(zero_copy_only=False).astype(bool)
    )
    other = pc.invert(pc.string_is_ascii(text))
    if pc.any(other).as_py():
        rest = [w.lower() for w in pc.filter(text, other).to_pylist()]
        lower = pc.replace_with_mask(lower, other, pa.array(rest, type=pa.large_string()))
        rest = [_norm_lower(w) for w in rest]
        norms = pc.replace_with_mask(norms, other, pa.array(rest, type=pa.large_string()))
        at = np.flatnonzero(other.to_numpy(zero_copy_only=False))
        is_word[at] = [_HAS_ALNUM.search(words[i]) is not None for i in at.tolist()]
    is_stop = pc.is_in(norms, value_set=_stop_words_array()).to_numpy(zero_copy_only=False)
    return text, lower, norms, is_word, is_stop.astype(bool)


@cache
def _stop_words_array() -> pa.Array:
    return pa.array(sorted(STOP_WORDS), type=pa.large_string())


def tokenize_document(doc: Document) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a document into sentences and tokens.

    Only paragraphs whose type is in :data:`analysis.types.COUNTED_TYPES` are
    tokenized (title, heading, body, caption). Offsets index ``doc.raw``;
    ``text`` columns hold the normalised text (``doc.text``).

    Returns
    -------
    sentences : DataFrame
        doc_id, sentence_id, paragraph_id, paragraph_type, start, end, text, n_words,
        position (0 to 1: where in the document's counted text the sentence starts).
    tokens : DataFrame
        doc_id, sentence_id, token_id, paragraph_id, paragraph_type, start, end,
        text, lower, norm, is_word (contains a letter or digit), is_stop
        (scikit-learn's English stop words, on ``norm``: :data:`STOP_WORDS`).
    """
    sentences, tokens = _columns(doc)
    return columns_frame([sentences], SENTENCE_COLUMNS), columns_frame([tokens], TOKEN_COLUMNS)


def tokenize_corpus(docs: Iterable[Document]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`tokenize_document` over many documents, concatenated."""
    parts = [tokenize_document(d) for d in docs]
    if not parts:
        return pd.DataFrame(columns=SENTENCE_COLUMNS), pd.DataFrame(columns=TOKEN_COLUMNS)
    return (
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
    )
