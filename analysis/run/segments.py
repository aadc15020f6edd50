"""Which segment of a stored set each document's rows are read from, and joining them.

A set of the per-document cache (:mod:`analysis.run.cache`) is one or more segments,
each a set of table files holding the rows of some documents under their keys.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.api.types import union_categoricals


def reading_plan(segments: list[dict], keys: Mapping[str, str]) -> list[tuple[dict, frozenset]]:
    """Each segment with the documents read from it, leaving out segments none is read from.

    A document is read from the last segment that holds it under its key in *keys*.
    """
    left, plan = dict(keys), []
    for seg in reversed(segments):
        taken = frozenset(d for d, k in seg["documents"].items() if left.get(d) == k)
        for d in taken:
            del left[d]
        if taken:
            plan.append((seg, taken))
    return plan[::-1]


def planned_documents(plan: list[tuple[dict, frozenset]]) -> frozenset:
    """The documents a :func:`reading_plan` reads, from whichever segment."""
    return frozenset(d for _, taken in plan for d in taken)


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of several segments' tables as one, categorical columns over all categories."""
    if len(parts) == 1:
        return parts[0]
    full = [p for p in parts if len(p)] or parts[:1]
    if len(full) == 1:
        return full[0].reset_index(drop=True)
    columns = list(full[0].columns)
    categorical = [
        c for c in columns if any(isinstance(p[c].dtype, pd.CategoricalDtype) for p in full)
    ]
    out = pd.concat([p.drop(columns=categorical) for p in full], ignore_index=True)
    for c in categorical:
        cats = [
            p[c] if isinstance(p[c].dtype, pd.CategoricalDtype) else p[c].astype("category")
            for p in full
        ]
        first = cats[0].cat.categories
        merged = union_categoricals(cats, sort_categories=first.is_monotonic_increasing)
        out.insert(columns.index(c), c, merged)
    return out
