"""Skip a report run when nothing it depends on has changed since the last one.

After publishing, the report writes ``<out>/.cache/report-stamp.json``: a key
over everything the outputs depend on (:func:`report_key`) and the sha256 of
every file it published. A later run with the same key whose published files
are all still there, byte for byte, has nothing to do: it would write the same
bytes again. That check reads the corpus and the package's files and hashes
them, without importing pandas or matplotlib, so an unchanged re-run takes
well under a second.

The key covers the package's code and data files
(:func:`~analysis.run.fingerprint.code_fingerprint`), every file of the corpus
folder (articles, ``manifest.csv``, ``corpus.toml``), the lexicon file, the
options that change results (the comparison), the git commit and dirty flag
the provenance records, and ``$SOURCE_DATE_EPOCH``. Without that variable the
provenance's run date is the date of the run that wrote the outputs. The
engine and the number of jobs are not in the key: they never change a byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis import config
from analysis.atomic import write_atomic
from analysis.report.provenance import git_state
from analysis.run.fingerprint import code_fingerprint, files_fingerprint

STAMP = Path(".cache") / "report-stamp.json"


def report_key(
    corpus_dir: str | Path | None,
    lexicon_path: str | Path | None,
    options: Mapping[str, object],
) -> str:
    """A hash of everything a report's outputs depend on; see the module docstring."""
    corpus = config.corpus_dir(corpus_dir)
    parts = {
        "code": code_fingerprint(),
        "corpus": files_fingerprint(corpus) if corpus.is_dir() else None,
        "lexicon": (
            hashlib.sha256(Path(lexicon_path).read_bytes()).hexdigest()
            if lexicon_path is not None and Path(lexicon_path).is_file()
            else str(lexicon_path)
        ),
        "options": {k: str(v) for k, v in options.items()},
        "git": list(git_state()),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def report_options(compare_by: str, group_a: str, group_b: str | None) -> dict[str, object]:
    """The options of a report run that change its outputs (the compared groups)."""
    return {"compare_by": compare_by, "group_a": group_a, "group_b": group_b}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_current(out_root: str | Path, key: str) -> bool:
    """Whether the last run under *out_root* had *key* and its outputs are intact."""
    root = Path(out_root)
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
        if stamp["key"] != key or not stamp["files"]:
            return False
        return all(_sha256(root / rel) == sha for rel, sha in stamp["files"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def write(
    out_root: str | Path,
    key: str,
    published: Iterable[str | Path],
    known: Mapping[str, str] | None = None,
) -> None:
    """Record *key* and the hashes of the *published* files (relative to *out_root*).

    *known* gives the sha256 of files already hashed as they were written (the
    tables), by their path relative to *out_root*; the others are read and hashed.
    """
    root = Path(out_root)
    known = known or {}
    files = {}
    for rel in published:
        name = Path(rel).as_posix()
        files[name] = known[name] if name in known else _sha256(root / rel)
    path = root / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"key": key, "files": files}, indent=1))
