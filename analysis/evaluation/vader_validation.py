"""Reproduce VADER's correlation with human ratings on its four gold-standard sets.

Hutto & Gilbert (ICWSM 2014, Table 4) report the Pearson correlation between
VADER's compound score and the mean of about 20 human ratings (-4..4) for
tweets (r = 0.881), movie-review snippets (0.451), Amazon review snippets
(0.565) and New York Times editorial snippets (0.492). :func:`run` scores the
same texts with :func:`analysis.text.sentiment.score_texts` and compares, so the
sentiment scores used in the analysis are checked against the published ones.

The data are the authors' ``*_GroundTruth.txt`` files (``id<TAB>mean
rating<TAB>text``, CRLF line ends), which are not part of this repository; the
folder is passed in, by default ``../shared/data/vader_gold`` next to the repo.

Decisions
---------
* Each line is decoded on its own: UTF-8 first, then Windows-1252, then
  Latin-1 (which never fails). Copies of these files circulate in mixed
  encodings, and a per-line fallback keeps one odd byte from costing a file.
* A line is skipped, and reported with its number and reason, when it has
  fewer than three tab-separated fields or its rating is not a number (a
  header line, for example). Blank lines are ignored. Tabs inside the text
  are kept as part of the text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import pearsonr

from analysis.config import REPO_ROOT
from analysis.errors import InputError
from analysis.text.sentiment import score_texts

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "vader_gold"
#: Data set name -> (file name, Pearson r in Hutto & Gilbert 2014, Table 4).
DATASETS: dict[str, tuple[str, float]] = {
    "tweets": ("tweets_GroundTruth.txt", 0.881),
    "movie_reviews": ("movieReviewSnippets_GroundTruth.txt", 0.451),
    "amazon_reviews": ("amazonReviewSnippets_GroundTruth.txt", 0.565),
    "nyt_editorials": ("nytEditorialSnippets_GroundTruth.txt", 0.492),
}
TOLERANCE = 0.03


class GoldFile(NamedTuple):
    """One ground-truth file: its rows, the lines skipped, and how many needed a fallback."""

    table: pd.DataFrame  # id, rating, text
    skipped: list[tuple[int, str]]  # (1-based line number, reason)
    fallback_lines: int  # lines not valid UTF-8, decoded as cp1252/latin-1


def _decode(line: bytes) -> tuple[str, bool]:
    """Decoded *line* and whether it needed an encoding other than UTF-8."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return line.decode(encoding), encoding != "utf-8"
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1"), True


def read_ground_truth(path: str | os.PathLike) -> GoldFile:
    """Read a ``<name>_GroundTruth.txt`` file (see the module notes for decoding and skipping)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the ground-truth file ({exc.strerror})") from exc
    rows, skipped, fallback = [], [], 0
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        line, fell_back = _decode(raw.rstrip(b"\r"))
        if not line.strip():
            continue
        fallback += fell_back
        fields = line.split("\t", 2)
        if len(fields) < 3:
            skipped.append((number, f"expected 3 tab-separated fields, found {len(fields)}"))
            continue
        try:
            rating = float(fields[1])
        except ValueError:
            skipped.append((number, f"rating {fields[1]!r} is not a number"))
            continue
        rows.append((fields[0].strip(), rating, fields[2]))
    table = pd.DataFrame(rows, columns=["id", "rating", "text"]).astype({"rating": float})
    return GoldFile(table, skipped, fallback)


def validate(gold: GoldFile, paper_r: float, *, tolerance: float = TOLERANCE) -> dict:
    """Pearson r of compound vs. human mean rating for one file, next to the paper's r."""
    n = len(gold.table)
    r = np.nan
    if n >= 2:
        r = float(pearsonr(score_texts(gold.table.text)["compound"], gold.table.rating).statistic)
    return {
        "n": n,
        "skipped": len(gold.skipped),
        "fallback_lines": gold.fallback_lines,
        "r": r,
        "paper_r": paper_r,
        "diff": r - paper_r,
        "within_tolerance": bool(abs(r - paper_r) <= tolerance),
    }


def run(
    data_dir: str | os.PathLike = DEFAULT_DATA_DIR, *, tolerance: float = TOLERANCE
) -> pd.DataFrame:
    """Reproduce Table 4 of Hutto & Gilbert (2014) from the gold files in *data_dir*.

    Returns
    -------
    DataFrame
        dataset, file, n (texts scored), skipped (lines), fallback_lines (not
        UTF-8), r (Pearson, ours), paper_r, diff (r - paper_r),
        within_tolerance (``|diff| <= tolerance``, default 0.03).

    Raises
    ------
    InputError
        The folder or one of the four files is missing.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(
            data_dir,
            "VADER gold-standard folder not found; pass the folder holding "
            "the four *_GroundTruth.txt files of Hutto & Gilbert (2014)",
        )
    rows = []
    for name, (filename, paper_r) in DATASETS.items():
        path = data_dir / filename
        if not path.is_file():
            raise InputError(path, "missing VADER ground-truth file")
        rows.append(
            {"dataset": name, "file": filename}
            | validate(read_ground_truth(path), paper_r, tolerance=tolerance)
        )
    return pd.DataFrame(rows)
