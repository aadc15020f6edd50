"""A per-document table rewritten from the last run's file has the bytes of a fresh write."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_incremental import _add, _change, _remove

from analysis.report import csv_reuse, outputs
from analysis.run.report import run_report

VERSION = "v1"


def _table(docs: dict[str, int], *, scale: float = 1.0) -> pd.DataFrame:
    """Rows per document: text that needs quoting or neutralising, ints, floats, a missing value."""
    rows = []
    for doc, n in docs.items():
        for k in range(n):
            rows.append(
                {
                    "doc_id": doc,
                    "k": k,
                    "text": f'{doc} says "hi", row {k}\nnext' if k % 2 else f"=SUM({doc})",
                    "score": np.nan if k == 3 else scale * (k - 1.5) / 7,
                }
            )
    return pd.DataFrame(rows)


def _fresh(df: pd.DataFrame, path: Path) -> bytes:
    outputs.write_table_file(df, path)
    return path.read_bytes()


class Formatted(list):
    """``(columns, documents)`` of each batch of rows formatted as text, in order."""

    def docs(self, columns=None) -> list[set]:
        return [docs for cols, docs in self if columns is None or cols == tuple(columns)]


@pytest.fixture
def formatted(monkeypatch) -> Formatted:
    calls = Formatted()
    original = outputs.write_table

    def spy(df, fh, **kwargs):
        docs = set(df["doc_id"]) if "doc_id" in df.columns else set()
        calls.append((tuple(df.columns), docs))
        return original(df, fh, **kwargs)

    monkeypatch.setattr(outputs, "write_table", spy)
    return calls


def _write(df, path, previous, index):
    return csv_reuse.write_reusing(df, path, previous=previous, index=index, version=VERSION)


def test_unchanged_documents_are_copied_and_the_bytes_equal_a_fresh_write(tmp_path, formatted):
    before = _table({"a": 3, "b": 5, "c": 4, "d": 2})
    sha, index = _write(before, tmp_path / "before.csv", tmp_path / "none.csv", None)
    assert index is not None and formatted.docs() == [{"a", "b", "c", "d"}]
    assert list(index.ends) == [
        len(_fresh(before[before["doc_id"].isin(list("abcd"[: i + 1]))], tmp_path / "p.csv"))
        for i in range(4)
    ]
    # b changed, c removed, e added between a and b, d now before a
    changed = _table({"b": 5}, scale=2.0)
    after = pd.concat(
        [
            before[before["doc_id"] == "d"],
            before[before["doc_id"] == "a"],
            _table({"e": 6}),
            changed,
        ],
        ignore_index=True,
    )
    formatted.clear()
    sha2, index2 = _write(after, tmp_path / "after.csv", tmp_path / "before.csv", index)
    assert formatted.docs() == [{"e", "b"}]  # d and a were copied; e and b formatted at once
    assert (tmp_path / "after.csv").read_bytes() == _fresh(after, tmp_path / "fresh.csv")
    assert index2.sha256 == sha2 != sha
    # the new index serves the next run: nothing left to format
    formatted.clear()
    _write(after, tmp_path / "again.csv", tmp_path / "after.csv", index2)
    assert formatted.docs() == []
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "after.csv").read_bytes()


def test_an_edited_previous_file_is_not_read(tmp_path, formatted):
    df = _table({"a": 3, "b": 4})
    _, index = _write(df, tmp_path / "before.csv", tmp_path / "none.csv", None)
    data = bytearray((tmp_path / "before.csv").read_bytes())
    data[-3:-2] = b"X"  # same size, different content
    (tmp_path / "before.csv").write_bytes(bytes(data))
    formatted.clear()
    _write(df, tmp_path / "after.csv", tmp_path / "before.csv", index)
    assert formatted.docs() == [{"a", "b"}]
    assert (tmp_path / "after.csv").read_bytes() == _fresh(df, tmp_path / "fresh.csv")


def test_a_change_of_column_type_or_version_writes_everything(tmp_path, formatted):
    df = _table({"a": 3, "b": 4})
    _, index = _write(df, tmp_path / "before.csv", tmp_path / "none.csv", None)
    as_float = df.assign(k=df["k"].astype(float))  # the same numbers, in another type
    formatted.clear()
    _write(as_float, tmp_path / "after.csv", tmp_path / "before.csv", index)
    assert formatted.docs() == [{"a", "b"}]
    formatted.clear()
    csv_reuse.write_reusing(
        df, tmp_path / "v2.csv", previous=tmp_path / "before.csv", index=index, version="v2"
    )
    assert formatted.docs() == [{"a", "b"}]


def test_negative_zero_is_a_change(tmp_path):
    df = pd.DataFrame({"doc_id": ["a", "b"], "x": [0.0, 1.0]})
    _, index = _write(df, tmp_path / "before.csv", tmp_path / "none.csv", None)
    negative = df.assign(x=[-0.0, 1.0])
    _write(negative, tmp_path / "after.csv", tmp_path / "before.csv", index)
    assert (tmp_path / "after.csv").read_bytes() == _fresh(negative, tmp_path / "fresh.csv")
    assert b"-0\n" in (tmp_path / "after.csv").read_bytes()


def test_tables_that_cannot_be_indexed_are_written_whole(tmp_path):
    scattered = pd.DataFrame({"doc_id": ["a", "b", "a"], "n": [1, 2, 3]})
    no_documents = pd.DataFrame({"term": ["x"], "n": [1]})
    dated = pd.DataFrame({"doc_id": ["a", "b"], "day": pd.to_datetime(["2021-03-18"] * 2)})
    for i, df in enumerate([scattered, no_documents, dated, scattered.iloc[:0]]):
        sha, index = _write(df, tmp_path / f"{i}.csv", tmp_path / "none.csv", None)
        assert index is None
        assert (tmp_path / f"{i}.csv").read_bytes() == _fresh(df, tmp_path / "fresh.csv")


def test_an_index_is_kept_and_read_back(tmp_path):
    _, index = _write(_table({"a": 2, "b": 3}), tmp_path / "t.csv", tmp_path / "none.csv", None)
    csv_reuse.save_index(tmp_path / "csv", "t", index)
    back = csv_reuse.load_index(tmp_path / "csv", "t")
    assert (back.signature, back.header, back.sha256) == (
        index.signature,
        index.header,
        index.sha256,
    )
    np.testing.assert_array_equal(back.hashes, index.hashes)
    np.testing.assert_array_equal(back.ends, index.ends)
    (tmp_path / "csv" / "t.parquet").write_bytes(b"not parquet")
    assert csv_reuse.load_index(tmp_path / "csv", "t") is None
    csv_reuse.save_index(tmp_path / "csv", "t", None)
    assert not (tmp_path / "csv" / "t.parquet").exists()
    assert csv_reuse.load_index(tmp_path / "csv", "t") is None


def test_report_reruns_format_only_changed_articles_and_equal_runs_from_scratch(
    corpus_dir, tmp_path, monkeypatch, formatted
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")
    out = tmp_path / "out"
    run_report(corpus_dir, out, jobs=1, echo=lambda m: None)
    for step, edit, changed in [
        ("add", _add, [{"third"}]),
        ("change", _change, [{"pre_talks"}]),
        ("remove", _remove, []),
    ]:
        edit(corpus_dir)
        formatted.clear()
        _, _, ws = run_report(corpus_dir, out, jobs=1, echo=lambda m: None)
        calls = Formatted(formatted)
        fresh = tmp_path / f"fresh-{step}"
        run_report(corpus_dir, fresh, jobs=1, use_cache=False, echo=lambda m: None)
        for path in sorted((fresh / "results").glob("*.csv")):
            assert (out / "results" / path.name).read_bytes() == path.read_bytes(), (step, path)
        # the per-article tables formatted the changed article's rows, and no other
        assert calls.docs(ws.tables["sentences"].columns) == changed, step
        assert calls.docs(ws.tables["paragraphs"].columns) == changed, step


def test_the_copy_falls_back_to_reading_and_writing(tmp_path, monkeypatch):
    """Where ``os.copy_file_range`` stops partway or cannot copy, the rest is read and written."""
    before = _table({"a": 3, "b": 5, "c": 4})
    _, index = _write(before, tmp_path / "before.csv", tmp_path / "none.csv", None)
    after = pd.concat([before, _table({"d": 2})], ignore_index=True)
    real = os.copy_file_range
    calls = []

    def partial_then_failing(src, dst, count, offset_src=None, offset_dst=None):
        calls.append(count)
        if len(calls) > 1:
            raise OSError(errno.EXDEV, "cross-device")
        return real(src, dst, min(count, 7), offset_src, offset_dst)

    monkeypatch.setattr(os, "copy_file_range", partial_then_failing)
    _write(after, tmp_path / "after.csv", tmp_path / "before.csv", index)
    assert len(calls) == 2
    assert (tmp_path / "after.csv").read_bytes() == _fresh(after, tmp_path / "fresh.csv")
    monkeypatch.delattr(os, "copy_file_range")
    _write(after, tmp_path / "again.csv", tmp_path / "before.csv", index)
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "after.csv").read_bytes()


def test_a_table_with_values_of_mixed_types_is_not_indexed(tmp_path):
    """pandas hashes 1 as True in an object column holding True, so no block may be reused."""
    df = pd.DataFrame({"doc_id": ["a", "b"], "v": pd.Series([1, True], dtype=object)})
    _, index = _write(df, tmp_path / "before.csv", tmp_path / "none.csv", None)
    assert index is None
