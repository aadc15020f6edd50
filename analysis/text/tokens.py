"""Sentences and word tokens with character offsets, using NLTK and no downloads.

Sentences come from NLTK's Punkt with fixed parameters: the abbreviation list
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
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from nltk.tokenize import PunktSentenceTokenizer
from nltk.tokenize.punkt import PunktParameters

from analysis.types import COUNTED_TYPES, Document

WORD_PATTERN = r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*%?|\w+(?:['-]\w+)*|[^\w\s]"


def _word_list(name: str) -> frozenset[str]:
    """The words of ``analysis/data/<name>``, one a line; ``#`` lines are notes."""
    lines = resources.files("analysis").joinpath("data", name).read_text("utf-8")
    return frozenset(w.strip() for w in lines.splitlines() if w.strip() and not w.startswith("#"))


#: scikit-learn's English stop words, read from ``data/stop_words.txt`` (a test checks
#: the two agree) so that tokenizing does not import scikit-learn.
STOP_WORDS = _word_list("stop_words.txt")

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
    params = PunktParameters()
    params.abbrev_types = set(abbreviations())
    return PunktSentenceTokenizer(params)


#: The word pattern run with Python's ``re``: the same tokens as
#: ``nltk.tokenize.RegexpTokenizer(WORD_PATTERN)``, without the per-match ReDoS
#: guard NLTK 3.9 wraps around it (a third of tokenization time; the pattern has
#: no nested quantifiers to guard against). A test checks the two agree.
_WORDS = re.compile(WORD_PATTERN)
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


@dataclass
class TokenLists:
    """One document's tokens as parallel lists, in reading order (what the tables hold)."""

    sentence_id: list[int]
    paragraph_id: list[int]
    paragraph_type: list[str]
    start: list[int]
    end: list[int]
    text: list[str]
    lower: list[str]
    norm: list[str]
    is_word: np.ndarray
    is_stop: np.ndarray


def split_document(doc: Document) -> tuple[dict[str, list], TokenLists]:
    """Sentences (as columns) and tokens (as lists) of one document; see :func:`tokenize_document`.

    Building no DataFrame, this is the form the per-document summaries start from.
    """
    text = doc.text
    first, span = doc.counted_extent()
    cols: dict[str, list] = {c: [] for c in SENTENCE_COLUMNS}
    starts: list[int] = []
    ends: list[int] = []
    sids: list[int] = []
    pids: list[int] = []
    kinds: list[str] = []
    finditer = _WORDS.finditer
    for pid, para in enumerate(doc.paragraphs):
        if para.kind not in COUNTED_TYPES:
            continue
        for s, e in sentence_spans(text, para.start, para.end):
            sid = len(cols["start"])
            chunk = text[s:e]
            n_before = len(starts)
            for m in finditer(chunk):
                a, b = m.span()
                starts.append(s + a)
                ends.append(s + b)
            n = len(starts) - n_before
            sids += [sid] * n
            pids += [pid] * n
            kinds += [para.kind] * n
            cols["sentence_id"].append(sid)
            cols["paragraph_id"].append(pid)
            cols["paragraph_type"].append(para.kind)
            cols["start"].append(s)
            cols["end"].append(e)
            cols["text"].append(chunk)
            cols["position"].append((s - first) / span)
    words = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    lower = [w.lower() for w in words]
    norms = [_norm_lower(w) for w in lower]
    has_alnum = _HAS_ALNUM.search
    is_word = np.array([has_alnum(w) is not None for w in words], dtype=bool)
    per_sentence = np.bincount(
        np.array(sids, dtype=np.int64), weights=is_word, minlength=len(cols["start"])
    )
    cols["n_words"] = per_sentence.astype(np.int64).tolist()
    cols["doc_id"] = [doc.doc_id] * len(cols["start"])
    is_stop = np.array([n in STOP_WORDS for n in norms], dtype=bool)
    tokens = TokenLists(sids, pids, kinds, starts, ends, words, lower, norms, is_word, is_stop)
    return cols, tokens


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
    sentences, t = split_document(doc)
    tokens = pd.DataFrame(
        {
            "doc_id": doc.doc_id,
            "sentence_id": np.array(t.sentence_id, dtype=np.int64),
            "token_id": np.arange(len(t.text), dtype=np.int64),
            "paragraph_id": np.array(t.paragraph_id, dtype=np.int64),
            "paragraph_type": t.paragraph_type,
            "start": np.array(t.start, dtype=np.int64),
            "end": np.array(t.end, dtype=np.int64),
            "text": t.text,
            "lower": t.lower,
            "norm": t.norm,
            "is_word": t.is_word,
            "is_stop": t.is_stop,
        },
        columns=TOKEN_COLUMNS,
    )
    return pd.DataFrame(sentences, columns=SENTENCE_COLUMNS), tokens


def tokenize_corpus(docs: Iterable[Document]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`tokenize_document` over many documents, concatenated."""
    parts = [tokenize_document(d) for d in docs]
    if not parts:
        return pd.DataFrame(columns=SENTENCE_COLUMNS), pd.DataFrame(columns=TOKEN_COLUMNS)
    return (
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
    )
