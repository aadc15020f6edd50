"""Per-document cache: exact round-trips, keys, corruption recovery, concurrent writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import cache as cache_module
from analysis.cache import CACHE_SCHEMA, DocumentCache

KEY_ARGS = {"lexicon_sha256": "b" * 64, "version": "tokens-1"}

TABLES = [
    (
        "tokens",
        pd.DataFrame(
            {
                "doc_id": ["gt-1", "gt-1", "gt-1"],
                "token_id": np.array([0, 1, 2], dtype=np.int64),
                "start": np.array([0, 6, 9], dtype=np.int64),
                "text": ["China", "'s", "“win-win” é 中文"],
                "is_word": [True, False, True],
                "score": [0.5, np.nan, -1.25],
            }
        ),
    ),
    (
        "empty_typed",
        pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype="str")}),
    ),
    ("empty_untyped", pd.DataFrame(columns=["doc_id", "term", "count"])),
    ("no_columns", pd.DataFrame()),
    (
        "object_strings",
        pd.DataFrame({"s": pd.Series(["x", None, ""], dtype=object), "n": [1, 2, 3]}),
    ),
    ("dates", pd.DataFrame({"date": [dt.date(2021, 3, 11), None], "phase": ["pre", ""]})),
    ("nullable", pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "s": ["a", np.nan]})),
    ("indexed", pd.DataFrame({"v": [1.0, 2.0]}, index=pd.Index([5, 7], name="row"))),
    ("category", pd.DataFrame({"kind": pd.Categorical(["body", "title", "body"])})),
]


@pytest.fixture
def cache(tmp_path: Path) -> DocumentCache:
    return DocumentCache(tmp_path / ".cache")


def stored_key(cache: DocumentCache, doc: str = "a" * 64) -> str:
    key = cache.key(doc, **KEY_ARGS)
    cache.store(key, dict(TABLES))
    return key


@pytest.mark.parametrize(("name", "table"), TABLES, ids=[n for n, _ in TABLES])
def test_round_trip_is_exact(cache: DocumentCache, name: str, table: pd.DataFrame) -> None:
    key = cache.key("a" * 64, **KEY_ARGS)
    cache.store(key, {name: table})
    loaded = cache.load(key, [name])
    assert loaded is not None
    pd.testing.assert_frame_equal(loaded[name], table)
    assert list(loaded[name].dtypes) == list(table.dtypes)


def test_load_returns_only_requested_tables(cache: DocumentCache) -> None:
    key = stored_key(cache)
    loaded = cache.load(key, ["dates", "tokens"])
    assert loaded is not None and sorted(loaded) == ["dates", "tokens"]


def test_layout(cache: DocumentCache) -> None:
    key = stored_key(cache)
    folder = cache.root / key[:2] / key
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["schema"] == CACHE_SCHEMA and meta["key"] == key
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["meta.json"] + [f"{n}.parquet" for n, _ in TABLES]
    )


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"doc_sha256": "c" * 64}, False),
        ({"lexicon_sha256": "d" * 64}, False),
        ({"version": "tokens-2"}, False),
    ],
)
def test_key_depends_on_every_input(change: dict, same: bool) -> None:
    base = {"doc_sha256": "a" * 64, **KEY_ARGS}
    new = {**base, **change}
    doc = new.pop("doc_sha256")
    key = DocumentCache.key(doc, **new)
    assert (key == DocumentCache.key(base["doc_sha256"], **KEY_ARGS)) is same
    assert len(key) == 64 and int(key, 16) >= 0


@pytest.mark.parametrize("attribute", ["__version__", "CACHE_SCHEMA"])
def test_key_changes_with_package_and_schema_version(monkeypatch, attribute: str) -> None:
    before = DocumentCache.key("a" * 64, **KEY_ARGS)
    monkeypatch.setattr(cache_module, attribute, "changed")
    assert DocumentCache.key("a" * 64, **KEY_ARGS) != before


def test_miss_on_changed_lexicon_or_version(cache: DocumentCache) -> None:
    stored_key(cache)
    for change in ({"lexicon_sha256": "e" * 64}, {"version": "tokens-2"}):
        assert cache.load(cache.key("a" * 64, **{**KEY_ARGS, **change}), ["tokens"]) is None


def _truncate(folder: Path) -> None:
    path = folder / "tokens.parquet"
    path.write_bytes(path.read_bytes()[:40])


def _flip_byte(folder: Path) -> None:
    path = folder / "tokens.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _edit_meta(**change):
    def edit(folder: Path) -> None:
        meta = json.loads((folder / "meta.json").read_text())
        meta.update(change)
        (folder / "meta.json").write_text(json.dumps(meta))

    return edit


def _wrong_dtype(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text())
    meta["tables"]["tokens"]["dtypes"][1] = "float64"
    (folder / "meta.json").write_text(json.dumps(meta))


CORRUPTIONS = [
    ("truncated parquet", _truncate),
    ("flipped byte", _flip_byte),
    ("parquet deleted", lambda f: (f / "tokens.parquet").unlink()),
    ("meta deleted", lambda f: (f / "meta.json").unlink()),
    ("meta not json", lambda f: (f / "meta.json").write_text("{not json")),
    ("meta not utf-8", lambda f: (f / "meta.json").write_bytes(b"\xff\xfe\x00")),
    ("meta a list", lambda f: (f / "meta.json").write_text("[]")),
    ("old schema", _edit_meta(schema=CACHE_SCHEMA - 1)),
    ("other key", _edit_meta(key="0" * 64)),
    ("tables missing", _edit_meta(tables={})),
    ("dtype differs", _wrong_dtype),
]


@pytest.mark.parametrize("corrupt", [c for _, c in CORRUPTIONS], ids=[n for n, _ in CORRUPTIONS])
def test_corrupt_entry_is_a_miss_and_removed(cache: DocumentCache, corrupt) -> None:
    key = stored_key(cache)
    folder = cache.root / key[:2] / key
    corrupt(folder)
    assert cache.load(key, ["tokens"]) is None
    assert not folder.exists()
    stored_key(cache)
    loaded = cache.load(key, ["tokens"])
    assert loaded is not None
    pd.testing.assert_frame_equal(loaded["tokens"], dict(TABLES)["tokens"])


def test_entry_replaced_by_a_file_is_a_miss(cache: DocumentCache) -> None:
    key = cache.key("a" * 64, **KEY_ARGS)
    (cache.root / key[:2]).mkdir(parents=True)
    (cache.root / key[:2] / key).write_text("junk")
    assert cache.load(key, ["tokens"]) is None
    stored_key(cache)
    assert cache.load(key, ["tokens"]) is not None


def test_store_keeps_existing_entry_and_leaves_no_temporary_folder(cache: DocumentCache) -> None:
    key = stored_key(cache)
    cache.store(key, {"tokens": dict(TABLES)["tokens"].iloc[:1]})
    loaded = cache.load(key, ["tokens"])
    assert loaded is not None and len(loaded["tokens"]) == 3
    assert [p.name for p in (cache.root / key[:2]).iterdir()] == [key]


def test_concurrent_writers_of_one_key(cache: DocumentCache) -> None:
    key = cache.key("a" * 64, **KEY_ARGS)
    barrier = threading.Barrier(6)
    failures: list[Exception] = []

    def write() -> None:
        try:
            barrier.wait()
            cache.store(key, dict(TABLES))
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    loaded = cache.load(key, [n for n, _ in TABLES])
    assert loaded is not None
    for name, table in TABLES:
        pd.testing.assert_frame_equal(loaded[name], table)
    assert [p.name for p in (cache.root / key[:2]).iterdir()] == [key]


def test_disabled_cache_never_hits_nor_writes(tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / ".cache", enabled=False)
    key = stored_key(cache)
    assert cache.load(key, ["tokens"]) is None
    assert not (tmp_path / ".cache").exists()


@pytest.mark.parametrize(
    "key", ["", "../" + "a" * 61, "A" * 64, "a" * 63, "/" + "a" * 63, "a" * 63 + "\x00"]
)
def test_malformed_key_is_refused(cache: DocumentCache, key: str) -> None:
    with pytest.raises(ValueError, match="not a cache key"):
        cache.load(key, ["tokens"])


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"../x": pd.DataFrame()}, "table name"),
        ({"Tokens": pd.DataFrame()}, "table name"),
        ({"t": pd.DataFrame([[1, 2]], columns=["a", "a"])}, "unique string column"),
        ({"t": pd.DataFrame([[1, 2]], columns=[0, 1])}, "unique string column"),
    ],
)
def test_bad_tables_are_refused(cache: DocumentCache, tables: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cache.store(cache.key("a" * 64, **KEY_ARGS), tables)


def test_prune(cache: DocumentCache) -> None:
    keep = stored_key(cache, "1" * 64)
    drop = stored_key(cache, "2" * 64)
    shard = cache.root / drop[:2]
    fresh_tmp = shard / f".tmp-{drop}-fresh"
    old_tmp = shard / f".tmp-{drop}-old"
    fresh_tmp.mkdir()
    old_tmp.mkdir()
    old = cache_module.time.time() - cache_module.STALE_TMP_SECONDS - 10
    os.utime(old_tmp, (old, old))
    assert cache.prune({keep}) == 2
    assert cache.load(keep, ["tokens"]) is not None
    assert cache.load(drop, ["tokens"]) is None
    assert fresh_tmp.exists() and not old_tmp.exists()
