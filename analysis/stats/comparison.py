"""Group A against group B: keyness, frame and term shifts, and sentiment shifts.

The default comparison is post-event against pre-event articles (``by="phase"``,
``a="post"``, ``b="pre"``); any document column works the same way (outlet,
doc_id, a manifest column), and ``b=None`` compares *a* with every other
document. When either group of the default comparison has no documents (a
corpus with only pre-event articles, say), every table comes back empty with
its columns, and :func:`missing_groups` says why, so the report can state it
instead of failing. A comparison the user asked for (``required=True``) whose
groups are missing is an error instead (:func:`check_groups`): an empty result
would look like a finding of no difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.errors import OptionError
from analysis.stats import keyness, shifts
from analysis.stats import resampling as stats


@dataclass(frozen=True)
class Comparison:
    """Which documents are compared: column *by*, target *a*, reference *b* (None: the rest).

    *required*: a missing or empty group is an error (:func:`check_groups`)
    rather than empty tables.
    """

    by: str = "phase"
    a: str = "post"
    b: str | None = "pre"
    required: bool = False

    @property
    def b_label(self) -> str:
        return f"not {self.a}" if self.b is None else self.b

    def describe(self) -> str:
        return f"{self.by} = {self.a} (A) against {self.by} = {self.b_label} (B)"


def missing_groups(docs: pd.DataFrame, comparison: Comparison) -> list[str]:
    """The compared groups that have no document, as ``"by = value"`` strings."""
    if comparison.by not in docs.columns:
        return [f"no document column {comparison.by!r}"]
    values = docs[comparison.by].astype(str)
    missing = [] if (values == str(comparison.a)).any() else [f"{comparison.by} = {comparison.a}"]
    rest = values != str(comparison.a)
    if comparison.b is None:
        others = rest & docs[comparison.by].notna() & (values != "")
    else:
        others = values == str(comparison.b)
    if not others.any():
        missing.append(f"{comparison.by} = {comparison.b_label}")
    return missing


def groups_found(docs: pd.DataFrame, by: str) -> str:
    """The values of document column *by* with their document counts, for a message."""
    if by not in docs.columns:
        return "document columns are " + ", ".join(map(str, docs.columns))
    counts = docs[by].fillna("").astype(str).value_counts().sort_index()
    found = [f"{v!r} ({n} {'document' if n == 1 else 'documents'})" for v, n in counts.items()]
    return f"{by} values found: " + ", ".join(found)


def check_groups(docs: pd.DataFrame, comparison: Comparison) -> None:
    """Raise :class:`~analysis.errors.OptionError` naming the groups found if a group is empty."""
    if comparison.by not in docs.columns:
        raise OptionError(
            "--compare-by",
            f"there is no document column {comparison.by!r}; {groups_found(docs, comparison.by)}",
        )
    missing = missing_groups(docs, comparison)
    if missing:
        raise OptionError(
            "--compare-by",
            f"no documents for {' or '.join(missing)}; {groups_found(docs, comparison.by)}",
        )


SENTIMENT_SHIFT_COLUMNS = [
    "unit",
    "scope",
    "group_a",
    "group_b",
    *stats.MeanDifference._fields,
    "too_few",
]


def sentiment_shifts(
    units: dict[str, pd.DataFrame], docs: pd.DataFrame, comparison: Comparison
) -> pd.DataFrame:
    """Difference in mean compound (A minus B) for each kind of unit, overall and per side.

    *units* maps a unit name ("sentences", "utterances") to a table with doc_id,
    compound and, for utterances, side; each is compared overall and, where it
    has a ``side`` column, within each side. When either group has no documents the
    table is empty (see :func:`missing_groups`).
    """
    if missing_groups(docs, comparison):
        return pd.DataFrame(columns=SENTIMENT_SHIFT_COLUMNS)
    parts = []
    labels = keyness.group_labels(docs, comparison.by, comparison.a, comparison.b)
    for unit, table in units.items():
        if table.empty:
            continue
        within = "side" if "side" in table.columns else None
        # only the columns compared: each side's rows are copied, and units hold the text
        read = ["doc_id", "compound", *([within] if within else [])]
        rows = table[read].assign(_group=table["doc_id"].map(labels)).dropna(subset=["_group"])
        out = stats.sentiment_shift(
            rows, by="_group", a=comparison.a, b=comparison.b_label, within=within
        )
        parts.append(out.assign(unit=unit, group_a=comparison.a, group_b=comparison.b_label))
    if not parts:
        return pd.DataFrame(columns=SENTIMENT_SHIFT_COLUMNS)
    return pd.concat(parts, ignore_index=True)[SENTIMENT_SHIFT_COLUMNS]


def compare(
    terms: pd.DataFrame,
    docs: pd.DataFrame,
    term_table: pd.DataFrame,
    frame_table: pd.DataFrame,
    comparison: Comparison | None = None,
) -> dict[str, pd.DataFrame]:
    """``keyness``, ``frame_shifts``, ``term_shifts`` and ``findings``.

    *terms* is the per-document term summary (:func:`analysis.text.terms.document_terms`)
    that keyness is reduced from (:func:`analysis.stats.keyness.keyness_from_terms`).
    The fifth comparison table, :func:`sentiment_shifts`, is computed on its own: it
    resamples, so the report runs it beside these (:mod:`analysis.run.pipeline`).
    """
    comparison = comparison or Comparison()
    if comparison.required:
        check_groups(docs, comparison)
    if missing_groups(docs, comparison):
        return {
            "keyness": pd.DataFrame(columns=keyness.COLUMNS),
            "frame_shifts": pd.DataFrame(columns=["frame", *shifts.SHIFT_STATS]),
            "term_shifts": pd.DataFrame(columns=["frame", "term", *shifts.SHIFT_STATS]),
            "findings": pd.DataFrame(columns=FINDING_COLUMNS),
        }
    kw = {"by": comparison.by, "a": comparison.a, "b": comparison.b, "docs": docs}
    term_shifts = shifts.shifts(term_table, **kw)
    return {
        "keyness": keyness.keyness_from_terms(
            terms, docs, by=comparison.by, a=comparison.a, b=comparison.b
        ),
        "frame_shifts": shifts.shifts(frame_table, **kw),
        "term_shifts": term_shifts,
        "findings": findings(term_shifts),
    }


FINDING_COLUMNS = [
    "frame",
    "term",
    "key_in",
    "count_a",
    "count_b",
    "rate_a",
    "rate_b",
    "g2",
    "log_ratio",
    "lr_low",
    "lr_high",
    "p",
    "p_adj",
    "significant",
    "statement",
]


def findings(term_shifts: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """One plain sentence per framing-lexicon term used in either group, significant or not.

    Each says where the term is key, its counts, G², Log Ratio and
    Benjamini–Hochberg adjusted p, and whether it reaches significance after
    that correction at *alpha*. Rows are ordered by G², largest first.
    """
    used = term_shifts[(term_shifts["count_a"] + term_shifts["count_b"]) > 0]
    if used.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = used.sort_values(["g2", "term"], ascending=[False, True]).copy()
    # by the rates, not the sign of Log Ratio: with a zero count replaced by 0.5,
    # a much smaller group can get the wrong sign
    out["key_in"] = [
        r.group_a if r.rate_a > r.rate_b else r.group_b if r.rate_a < r.rate_b else "neither"
        for r in out.itertuples()
    ]
    out["significant"] = out["p_adj"] < alpha
    out["statement"] = [
        f"'{r.term}' ({r.frame}): {r.count_a} {'hit' if r.count_a == 1 else 'hits'} in "
        f"{r.group_a}, {r.count_b} in {r.group_b}; "
        f"higher rate in {r.key_in}; G² = {r.g2:.2f}, Log Ratio = {r.log_ratio:+.2f}, "
        f"adjusted p = {r.p_adj:.3f}: "
        + (
            "significant after Benjamini–Hochberg correction"
            if r.significant
            else "not significant after Benjamini–Hochberg correction"
        )
        for r in out.itertuples()
    ]
    return out[FINDING_COLUMNS].reset_index(drop=True)
