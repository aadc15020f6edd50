"""Where things live: every default path of the suite comes from here.

The corpus folder can be overridden per call (``--corpus DIR`` on the command
line) or for a whole session with the ``ANALYSIS_CORPUS`` environment variable,
which is how the notebooks are pointed at another corpus without editing them.
Outputs go to ``--out DIR`` (``ANALYSIS_OUT``), whose ``results/`` and
``figures/`` sub-folders receive tables and figures.

A corpus may also be a URL that `fsspec <https://filesystem-spec.readthedocs.io>`_
can read (``s3://bucket/news``, ``gs://...``, ``memory://...``): :func:`as_path`
turns it into a `universal_pathlib <https://github.com/fsspec/universal_pathlib>`_
``UPath``, which the loader uses like a local folder. That needs the ``cloud``
extra (``pip install '.[cloud]'``) and the protocol's own fsspec package (``s3fs``,
``gcsfs``). Outputs and the cache must be a local or mounted folder: they are
staged in a temporary folder and renamed into place, which object storage cannot
do atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import InputError

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"

#: Files a corpus folder may hold besides its articles.
CORPUS_CONFIG = "corpus.toml"
MANIFEST = "manifest.csv"
CORPUS_SIDE_FILES = frozenset({CORPUS_CONFIG, MANIFEST, "README.md"})


def is_url(path: object) -> bool:
    """Whether *path* is a URL with a protocol (``s3://...``), not a local path."""
    return isinstance(path, str) and "://" in path


def as_path(path: str | os.PathLike):
    """A ``pathlib.Path`` for a local path; a ``UPath`` for a URL (see the module docstring).

    An object that is already a ``UPath`` is returned as it is.

    Raises
    ------
    InputError
        For a URL when ``universal_pathlib`` or the protocol's fsspec package is
        not installed, or the protocol is unknown.
    """
    if not isinstance(path, (str, os.PathLike)):
        return path
    if not is_url(path):
        return Path(path)
    try:
        from upath import UPath

        url = UPath(path)
        url.fs  # noqa: B018 - imports the protocol's filesystem now, to fail early
    except ImportError as exc:
        raise InputError(
            path,
            f"is a URL; reading it needs pip install '.[cloud]' and its protocol's package ({exc})",
        ) from None
    except ValueError as exc:
        raise InputError(path, f"is a URL fsspec cannot open ({exc})") from None
    return url


def corpus_dir(path: str | os.PathLike | None = None):
    """Return the corpus folder: *path*, else ``$ANALYSIS_CORPUS``, else ``seeds/``.

    A URL gives a ``UPath`` (:func:`as_path`), anything else a ``Path``.
    """
    if path is not None:
        return as_path(path)
    env = os.environ.get("ANALYSIS_CORPUS")
    return as_path(env) if env else SEEDS_DIR


def out_dir(path: str | os.PathLike | None = None) -> Path:
    """Return the output root: *path*, else ``$ANALYSIS_OUT``, else the repository root.

    Raises
    ------
    InputError
        For a URL: outputs are renamed into place, so they need a local or mounted folder.
    """
    path = path if path is not None else os.environ.get("ANALYSIS_OUT")
    if path is None:
        return REPO_ROOT
    if is_url(path):
        raise InputError(
            path,
            "outputs need a local or mounted folder (they are staged and renamed into "
            "place, which object storage cannot do); read the corpus from the URL and "
            "write --out to a local folder",
        )
    return Path(path)


def results_dir(root: str | os.PathLike | None = None) -> Path:
    """Folder for CSV tables under the output root."""
    return out_dir(root) / "results"


def figures_dir(root: str | os.PathLike | None = None) -> Path:
    """Folder for PNG/SVG figures under the output root."""
    return out_dir(root) / "figures"


def available_cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or 0 means all available cores; a negative number means all but that many."""
    cores = available_cores()
    if not jobs:
        return cores
    return max(1, cores + jobs) if jobs < 0 else jobs
