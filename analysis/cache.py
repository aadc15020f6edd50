"""Per-document result cache: re-running after adding one article analyses only that article.

Each document's tables are stored under a key that changes whenever anything
its results depend on changes:

- the document's content (``Document.sha256``, the hash of its decoded text);
- the lexicon (``lexicon_sha256``, a hash of the lexicon files);
- ``version``: the caller's tag for the table set it stores (e.g.
  ``"tokens-1"``), to be bumped when the code computing those tables changes;
- the package version :data:`analysis.__version__` and :data:`CACHE_SCHEMA`,
  the storage format of this module, bumped when the layout below changes.

Layout::

    <root>/<key[:2]>/<key>/meta.json
    <root>/<key[:2]>/<key>/<table>.parquet

``meta.json`` records, for each table, its file's sha256, its columns and
dtypes. Tables are Parquet files (pyarrow), never pickles: a cache folder can be
shared or downloaded without running anyone's code. Columns of ``object`` dtype
holding strings come back as ``object`` (pyarrow would make them pandas'
``str`` dtype); their missing values come back as ``None``.

An entry is written into a temporary folder beside it and renamed into place,
so readers see a whole entry or none. When two processes store the same key at
once, the first rename wins and the other's copy (identical, since the key
fixes the content) is discarded. An entry that cannot be read back exactly
(missing or truncated file, checksum or dtype mismatch, unreadable
``meta.json``) is a miss: it is deleted and recomputed, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import __version__

#: Storage format version; bump it when the layout or metadata change.
CACHE_SCHEMA = 1
META = "meta.json"
_KEY = re.compile(r"[0-9a-f]{64}")
_TABLE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_TMP_PREFIX = ".tmp-"
#: Temporary folders older than this are a crashed writer's leftovers (see :meth:`prune`).
STALE_TMP_SECONDS = 3600


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DocumentCache:
    """Tables computed for one document, stored per key under *root*.

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

    def entry(self, key: str) -> Path:
        """Folder of the entry for *key* (which must be 64 lower-case hex digits)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.root / key[:2] / key

    def load(self, key: str, tables: Sequence[str]) -> dict[str, pd.DataFrame] | None:
        """The stored *tables* of *key*, or ``None`` on a miss.

        An entry lacking one of *tables*, or damaged in any way, is removed and
        reported as a miss.
        """
        if not self.enabled:
            return None
        folder = self.entry(key)
        if not folder.exists():
            return None
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            if meta["schema"] != CACHE_SCHEMA or meta["key"] != key:
                raise ValueError("schema or key mismatch")
            return {name: _read_table(folder, name, meta["tables"][name]) for name in tables}
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            _remove(folder)
            return None

    def store(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Store *tables* under *key*, atomically; an existing entry is kept.

        Raises
        ------
        ValueError
            If a table name is not ``[a-z][a-z0-9_]*`` or a table's column
            names are not unique strings.
        """
        if not self.enabled:
            return
        folder = self.entry(key)
        for name, df in tables.items():
            if not _TABLE.fullmatch(name):
                raise ValueError(f"table name must match {_TABLE.pattern}: {name!r}")
            if not all(isinstance(c, str) for c in df.columns) or df.columns.has_duplicates:
                raise ValueError(f"table {name!r} needs unique string column names")
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.parent / f"{_TMP_PREFIX}{key}-{os.getpid()}-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            meta = {"schema": CACHE_SCHEMA, "key": key, "tables": {}}
            for name, df in tables.items():
                path = tmp / f"{name}.parquet"
                df.to_parquet(path, engine="pyarrow", compression="zstd")
                meta["tables"][name] = {
                    "sha256": _sha256_file(path),
                    "columns": list(df.columns),
                    "dtypes": [str(d) for d in df.dtypes],
                }
            (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
            try:
                os.rename(tmp, folder)
            except OSError:
                if not folder.is_dir():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose key is not in *keep*, and stale temporary folders.

        Returns the number of entries and folders removed.
        """
        if not self.root.is_dir():
            return 0
        removed = 0
        now = time.time()
        for shard in self.root.iterdir():
            if not shard.is_dir() or not re.fullmatch(r"[0-9a-f]{2}", shard.name):
                continue
            for item in shard.iterdir():
                if item.name.startswith(_TMP_PREFIX):
                    stale = now - item.stat().st_mtime > STALE_TMP_SECONDS
                elif _KEY.fullmatch(item.name):
                    stale = item.name not in keep
                else:
                    continue
                if stale:
                    _remove(item)
                    removed += 1
        return removed


def _remove(path: Path) -> None:
    """Delete a file or folder, ignoring a concurrent deletion."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _read_table(folder: Path, name: str, info: dict) -> pd.DataFrame:
    """Read one table and check it against its metadata (``ValueError`` if it differs)."""
    path = folder / f"{name}.parquet"
    if _sha256_file(path) != info["sha256"]:
        raise ValueError(f"{path}: checksum mismatch")
    table = pq.read_table(path)
    df = table.to_pandas()
    for col, dtype in zip(info["columns"], info["dtypes"], strict=True):
        if dtype == "object" and str(df[col].dtype) != "object":
            df[col] = pd.Series(table.column(col).to_pylist(), index=df.index, dtype=object)
    if list(df.columns) != info["columns"] or [str(d) for d in df.dtypes] != info["dtypes"]:
        raise ValueError(f"{path}: columns or dtypes differ from {META}")
    return df
