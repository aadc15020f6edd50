"""From a loaded corpus to every table of the report, as pure functions.

Per-document work (:func:`analyze_document`) depends on one document and the
lexicon only; corpus-level tables are built from the concatenated per-document
tables. Nothing here reads or writes files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from analysis.attribution import extract as attribution
from analysis.attribution import speakers
from analysis.corpus.loader import Corpus, documents_table, paragraphs_table
from analysis.run.cache import DocumentCache
from analysis.run.fingerprint import code_fingerprint
from analysis.run.parallel import Engine, map_documents
from analysis.stats import resampling as stats
from analysis.stats import timeseries
from analysis.stats.comparison import Comparison, compare
from analysis.text import framing, sentiment, terms
from analysis.text.lexicon import Lexicon
from analysis.text.tokens import tokenize_document
from analysis.types import Document

#: Tables computed for each document, concatenated over the corpus.
DOCUMENT_TABLES = ("sentences", "tokens", "hits", "utterances")


def analyze_document(doc: Document, lexicon: Lexicon) -> dict[str, pd.DataFrame]:
    """Sentences and utterances (both with VADER scores), tokens and framing hits of one document.

    Utterances also get ``position_start`` and ``position_end`` (0 to 1), where
    the attributed passage sits in the article, on the scale of sentence and
    hit positions.
    """
    sentences, tokens = tokenize_document(doc)
    hits = framing.find_hits(doc, sentences, lexicon)
    sentences = sentiment.score_sentences(sentences)
    first, span = doc.counted_extent()
    utterances = document_utterances(doc).assign(
        position_start=lambda d: (d["start"] - first) / span,
        position_end=lambda d: (d["end"] - first) / span,
    )
    return {"sentences": sentences, "tokens": tokens, "hits": hits, "utterances": utterances}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-document tables; empty ones (all-object columns) don't set the dtypes."""
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].iloc[0:0] if frames else pd.DataFrame()
    return pd.concat(full, ignore_index=True)


def document_utterances(doc: Document) -> pd.DataFrame:
    """Attributed utterances of *doc* with VADER scores, as ``utterances.csv`` holds them.

    ``segments`` is written as text, ``"start-end;start-end"``, so that it is
    stored in the cache and CSV and read back exactly.
    """
    utterances = sentiment.score_utterances(attribution.attribute_document(doc))
    utterances["segments"] = utterances["segments"].map(_segments_text)
    return utterances


def _segments_text(segments) -> str:
    return ";".join(f"{int(s)}-{int(e)}" for s, e in segments)


def document_fingerprint(doc: Document) -> str:
    """A hash of everything :func:`analyze_document` reads from a document.

    That is the text, and what the corpus folder adds to it: the doc_id (file
    name), the phase (from the date and the event), and the paragraph layout
    (which a manifest title changes).
    """
    layout = ";".join(f"{p.start},{p.end},{p.kind}" for p in doc.paragraphs)
    return hashlib.sha256(
        "\n".join([doc.sha256, doc.doc_id, doc.phase, layout]).encode("utf-8")
    ).hexdigest()


@dataclass
class AnalysisRun:
    """Per-document tables concatenated over the corpus, and where they came from."""

    tables: dict[str, pd.DataFrame]
    n_computed: int = 0
    n_cached: int = 0
    n_words: int = 0


def analyze_documents(
    corpus: Corpus,
    lexicon: Lexicon,
    *,
    jobs: int | None = 1,
    cache: DocumentCache | None = None,
    progress: bool = False,
    engine: Engine = "local",
    scheduler: str | None = None,
) -> AnalysisRun:
    """:func:`analyze_document` for every document, concatenated per table.

    Documents whose results are in *cache* (same fingerprint, lexicon, and the
    package's code and data files, :func:`analysis.run.fingerprint.code_fingerprint`)
    are read from it; the others are analysed by *jobs* processes (``None``: all
    cores; see :func:`analysis.run.parallel.map_documents`) and stored.
    *engine* ``"dask"`` analyses them on a Dask cluster (*scheduler*: its address;
    ``None``: a local cluster of *jobs* workers). The result does not depend on
    *jobs*, the engine or the cache.
    """
    docs = corpus.documents
    cached, found = {}, frozenset()
    if cache:
        code = code_fingerprint()
        keys = {
            d.doc_id: cache.key(
                document_fingerprint(d),
                lexicon_sha256=lexicon.sha256,
                version=code,
            )
            for d in docs
        }
        cached, found = cache.load(keys, DOCUMENT_TABLES)
    todo = [d for d in docs if d.doc_id not in found]
    computed = map_documents(
        partial(analyze_document, lexicon=lexicon),
        todo,
        jobs=jobs,
        progress=progress,
        engine=engine,
        scheduler=scheduler,
    )
    position = {d.doc_id: i for i, d in enumerate(docs)}
    tables = {}
    for name in DOCUMENT_TABLES:  # pop each part, so it is freed once concatenated
        table = _concat(([cached.pop(name)] if found else []) + [c.pop(name) for c in computed])
        if found and todo:  # put the new documents' rows in document order
            table = table.iloc[np.argsort(table["doc_id"].map(position).to_numpy(), kind="stable")]
        tables[name] = table.reset_index(drop=True)
    if cache:
        cache.store(keys, tables)
    n_words = int(tables["tokens"]["is_word"].sum()) if len(tables["tokens"]) else 0
    return AnalysisRun(tables, len(todo), len(found), n_words)


def speaker_tables(utterances: pd.DataFrame, docs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``utterances`` (with phase), ``speakers``, ``speakers_by_phase``, ``sides_by_phase``.

    ``speakers`` adds to :func:`analysis.attribution.speakers.speaker_table` the mean
    compound of each speaker's utterances with its 95% bootstrap interval and
    the ``too_few`` flag (n < 3). The by-phase tables hold the same per
    (speaker, side, phase) and per (side, phase), with words quoted.
    """
    utts = utterances.merge(docs[["doc_id", "phase"]], on="doc_id", how="left")
    named = utts[utts["speaker"].fillna("") != ""]
    summary = stats.summarise_groups(named, by=["speaker"])
    table = speakers.speaker_table(utts).merge(
        summary[["speaker", "mean", "ci_low", "ci_high", "too_few"]], on="speaker", how="left"
    )
    return {
        "utterances": utts,
        "speakers": table,
        "speakers_by_phase": stats.summarise_groups(named, by=["speaker", "side", "phase"]),
        "sides_by_phase": stats.summarise_groups(utts, by=["side", "phase"]),
    }


def corpus_tables(
    corpus: Corpus,
    per_doc: dict[str, pd.DataFrame],
    lexicon: Lexicon,
    *,
    comparison: Comparison | None = None,
) -> dict[str, pd.DataFrame]:
    """The corpus-level tables of the report, keyed by output name.

    Corpus: ``documents``, ``paragraphs``, ``sentences``. Framing:
    ``framing_terms`` (one row per document and lexicon entry),
    ``framing_terms_by_phase``, ``framing_frames``, ``framing_frames_by_phase``,
    ``framing_frames_by_period``, ``framing_kwic``. Terms: ``terms_top_by_phase``,
    ``terms_top_by_document``, ``terms_tfidf``. Sentiment:
    ``sentiment_sentences_by_phase``, ``sentiment_by_period``. Speakers (see
    :func:`speaker_tables`): ``utterances``, ``speakers``, ``speakers_by_phase``,
    ``sides_by_phase``. Comparison of
    group A with group B (*comparison*, default post vs pre; see
    :mod:`analysis.stats.comparison`): ``keyness``, ``frame_shifts``, ``term_shifts``,
    ``sentiment_shifts``.
    """
    docs = documents_table(corpus)
    tokens = per_doc["tokens"]
    n_tokens = tokens.loc[tokens["is_word"], ["doc_id"]].groupby("doc_id").size()
    docs["n_tokens"] = docs["doc_id"].map(n_tokens).fillna(0).astype(int)
    sentences = per_doc["sentences"].merge(docs[["doc_id", "phase"]], on="doc_id", how="left")
    term_table = framing.term_counts(per_doc["hits"], docs, n_tokens, lexicon)
    frame_table = framing.frame_counts(term_table)
    tables = {
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
    tables.update(speaker_tables(per_doc["utterances"], docs))
    units = {"sentences": sentences, "utterances": tables["utterances"]}
    compared = compare(tokens, docs, term_table, frame_table, units, comparison)
    key = compared["keyness"]
    compared["keyness"] = key.assign(lexicon_frame=framing.lexicon_frames(key["term"], lexicon))
    return {**tables, **compared}
