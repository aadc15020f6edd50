"""Write a per-document table's CSV file from the last run's: unchanged documents' lines are copied.

Most of the report's CSV volume is in tables that hold each document's rows
together (sentences, paragraphs, utterances, stance mentions, framing counts,
KWIC lines, top terms by document). After one article is added, nearly all
of those rows are the ones the last run wrote, and turning them into text
again was most of the time spent writing the tables. A row's line depends on
the row alone, given the table's columns and their types (every cell is
formatted on its own: :func:`analysis.report.outputs.write_table`), so a
document whose rows are unchanged has the same lines as before.

:func:`write_reusing` therefore splits the table into its documents' blocks of
rows and hashes each block (pandas' ``hash_pandas_object`` of every cell,
floats by their bits, so that ``-0.0`` differs from ``0.0``). A block whose
hash the previous file's :class:`CsvIndex` holds is copied from that file as
bytes; the others are formatted. The file comes out byte for byte as a fresh
write would (tests/test_csv_reuse.py and the incremental report tests compare
them).

The index of each file (block hashes, where each block ends, the file's
sha256) is kept beside the per-document cache. The previous file is used
only if it still has that sha256: one that was edited, replaced or removed
since is not read, and the table is written whole, as it is when its
columns, types or code changed (the *version* the caller passes, the code
fingerprint). Hashing the previous file costs about a tenth of formatting
it (1.1 GB/s here). A table without a ``doc_id`` column, or whose documents'
rows are not each together, is simply written.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.atomic import write_atomic
from analysis.report import outputs
from analysis.report.csv_bytes import header_bytes

#: Bytes copied from the previous file at a time.
COPY_CHUNK = 1 << 24
#: The schema metadata key of an index file.
_META = "csv_index"


@dataclass(frozen=True)
class CsvIndex:
    """Where each document's lines lie in a CSV file, and what they were written from.

    *hashes* are the documents' block hashes in file order; block ``i`` ends at
    byte ``ends[i]`` and starts where block ``i - 1`` ends (the first, at
    *header*, the header's length). *sha256* is the file's.
    """

    signature: str
    header: int
    hashes: np.ndarray
    ends: np.ndarray
    sha256: str

    def starts(self) -> np.ndarray:
        return np.concatenate([[self.header], self.ends[:-1]]).astype(np.int64)


def document_blocks(df: pd.DataFrame) -> np.ndarray | None:
    """Row positions where each document's block starts, and the table's length last.

    None when *df* has no rows or no ``doc_id`` column, or when some document's
    rows are not all together.
    """
    if df.empty or "doc_id" not in df.columns:
        return None
    codes, uniques = pd.factorize(df["doc_id"], use_na_sentinel=False)
    changes = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if len(changes) + 1 != len(uniques):
        return None
    return np.concatenate([[0], changes, [len(df)]]).astype(np.int64)


def block_hashes(df: pd.DataFrame, bounds: np.ndarray) -> np.ndarray:
    """One 64-bit hash per block of rows ``bounds[i]:bounds[i + 1]``, of its cells in order.

    Floats are hashed by their bits. pandas hashes an object column's cells by
    their text, so ``1`` and ``True`` may hash alike; but a column holding
    anything other than text is written by pandas, and such a table is never
    indexed (:func:`write_reusing`), so only text is ever compared this way.
    """
    cells = df.copy(deep=False)
    for i, dtype in enumerate(cells.dtypes):
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            cells.isetitem(i, cells.iloc[:, i].to_numpy().view(f"u{dtype.itemsize}"))
    rows = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    data = memoryview(rows.view(np.uint8))
    out = np.empty(len(bounds) - 1, dtype=np.uint64)
    for i, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        digest = hashlib.blake2b(data[start * 8 : stop * 8], digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little")
    return out


def signature(df: pd.DataFrame, version: str) -> str:
    """What a block's lines depend on besides its cells: the columns, their types, *version*."""
    parts = [version, [[str(c), str(t)] for c, t in zip(df.columns, df.dtypes, strict=True)]]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def write_reusing(
    df: pd.DataFrame,
    path: Path,
    *,
    previous: Path,
    index: CsvIndex | None,
    version: str,
) -> tuple[str, CsvIndex | None]:
    """Write *df* as CSV to *path* (as :func:`analysis.report.outputs.write_table_file`).

    Documents whose rows *index* lists for the file *previous* are copied from
    it, when *previous* is still the file *index* describes and the table's
    columns, types and *version* are unchanged. Returns the file's sha256 and its
    index for the next run (None for a table this cannot index).
    """
    bounds = document_blocks(df)
    if bounds is None:
        return write_whole(df, path)
    hashes = block_hashes(df, bounds)
    sig = signature(df, version)
    old = index if _still_valid(index, sig, previous) else None
    found = {h: i for i, h in enumerate(old.hashes.tolist())} if old is not None else {}
    starts = old.starts() if old is not None else None
    ends = np.empty(len(hashes), dtype=np.int64)
    indexable = True
    with open(path, "wb") as out, open(previous if old is not None else os.devnull, "rb") as src:
        header = pos = out.write(header_bytes(df))
        for i, j, first in _runs(hashes.tolist(), found):
            if first is not None:  # blocks first.. of the previous file, in a row
                start = int(starts[first])
                _copy(src, out, start, int(old.ends[first + j - i - 1]) - start)
                ends[i:j] = old.ends[first : first + j - i] - start + pos
            else:
                rows = outputs.write_table(df.iloc[bounds[i] : bounds[j]], out, header=False)
                if rows is None:  # pandas wrote these rows: where each ends is not known
                    indexable = False
                    rows = np.zeros(bounds[j] - bounds[i], dtype=np.int64)
                ends[i:j] = rows[bounds[i + 1 : j + 1] - bounds[i] - 1] + pos
            pos = int(ends[j - 1])
    sha = outputs.file_sha256(path)
    return sha, (CsvIndex(sig, header, hashes, ends, sha) if indexable else None)


def _runs(keys: list[int], found: dict[int, int]):
    """``(i, j, first)`` for each run of blocks ``i:j`` written alike.

    *first* is the previous file's block that block ``i`` is, when blocks ``i:j``
    are blocks ``first:first + j - i`` there, to be copied at once; None for a run
    of blocks the previous file does not hold, to be formatted at once.
    """
    i = 0
    while i < len(keys):
        first = found.get(keys[i])
        j = i + 1
        if first is None:
            while j < len(keys) and keys[j] not in found:
                j += 1
        else:
            while j < len(keys) and found.get(keys[j]) == first + j - i:
                j += 1
        yield i, j, first
        i = j


def write_whole(df: pd.DataFrame, path: Path) -> tuple[str, None]:
    """Write *df* to *path* without an index (a run without the cache); return its sha256."""
    return outputs.write_table_file(df, path), None


def _still_valid(index: CsvIndex | None, sig: str, previous: Path) -> bool:
    """Whether *previous* is the file *index* describes, and *sig* the table's signature."""
    if index is None or index.signature != sig:
        return False
    try:
        return outputs.file_sha256(previous) == index.sha256
    except OSError:
        return False


def _copy(src: BinaryIO, out: BinaryIO, start: int, size: int) -> None:
    """Append bytes ``start:start + size`` of *src* to *out*.

    In the kernel (``os.copy_file_range``) where it can: a user-space buffer is
    memory that a forked worker may share with this process, and writing into
    it made the kernel copy each page (1 s for 300 MB at ten copies of PolNeAR).
    """
    out.flush()
    copied = 0
    try:
        while copied < size:
            n = os.copy_file_range(src.fileno(), out.fileno(), size - copied, start + copied)
            if n == 0:
                break
            copied += n
    except (AttributeError, OSError):  # not on this platform, or not between these files
        pass
    out.seek(0, os.SEEK_END)  # the buffered file learns where the copy left the end
    src.seek(start + copied)
    while copied < size:
        data = src.read(min(size - copied, COPY_CHUNK))
        if not data:
            raise OSError(f"{src.name} ended before byte {start + size}")
        out.write(data)
        copied += len(data)


def save_index(folder: Path, name: str, index: CsvIndex | None) -> None:
    """Keep *index* as ``<folder>/<name>.parquet`` for the next run (None: remove it)."""
    target = Path(folder) / f"{name}.parquet"
    if index is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = {"signature": index.signature, "header": index.header, "sha256": index.sha256}
    table = pa.table({"hash": index.hashes, "end": index.ends})
    table = table.replace_schema_metadata({_META: json.dumps(meta)})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    write_atomic(target, sink.getvalue().to_pybytes())


def load_index(folder: Path, name: str) -> CsvIndex | None:
    """The index :func:`save_index` kept for table *name*, or None if missing or unreadable."""
    try:
        table = pq.read_table(Path(folder) / f"{name}.parquet")
        meta = json.loads(table.schema.metadata[_META.encode()])
        return CsvIndex(
            signature=str(meta["signature"]),
            header=int(meta["header"]),
            hashes=table["hash"].to_numpy().astype(np.uint64),
            ends=table["end"].to_numpy().astype(np.int64),
            sha256=str(meta["sha256"]),
        )
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
