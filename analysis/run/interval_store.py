"""Bootstrap intervals and permutation p-values of the last run, kept for the next.

``<root>/intervals.json`` (beside the per-document cache, :mod:`analysis.run.cache`)
holds the :func:`analysis.stats.resampling.memoised_intervals` entries a run used,
under the code fingerprint it ran with; another code's file is ignored.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

from analysis.run.cache import TMP_PREFIX

#: Bootstrap intervals and permutation p-values of the last run (see :func:`load_intervals`).
INTERVALS = "intervals.json"


def load_intervals(root: Path, code: str) -> dict[str, tuple[float, ...]]:
    """Intervals stored by :func:`store_intervals` under *root* with the same *code* fingerprint.

    These are :func:`analysis.stats.resampling.memoised_intervals` entries: each is
    keyed by a hash of one group's values and the resampling settings. A missing,
    unreadable or other code's file gives ``{}``.
    """
    try:
        data = json.loads((Path(root) / INTERVALS).read_text(encoding="utf-8"))
        if data["code"] != code:
            return {}
        return {k: tuple(float(v) for v in vals) for k, vals in data["intervals"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def store_intervals(root: Path, code: str, intervals: Mapping[str, tuple[float, ...]]) -> None:
    """Write *intervals* for the next run (atomically; floats round-trip exactly in JSON)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f"{TMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}.json"
    data = {"code": code, "intervals": {k: list(v) for k, v in sorted(intervals.items())}}
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, root / INTERVALS)
