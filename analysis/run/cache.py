"""Per-document result cache: re-running after adding one article analyses only that article.

Each document's results are keyed by everything they depend on
(:meth:`DocumentCache.key`):

- the document's content (e.g. :func:`analysis.run.pipeline.document_fingerprint`);
- the lexicon (``lexicon_sha256``, a hash of the lexicon files);
- ``version``: what the code computing the tables is; the pipeline passes
  :func:`analysis.run.fingerprint.code_fingerprint`, a hash of the package's
  code and data files, so any edit to them invalidates the cache;
- the package version :data:`analysis.__version__` and :data:`CACHE_SCHEMA`,
  the storage format of this module, bumped when the layout below changes.

The results of a whole corpus are stored together: one Parquet file per table
holding the rows of every document (told apart by their ``doc_id`` column), and
``meta.json`` naming each document's key. Loading reads each table once and
keeps the rows of documents whose key is unchanged. One file per table and
document would be simpler, but reading 3,400 small Parquet files for 840
articles took 16 s, most of a full analysis; four large ones take well under
a second. The cache therefore holds one corpus at a time: pointing two corpora
at the same output folder in turn re-analyses each.

A set is made of **segments**. Storing a corpus writes one segment holding every
document's rows. A re-run that analysed only a few documents (added or changed;
at most :data:`APPEND_SHARE` of the corpus) appends a segment with their rows alone
and rewrites ``meta.json``, instead of writing every table again: on ten copies
of PolNeAR train, rewriting the set after one added article took 0.8 s, most of
it the 7.7 million-row term table, and the time grew with the corpus. Rows of a
document whose key changed, or which is gone, stay in their segment unread:
each document's rows are read from the last segment holding them under its
current key; a segment none of whose rows is read any more is deleted. A
re-run that only removed documents rewrites ``meta.json`` alone (their rows stay,
and are read again if the document comes back unchanged). Once a set
would hold more than :data:`MAX_SEGMENTS` segments, or more stale documents than
current ones (:data:`MAX_STALE_SHARE`), the store writes the whole set again as
one segment.

Layout::

    <root>/current/meta.json
    <root>/current/<table>.parquet           (the first segment)
    <root>/current/<segment>.<table>.parquet (each appended segment)
    <root>/tokens/<key>.parquet    (each document's token table, see store_tokens)
    <root>/documents/<key>.json    (each parsed article, analysis.corpus.parsed_store)
    <root>/intervals.json          (memoised bootstrap intervals, analysis.run.memo_store)
    <root>/frequencies.json        (memoised background frequencies, analysis.run.memo_store)
    <root>/report-stamp.json       (what the last report depended on, analysis.run.stamp)

``meta.json`` records the documents' keys and, for each segment, the keys of
the documents it holds and, for each table, its file's sha256, its columns and
dtypes. Tables are Parquet files (pyarrow), never
pickles: a cache folder can be shared or downloaded without running anyone's
code. Columns of ``object`` dtype holding strings come back as ``object``
(pyarrow would make them pandas' ``str`` dtype); their missing values come
back as ``None``.

Token tables are the exception: a corpus holds as many tokens as words, and
nothing but KWIC lines and token positions needs them, so they are not part of
the set. Each document's token table is its own file named by the document's
key (:meth:`DocumentCache.store_tokens`), written by whichever process analysed
the document, and read back one document at a time
(:meth:`DocumentCache.load_tokens`). A file whose key is no longer current is
deleted when the next set is stored.

A new set is written into a temporary folder and renamed into place, so
readers see a whole set or none; when two processes store at once, one's set
stays in place and the others' copies are discarded (a rename refused because
another writer's set took the place in between is not an error). A segment is
appended by writing its files under new names and then replacing ``meta.json``
(``os.replace``), so readers see the set before or after it. A set that cannot be read back
exactly (missing or truncated file, checksum or dtype mismatch, unreadable
``meta.json``) is a miss: it is deleted and recomputed, never an error.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis import __version__
from analysis.report.arrow_memory import system_memory
from analysis.run.segments import combine, planned_documents, reading_plan

#: Storage format version; bump it when the layout or metadata change.
CACHE_SCHEMA = 4
META = "meta.json"
CURRENT = "current"
TOKENS = "tokens"
_KEY = re.compile(r"[0-9a-f]{64}")
_TABLE = re.compile(r"[a-z][a-z0-9_]{0,63}")
TMP_PREFIX = ".tmp-"
_OLD_PREFIX = ".old-"
#: How tables are written. No column statistics: every read takes whole tables and
#: filters them in Arrow, so nothing reads them, and on ten copies of PolNeAR train
#: they were half the time of storing the term table (1.21 s against 0.56 s).
PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": False}
#: A re-run appends a segment when it analysed at most this share of the documents.
APPEND_SHARE = 0.1
#: Segments a set may hold; the store that would add one more writes the set again.
MAX_SEGMENTS = 8
#: Stale documents (changed or gone) a set may hold, as a share of the documents it holds.
MAX_STALE_SHARE = 0.5
#: Temporary folders older than this are a crashed writer's leftovers.
STALE_TMP_SECONDS = 3600


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DocumentCache:
    """Tables computed per document, for the documents of one corpus, under *root*.

    Parameters
    ----------
    root : cache folder, e.g. ``<out>/.cache``; created on the first store
    enabled : when False, every load misses and stores do nothing (``--no-cache``)
    """

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = Path(root)
        self.enabled = enabled

    @staticmethod
    def key(doc_sha256: str, *, lexicon_sha256: str, version: str) -> str:
        """The cache key (64 hex digits) of one document's results."""
        parts = {
            "doc": doc_sha256,
            "lexicon": lexicon_sha256,
            "version": version,
            "analysis": __version__,
            "schema": CACHE_SCHEMA,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()

    def load(
        self, keys: Mapping[str, str], tables: Sequence[str]
    ) -> tuple[dict[str, pd.DataFrame], frozenset[str]]:
        """The stored rows of the documents whose key is unchanged.

        Parameters
        ----------
        keys : ``{doc_id: key}`` of the documents wanted.
        tables : names of the tables to read.

        Returns
        -------
        tables : ``{name: DataFrame}`` holding only the rows of the documents
            found, segment by segment in stored order (``{}`` when none is found).
            When rows are left out, a stored ``RangeIndex`` is numbered afresh
            from 0; rows from several segments are numbered from 0, and a
            categorical column gets the union of its segments' categories
            (sorted if the first segment's are).
        found : their doc_ids.

        Raises
        ------
        ValueError
            If a key is not 64 lower-case hex digits.
        """
        _check_keys(keys)
        folder = self.root / CURRENT
        if not self.enabled or not folder.exists():
            return {}, frozenset()
        try:
            with system_memory():
                return self._load(folder, keys, tables)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException):
            _remove(folder)
            return {}, frozenset()

    def holds(self, keys: Mapping[str, str]) -> frozenset[str]:
        """The doc_ids of *keys* whose rows :meth:`load` would find, from ``meta.json`` alone.

        A hint, for starting the other documents' analysis before the tables are read:
        :meth:`load` can still find fewer (a table file that cannot be read).
        """
        _check_keys(keys)
        meta = self._current_meta() if self.enabled else None
        if meta is None:
            return frozenset()
        return planned_documents(reading_plan(meta["segments"], keys))

    def _load(
        self, folder: Path, keys: Mapping[str, str], tables: Sequence[str]
    ) -> tuple[dict[str, pd.DataFrame], frozenset[str]]:
        meta = _read_meta(folder)
        plan = reading_plan(meta["segments"], keys)
        found = planned_documents(plan)
        if not found:
            return {}, found
        out = {}
        for name in tables:
            parts = [
                _read_table(
                    folder,
                    seg["prefix"] + name,
                    seg["tables"][name],
                    None if len(taken) == len(seg["documents"]) else taken,
                )
                for seg, taken in plan
            ]
            out[name] = combine(parts)
        return out, found

    def store(
        self,
        keys: Mapping[str, str],
        tables: Mapping[str, pd.DataFrame],
        *,
        new_docs: Collection[str] = (),
        new_tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> None:
        """Store *tables*, the rows of the documents in *keys*, replacing the stored set.

        *new_tables* are the rows of the documents *new_docs* alone (those this run
        analysed). When the stored set holds every other document of *keys* under
        its key and the new ones are few (see the module docstring), only they are
        written, as a segment appended to the set. Nothing is written when the
        stored set already has these keys and tables.

        Raises
        ------
        ValueError
            If a key is malformed, a table name is not ``[a-z][a-z0-9_]*``, or a
            table's column names are not unique strings including ``doc_id``.
        """
        _check_keys(keys)
        for df_tables in (tables, new_tables or {}):
            for name, df in df_tables.items():
                _check_table(name, df)
        if not self.enabled:
            return
        self._prune_tokens(keys)
        meta = self._current_meta()
        if (
            meta is not None
            and meta["documents"] == dict(keys)
            and _table_names(meta) == set(tables)
        ):
            return
        with system_memory():
            if new_tables is None or not self._append(meta, keys, set(new_docs), new_tables):
                self._write_set(keys, tables)

    @staticmethod
    def appends(n_new: int, n_docs: int) -> bool:
        """Whether a store with *n_new* of *n_docs* documents analysed anew may append them."""
        return n_new <= APPEND_SHARE * n_docs

    def _append(
        self,
        meta: dict | None,
        keys: Mapping[str, str],
        new_docs: set[str],
        new_tables: Mapping[str, pd.DataFrame],
    ) -> bool:
        """Append *new_tables* as a segment to the set *meta* describes, if it should be.

        With no new documents (some removed), only ``meta.json`` is written again.
        """
        if meta is None or not self.appends(len(new_docs), len(keys)):
            return False
        segments = meta["segments"]
        plan = reading_plan(segments, keys)
        taken = {d for _, docs in plan for d in docs}
        if taken != set(keys) - new_docs or len(segments) + bool(new_docs) > MAX_SEGMENTS:
            return False
        if new_docs and (
            _table_names(meta) != set(new_tables)
            or any(
                list(df.columns) != segments[0]["tables"][name]["columns"]
                for name, df in new_tables.items()
            )
        ):
            return False
        stored_docs = sum(len(seg["documents"]) for seg in segments) + len(new_docs)
        if stored_docs - len(keys) > MAX_STALE_SHARE * stored_docs:
            return False
        folder = self.root / CURRENT
        added = []
        if new_docs:
            seg = {
                "prefix": f"{uuid.uuid4().hex}.",
                "documents": {d: keys[d] for d in sorted(new_docs)},
            }
            seg["tables"] = {
                name: _write_table(folder, seg["prefix"] + name, df)
                for name, df in new_tables.items()
            }
            added.append(seg)
        # segments none of whose rows is read any more are dropped, with their files
        live = {id(s) for s, _ in plan}
        kept = [s for s in segments if id(s) in live]
        tmp = folder / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}.json"
        new_meta = {"schema": CACHE_SCHEMA, "documents": dict(keys), "segments": [*kept, *added]}
        tmp.write_text(json.dumps(new_meta, indent=1), encoding="utf-8")
        os.replace(tmp, folder / META)
        for gone in (s for s in segments if id(s) not in live):
            for name in gone["tables"]:
                (folder / f"{gone['prefix']}{name}.parquet").unlink(missing_ok=True)
        return True

    def _write_set(self, keys: Mapping[str, str], tables: Mapping[str, pd.DataFrame]) -> None:
        """Write *tables* as a new set of one segment and rename it into place."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._remove_stale()
        tmp = self.root / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
        old = self.root / f"{_OLD_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
        current = self.root / CURRENT
        tmp.mkdir()
        try:
            seg = {"prefix": "", "documents": dict(keys)}
            seg["tables"] = {name: _write_table(tmp, name, df) for name, df in tables.items()}
            meta = {"schema": CACHE_SCHEMA, "documents": dict(keys), "segments": [seg]}
            (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
            try:
                os.rename(current, old)
            except FileNotFoundError:
                pass
            try:
                os.rename(tmp, current)
            except OSError as exc:
                # another writer's set took the place between the two renames; it wins
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    def _current_meta(self) -> dict | None:
        """The stored set's metadata, or None when there is none or it is unreadable."""
        try:
            meta = _read_meta(self.root / CURRENT)
            _table_names(meta)
            return meta
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def store_tokens(self, key: str, tokens: pa.Table) -> None:
        """Write one document's token table under its *key* (atomically; nothing when disabled).

        The table is Arrow (:func:`analysis.text.tokens.split_document`), read back as
        a DataFrame by :meth:`load_tokens`.
        """
        _check_keys({"": key})
        if not self.enabled:
            return
        folder = self.root / TOKENS
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
        try:
            pq.write_table(tokens, tmp, **PARQUET_OPTIONS)
            os.replace(tmp, folder / f"{key}.parquet")
        finally:
            tmp.unlink(missing_ok=True)

    def load_tokens(self, key: str) -> pd.DataFrame | None:
        """The token table stored under *key*, or None when there is none or it is unreadable."""
        _check_keys({"": key})
        path = self.root / TOKENS / f"{key}.parquet"
        if not self.enabled or not path.is_file():
            return None
        try:
            return pq.read_table(path).to_pandas()
        except (OSError, pa.ArrowException):
            _remove(path)
            return None

    def _prune_tokens(self, keys: Mapping[str, str]) -> None:
        """Delete token files of keys not in *keys*, and crashed writers' leftovers."""
        folder = self.root / TOKENS
        if not folder.is_dir():
            return
        wanted = {f"{k}.parquet" for k in keys.values()}
        now = time.time()
        for item in folder.iterdir():
            if item.name.startswith(TMP_PREFIX):
                try:
                    if now - item.stat().st_mtime > STALE_TMP_SECONDS:
                        _remove(item)
                except FileNotFoundError:
                    continue
            elif item.name not in wanted:
                _remove(item)

    def _remove_stale(self) -> None:
        """Delete temporary folders left by writers that crashed over an hour ago."""
        now = time.time()
        for item in self.root.iterdir():
            if item.name.startswith((TMP_PREFIX, _OLD_PREFIX)):
                try:
                    stale = now - item.stat().st_mtime > STALE_TMP_SECONDS
                except FileNotFoundError:
                    continue
                if stale:
                    _remove(item)


def _check_keys(keys: Mapping[str, str]) -> None:
    for key in keys.values():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")


def _check_table(name: str, df: pd.DataFrame) -> None:
    if not _TABLE.fullmatch(name):
        raise ValueError(f"table name must match {_TABLE.pattern}: {name!r}")
    if not all(isinstance(c, str) for c in df.columns) or df.columns.has_duplicates:
        raise ValueError(f"table {name!r} needs unique string column names")
    if "doc_id" not in df.columns:
        raise ValueError(f"table {name!r} needs a doc_id column")


def _read_meta(folder: Path) -> dict:
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    if meta["schema"] != CACHE_SCHEMA or not isinstance(meta["documents"], dict):
        raise ValueError("schema mismatch")
    if not isinstance(meta["segments"], list) or not meta["segments"]:
        raise ValueError("no segments")
    return meta


def _table_names(meta: dict) -> set[str]:
    """The tables every segment of *meta* holds (``ValueError`` if they differ)."""
    names = [set(seg["tables"]) for seg in meta["segments"]]
    if any(n != names[0] for n in names):
        raise ValueError("segments hold different tables")
    return names[0]


def _write_table(folder: Path, stem: str, df: pd.DataFrame) -> dict:
    """Write *df* to ``<folder>/<stem>.parquet``; return what ``meta.json`` records of it."""
    path = folder / f"{stem}.parquet"
    df.to_parquet(path, engine="pyarrow", **PARQUET_OPTIONS)
    return {
        "sha256": _sha256_file(path),
        "columns": list(df.columns),
        "dtypes": [str(d) for d in df.dtypes],
    }


def _remove(path: Path) -> None:
    """Delete a file or folder, ignoring a concurrent deletion."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _read_table(
    folder: Path, stem: str, info: dict, keep: frozenset[str] | None = None
) -> pd.DataFrame:
    """Read one table and check it against its metadata (``ValueError`` if it differs).

    With *keep*, only the rows whose doc_id is in it, filtered before the rows
    become pandas columns: ten times faster on a large table than filtering after.
    """
    path = folder / f"{stem}.parquet"
    if _sha256_file(path) != info["sha256"]:
        raise ValueError(f"{path}: checksum mismatch")
    table = pq.read_table(path)
    if keep is not None:
        table = table.filter(_rows_of(table.column("doc_id"), pa.array(sorted(keep))))
    df = table.to_pandas()
    for col, dtype in zip(info["columns"], info["dtypes"], strict=True):
        if dtype == "object" and str(df[col].dtype) != "object":
            df[col] = pd.Series(table.column(col).to_pylist(), index=df.index, dtype=object)
    if list(df.columns) != info["columns"] or [str(d) for d in df.dtypes] != info["dtypes"]:
        raise ValueError(f"{path}: columns or dtypes differ from {META}")
    return df


def _rows_of(doc_ids: pa.ChunkedArray, keep: pa.Array) -> pa.ChunkedArray:
    """Which rows' doc_id is in *keep*: looked up once per distinct doc_id, not per row."""
    if not pa.types.is_dictionary(doc_ids.type):
        doc_ids = pc.dictionary_encode(doc_ids)
    return pa.chunked_array(
        [
            pc.take(pc.is_in(chunk.dictionary, value_set=keep), chunk.indices).fill_null(False)
            for chunk in doc_ids.chunks
        ],
        type=pa.bool_(),
    )
