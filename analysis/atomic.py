"""Replacing a file atomically: write it beside its place under a temporary name, then rename.

Readers see the old file or the new one, never part of one. The temporary file is
``.<name>.<pid>.tmp`` in the same folder, so a folder's cleaner can tell a running
writer's file (its process is alive) from one a killed run left
(:meth:`analysis.report.figure_cache.FigureCache.prune`).
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace *path* with *data* (text is written as UTF-8) in one rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)
