"""Draw a figure again only when what it shows has changed.

Every figure builder declares the corpus tables it reads with :func:`reads`; the
report hands it those tables and nothing else, so a builder that reads an
undeclared table fails at once instead of being served from a stale cache.

A figure's key (:func:`figure_key`) is a hash of its name, the contents of its
declared tables (column names, dtypes, index and every value, through
:func:`pandas.util.hash_pandas_object`, or for Arrow-backed text its bytes), the
corpus event (drawn on the time axes and in titles), the house style in force
(every ``rcParams`` value, so a user's ``matplotlibrc`` counts), the versions of
the libraries that draw and encode (matplotlib, numpy, pandas, Pillow) and the
package's code fingerprint.
Equal keys give equal bytes, because drawing is deterministic.

:class:`FigureCache` keeps one entry per figure in ``<out>/.cache/figures/``:
``<name>.png``, ``<name>.svg`` and ``<name>.json`` (the key and the sha256 of
both files). An entry whose key differs, whose files are missing or whose bytes
do not match their recorded hash is a miss, never an error. After a run,
entries of figures that no longer exist and stray temporary files are removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.atomic import write_atomic
from analysis.report.csv_bytes import contiguous
from analysis.report.outputs import process_alive

#: Libraries whose version can change a figure's bytes.
DRAWING_LIBRARIES = ("matplotlib", "numpy", "pandas", "pillow")
_FORMATS = ("png", "svg")


def reads(*tables: str, **columns: Sequence[str]) -> Callable:
    """Declare the corpus tables a figure builder reads: ``@reads("keyness")``.

    A table named as a keyword is read in those columns only:
    ``@reads("documents", sentences=["doc_id", "compound"])``. The builder is handed
    just them, and only they are hashed into its key; ``stance=[]`` hands it the rows
    without any column (for their number). At ten copies of PolNeAR train, hashing
    the sentence, stance and utterance tables whole, text included, for figures that
    draw a few of their columns was 0.2 of the keys' 0.33 s.
    """

    def declare(build: Callable) -> Callable:
        build.tables = (*tables, *columns)
        build.columns = {name: tuple(cols) for name, cols in columns.items()}
        return build

    return declare


def _reads(build: Callable) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each table *build* declared, with the columns it reads of it (None: all)."""
    columns = getattr(build, "columns", {})
    return [(name, columns.get(name)) for name in build.tables]


def _read(tables: Mapping[str, pd.DataFrame], name: str, cols: tuple[str, ...] | None):
    return tables[name] if cols is None else tables[name][list(cols)]


def _label(name: str, cols: tuple[str, ...] | None) -> str:
    """How a table read in *cols* is named in a key: ``sentences[doc_id,compound]``."""
    return name if cols is None else f"{name}[{','.join(cols)}]"


def inputs(build: Callable, tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables *build* declared with :func:`reads`, taken from *tables*."""
    return {name: _read(tables, name, cols) for name, cols in _reads(build)}


def table_digest(df: pd.DataFrame) -> str:
    """sha256 of a table's columns, dtypes, index and values (exact, floats by their bits)."""
    h = hashlib.sha256()
    h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode("utf-8"))
    h.update(repr(df.shape).encode("utf-8"))
    h.update(pd.util.hash_pandas_object(df.index, index=False).to_numpy().tobytes())
    for col in range(df.shape[1]):
        column = df.iloc[:, col]
        # mixed-type text columns are hashed as their str(); None and NaN differ from "None"
        h.update(column.isna().to_numpy().tobytes())
        for part in _arrow_text(column) or [
            pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes()
        ]:
            h.update(part)
    return h.hexdigest()


def _arrow_text(column: pd.Series) -> list | None:
    """The bytes of an Arrow-backed text column: where each value ends, and the text.

    Hashed as they are, without a Python string per value: on ten copies of PolNeAR
    train, hashing the text columns value by value was most of the figures' keys'
    0.6 s. The ends are counted from the first value, so equal values give equal
    bytes however the column is chunked or sliced. None for any other column.
    """
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    text = contiguous(pa.array(column, from_pandas=True)).cast(pa.large_string())
    _, offsets, data = text.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    body = b"" if data is None else memoryview(data)[ends[0] : ends[-1]]
    return [b"text", (ends - ends[0]).tobytes(), body]


def style_digest() -> str:
    """sha256 of every matplotlib setting in force, and of the drawing libraries' versions."""
    from matplotlib import rcParams

    settings = repr(sorted((k, repr(v)) for k, v in rcParams.items()))
    versions = repr([metadata.version(lib) for lib in DRAWING_LIBRARIES])
    return hashlib.sha256(f"{settings}\n{versions}".encode()).hexdigest()


def figure_key(
    name: str,
    table_digests: Mapping[str, str],
    build: Callable,
    *,
    context: str,
) -> str:
    """The cache key of figure *name*: its tables' digests plus *context* (event, style, code)."""
    labels = [_label(*read) for read in _reads(build)]
    parts = {"figure": name, "tables": {label: table_digests[label] for label in labels}}
    parts["context"] = context
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def figure_keys(
    builders: Mapping[str, Callable],
    tables: Mapping[str, pd.DataFrame],
    *,
    event: object,
    style: str,
    code: str,
) -> dict[str, str]:
    """The key of every figure in *builders*; each table is hashed once."""
    needed = {_label(*read): read for build in builders.values() for read in _reads(build)}
    digests = {label: table_digest(_read(tables, *needed[label])) for label in sorted(needed)}
    context = json.dumps({"event": repr(event), "style": style, "code": code})
    return {
        name: figure_key(name, digests, build, context=context) for name, build in builders.items()
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FigureCache:
    """PNG and SVG bytes of each figure, by figure name, valid for one key.

    Parameters
    ----------
    root : the cache folder, ``<out>/.cache/figures``
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def get(self, name: str, key: str) -> tuple[bytes, bytes] | None:
        """The cached ``(png, svg)`` of *name* if it was drawn for *key* and is intact."""
        try:
            meta = json.loads((self.root / f"{name}.json").read_text(encoding="utf-8"))
            if meta["key"] != key:
                return None
            files = [(self.root / f"{name}.{fmt}").read_bytes() for fmt in _FORMATS]
            if [_sha256(data) for data in files] != [meta[fmt] for fmt in _FORMATS]:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        png, svg = files
        return png, svg

    def put(self, name: str, key: str, png: bytes, svg: bytes) -> None:
        """Store the bytes of *name* drawn for *key* (the record last, so a torn write misses)."""
        self.root.mkdir(parents=True, exist_ok=True)
        for fmt, data in zip(_FORMATS, (png, svg), strict=True):
            write_atomic(self.root / f"{name}.{fmt}", data)
        meta = {"key": key, "png": _sha256(png), "svg": _sha256(svg)}
        write_atomic(self.root / f"{name}.json", json.dumps(meta, indent=1).encode("utf-8"))

    def prune(self, names: Iterable[str]) -> list[Path]:
        """Delete every file that is not an entry of one of *names*; return what went.

        Temporary files are deleted only when the run that was writing them is gone.
        """
        keep = {f"{name}.{ext}" for name in names for ext in (*_FORMATS, "json")}
        removed = []
        for path in sorted(self.root.iterdir()) if self.root.is_dir() else []:
            pid = path.name.split(".")[-2] if path.name.endswith(".tmp") else ""
            if pid.isdigit() and process_alive(int(pid)):
                continue
            if path.name not in keep and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed
