"""Writing tables and figures safely: staged, then moved into place.

Every output of a run is first written to a staging folder beside the output
root, and only moved into ``results/`` and ``figures/`` (``os.replace``, atomic
per file) once the whole run has succeeded. A run that fails leaves the
previous outputs exactly as they were and removes its staging folder. A run
that is killed cannot clean up; its staging folder carries its process id, and
the next run removes staging folders whose process is gone.

Files are replaced one by one, so a run killed while publishing (a few
milliseconds) may leave some files from the new run beside older ones; every
single file is always complete.

Floats are written to :data:`FLOAT_FORMAT`, six significant digits (``2.67201``,
``1.48809e-06``): more than any statistic here can support, and short enough to
read; the tables in memory keep full precision. Each distinct value of a float
column is formatted once (:func:`floats_as_text`): the large tables repeat their
values (rates and G² of terms with equal counts, VADER scores), and formatting
every cell was most of the time spent writing them.

CSV cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return are prefixed with an apostrophe, so a spreadsheet shows them as text
instead of running them as formulas (CSV injection). Only text cells are
touched, never numbers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.report.csv_bytes import write_csv_bytes

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: How floats are written in every CSV (six significant digits).
FLOAT_FORMAT = "%.6g"


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """*df* with its text cells unable to be read as spreadsheet formulas.

    A copy is made only when some cell needs the apostrophe, and only of the
    columns changed (the others are shared, pandas copying on write); otherwise
    *df* itself is returned. Cells are tested column by column with pandas' vectorised
    ``str.startswith``, not one Python call per cell.
    """
    out = df
    for i in range(df.shape[1]):
        values = df.iloc[:, i]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        try:
            starts = values.str.startswith(_FORMULA_START)
        except AttributeError:  # an object column without text (dates, say): cell by cell
            starts = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
        # missing cells and cells that are not text test as missing: neither is a formula
        risky = starts if starts.dtype == bool else starts.astype(object).fillna(False).astype(bool)
        if risky.any():
            if out is df:
                out = df.copy(deep=False)
            fixed = values.copy()
            fixed[risky] = "'" + values[risky]
            out.isetitem(i, fixed)
    return out


def floats_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """*df* with each numpy float column as the text CSV gets: :data:`FLOAT_FORMAT`, NaN empty.

    The same cells as ``to_csv(float_format=FLOAT_FORMAT)`` writes, but each
    distinct value is formatted once. Values are told apart by their bits, so
    ``-0.0`` keeps its sign. The text is held in Arrow, as the CSV writer reads it.
    *df* itself is returned when it has no float column.
    """
    out = df
    for i, dtype in enumerate(df.dtypes):
        if not (isinstance(dtype, np.dtype) and dtype.kind == "f"):
            continue
        values = df.iloc[:, i].to_numpy()
        codes, distinct = pd.factorize(values.view(f"i{dtype.itemsize}"))
        # Python floats: formatting them, and testing NaN as ``v != v``, is three times
        # faster than with numpy scalars
        text = ["" if v != v else FLOAT_FORMAT % v for v in distinct.view(dtype).tolist()]
        cells = pa.array(text, pa.large_string()).take(pa.array(codes))
        if out is df:
            out = df.copy(deep=False)
        out.isetitem(i, pd.Series(pd.arrays.ArrowExtensionArray(cells), index=df.index))
    return out


def write_table(df: pd.DataFrame, fh: BinaryIO, *, header: bool = True) -> np.ndarray | None:
    """Write *df* as CSV (UTF-8) to the binary file *fh*: formulas neutralised, floats formatted.

    Each cell is written on its own, so the lines of some rows are the same
    wherever the rows are written. Returns where each row's line ends, or None
    (see :func:`analysis.report.csv_bytes.write_csv_bytes`).
    """
    # float_format still applies to float columns not held in numpy (nullable Float64)
    text = floats_as_text(neutralize_formulas(df))
    return write_csv_bytes(text, fh, float_format=FLOAT_FORMAT, header=header)


def write_table_file(df: pd.DataFrame, path: Path) -> str:
    """Write *df* as CSV (:func:`write_table`) to *path*; return the sha256 of the file."""
    with open(path, "wb") as fh:
        write_table(df, fh)
    return file_sha256(path)


def file_sha256(path: Path) -> str:
    """The sha256 of the file at *path*, read a block at a time."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write *df* as CSV to *path* atomically (temp file, then rename), formulas neutralised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write_table(df, fh)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def process_alive(pid: int) -> bool:
    """Whether a process with id *pid* is running (or exists and is not ours)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_staging(root: Path) -> list[Path]:
    """Delete staging folders left in *root* by runs that were killed; return them."""
    removed = []
    for path in root.glob(".staging-*"):
        pid = path.name.split("-")[1]
        if path.is_dir() and (not pid.isdigit() or not process_alive(int(pid))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def publish(staged: Path, dest: Path, aside: Path) -> None:
    """Move the file *staged* to *dest*; a file already at *dest* is first moved to *aside*.

    Not ``os.replace(staged, dest)``: on ext4, renaming a file over an existing one
    makes the kernel start writing the new file's data to disk before the rename
    returns (its ``auto_da_alloc`` safeguard). Publishing the 384 MB of tables of ten
    copies of PolNeAR train over the previous run's took 0.26-0.36 s that way, 0.04-0.05
    s this way (six 60 MB files: 0.13 s renamed over old ones, 0.0003 s onto free names
    and 0.025 s to delete the old ones with the staging folder). Whoever reads *dest*
    sees the old file or the new one, except for the instant between the two renames;
    if the second fails, the old file is put back. The data of the new file reaches
    the disk as the kernel writes back, as for any file written without ``fsync``.
    """
    try:
        os.rename(dest, aside)
    except FileNotFoundError:
        os.rename(staged, dest)
        return
    try:
        os.rename(staged, dest)
    except BaseException:
        os.rename(aside, dest)
        raise


class StagedOutputs:
    """Collect a run's outputs in a staging folder and publish them all at the end.

    Parameters
    ----------
    root : the output root, which holds ``results/`` and ``figures/``
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __enter__(self) -> StagedOutputs:
        self.root.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(self.root)
        self.staging_ = Path(tempfile.mkdtemp(prefix=f".staging-{os.getpid()}-", dir=self.root))
        self.written_: list[Path] = []
        return self

    def table(self, name: str, df: pd.DataFrame) -> Path:
        """Stage ``results/<name>.csv`` (:func:`write_table_file`)."""
        path = self.reserve(f"results/{name}.csv")
        write_table_file(df, path)
        return path

    def reserve(self, relpath: str) -> Path:
        """Where to stage the file *relpath*, published with the others.

        For a file written elsewhere, such as by a forked worker
        (:func:`write_table_file`); it must exist by the end of the ``with`` block.
        """
        path = self.staging_ / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        self.written_.append(path)
        return path

    def file(self, relpath: str, content: str | bytes) -> Path:
        """Stage any other file under the output root."""
        path = self.reserve(relpath)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                aside = self.staging_ / ".replaced"  # deleted with the staging folder
                aside.mkdir()
                for i, path in enumerate(self.written_):
                    dest = self.root / path.relative_to(self.staging_)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    publish(path, dest, aside / str(i))
        finally:
            shutil.rmtree(self.staging_, ignore_errors=True)

    @property
    def published(self) -> list[Path]:
        """Where the staged files go (or went), relative to the output root."""
        return [p.relative_to(self.staging_) for p in self.written_]
