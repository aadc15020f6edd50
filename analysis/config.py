"""Where things live: every default path of the suite comes from here.

The corpus folder can be overridden per call (``--corpus DIR`` on the command
line) or for a whole session with the ``ANALYSIS_CORPUS`` environment variable,
which is how the notebooks are pointed at another corpus without editing them.
Outputs go to ``--out DIR`` (``ANALYSIS_OUT``), whose ``results/`` and
``figures/`` sub-folders receive tables and figures.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"

#: Files a corpus folder may hold besides its articles.
CORPUS_CONFIG = "corpus.toml"
MANIFEST = "manifest.csv"
CORPUS_SIDE_FILES = frozenset({CORPUS_CONFIG, MANIFEST, "README.md"})


def corpus_dir(path: str | os.PathLike | None = None) -> Path:
    """Return the corpus folder: *path*, else ``$ANALYSIS_CORPUS``, else ``seeds/``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("ANALYSIS_CORPUS")
    return Path(env) if env else SEEDS_DIR


def out_dir(path: str | os.PathLike | None = None) -> Path:
    """Return the output root: *path*, else ``$ANALYSIS_OUT``, else the repository root."""
    if path is not None:
        return Path(path)
    env = os.environ.get("ANALYSIS_OUT")
    return Path(env) if env else REPO_ROOT


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
