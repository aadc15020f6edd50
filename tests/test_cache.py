"""Corpus result cache: exact round-trips, per-document keys, corruption recovery, writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.run import cache as cache_module
from analysis.run.cache import CACHE_SCHEMA, DocumentCache

KEY_ARGS = {"lexicon_sha256": "b" * 64, "version": "tokens-1"}

TABLES = [
    (
        "tokens",
        pd.DataFrame(
            {
                "doc_id": ["gt-1", "gt-1", "gt-2"],
                "token_id": np.array([0, 1, 0], dtype=np.int64),
                "start": np.array([0, 6, 9], dtype=np.int64),
                "text": ["China", "'s", "“win-win” é 中文"],
                "is_word": [True, False, True],
                "score": [0.5, np.nan, -1.25],
            }
        ),
    ),
    (
        "empty_typed",
        pd.DataFrame({"doc_id": pd.Series([], dtype="str"), "a": pd.Series([], dtype="int64")}),
    ),
    ("empty_untyped", pd.DataFrame(columns=["doc_id", "term", "count"])),
    (
        "object_strings",
        pd.DataFrame(
            {
                "doc_id": ["gt-1", "gt-1", "gt-2"],
                "s": pd.Series(["x", None, ""], dtype=object),
                "n": [1, 2, 3],
            }
        ),
    ),
    (
        "dates",
        pd.DataFrame(
            {"doc_id": ["gt-1", "gt-2"], "date": [dt.date(2021, 3, 11), None], "phase": ["pre", ""]}
        ),
    ),
    (
        "nullable",
        pd.DataFrame(
            {
                "doc_id": ["gt-1", "gt-2"],
                "n": pd.array([1, None], dtype="Int64"),
                "s": ["a", np.nan],
            }
        ),
    ),
    (
        "indexed",
        pd.DataFrame(
            {"doc_id": ["gt-1", "gt-2"], "v": [1.0, 2.0]}, index=pd.Index([5, 7], name="row")
        ),
    ),
    (
        "category",
        pd.DataFrame(
            {"doc_id": ["gt-1", "gt-2", "gt-2"], "kind": pd.Categorical(["body", "title", "body"])}
        ),
    ),
]


def keys_for(*docs: tuple[str, str]) -> dict[str, str]:
    """``{doc_id: key}`` for ``(doc_id, content hash)`` pairs."""
    return {doc_id: DocumentCache.key(sha, **KEY_ARGS) for doc_id, sha in docs}


BOTH = keys_for(("gt-1", "1" * 64), ("gt-2", "2" * 64))


@pytest.fixture
def cache(tmp_path: Path) -> DocumentCache:
    return DocumentCache(tmp_path / ".cache")


def stored(cache: DocumentCache) -> Path:
    cache.store(BOTH, dict(TABLES))
    return cache.root / "current"


@pytest.mark.parametrize(("name", "table"), TABLES, ids=[n for n, _ in TABLES])
def test_round_trip_is_exact(cache: DocumentCache, name: str, table: pd.DataFrame) -> None:
    cache.store(BOTH, {name: table})
    loaded, found = cache.load(BOTH, [name])
    assert found == {"gt-1", "gt-2"}
    pd.testing.assert_frame_equal(loaded[name], table)
    assert list(loaded[name].dtypes) == list(table.dtypes)


def test_only_documents_with_an_unchanged_key_are_returned(cache: DocumentCache) -> None:
    stored(cache)
    wanted = {**keys_for(("gt-2", "changed".ljust(64, "0")), ("gt-3", "3" * 64))}
    wanted["gt-1"] = BOTH["gt-1"]
    loaded, found = cache.load(wanted, ["tokens", "dates"])
    assert found == {"gt-1"}
    tokens = dict(TABLES)["tokens"]
    pd.testing.assert_frame_equal(
        loaded["tokens"], tokens[tokens["doc_id"] == "gt-1"].reset_index(drop=True)
    )
    assert loaded["dates"]["doc_id"].tolist() == ["gt-1"]


@pytest.mark.parametrize(("name", "table"), TABLES, ids=[n for n, _ in TABLES])
def test_a_partial_load_keeps_every_dtype_and_numbers_a_range_index_afresh(
    cache: DocumentCache, name: str, table: pd.DataFrame
) -> None:
    cache.store(BOTH, {name: table})
    wanted = {**BOTH, **keys_for(("gt-1", "changed".ljust(64, "0")))}
    loaded, found = cache.load(wanted, [name])
    assert found == {"gt-2"}
    expected = table[table["doc_id"] == "gt-2"] if len(table) else table
    if isinstance(table.index, pd.RangeIndex):
        expected = expected.reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded[name], expected)


def test_load_returns_only_requested_tables(cache: DocumentCache) -> None:
    stored(cache)
    loaded, _ = cache.load(BOTH, ["dates", "tokens"])
    assert sorted(loaded) == ["dates", "tokens"]


def test_layout(cache: DocumentCache) -> None:
    folder = stored(cache)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["schema"] == CACHE_SCHEMA and meta["documents"] == BOTH
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["meta.json"] + [f"{n}.parquet" for n, _ in TABLES]
    )
    assert [p.name for p in cache.root.iterdir()] == ["current"]


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
    stored(cache)
    for change in ({"lexicon_sha256": "e" * 64}, {"version": "tokens-2"}):
        keys = {"gt-1": DocumentCache.key("1" * 64, **{**KEY_ARGS, **change})}
        assert cache.load(keys, ["tokens"]) == ({}, frozenset())


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
    meta["segments"][0]["tables"]["tokens"]["dtypes"][1] = "float64"
    (folder / "meta.json").write_text(json.dumps(meta))


def _no_tables(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text())
    meta["segments"][0]["tables"] = {}
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
    ("documents a list", _edit_meta(documents=["gt-1"])),
    ("tables missing", _no_tables),
    ("segments missing", _edit_meta(segments=[])),
    ("dtype differs", _wrong_dtype),
]


@pytest.mark.parametrize("corrupt", [c for _, c in CORRUPTIONS], ids=[n for n, _ in CORRUPTIONS])
def test_corrupt_set_is_a_miss_and_removed(cache: DocumentCache, corrupt) -> None:
    folder = stored(cache)
    corrupt(folder)
    assert cache.load(BOTH, ["tokens"]) == ({}, frozenset())
    assert not folder.exists()
    stored(cache)
    loaded, found = cache.load(BOTH, ["tokens"])
    assert found == set(BOTH)
    pd.testing.assert_frame_equal(loaded["tokens"], dict(TABLES)["tokens"])


def test_set_replaced_by_a_file_is_a_miss(cache: DocumentCache) -> None:
    cache.root.mkdir(parents=True)
    (cache.root / "current").write_text("junk")
    assert cache.load(BOTH, ["tokens"]) == ({}, frozenset())
    stored(cache)
    assert cache.load(BOTH, ["tokens"])[1] == set(BOTH)


def test_storing_the_same_keys_again_writes_nothing(cache: DocumentCache) -> None:
    folder = stored(cache)
    before = (folder / "meta.json").stat().st_mtime_ns
    cache.store(BOTH, {name: table.iloc[:0] for name, table in TABLES})
    assert (folder / "meta.json").stat().st_mtime_ns == before
    assert len(cache.load(BOTH, ["tokens"])[0]["tokens"]) == 3


def test_a_new_set_replaces_the_old_and_leaves_no_temporary_folder(cache: DocumentCache) -> None:
    stored(cache)
    one = {"gt-1": BOTH["gt-1"]}
    tokens = dict(TABLES)["tokens"]
    cache.store(one, {"tokens": tokens.iloc[:2]})
    loaded, found = cache.load(BOTH, ["tokens"])
    assert found == {"gt-1"}
    pd.testing.assert_frame_equal(loaded["tokens"], tokens.iloc[:2])
    assert [p.name for p in cache.root.iterdir()] == ["current"]


def test_concurrent_writers(cache: DocumentCache) -> None:
    barrier = threading.Barrier(6)
    failures: list[Exception] = []

    def write() -> None:
        try:
            barrier.wait()
            cache.store(BOTH, dict(TABLES))
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    loaded, found = cache.load(BOTH, [n for n, _ in TABLES])
    assert found == set(BOTH)
    for name, table in TABLES:
        pd.testing.assert_frame_equal(loaded[name], table)
    assert [p.name for p in cache.root.iterdir()] == ["current"]


def test_disabled_cache_never_hits_nor_writes(tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path / ".cache", enabled=False)
    cache.store(BOTH, dict(TABLES))
    assert cache.load(BOTH, ["tokens"]) == ({}, frozenset())
    assert not (tmp_path / ".cache").exists()


@pytest.mark.parametrize(
    "key", ["", "../" + "a" * 61, "A" * 64, "a" * 63, "/" + "a" * 63, "a" * 63 + "\x00"]
)
def test_malformed_key_is_refused(cache: DocumentCache, key: str) -> None:
    with pytest.raises(ValueError, match="not a cache key"):
        cache.load({"gt-1": key}, ["tokens"])
    with pytest.raises(ValueError, match="not a cache key"):
        cache.store({"gt-1": key}, {})


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"../x": pd.DataFrame({"doc_id": []})}, "table name"),
        ({"Tokens": pd.DataFrame({"doc_id": []})}, "table name"),
        ({"t": pd.DataFrame([[1, 2]], columns=["doc_id", "doc_id"])}, "unique string column"),
        ({"t": pd.DataFrame([[1, 2]], columns=[0, 1])}, "unique string column"),
        ({"t": pd.DataFrame()}, "doc_id column"),
    ],
)
def test_bad_tables_are_refused(cache: DocumentCache, tables: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cache.store(BOTH, tables)


def test_a_crashed_writers_old_temporary_folders_are_removed(cache: DocumentCache) -> None:
    cache.root.mkdir(parents=True)
    fresh, old_tmp, old_swap = (cache.root / n for n in (".tmp-1-fresh", ".tmp-1-old", ".old-1"))
    for folder in (fresh, old_tmp, old_swap):
        folder.mkdir()
    old = cache_module.time.time() - cache_module.STALE_TMP_SECONDS - 10
    for folder in (old_tmp, old_swap):
        os.utime(folder, (old, old))
    stored(cache)
    assert sorted(p.name for p in cache.root.iterdir()) == [".tmp-1-fresh", "current"]


THREE = {**BOTH, **keys_for(("gt-3", "3" * 64))}
TOKENS = dict(TABLES)["tokens"]
GT3 = pd.DataFrame(
    {
        "doc_id": ["gt-3"],
        "token_id": np.array([0], dtype=np.int64),
        "start": np.array([0], dtype=np.int64),
        "text": ["Anchorage"],
        "is_word": [True],
        "score": [0.25],
    }
)


def _meta(cache: DocumentCache) -> dict:
    return json.loads((cache.root / "current" / "meta.json").read_text())


@pytest.fixture
def appending(monkeypatch):
    """Let a store append whatever share of the documents is new."""
    monkeypatch.setattr(cache_module, "APPEND_SHARE", 1.0)


def test_new_documents_are_appended_and_read_after_the_stored_ones(cache, appending) -> None:
    cache.store(BOTH, {"tokens": TOKENS})
    base = cache.root / "current" / "tokens.parquet"
    written = base.stat().st_mtime_ns
    everything = pd.concat([TOKENS, GT3], ignore_index=True)
    cache.store(THREE, {"tokens": everything}, new_docs=["gt-3"], new_tables={"tokens": GT3})
    assert base.stat().st_mtime_ns == written
    assert [sorted(s["documents"]) for s in _meta(cache)["segments"]] == [
        ["gt-1", "gt-2"],
        ["gt-3"],
    ]
    loaded, found = cache.load(THREE, ["tokens"])
    assert found == set(THREE)
    pd.testing.assert_frame_equal(loaded["tokens"], everything)


def test_a_changed_document_is_read_from_its_new_segment_only(cache, appending) -> None:
    cache.store(BOTH, {"tokens": TOKENS})
    changed = {**BOTH, **keys_for(("gt-1", "9" * 64))}
    new = pd.DataFrame({**GT3.to_dict("list"), "doc_id": ["gt-1"]})
    cache.store(changed, {"tokens": TOKENS}, new_docs=["gt-1"], new_tables={"tokens": new})
    loaded, found = cache.load(changed, ["tokens"])
    assert found == set(changed)
    want = pd.concat([TOKENS[TOKENS["doc_id"] == "gt-2"], new], ignore_index=True)
    pd.testing.assert_frame_equal(loaded["tokens"], want)
    # with the old key, gt-1's first rows are still there
    assert cache.load(BOTH, ["tokens"])[1] == set(BOTH)


def test_removing_documents_rewrites_the_metadata_only(cache, appending) -> None:
    cache.store(THREE, {"tokens": pd.concat([TOKENS, GT3], ignore_index=True)})
    files = sorted(p.name for p in (cache.root / "current").iterdir())
    cache.store(BOTH, {"tokens": TOKENS}, new_docs=[], new_tables={})
    assert sorted(p.name for p in (cache.root / "current").iterdir()) == files
    assert _meta(cache)["documents"] == BOTH
    loaded, found = cache.load(BOTH, ["tokens"])
    assert found == set(BOTH)
    pd.testing.assert_frame_equal(loaded["tokens"], TOKENS)
    # the removed document's rows stay until the set is written again: put back, it is found
    assert cache.load(THREE, ["tokens"])[1] == set(THREE)


def test_a_segment_no_longer_read_is_deleted(cache, appending) -> None:
    cache.store(BOTH, {"tokens": TOKENS})
    everything = pd.concat([TOKENS, GT3], ignore_index=True)
    cache.store(THREE, {"tokens": everything}, new_docs=["gt-3"], new_tables={"tokens": GT3})
    cache.store(BOTH, {"tokens": TOKENS}, new_docs=[], new_tables={})
    assert len(_meta(cache)["segments"]) == 1
    assert [p.name for p in (cache.root / "current").glob("*.parquet")] == ["tokens.parquet"]


def test_the_set_is_written_again_after_max_segments(cache, appending) -> None:
    keys = dict(BOTH)
    cache.store(keys, {"tokens": TOKENS})
    tables = [TOKENS]
    for i in range(cache_module.MAX_SEGMENTS):
        doc = f"gt-{i + 3}"
        keys |= keys_for((doc, f"{i + 3}" * 64))
        rows = GT3.assign(doc_id=doc)
        tables.append(rows)
        everything = pd.concat(tables, ignore_index=True)
        cache.store(keys, {"tokens": everything}, new_docs=[doc], new_tables={"tokens": rows})
        # appended up to MAX_SEGMENTS; the next store writes one segment
        assert len(_meta(cache)["segments"]) == (i + 2 if i + 2 <= cache_module.MAX_SEGMENTS else 1)
    loaded, found = cache.load(keys, ["tokens"])
    assert found == set(keys)
    pd.testing.assert_frame_equal(loaded["tokens"], everything)


def test_many_new_documents_rewrite_the_set(cache) -> None:
    cache.store(BOTH, {"tokens": TOKENS})
    everything = pd.concat([TOKENS, GT3], ignore_index=True)
    cache.store(THREE, {"tokens": everything}, new_docs=["gt-3"], new_tables={"tokens": GT3})
    assert len(_meta(cache)["segments"]) == 1  # one of three is above APPEND_SHARE


def test_categorical_columns_of_segments_get_all_categories(cache, appending) -> None:
    terms = pd.DataFrame(
        {"doc_id": ["gt-1", "gt-2"], "term": pd.Categorical(["beta", "delta"]), "n": [1, 2]}
    )
    new = pd.DataFrame({"doc_id": ["gt-3", "gt-3"], "term": ["alpha", "delta"], "n": [3, 4]})
    cache.store(BOTH, {"terms": terms})
    cache.store(THREE, {"terms": terms}, new_docs=["gt-3"], new_tables={"terms": new})
    loaded = cache.load(THREE, ["terms"])[0]["terms"]
    assert list(loaded["term"].cat.categories) == ["alpha", "beta", "delta"]
    assert list(loaded["term"]) == ["beta", "delta", "alpha", "delta"]
    assert list(loaded["n"]) == [1, 2, 3, 4]


def test_a_corrupt_appended_segment_is_a_miss(cache, appending) -> None:
    cache.store(BOTH, {"tokens": TOKENS})
    everything = pd.concat([TOKENS, GT3], ignore_index=True)
    cache.store(THREE, {"tokens": everything}, new_docs=["gt-3"], new_tables={"tokens": GT3})
    prefix = _meta(cache)["segments"][1]["prefix"]
    (cache.root / "current" / f"{prefix}tokens.parquet").write_bytes(b"junk")
    assert cache.load(THREE, ["tokens"]) == ({}, frozenset())
    assert not (cache.root / "current").exists()
