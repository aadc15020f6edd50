"""What a run memoised, kept for the next: bootstrap intervals and background frequencies.

Beside the per-document cache (:mod:`analysis.run.cache`):

* ``<root>/intervals.json`` holds the
  :func:`analysis.stats.resampling.memoised_intervals` entries a run used (bootstrap
  intervals and permutation p-values, keyed by a hash of one group's values and
  the resampling settings);
* ``<root>/frequencies.json`` the :func:`analysis.stats.background.memoised_frequencies`
  entries (wordfreq's frequency of each word keyness looked up).

Each is stored under the code fingerprint it was computed with (and the
frequencies under wordfreq's version too); another code's file, or a missing or
unreadable one, counts as empty. Files are replaced atomically.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

from analysis.run.cache import TMP_PREFIX

#: Bootstrap intervals and permutation p-values of the last run (see :func:`load_intervals`).
INTERVALS = "intervals.json"
#: Background frequencies of the last run (see :func:`load_frequencies`).
FREQUENCIES = "frequencies.json"


def load_intervals(root: Path, code: str) -> dict[str, tuple[float, ...]]:
    """Intervals stored by :func:`store_intervals` under *root* with the same *code*."""
    try:
        stored = _load(Path(root) / INTERVALS, code)
        return {k: tuple(float(v) for v in vals) for k, vals in stored.items()}
    except (ValueError, TypeError):
        return {}


def store_intervals(root: Path, code: str, intervals: Mapping[str, tuple[float, ...]]) -> None:
    """Write *intervals* for the next run (floats round-trip exactly in JSON)."""
    _store(Path(root) / INTERVALS, code, {k: list(v) for k, v in sorted(intervals.items())})


def load_frequencies(root: Path, code: str) -> dict[str, float]:
    """Frequencies stored by :func:`store_frequencies` with the same *code* and wordfreq."""
    try:
        stored = _load(Path(root) / FREQUENCIES, _frequency_code(code))
        return {str(k): float(v) for k, v in stored.items()}
    except (ValueError, TypeError):
        return {}


def store_frequencies(
    root: Path, code: str, frequencies: Mapping[str, float], *, unless: Mapping[str, float]
) -> None:
    """Write *frequencies* for the next run, unless they are those loaded (*unless*)."""
    if frequencies != unless:
        _store(Path(root) / FREQUENCIES, _frequency_code(code), dict(sorted(frequencies.items())))


def _frequency_code(code: str) -> str:
    return f"{code} wordfreq {importlib.metadata.version('wordfreq')}"


def _load(path: Path, code: str) -> dict:
    """The entries of *path* if it was written under *code*, else ``{}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["code"] != code:
            return {}
        return dict(data["entries"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _store(path: Path, code: str, entries: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}.json"
    tmp.write_text(json.dumps({"code": code, "entries": entries}), encoding="utf-8")
    os.replace(tmp, path)
