"""From a loaded corpus to every table of the report.

Per-document work (:func:`analyze_document`) depends on one document and the
lexicon only. It yields the document's small tables (sentences, hits,
utterances, stance mentions) and a summary of its words: the term counts of
:func:`analysis.text.terms.document_terms`. Every corpus-level table
(:func:`corpus_tables`) is a reduce over these, so the corpus-wide token table
is never built: each document's tokens go to the cache's token store
(:meth:`analysis.run.cache.DocumentCache.store_tokens`) and are read back only
on demand (:meth:`AnalysisRun.tokens`). Only the cache reads or writes files.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from analysis.attribution import extract as attribution
from analysis.config import resolve_jobs
from analysis.corpus.loader import Corpus
from analysis.corpus.tables import documents_table, paragraph_rows, paragraphs_frame
from analysis.forking import forked
from analysis.run.cache import DocumentCache
from analysis.run.fingerprint import code_fingerprint
from analysis.run.parallel import Engine, beside_load, imap_documents
from analysis.run.term_table import TermTable, document_positions, stable_order, take_rows
from analysis.stance import rows as stance_rows
from analysis.stats import background, stance, timeseries
from analysis.stats import resampling as stats
from analysis.stats import speakers as speaker_stats
from analysis.stats.comparison import Comparison, compare, sentiment_shifts
from analysis.text import framing, sentiment, terms
from analysis.text.columns import column_list, columns_frame
from analysis.text.lexicon import Lexicon
from analysis.text.tokens import SENTENCE_COLUMNS, TOKEN_COLUMNS, split_document, tokenize_document
from analysis.types import Document

#: Tables computed for each document, concatenated over the corpus. ``paragraphs`` and
#: ``kwic`` are the report's ``paragraphs`` and ``framing_kwic`` as they are; ``terms``
#: is the term summary of :func:`analysis.text.terms.document_terms` (categorical
#: doc_id and term over the corpus); ``top_terms`` each document's most frequent
#: content terms (:data:`TOP_TERMS_PER_DOCUMENT`, see :func:`gather_summaries`); the
#: tokens are not among them.
DOCUMENT_TABLES = (
    "sentences",
    "hits",
    "utterances",
    "stance_mentions",
    "paragraphs",
    "kwic",
    "top_terms",
    "terms",
)
#: What both processes of :func:`corpus_tables` use, imported before its fork (0.1-0.25 s
#: each time): scipy's special functions, for intervals, tests and keyness.
CORPUS_TABLE_MODULES = ("scipy.special",)
#: Columns of :func:`document_utterances`: the attribution's and VADER's; and of the
#: utterance table, which adds where in the article each passage sits.
SCORED_UTTERANCE_COLUMNS = [*attribution.UTTERANCE_COLUMNS, *sentiment.SCORE_COLUMNS]
UTTERANCE_NAMES = [*SCORED_UTTERANCE_COLUMNS, "position_start", "position_end"]
#: Terms per document in ``terms_top_by_document``.
TOP_TERMS_PER_DOCUMENT = 20


def analyze_document(doc: Document, lexicon: Lexicon) -> dict[str, object]:
    """One document's tables: sentences and utterances (both with VADER scores), tokens,
    their term counts (:func:`analysis.text.terms.term_columns`), framing hits with their
    KWIC lines (:func:`analysis.text.framing.kwic`), paragraphs
    (:func:`analysis.corpus.tables.paragraph_rows`) and stance mentions.

    None is a DataFrame, which costs more to build than an article's rows: the tokens
    are an Arrow table, which the cache's token store writes as it is; the others are
    columns or lists of rows, which :func:`gather_summaries` makes into one table for
    many documents at once.

    Utterances also get ``position_start`` and ``position_end`` (0 to 1), where
    the attributed passage sits in the article, on the scale of sentence and
    hit positions.
    """
    sentences, tokens = split_document(doc)
    hits = framing.hit_rows(doc, sentences, lexicon)
    sentences.update(sentiment.score_columns(column_list(sentences["text"])))
    first, span = doc.counted_extent()
    utterances = utterance_columns(doc)
    for column, offsets in (("position_start", "start"), ("position_end", "end")):
        utterances[column] = (np.asarray(utterances[offsets], dtype=np.float64) - first) / span
    return {
        "sentences": sentences,
        "tokens": tokens,
        "terms": terms.term_columns(tokens),
        "hits": hits,
        "kwic": framing.kwic_rows(hits, [doc]),
        "paragraphs": paragraph_rows(doc),
        "utterances": utterances,
        "stance_mentions": stance_rows.stance_columns(doc, sentences, utterances),
    }


def _rows_gatherer(frame):
    """Gather per-document lists of rows into one table with *frame*."""
    return lambda lists: frame([row for rows in lists for row in rows])


#: How the per-document results of a table are gathered (default: :func:`_concat`).
_GATHER = {
    "sentences": partial(columns_frame, names=SENTENCE_COLUMNS + sentiment.SCORE_COLUMNS),
    "utterances": partial(columns_frame, names=UTTERANCE_NAMES),
    "terms": partial(columns_frame, names=terms.TERM_COLUMNS),
    "stance_mentions": stance_rows.stance_frame,
    "hits": _rows_gatherer(framing.hits_frame),
    "kwic": _rows_gatherer(framing.kwic_frame),
    "paragraphs": _rows_gatherer(paragraphs_frame),
}


def gather_summaries(
    results: list[dict[str, object]],
) -> dict[str, pd.DataFrame]:
    """Many documents' :func:`summarise_document` results as one table per name, in order,
    and ``top_terms``: their :data:`TOP_TERMS_PER_DOCUMENT` most frequent content terms.

    Run in the worker that analysed them (see :func:`analysis.run.parallel.imap_documents`),
    so that it sends back one table per name for a chunk of documents rather than a
    table per document. On PolNeAR train, unpickling the 839 articles' results one by
    one took 0.58 CPU s in the main process, and numbering their terms 0.58 s, while
    the two workers needed both cores.

    A document's top terms depend on its own counts alone, so they are counted here,
    for the chunk's documents at once (:func:`analysis.text.terms.top_terms` by doc_id),
    and cached with its other tables; the report's ``terms_top_by_document`` only puts
    them in order (:func:`top_terms_by_document`). Counted over the whole corpus in the
    report instead, they took 0.7-1.2 s of every re-run of ten copies of PolNeAR train,
    however few articles had changed.
    """
    tables = {name: _GATHER.get(name, _concat)([r[name] for r in results]) for name in results[0]}
    top = terms.top_terms(tables["terms"], by="doc_id", n=TOP_TERMS_PER_DOCUMENT)
    # in the documents' order, as every other table: top_terms sorts them by doc_id
    position = {d: i for i, d in enumerate(tables["terms"]["doc_id"].unique())}
    top = top.iloc[_document_order(top["doc_id"], position)].reset_index(drop=True)
    return {**tables, "top_terms": top}


def top_terms_by_document(top: pd.DataFrame) -> pd.DataFrame:
    """``terms_top_by_document``: the documents' ``top_terms`` rows, documents by doc_id.

    The rows and their order are those of :func:`analysis.text.terms.top_terms` by
    doc_id over the whole corpus (a test checks).
    """
    ids = top["doc_id"].drop_duplicates()
    rank = dict(zip(ids.sort_values(), range(len(ids)), strict=True))
    return top.iloc[_document_order(top["doc_id"], rank)].reset_index(drop=True)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-document tables; empty ones (all-object columns) don't set the dtypes."""
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].iloc[0:0] if frames else pd.DataFrame()
    return pd.concat(full, ignore_index=True)


def document_utterances(doc: Document) -> pd.DataFrame:
    """Attributed utterances of *doc* with VADER scores, as ``utterances.csv`` holds them."""
    return columns_frame([utterance_columns(doc)], SCORED_UTTERANCE_COLUMNS)


def utterance_columns(doc: Document) -> dict[str, object]:
    """:func:`document_utterances` as columns (:func:`analysis.text.columns.row_columns`).

    ``segments`` is written as text, ``"start-end;start-end"``, so that it is
    stored in the cache and CSV and read back exactly.
    """
    columns = attribution.utterance_columns(doc)
    columns["segments"] = [_segments_text(s) for s in columns["segments"]]
    return {**columns, **sentiment.score_columns(column_list(columns["text"]))}


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


def document_key(doc: Document, lexicon: Lexicon, code: str) -> str:
    """The cache key of *doc*'s results, for the lexicon and the code fingerprint *code*."""
    return DocumentCache.key(document_fingerprint(doc), lexicon_sha256=lexicon.sha256, version=code)


def summarise_document(
    doc: Document, lexicon: Lexicon, *, cache: DocumentCache | None = None, code: str = ""
) -> dict[str, object]:
    """:func:`analyze_document` without the tokens, which go to *cache*'s token store.

    This runs in the worker process, so the token table never travels to the
    main process; with no cache (or a disabled one) the tokens are dropped and
    :meth:`AnalysisRun.tokens` recomputes them when asked.
    """
    tables = analyze_document(doc, lexicon)
    tokens = tables.pop("tokens")
    if cache is not None and cache.enabled:
        cache.store_tokens(document_key(doc, lexicon, code), tokens)
    return tables


class DocumentTables(dict):
    """Per-document tables keyed by name; ``["tokens"]`` reads the token table on demand.

    The token table is not held: each lookup of ``"tokens"`` builds it from
    the cache's token store (or by tokenising again), as
    :meth:`AnalysisRun.tokens` does. Prefer ``run.tokens(doc_ids)`` for a few documents.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], tokens) -> None:
        super().__init__(tables)
        self._tokens = tokens

    def __missing__(self, name: str) -> pd.DataFrame:
        if name == "tokens":
            return self._tokens()
        raise KeyError(name)


@dataclass
class AnalysisRun:
    """Per-document tables concatenated over the corpus, and where they came from.

    ``tables`` holds :data:`DOCUMENT_TABLES`; the tokens are read lazily by
    :meth:`tokens` (and by ``tables["tokens"]``).
    """

    tables: dict[str, pd.DataFrame]
    n_computed: int = 0
    n_cached: int = 0
    n_words: int = 0
    documents: list[Document] = field(default_factory=list, repr=False)
    keys: dict[str, str] = field(default_factory=dict, repr=False)
    cache: DocumentCache | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.tables = DocumentTables(self.tables, self.tokens)

    def tokens(self, doc_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """The token table of the documents *doc_ids* (default: all), in document order.

        Each document's tokens come from the cache's token store, or are
        recomputed (:func:`analysis.text.tokens.tokenize_document`) where they
        are not stored; both give the same table.
        """
        wanted = None if doc_ids is None else set(doc_ids)
        parts = []
        for doc in self.documents:
            if wanted is not None and doc.doc_id not in wanted:
                continue
            stored = None
            if self.cache is not None and doc.doc_id in self.keys:
                stored = self.cache.load_tokens(self.keys[doc.doc_id])
            parts.append(stored if stored is not None else tokenize_document(doc)[1])
        if not parts:
            return pd.DataFrame(columns=TOKEN_COLUMNS)
        return _concat(parts).reset_index(drop=True)


def _document_order(doc_ids: pd.Series, position: dict[str, int]) -> np.ndarray | slice:
    """The row order that puts rows in the order of their documents' *position*, stably.

    Each distinct doc_id is looked up once (a table has many rows per document);
    ids without a position go last. A slice when the rows are already in order.
    """
    return stable_order(document_positions(doc_ids, position, missing=len(position)))


def analyze_documents(
    corpus: Corpus,
    lexicon: Lexicon,
    *,
    jobs: int | None = 1,
    cache: DocumentCache | None = None,
    progress: bool = False,
    engine: Engine = "local",
    scheduler: str | None = None,
    preload: Sequence[str] = (),
) -> AnalysisRun:
    """:func:`summarise_document` for every document, concatenated per table.

    Documents whose results are in *cache* (same fingerprint, lexicon, and the
    package's code and data files, :func:`analysis.run.fingerprint.code_fingerprint`)
    are read from it; the others are analysed by *jobs* processes (``None``: all
    cores; see :func:`analysis.run.parallel.map_documents`) and stored.
    *engine* ``"dask"`` analyses them on a Dask cluster (*scheduler*: its address;
    ``None``: a local cluster of *jobs* workers). The result does not depend on
    *jobs*, the engine or the cache. The results are gathered per chunk of
    documents where they are computed (:func:`gather_summaries`), so no more than a
    chunk of full results is held at once. The modules named in *preload* are imported
    here while a worker analyses a few new documents (see
    :func:`analysis.run.parallel.beside_load`), else before the analysis.
    """
    docs = corpus.documents
    cached, found, keys, code, held = {}, frozenset(), {}, "", frozenset()

    def analysed(batch: list[Document]) -> Iterator[dict[str, pd.DataFrame]]:
        work = partial(summarise_document, lexicon=lexicon, cache=cache, code=code)
        return imap_documents(
            work,
            batch,
            jobs=jobs,
            progress=progress,
            engine=engine,
            scheduler=scheduler,
            combine=gather_summaries,
        )

    if cache:
        code = code_fingerprint()
        keys = {d.doc_id: document_key(d, lexicon, code) for d in docs}
        held = cache.holds(keys)

    def meanwhile() -> None:  # this process's work, beside the new documents' analysis
        nonlocal cached, found
        if cache:
            cached, found = cache.load(keys, DOCUMENT_TABLES)
        for module in preload:
            importlib.import_module(module)

    early: list[dict[str, pd.DataFrame]] = []  # chunks analysed beside meanwhile()
    done: set[str] = set()  # their documents
    first = [d for d in docs if d.doc_id not in held]
    if beside_load(first, jobs, engine, meanwhile=bool(held or preload)):

        def new() -> tuple[list[dict[str, pd.DataFrame]], dict[str, float]]:
            chunks = list(analysed(first))  # and their words' frequencies, for keyness
            return chunks, background.look_up_ahead(c["terms"] for c in chunks)

        with forked({"new": new}, workers=1) as wait:
            meanwhile()
            (early, ahead), done = wait()["new"], {d.doc_id for d in first}
        background.adopt_frequencies(ahead)
    else:
        meanwhile()
    todo = [d for d in docs if d.doc_id not in found]
    term_table = TermTable([d.doc_id for d in docs])
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in DOCUMENT_TABLES}
    if found:
        term_table.add(cached.pop("terms"))
        for name, table in cached.items():
            parts[name].append(table)
    results = itertools.chain(early, analysed([d for d in todo if d.doc_id not in done]))
    # few new documents beside cached ones: their rows are also stored on their own
    new: dict[str, list[pd.DataFrame]] | None = None
    if found and cache.appends(len(todo), len(docs)):
        new = {name: [] for name in DOCUMENT_TABLES}
    for chunk in results:
        if new is not None:
            for name, table in chunk.items():
                new[name].append(table)
        term_table.add(chunk.pop("terms"))
        for name, table in chunk.items():
            parts[name].append(table)
    position = {d.doc_id: i for i, d in enumerate(docs)}
    tables = {"terms": term_table.table()}
    for name in DOCUMENT_TABLES[:-1]:  # pop each part, so it is freed once concatenated
        table = _concat(parts.pop(name))
        if found:  # cached rows come segment by segment, new ones after them
            table = take_rows(table, _document_order(table["doc_id"], position))
        tables[name] = table.reset_index(drop=True)
    tables = {name: tables[name] for name in DOCUMENT_TABLES}
    if cache:
        new_tables = None if new is None else {n: _concat(t) for n, t in new.items() if t}
        cache.store(keys, tables, new_docs=[d.doc_id for d in todo], new_tables=new_tables)
    terms_table = tables["terms"]
    n_words = int(terms_table["n"].to_numpy()[terms_table["ngram"].to_numpy() == 1].sum())
    return AnalysisRun(tables, len(todo), len(found), n_words, list(docs), keys, cache)


def corpus_tables(
    corpus: Corpus,
    per_doc: dict[str, pd.DataFrame],
    lexicon: Lexicon,
    *,
    comparison: Comparison | None = None,
    jobs: int | None = 1,
) -> dict[str, pd.DataFrame]:
    """The corpus-level tables of the report, keyed by output name.

    Corpus: ``documents``, ``paragraphs``, ``sentences``. Framing:
    ``framing_terms`` (one row per document and lexicon entry),
    ``framing_terms_by_phase``, ``framing_frames``, ``framing_frames_by_phase``,
    ``framing_frames_by_period``, ``framing_kwic``. Terms: ``terms_top_by_phase``,
    ``terms_top_by_document``, ``terms_tfidf``. Sentiment:
    ``sentiment_sentences_by_phase``, ``sentiment_by_period``. Speakers (see
    :mod:`analysis.stats.speakers`): ``utterances``, ``speakers``,
    ``speakers_by_phase``, ``sides_by_phase``. Stance (see
    :mod:`analysis.stats.stance`): ``stance``, ``stance_by_speaker``, ``stance_shifts``.
    Comparison of group A with group B (*comparison*, default post vs pre; see
    :mod:`analysis.stats.comparison`): ``keyness``, ``frame_shifts``, ``term_shifts``,
    ``sentiment_shifts``.

    With *jobs* above 1, the speaker and stance tables and the sentiment shifts, which
    resample (intervals, permutation tests), are computed by ``jobs - 1`` forked workers
    (:func:`analysis.forking.forked`) while this process builds the others and the
    comparison, then takes those no worker has started. The term tables come after them
    in the workers' queue: when the intervals are memoised (one article added), the
    worker is soon done resampling and builds them beside the comparison; otherwise
    this process takes them once its own work is done. Each is a pure, seeded
    function of tables built before, so the results do not depend on *jobs*. This
    process works beside the workers rather than waiting for ``jobs`` of them: every
    forked worker holds its own copy of what it touches, and on ten copies of PolNeAR
    train two workers raised the run's peak memory by 0.4 GB.
    """
    docs = documents_table(corpus)
    counts = per_doc["terms"]
    n_tokens = terms.word_counts(counts)
    docs["n_tokens"] = docs["doc_id"].map(n_tokens).fillna(0).astype(int)
    sentences = per_doc["sentences"].merge(docs[["doc_id", "phase"]], on="doc_id", how="left")
    utts = speaker_stats.utterance_table(per_doc["utterances"], docs)
    stance_rows = stance.stance_table(per_doc["stance_mentions"], docs)
    units = {"sentences": sentences, "utterances": utts}
    # resampling, in workers, handed out in this order. The sentiment shifts come first:
    # an article added to a compared group always changes its sentences, so after one
    # added article they are resampled again, while most speaker and stance groups are
    # unchanged and their intervals memoised.
    away = {
        "sentiment_shifts": partial(sentiment_shifts, units, docs, comparison or Comparison()),
        "speakers": partial(speaker_stats.speaker_summaries, utts),
        "stance_shifts": partial(stance.stance_shifts, stance_rows, docs, comparison),
        "stance_by_speaker": partial(stance.stance_by_speaker, stance_rows),
    }
    # after the resampling: a worker done with it (its intervals memoised, say) takes
    # them; otherwise this process does, after its own tables
    term_tables = {
        "terms_top_by_phase": partial(terms.top_terms, counts, docs, by="phase", words=n_tokens),
        "terms_tfidf": partial(terms.tfidf_terms, counts),
    }
    away |= term_tables
    workers = resolve_jobs(jobs) - 1  # this process takes what is left once done
    if workers:  # imported once before the fork rather than by each process
        for module in CORPUS_TABLE_MODULES:
            importlib.import_module(module)
    with forked({k: stats.carrying_memo(f) for k, f in away.items()}, workers=workers) as wait:
        term_table = framing.term_counts(per_doc["hits"], docs, n_tokens, lexicon)
        frame_table = framing.frame_counts(term_table)
        tables = {
            "documents": docs,
            "paragraphs": per_doc["paragraphs"],
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
            "framing_kwic": per_doc["kwic"],
        }
        compared = compare(counts, docs, term_table, frame_table, comparison)
        key = compared["keyness"]
        compared["keyness"] = key.assign(lexicon_frame=framing.lexicon_frames(key["term"], lexicon))
        top_by_document = top_terms_by_document(per_doc["top_terms"])
        done = {}
        for name, (result, memo) in wait().items():
            stats.adopt_memo(memo)
            done[name] = result
    tables.update({name: done.pop(name) for name in term_tables})
    tables["terms_top_by_document"] = top_by_document
    compared["sentiment_shifts"] = done.pop("sentiment_shifts")
    speaker_rows = done.pop("speakers")
    return {**tables, "utterances": utts, **speaker_rows, "stance": stance_rows, **done, **compared}
