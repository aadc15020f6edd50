"""Stage 2, text: sentences and tokens, the framing lexicon and its hits, frequent and
distinctive terms, and VADER sentence sentiment, one document at a time."""

from analysis.text.framing import find_hits, frame_counts, kwic, term_counts
from analysis.text.lexicon import Lexicon, load_lexicon, parse_lexicon
from analysis.text.sentiment import score_sentences, score_texts, score_utterances
from analysis.text.terms import tfidf_terms, top_terms
from analysis.text.tokens import STOP_WORDS, tokenize_corpus, tokenize_document

__all__ = [
    "STOP_WORDS",
    "Lexicon",
    "find_hits",
    "frame_counts",
    "kwic",
    "load_lexicon",
    "parse_lexicon",
    "score_sentences",
    "score_texts",
    "score_utterances",
    "term_counts",
    "tfidf_terms",
    "tokenize_corpus",
    "tokenize_document",
    "top_terms",
]
