"""One table from many documents' columns, built once.

The per-document steps hand over their rows as columns (numpy arrays, Arrow arrays of
strings, or lists) and a table of many documents is made from them at once
(:func:`columns_frame`): a DataFrame costs a few hundred microseconds to build or
change whatever its size, more than a news article's rows, so the pipeline builds one
per chunk of articles rather than one per article and step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa


@cache
def _string_dtype():
    return pd.Series(["x"]).dtype


def string_column(values: pa.Array | Sequence[str]):
    """Strings as a DataFrame column of the dtype pandas gives a list of strings.

    Where that dtype is Arrow-backed (pandas 3), the Arrow array is wrapped as it is,
    skipping pandas' check of every value; otherwise the values go in as a list.
    """
    dtype = _string_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        if not isinstance(values, pa.Array):
            values = pa.array(values, type=pa.large_string())
        return pd.arrays.ArrowStringArray(values.cast(pa.large_string()), dtype=dtype)
    return values.to_pylist() if isinstance(values, pa.Array) else list(values)


def columns_frame(parts: Sequence[Mapping[str, object]], names: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of the columns *names* of every part, one part's rows after another's.

    Each column is a numpy array (concatenated), an Arrow array of strings (concatenated,
    then :func:`string_column`) or a list (joined), of one kind in every part. Parts
    without rows are left out, so that they set no column's type (a document without
    utterances has lists where others have arrays); with rows in none, the first part
    gives the (empty) columns, an empty list an object column, as ``pd.DataFrame([],
    columns=names)`` has. With no part, that empty table.
    """
    parts = [p for p in parts if len(p[names[0]])] or list(parts[:1])
    if not parts:
        return pd.DataFrame(columns=list(names))
    columns = {}
    for name in names:
        values = [p[name] for p in parts]
        first = values[0]
        if isinstance(first, pa.Array):
            columns[name] = string_column(first if len(values) == 1 else pa.concat_arrays(values))
        elif isinstance(first, np.ndarray):
            columns[name] = first if len(values) == 1 else np.concatenate(values)
        else:
            columns[name] = list(chain.from_iterable(values)) or np.empty(0, dtype=object)
    return pd.DataFrame(columns, columns=list(names))


def row_columns(rows: Sequence[tuple], names: Sequence[str]) -> dict[str, object]:
    """Rows (tuples in *names* order) as columns for :func:`columns_frame`.

    A column of Python ints becomes an int64 array, one of strings an Arrow array,
    anything else a list that pandas reads as it would a list of rows. With no row,
    every column is an empty list.
    """
    if not rows:
        return {name: [] for name in names}
    columns: dict[str, object] = {}
    for name, values in zip(names, zip(*rows, strict=True), strict=True):
        if all(type(v) is int for v in values):
            columns[name] = np.array(values, dtype=np.int64)
        elif all(type(v) is str for v in values):
            columns[name] = pa.array(values, type=pa.large_string())
        else:
            columns[name] = list(values)
    return columns


def column_list(column) -> list:
    """The values of a column (Series, numpy or Arrow array, or list) as a list."""
    if isinstance(column, list):
        return column
    return column.to_pylist() if isinstance(column, pa.Array) else column.tolist()
