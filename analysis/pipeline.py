"""From a loaded corpus to every table of the report, as pure functions.

Per-document work (:func:`analyze_document`) depends on one document and the
lexicon only; corpus-level tables are built from the concatenated per-document
tables. Nothing here reads or writes files.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import framing, sentiment, stats, terms, timeseries
from analysis.corpus import Corpus, documents_table, paragraphs_table
from analysis.lexicon import Lexicon
from analysis.parallel import map_documents
from analysis.tokens import tokenize_document
from analysis.types import Document

#: Tables computed for each document, concatenated over the corpus.
DOCUMENT_TABLES = ("sentences", "tokens", "hits")


def analyze_document(doc: Document, lexicon: Lexicon) -> dict[str, pd.DataFrame]:
    """Sentences (with VADER scores), tokens and framing hits of one document."""
    sentences, tokens = tokenize_document(doc)
    hits = framing.find_hits(doc, sentences, lexicon)
    sentences = sentiment.score_sentences(sentences)
    return {"sentences": sentences, "tokens": tokens, "hits": hits}


def analyze_documents(
    corpus: Corpus, lexicon: Lexicon, *, jobs: int | None = 1, progress: bool = False
) -> dict[str, pd.DataFrame]:
    """:func:`analyze_document` for every document, concatenated per table.

    *jobs* processes share the work (``None``: all cores; see
    :func:`analysis.parallel.map_documents`); the result does not depend on it.
    """
    parts = map_documents(
        partial(analyze_document, lexicon=lexicon), corpus.documents, jobs=jobs, progress=progress
    )
    return {
        name: pd.concat([p[name] for p in parts], ignore_index=True) if parts else pd.DataFrame()
        for name in DOCUMENT_TABLES
    }


def corpus_tables(
    corpus: Corpus, per_doc: dict[str, pd.DataFrame], lexicon: Lexicon
) -> dict[str, pd.DataFrame]:
    """The corpus-level tables of the report, keyed by output name.

    ``documents``, ``paragraphs``, ``sentences``, ``framing_terms`` (one row per document and
    lexicon entry), ``framing_terms_by_phase``, ``framing_frames``,
    ``framing_frames_by_phase``, ``framing_kwic``, ``terms_top_by_phase``,
    ``terms_top_by_document`` and ``terms_tfidf``.
    """
    docs = documents_table(corpus)
    tokens = per_doc["tokens"]
    n_tokens = tokens[tokens["is_word"]].groupby("doc_id").size()
    docs["n_tokens"] = docs["doc_id"].map(n_tokens).fillna(0).astype(int)
    sentences = per_doc["sentences"].merge(docs[["doc_id", "phase"]], on="doc_id", how="left")
    term_table = framing.term_counts(per_doc["hits"], docs, n_tokens, lexicon)
    frame_table = framing.frame_counts(term_table)
    return {
        "documents": docs,
        "paragraphs": paragraphs_table(corpus),
        "sentences": sentences,
        "sentiment_sentences_by_phase": stats.summarise_groups(sentences, by=["phase"]),
        "sentiment_by_period": timeseries.mean_by_period(sentences, docs, event=corpus.event),
        "framing_terms": term_table,
        "framing_terms_by_phase": framing.by_group(term_table, ["frame", "term"]),
        "framing_frames": frame_table,
        "framing_frames_by_phase": framing.by_group(frame_table, ["frame"]),
        "framing_frames_by_period": timeseries.frame_rates_by_period(
            frame_table, docs, event=corpus.event
        ),
        "framing_kwic": framing.kwic(per_doc["hits"], corpus.documents),
        "terms_top_by_phase": terms.top_terms(tokens, docs, by="phase"),
        "terms_top_by_document": terms.top_terms(tokens, docs, by="doc_id", n=20),
        "terms_tfidf": terms.tfidf_terms(tokens),
    }
