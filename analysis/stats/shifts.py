"""Frame shifts: how each frame's and each framing term's rate changes from group b to group a.

Input is a per-document count table, :func:`analysis.text.framing.term_counts` (one
row per document and lexicon entry) or :func:`analysis.text.framing.frame_counts`
(one row per document and frame). By default group a is ``phase == "post"``
and group b ``phase == "pre"``.

Decisions
---------
* Rates are pooled, as in :func:`analysis.text.framing.by_group`: hits and word
  tokens are summed over the group's documents, and the rate is hits per 1,000
  tokens. ``diff`` is ``rate_a - rate_b``.
* ``log_ratio`` is Hardie's Log Ratio from :func:`analysis.stats.keyness.log_ratio`
  (a zero count counts as 0.5) and ``g2`` Dunning's G² from
  :func:`analysis.stats.keyness.g2` on the term's hits against the group's other
  tokens; ``p`` is its chi-square tail with 1 df.
* The 95% interval ``lr_low``–``lr_high`` of the Log Ratio is exact and
  conditional on the total number of hits ``m = count_a + count_b``: if both
  counts are Poisson, ``count_a`` is binomial with
  ``π = R·total_a / (R·total_a + total_b)``, where ``R`` is the rate ratio. The
  Clopper–Pearson interval of ``π`` is mapped back to
  ``R = π/(1-π) · total_b/total_a`` and to log2. It holds for small counts,
  where the normal approximation does not. It needs no stand-in for zeros, so a
  term absent from group a has ``lr_low = -inf`` (and absent from b,
  ``lr_high = +inf``): the data give no bound on that side. The 0.5 of the point
  estimate always lies inside the interval. With a handful of hits G² is
  anti-conservative next to this interval: 3 hits against 0 in groups of 50 and
  86 words give p = 0.013 while the interval still includes 0.
* A row with no hits in either group is kept, so every lexicon entry appears,
  with ``g2 = 0``, ``p = 1``, NaN Log Ratio and interval; it is left out of the
  Benjamini–Hochberg adjustment and gets ``p_adj = 1``. ``p_adj`` adjusts over
  the rows of one table, so frames and terms are separate families.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.stats.keyness import Correction, bh_adjust, g2, g2_p, group_labels, log_ratio

SHIFT_STATS = [
    "group_a",
    "group_b",
    "count_a",
    "count_b",
    "docs_a",
    "docs_b",
    "total_a",
    "total_b",
    "rate_a",
    "rate_b",
    "diff",
    "log_ratio",
    "lr_low",
    "lr_high",
    "g2",
    "p",
    "p_adj",
]


def log_ratio_ci(
    count_a, count_b, total_a, total_b, *, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact conditional (Clopper–Pearson) interval of the Log Ratio ``log2(rate_a/rate_b)``.

    Returns
    -------
    (low, high) : arrays; ``-inf``/``+inf`` where count a/b is 0, NaN where both are.
    """
    # betaincinv(a, b, q) is the Beta(a, b) quantile, bit for bit the same as
    # scipy.stats.beta.ppf (a test checks), without importing scipy.stats (0.5 s).
    from scipy.special import betaincinv

    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    k, other, ta, tb = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (count_a, count_b, total_a, total_b))
    )
    m = k + other
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k == 0, 0.0, betaincinv(k, other + 1, tail))
        high = np.where(other == 0, 1.0, betaincinv(k + 1, other, 1 - tail))
        scale = tb / ta
        out_low = np.log2(low / (1 - low) * scale)
        out_high = np.log2(high / (1 - high) * scale)
    return np.where(m == 0, np.nan, out_low), np.where(m == 0, np.nan, out_high)


def shifts(
    counts: pd.DataFrame,
    *,
    keys: Sequence[str] | None = None,
    by: str = "phase",
    a="post",
    b="pre",
    docs: pd.DataFrame | None = None,
    level: float = 0.95,
    correction: Correction = "none",
) -> pd.DataFrame:
    """Rates in groups a and b, their difference, Log Ratio with interval, G² and adjusted p.

    Parameters
    ----------
    counts : :func:`analysis.text.framing.term_counts` or :func:`analysis.text.framing.frame_counts`
        (doc_id, frame, [term,] count, n_tokens, and *by* unless *docs* is given)
    keys : columns naming a row of the result; default ``frame`` and ``term``
        when *counts* has a ``term`` column, else ``frame``
    by : grouping column, in *counts* or in *docs*
    a, b : values of *by* for the target and reference groups; ``b=None`` is
        every other document with a value (labelled ``not <a>``)
    docs : documents table (doc_id, *by*), when *by* is not a column of *counts*
    level : coverage of the Log Ratio interval
    correction : ``"none"``, ``"yates"`` or ``"williams"`` for G²

    Returns
    -------
    DataFrame
        *keys*, then :data:`SHIFT_STATS`: group_a, group_b, count_a, count_b,
        docs_a, docs_b (documents with a hit), total_a, total_b (word tokens),
        rate_a, rate_b (per 1,000 tokens), diff, log_ratio, lr_low, lr_high, g2,
        p, p_adj. Rows in the order of *counts*.
    """
    if keys is None:
        keys = ["frame", "term"] if "term" in counts.columns else ["frame"]
    keys = list(keys)
    label = group_labels(counts if docs is None else docs, by, a, b)
    b_name = f"not {a}" if b is None else b
    rows = counts[counts["doc_id"].isin(label.index)]
    group = rows["doc_id"].map(label).to_numpy()
    totals = rows.assign(_group=group).drop_duplicates("doc_id").groupby("_group")["n_tokens"].sum()
    for name in (a, b_name):
        if totals.get(name, 0) == 0:
            raise ValueError(f"group {by} = {name!r} has no word tokens")
    in_a, hit = group == a, (rows["count"] > 0).to_numpy()
    out = (
        rows[keys]
        .assign(
            count_a=np.where(in_a, rows["count"], 0),
            count_b=np.where(in_a, 0, rows["count"]),
            docs_a=in_a & hit,
            docs_b=~in_a & hit,
        )
        .groupby(keys, sort=False)
        .sum()
        .reset_index()
        .astype({"docs_a": np.int64, "docs_b": np.int64})
    )
    ca, cb = out["count_a"].to_numpy(), out["count_b"].to_numpy()
    ta, tb = int(totals[a]), int(totals[b_name])
    out = out.assign(group_a=a, group_b=b_name, total_a=ta, total_b=tb)
    out["rate_a"] = 1000 * ca / ta
    out["rate_b"] = 1000 * cb / tb
    out["diff"] = out["rate_a"] - out["rate_b"]
    out["log_ratio"] = log_ratio(ca, cb, ta, tb)
    out["lr_low"], out["lr_high"] = log_ratio_ci(ca, cb, ta, tb, level=level)
    out["g2"] = g2(ca, cb, ta, tb, correction=correction)
    out["p"] = g2_p(out["g2"])
    tested = (ca + cb) > 0
    out["p_adj"] = 1.0
    out.loc[tested, "p_adj"] = bh_adjust(out.loc[tested, "p"])
    return out[[*keys, *SHIFT_STATS]]
