"""Fingerprints of what a run's results depend on: the package's code and data, the corpus files.

A cached result is valid only while everything that produced it is unchanged. A
hand-bumped version tag misses every edit nobody remembered to bump it for, so
the cache keys use :func:`code_fingerprint` instead: a hash of every ``.py``
file of the package and every file in ``analysis/data/`` (word lists, lexicons,
styles), by relative path and content. Editing any of them, adding or removing
one, invalidates the cache; touching a file, or byte-code in ``__pycache__``,
does not. It is computed once per run (about 100 small files, a few
milliseconds).

:func:`files_fingerprint` hashes a folder's files by name and content (the
corpus folder: articles, ``manifest.csv``, ``corpus.toml``), for the report's
check that nothing at all has changed since the last run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from analysis import config

#: The package folder (``analysis/``) whose code and data are fingerprinted.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _digest(root: Path, paths: Iterable[Path]) -> str:
    """sha256 over ``relative path NUL sha256(content) LF`` of each path, sorted by path.

    A path that is not a readable regular file (a folder, a broken or looping
    link) counts by its name and kind, so adding one changes the digest too.
    """
    lines = []
    for p in paths:
        try:
            content = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "not a file"
        except OSError as exc:
            content = f"unreadable {exc.errno}"
        lines.append(f"{p.relative_to(root).as_posix()}\0{content}\n")
    return hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()


def code_fingerprint(root: Path = PACKAGE_ROOT) -> str:
    """A hash of the package's Python files (``**/*.py``) and data files (``data/*``)."""
    root = Path(root)
    data = [p for p in (root / "data").glob("*") if p.is_file()]
    return _digest(root, [*root.rglob("*.py"), *data])


def files_fingerprint(folder: Path) -> str:
    """A hash of the names and contents of the entries of *folder* (dot-files excluded)."""
    folder = config.as_path(folder)
    return _digest(folder, [p for p in folder.iterdir() if not p.name.startswith(".")])
