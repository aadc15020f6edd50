"""Who said what in any text files: attribution without a corpus folder, date or manifest.

``python -m analysis quotes PATH... --out FILE.csv`` runs attribution and
VADER on each ``.txt`` file named, or found directly inside a named folder, and
writes one table with the columns of ``results/utterances.csv``. Researchers
use it on their own articles without setting up a corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.attribution import extract as attribution
from analysis.corpus.loader import parse_document
from analysis.corpus.textio import read_text
from analysis.errors import InputError, InputErrors
from analysis.run.pipeline import document_utterances
from analysis.text import sentiment


def text_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """The ``.txt`` files named by *paths* (files, or folders searched one level deep)."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
            if not found:
                errors.append(InputError(path, "holds no .txt file"))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            errors.append(InputError(path, "does not exist"))
    return files, errors


def quotes_table(paths: Iterable[str | Path]) -> tuple[pd.DataFrame, list[str]]:
    """Utterances of every file, with VADER scores; and the warnings met on the way.

    Raises
    ------
    InputErrors
        Listing every file that is missing, unreadable, empty, binary or HTML.
    """
    files, errors = text_files(paths)
    parts, warnings = [], []
    for path in files:
        try:
            raw, file_warnings = read_text(path)
        except InputError as exc:
            errors.append(exc)
            continue
        warnings += file_warnings
        doc = parse_document(path, raw)
        parts.append(document_utterances(doc))
    if errors:
        raise InputErrors(errors)
    if not parts:
        return pd.DataFrame(columns=[*attribution.UTTERANCE_COLUMNS, *sentiment.SCORE_COLUMNS]), []
    return pd.concat(parts, ignore_index=True), warnings
