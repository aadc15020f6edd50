"""Provenance: which code, corpus and lexicon produced a set of results, and when.

A :class:`Provenance` records the package version, the git commit of the
repository the code was run from (and whether its tracked files had
uncommitted changes), the sha256 of every corpus document, the lexicon's
sha256 and the run date. :func:`provenance_line` turns it into one line for
the HTML report; :func:`to_json` into a JSON object for files beside the
tables.

Decisions
---------
* **Sidecars, not comment lines.** Each ``results/<name>.csv`` gets a
  ``results/<name>.csv.meta.json`` (:func:`sidecar_path`,
  :func:`sidecar_json`) holding the provenance and the sha256 of that CSV's
  bytes. A ``# provenance:`` line at the top of the CSV would break a plain
  ``pd.read_csv`` and spreadsheet imports; a sidecar leaves the CSV a plain
  table and still travels with it when one file is copied elsewhere. The CSV
  hash ties the pair together: an edited CSV no longer matches its sidecar.
* **Document hashes** are taken as given when they are 64 hex digits
  (``Document.sha256``, the hash of the decoded text as UTF-8) and computed
  with sha256 when bytes are given. :func:`corpus_digest` summarises them in
  one hash over the sorted ``doc_id:sha256`` lines, so the same files give
  the same digest whatever order they were read in.
* **Git** is asked (``git rev-parse HEAD``, ``git status --porcelain
  --untracked-files=no``) only in :data:`analysis.config.REPO_ROOT`, and only
  if that folder is the top of its repository: an installed copy of the
  package inside some other repository must not report that repository's
  commit. No git, no repository, a refused repository ("dubious ownership") or
  a time-out give commit ``"unknown"`` and ``dirty=None``; collecting never
  raises because of git. Untracked files do not make the tree dirty (results,
  notebooks' scratch files); changes to tracked files, including the seed
  corpus and the lexicon, do.
* **Run date** is UTC, to the second, written ``2021-03-20T08:00:00Z``. When
  none is given, ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention)
  is used if set, else the current time. A naive datetime is refused, since
  its time zone would be a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis import __version__, config

PACKAGE = "anchorage-discourse"
UNKNOWN = "unknown"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_GIT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Provenance:
    """Where a run's results come from.

    ``corpus_files`` holds ``(doc_id, sha256)`` pairs sorted by doc_id;
    ``corpus_sha256`` is their :func:`corpus_digest`. ``dirty`` is ``None``
    when the commit is unknown.
    """

    package: str
    version: str
    commit: str
    dirty: bool | None
    corpus_files: tuple[tuple[str, str], ...]
    corpus_sha256: str
    lexicon_source: str
    lexicon_sha256: str
    run_date: str


def package_version() -> str:
    """The installed distribution's version, else ``analysis.__version__``."""
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return __version__ or UNKNOWN


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(repo_root: str | os.PathLike | None = None) -> tuple[str, bool | None]:
    """``(commit, dirty)`` of the repository whose top folder is *repo_root*.

    *repo_root* defaults to :data:`analysis.config.REPO_ROOT`. Returns
    ``("unknown", None)`` when git is missing, the folder is not the top of a
    repository, or git fails.
    """
    root = Path(repo_root) if repo_root is not None else config.REPO_ROOT
    if not root.is_dir():
        return UNKNOWN, None
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top is None or Path(top.strip()).resolve() != root.resolve():
        return UNKNOWN, None
    commit = _git(["rev-parse", "HEAD"], root)
    status = _git(["status", "--porcelain", "--untracked-files=no"], root)
    if commit is None or status is None:
        return UNKNOWN, None
    return commit.strip(), bool(status.strip())


def _sha256(doc_id: str, value: bytes | str) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, str) and _HEX64.match(value.lower()):
        return value.lower()
    raise ValueError(f"{doc_id!r}: expected file bytes or a sha256 of 64 hex digits, got {value!r}")


def corpus_digest(hashes: Mapping[str, str]) -> str:
    """One sha256 over the lines ``doc_id:sha256\\n``, sorted by doc_id, in UTF-8."""
    lines = "".join(f"{doc_id}:{sha}\n" for doc_id, sha in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _run_date(when: dt.datetime | None) -> str:
    if when is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        else:
            when = dt.datetime.now(dt.UTC)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"run_date {when.isoformat()} has no time zone; give an aware datetime")
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collect(
    *,
    corpus_files: Mapping[str, bytes | str],
    lexicon_sha256: str,
    lexicon_source: str,
    run_date: dt.datetime | None = None,
    repo_root: str | os.PathLike | None = None,
) -> Provenance:
    """Gather the provenance of a run.

    Parameters
    ----------
    corpus_files
        doc_id -> the document's bytes, or its sha256 as 64 hex digits.
    lexicon_sha256, lexicon_source
        ``Lexicon.sha256`` and ``Lexicon.source``.
    run_date
        An aware datetime; ``None`` means ``$SOURCE_DATE_EPOCH`` or now.
    repo_root
        Repository to ask git about; defaults to :data:`analysis.config.REPO_ROOT`.

    Raises
    ------
    ValueError
        For a corpus hash that is neither bytes nor 64 hex digits, a lexicon
        hash that is not 64 hex digits, or a naive *run_date*.
    """
    hashes = {doc_id: _sha256(doc_id, v) for doc_id, v in corpus_files.items()}
    commit, dirty = git_state(repo_root)
    return Provenance(
        package=PACKAGE,
        version=package_version(),
        commit=commit,
        dirty=dirty,
        corpus_files=tuple(sorted(hashes.items())),
        corpus_sha256=corpus_digest(hashes),
        lexicon_source=lexicon_source,
        lexicon_sha256=_sha256("lexicon", lexicon_sha256),
        run_date=_run_date(run_date),
    )


def provenance_line(p: Provenance) -> str:
    """One line for people: version, short commit, corpus and lexicon hashes, run date.

    Hashes are shortened to 12 hex digits and the commit to 7; the full
    values are in :func:`to_json`. The lexicon is named by its file name.
    """
    if p.commit == UNKNOWN:
        commit = "commit unknown"
    else:
        commit = f"commit {p.commit[:7]}" + (" (dirty)" if p.dirty else "")
    n = len(p.corpus_files)
    files = "1 file" if n == 1 else f"{n} files"
    lexicon = Path(p.lexicon_source).name or p.lexicon_source
    return " · ".join(
        [
            f"{p.package} {p.version}",
            commit,
            f"corpus: {files}, sha256 {p.corpus_sha256[:12]}",
            f"lexicon {lexicon} sha256 {p.lexicon_sha256[:12]}",
            f"run {p.run_date}",
        ]
    )


def _as_dict(p: Provenance) -> dict:
    return {
        "package": p.package,
        "version": p.version,
        "commit": p.commit,
        "dirty": p.dirty,
        "corpus_files": dict(p.corpus_files),
        "corpus_sha256": p.corpus_sha256,
        "lexicon_source": p.lexicon_source,
        "lexicon_sha256": p.lexicon_sha256,
        "run_date": p.run_date,
    }


def to_json(p: Provenance) -> str:
    """The provenance as indented JSON with sorted keys, ending in a newline."""
    return json.dumps(_as_dict(p), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Provenance:
    """Read back :func:`to_json` (or the ``provenance`` object of a sidecar)."""
    d = json.loads(text)
    d = d.get("provenance", d)
    return Provenance(**{**d, "corpus_files": tuple(sorted(d["corpus_files"].items()))})


def sidecar_path(csv_path: str | os.PathLike) -> Path:
    """``results/x.csv`` -> ``results/x.csv.meta.json``."""
    path = Path(csv_path)
    return path.with_name(path.name + ".meta.json")


def sidecar_json(p: Provenance, table_sha256: str) -> str:
    """The sidecar for the CSV whose sha256 is *table_sha256* (hex), sorted keys.

    That is ``{"provenance": {...}, "table_sha256": ...}``.

    The text is what ``json.dumps(doc, sort_keys=True, indent=2)`` writes, but the
    provenance, the same in every sidecar of a run, is encoded once
    (:func:`_nested_json`): it lists every corpus file, 1 MB of JSON for 8,400 articles.
    """
    digest = json.dumps(table_sha256)
    return f'{{\n  "provenance": {_nested_json(p)},\n  "table_sha256": {digest}\n}}\n'


@functools.lru_cache(maxsize=2)
def _nested_json(p: Provenance) -> str:
    """:func:`to_json`'s object one level deeper, as ``json.dumps`` nests it.

    JSON strings hold no raw line break, so every line break is between items.
    """
    text = json.dumps(_as_dict(p), sort_keys=True, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n  ")
