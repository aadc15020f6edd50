"""Per-document analysis: the same tables whether run in processes, serially or from the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.corpus.loader import load_corpus
from analysis.corpus.tables import paragraphs_table
from analysis.run import parallel, pipeline, term_table
from analysis.run.cache import DocumentCache
from analysis.run.term_table import TermTable
from analysis.text import framing, terms
from analysis.text.lexicon import load_lexicon, parse_lexicon
from analysis.text.tokens import tokenize_document
from analysis.types import Document

THIRD = (
    "CHINA / DIPLOMACY\nThird piece\nPublished: Mar 22, 2021 08:00 AM\n\n"
    "Observers said the bossy tone would fade.\n"
)


def assert_same(a: pipeline.AnalysisRun, b: pipeline.AnalysisRun) -> None:
    for name in pipeline.DOCUMENT_TABLES:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_processes_give_the_serial_result(corpus_dir, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CHARS_FOR_PROCESSES", 0)
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 1)
    (corpus_dir / "third.txt").write_text(THIRD)
    corpus, lexicon = load_corpus(corpus_dir), load_lexicon()
    serial = pipeline.analyze_documents(corpus, lexicon, jobs=1)
    spread = pipeline.analyze_documents(corpus, lexicon, jobs=2)
    assert_same(serial, spread)
    assert serial.n_computed == 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_gathered_per_chunk_equal_those_gathered_per_document(
    corpus_dir, monkeypatch, jobs
):
    # every document its own chunk, against all three gathered in the worker at once
    monkeypatch.setattr(parallel, "MIN_CHARS_FOR_PROCESSES", 0)
    (corpus_dir / "third.txt").write_text(THIRD)
    corpus, lexicon = load_corpus(corpus_dir), load_lexicon()
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 1)
    alone = pipeline.analyze_documents(corpus, lexicon, jobs=1)
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 10**9)
    together = pipeline.analyze_documents(corpus, lexicon, jobs=jobs)
    assert_same(alone, together)


def test_modules_to_preload_are_imported_while_a_worker_analyses_the_documents(
    corpus_dir, monkeypatch
):
    # the report's drawing modules are imported here while a forked worker analyses
    forks, imported = [], []
    real_forked, real_import = pipeline.forked, pipeline.importlib.import_module
    monkeypatch.setattr(
        pipeline, "forked", lambda tasks, **kw: forks.append([*tasks]) or real_forked(tasks, **kw)
    )
    monkeypatch.setattr(
        pipeline.importlib, "import_module", lambda name: imported.append(name) or real_import(name)
    )
    corpus, lexicon = load_corpus(corpus_dir), load_lexicon()
    beside = pipeline.analyze_documents(corpus, lexicon, jobs=2, preload=["json.tool"])
    assert forks == [["new"]] and imported.count("json.tool") == 1
    assert beside.n_computed == 2
    assert_same(beside, pipeline.analyze_documents(corpus, lexicon, jobs=1))
    forks.clear()
    pipeline.analyze_documents(corpus, lexicon, jobs=1, preload=["json.tool"])
    assert forks == [] and imported.count("json.tool") == 2


@pytest.mark.parametrize(
    ("n_new", "chars", "jobs", "engine", "meanwhile", "beside"),
    [
        (2, 100, 2, "local", True, True),
        (2, 100, 2, "local", False, False),  # nothing else to do: analysed here
        (0, 100, 2, "local", True, False),  # nothing to analyse
        (2, 100, 1, "local", True, False),  # one core
        (2, 100, 2, "dask", True, False),  # the cluster analyses
        (2, 10**6, 2, "local", True, False),  # many: shared out to every core
    ],
)
def test_few_new_documents_are_analysed_beside_other_work(
    n_new, chars, jobs, engine, meanwhile, beside
):
    new = [_doc(f"d{i}", "x" * chars) for i in range(n_new)]
    assert parallel.beside_load(new, jobs, engine, meanwhile=meanwhile) is beside


def test_tables_made_per_document_are_those_made_over_the_corpus(corpus_dir, monkeypatch):
    # each document in its own chunk; top terms then ordered by doc_id
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 1)
    (corpus_dir / "third.txt").write_text(THIRD)
    corpus = load_corpus(corpus_dir)
    run = pipeline.analyze_documents(corpus, load_lexicon(), jobs=1)
    whole = paragraphs_table(corpus)
    pd.testing.assert_frame_equal(run.tables["paragraphs"], whole)
    assert set(whole["doc_id"]) == {"pre_talks", "post_talks", "third"}
    kwic = framing.kwic(run.tables["hits"], corpus.documents)
    pd.testing.assert_frame_equal(run.tables["kwic"], kwic)
    assert kwic["doc_id"].nunique() == 3
    got = pipeline.top_terms_by_document(run.tables["top_terms"])
    n = pipeline.TOP_TERMS_PER_DOCUMENT
    expected = terms.top_terms(run.tables["terms"], by="doc_id", n=n)
    pd.testing.assert_frame_equal(got, expected)
    assert list(got["doc_id"].unique()) == ["post_talks", "pre_talks", "third"]
    assert got.groupby("doc_id")["rank"].max().max() == n


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, Path(f"{doc_id}.txt"), text, text, doc_id, None, "plain", (), "")


def _raw_length(doc: Document) -> int:
    return len(doc.raw)


def test_imap_combines_each_chunk_where_it_is_computed(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CHARS_FOR_PROCESSES", 0)
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 10)  # a chunk closes at 10 characters
    docs = [_doc(f"d{i}", "x" * size) for i, size in enumerate([6, 6, 12, 3])]
    for jobs in (1, 2):
        chunks = list(parallel.imap_documents(_raw_length, docs, jobs=jobs, combine=tuple))
        assert chunks == [(6, 6), (12,), (3,)]
        assert list(parallel.imap_documents(_raw_length, docs, jobs=jobs)) == [6, 6, 12, 3]
    assert list(parallel.imap_documents(_raw_length, [], jobs=1, combine=tuple)) == []


def test_stable_order_is_a_stable_argsort():
    rng = np.random.default_rng(0)
    for _ in range(200):
        keys = np.repeat(rng.integers(-1, 6, size=rng.integers(0, 12)), rng.integers(1, 4))
        order = term_table.stable_order(keys)
        assert np.array_equal(np.arange(len(keys))[order], np.argsort(keys, kind="stable"))
    assert term_table.stable_order(np.array([0, 0, 1, 3])) == slice(None)


@pytest.mark.parametrize("max_pieces", [term_table.MAX_PIECES, 0])
def test_take_rows_equals_iloc(monkeypatch, max_pieces):
    monkeypatch.setattr(term_table, "MAX_PIECES", max_pieces)  # 0: always taken by iloc
    rng = np.random.default_rng(1)
    table = pd.DataFrame(
        {
            "doc_id": pd.Categorical(list("aabbbcdd")),
            "text": pd.array(["x", "y", None, "z", "", "w", "v", "u"], dtype="string[pyarrow]"),
            "n": np.arange(8) * 1.5,
        },
        index=np.arange(10, 18),
    )
    for _ in range(100):  # the stored rows with one run moved, as after an added article
        a, b = np.sort(rng.integers(0, 9, size=2))
        rest = np.r_[0:a, b:8]
        at = rng.integers(0, len(rest) + 1)
        order = np.r_[rest[:at], np.arange(a, b), rest[at:]]
        got = term_table.take_rows(table, order)
        pd.testing.assert_frame_equal(got, table.iloc[order])
    shuffled = rng.permutation(8)
    pd.testing.assert_frame_equal(term_table.take_rows(table, shuffled), table.iloc[shuffled])
    pd.testing.assert_frame_equal(term_table.take_rows(table, slice(None)), table)


def test_cache_reuses_unchanged_documents(corpus_dir, tmp_path):
    cache = DocumentCache(tmp_path / "cache")
    lexicon = load_lexicon()
    first = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    again = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (first.n_computed, first.n_cached) == (2, 0)
    assert (again.n_computed, again.n_cached) == (0, 2)
    assert_same(first, again)

    (corpus_dir / "third.txt").write_text(THIRD)
    grown = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (grown.n_computed, grown.n_cached) == (1, 2)
    fresh = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon)
    assert_same(grown, fresh)

    (corpus_dir / "pre_talks.txt").unlink()
    shrunk = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (shrunk.n_computed, shrunk.n_cached) == (0, 2)
    assert_same(shrunk, pipeline.analyze_documents(load_corpus(corpus_dir), lexicon))

    # a new article dated before the cached ones: its rows come first, as in a fresh run
    (corpus_dir / "early.txt").write_text(
        THIRD.replace("Mar 22", "Mar 1").replace("Third", "Early")
    )
    early = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (early.n_computed, early.n_cached) == (1, 2)
    assert early.tables["tokens"]["doc_id"].iloc[0] == "early"
    assert_same(early, pipeline.analyze_documents(load_corpus(corpus_dir), lexicon))


def test_changed_lexicon_or_phase_invalidates(corpus_dir, tmp_path):
    cache = DocumentCache(tmp_path / "cache")
    pipeline.analyze_documents(load_corpus(corpus_dir), load_lexicon(), cache=cache)
    small = parse_lexicon("frame,term,note\nhegemony,bossy,\nsincerity,sincer*,\n", "small.csv")
    run = pipeline.analyze_documents(load_corpus(corpus_dir), small, cache=cache)
    assert run.n_computed == 2
    assert set(run.tables["hits"]["term"]) == {"bossy", "sincer*"}

    toml = corpus_dir / "corpus.toml"
    toml.write_text(toml.read_text().replace("2021-03-18", "2021-03-01"))
    moved = pipeline.analyze_documents(load_corpus(corpus_dir), small, cache=cache)
    # pre_talks (Mar 11) now falls during the event; post_talks keeps its phase
    assert (moved.n_computed, moved.n_cached) == (1, 1)
    hits = moved.tables["hits"]
    assert set(hits.loc[hits["doc_id"] == "pre_talks", "phase"]) == {"during"}


@pytest.mark.parametrize("jobs", [None, 0, -1, 1, 2])
def test_resolve_jobs(jobs):
    n = config.resolve_jobs(jobs)
    assert 1 <= n <= max(config.available_cores(), jobs or 1)


def test_fingerprint_depends_on_name_and_layout(corpus_dir):
    docs = {d.doc_id: d for d in load_corpus(corpus_dir).documents}
    pre = docs["pre_talks"]
    renamed = pre.__class__(**{**pre.__dict__, "doc_id": "other", "path": Path("other.txt")})
    assert pipeline.document_fingerprint(pre) != pipeline.document_fingerprint(renamed)


def test_tokens_are_read_lazily_from_the_cache_or_recomputed(corpus_dir, tmp_path):
    (corpus_dir / "third.txt").write_text(THIRD)
    corpus, lexicon = load_corpus(corpus_dir), load_lexicon()
    want = pd.concat([tokenize_document(d)[1] for d in corpus.documents], ignore_index=True)
    cache = DocumentCache(tmp_path / "cache")
    cached = pipeline.analyze_documents(corpus, lexicon, cache=cache)
    stored = sorted((tmp_path / "cache" / "tokens").glob("*.parquet"))
    assert [p.stem for p in stored] == sorted(cached.keys.values())
    pd.testing.assert_frame_equal(cached.tables["tokens"], want)
    uncached = pipeline.analyze_documents(corpus, lexicon)
    pd.testing.assert_frame_equal(uncached.tables["tokens"], want)
    third = want[want["doc_id"] == "third"].reset_index(drop=True)
    pd.testing.assert_frame_equal(cached.tokens(["third"]), third)
    assert "tokens" not in cached.tables  # never held


def test_token_files_of_removed_documents_are_deleted(corpus_dir, tmp_path):
    (corpus_dir / "third.txt").write_text(THIRD)
    cache = DocumentCache(tmp_path / "cache")
    lexicon = load_lexicon()
    first = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    (corpus_dir / "third.txt").unlink()
    pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    left = {p.stem for p in (tmp_path / "cache" / "tokens").iterdir()}
    assert left == {k for d, k in first.keys.items() if d != "third"}


@pytest.mark.parametrize("dtype", [object, "str", "category"])
def test_rows_are_put_in_document_order_stably(dtype):
    position = {"a": 0, "b": 1, "c": 2}
    doc_ids = pd.Series(["b", "a", "b", "x", "c", "a"], dtype=dtype)
    # by hand: a (rows 1, 5), b (0, 2), c (4), then the unknown x (3)
    order = pipeline._document_order(doc_ids, position)
    assert order.tolist() == [1, 5, 0, 2, 4, 3]
    assert pipeline._document_order(pd.Series(["a", "a", "c"], dtype=dtype), position) == slice(
        None
    )


def _terms(rows: list[tuple[str, str, int]], *, categorical: bool) -> pd.DataFrame:
    doc_id, term, n = zip(*rows, strict=True)
    table = pd.DataFrame({"doc_id": doc_id, "term": term, "ngram": 1, "n": n})
    if categorical:  # as stored: categories sorted, some unused once a document is gone
        vocabulary = sorted({*term, "gone", "zz-gone"})
        table["term"] = pd.Categorical(table["term"], categories=vocabulary)
        table["doc_id"] = table["doc_id"].astype("category")
    return table


@pytest.mark.parametrize("stored_first", [False, True])
def test_term_table_orders_documents_and_sorts_used_terms(stored_first):
    stored = _terms([("a", "mid", 2), ("a", "talks", 1), ("c", "bossy", 3)], categorical=True)
    new = _terms([("b", "talks", 4), ("b", "aardvark", 1), ("b", "new", 2)], categorical=False)
    table = TermTable(["a", "b", "c"])
    if stored_first:  # a re-run: the stored rows come first, their vocabulary kept
        table.add(stored)
        table.add(new)
    else:  # from scratch, the same rows as plain text in another order
        table.add(_terms([("c", "bossy", 3)], categorical=False))
        table.add(new)
        table.add(_terms([("a", "mid", 2), ("a", "talks", 1)], categorical=False))
    out = table.table()
    # by hand: documents a, b, c in order, each one's rows as given; the terms used, sorted
    assert out["doc_id"].tolist() == ["a", "a", "b", "b", "b", "c"]
    assert out["term"].tolist() == ["mid", "talks", "talks", "aardvark", "new", "bossy"]
    assert out["n"].tolist() == [2, 1, 4, 1, 2, 3]
    assert out["term"].cat.categories.tolist() == ["aardvark", "bossy", "mid", "new", "talks"]
    assert out["doc_id"].cat.categories.tolist() == ["a", "b", "c"]
