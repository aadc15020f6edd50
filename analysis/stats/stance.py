"""Stance tables over the corpus: per speaker and side toward each target, and shifts.

Input is the concatenated :func:`analysis.stance.rows.stance_mentions` of every
document. The unit is one target mention; ``stance`` is ``p_positive - p_negative``
(-1 to +1). Mentions of one utterance or article are not independent draws, so
intervals and p-values describe these texts, as for sentence sentiment.

Decisions
---------
* **Groups.** ``stance_by_speaker`` has ``level == "speaker"`` rows per (speaker,
  target) and ``level == "side"`` rows per (speaker side, target), each over all
  documents (``phase == "all"``) and per phase. Mentions outside every utterance are
  the speaker and side ``(article)``, the outlet's own voice; utterances whose speaker
  was not resolved count in their side (``unknown``) only.
* **Uncertainty** comes from :mod:`analysis.stats.resampling`: the 95% percentile
  bootstrap interval of the mean with its fixed seed (the resamples of
  ``bootstrap_ci``, drawn once per group size and once per distinct group, see
  :func:`_mean_cis`), ``too_few`` below 3 mentions;
  shifts take the bootstrap interval of the difference and a two-sided permutation
  p-value, and Benjamini–Hochberg (:func:`analysis.stats.keyness.bh_adjust`) adjusts
  p over the family of side × target rows where both groups have mentions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats import keyness
from analysis.stats import resampling as stats
from analysis.stats.comparison import Comparison, missing_groups

STANCE_COLUMNS = [
    "doc_id",
    "utterance_id",
    "speaker",
    "speaker_side",
    "target",
    "target_side",
    "start",
    "end",
    "label",
    "p_negative",
    "p_neutral",
    "p_positive",
    "phase",
    "stance",
    "sentence_id",
    "left",
    "mention",
    "right",
]
BY_SPEAKER_COLUMNS = [
    "level",
    "speaker",
    "speaker_side",
    "target",
    "target_side",
    "phase",
    "n",
    "mean_stance",
    "ci_low",
    "ci_high",
    "share_negative",
    "share_positive",
    "too_few",
]
SHIFT_COLUMNS = [
    "speaker_side",
    "target",
    "target_side",
    "group_a",
    "group_b",
    *stats.MeanDifference._fields,
    "p_adj",
    "too_few",
]
ALL_PHASES = "all"
#: Bootstrap resamples of every interval (resampling's default).
N_BOOT = 9999
#: Coverage of every interval.
LEVEL = 0.95
#: Groups of one size whose resampled means are computed at once (see _small_mean_cis).
_SLICE = 32


def stance_table(mentions: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``stance.csv``: every target mention with its document's phase (:data:`STANCE_COLUMNS`)."""
    out = mentions.merge(docs[["doc_id", "phase"]], on="doc_id", how="left")
    out["phase"] = out["phase"].fillna("")
    return out[STANCE_COLUMNS]


def _sorted_groups(df: pd.DataFrame, keys: list[str], **groupby):
    """The groups of *df* by *keys* as numpy slices, without a pandas object per group.

    Returns ``(index, order, bounds)``: the sorted group keys, and the row order that
    lists each group's rows together in their original order, so that group ``g`` is
    ``df.iloc[order[bounds[g]:bounds[g + 1]]]`` (rows with a missing key are left out
    unless ``dropna=False``).
    """
    grouped = df.groupby(keys, sort=True, **groupby)
    index = grouped.size().index
    codes = grouped.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    bounds = np.searchsorted(codes[order], np.arange(len(index) + 1))
    return index, order, bounds


def _summarise(stance: pd.DataFrame, keys: list[str], min_n: int):
    """n, mean, too_few and the label shares per group of *keys*, and each group's values.

    The bootstrap intervals are left to :func:`_mean_cis`, which shares them between
    the speaker and side rows.
    """
    columns = [*keys, "n", "mean", "too_few", "share_negative", "share_positive"]
    if stance.empty:
        return pd.DataFrame(columns=columns), []
    index, order, bounds = _sorted_groups(stance, keys, dropna=False)
    values = stance["stance"].to_numpy(dtype=float)[order]
    # compared as Arrow text, not as a Python string per row
    negative = (stance["label"] == "negative").to_numpy(dtype=bool)[order]
    positive = (stance["label"] == "positive").to_numpy(dtype=bool)[order]
    parts = [slice(bounds[g], bounds[g + 1]) for g in range(len(index))]
    out = index.to_frame(index=False)
    out["n"] = n = np.diff(bounds)
    # counts over n: the very floats of each group's mean of booleans
    out["share_negative"] = np.add.reduceat(negative, bounds[:-1], dtype=np.int64) / n
    out["share_positive"] = np.add.reduceat(positive, bounds[:-1], dtype=np.int64) / n
    groups = [values[p] for p in parts]
    # ndarray.mean's own sum and division, without its Python wrapper per group
    out["mean"] = [float(np.add.reduce(g)) / g.size for g in groups]
    out["too_few"] = out["n"] < min_n
    return out[columns], groups


def _small_mean_cis(groups: list[np.ndarray]) -> np.ndarray:
    """95% percentile bootstrap intervals of the means of *groups*, all of one size.

    The resamples are those of :func:`analysis.stats.resampling.bootstrap_ci`: one
    ``default_rng(SEED)`` per size draws the ``(N_BOOT, size)`` indices, which every group
    of that size shares. A resampled mean adds the drawn values one index column at a
    time, in order, and divides by the size, so each group's numbers depend on its values
    alone, never on which groups are computed with it; they can differ from
    ``bootstrap_ci`` in the last bit only (numpy sums 8 or more values pairwise).
    Groups go in slices of :data:`_SLICE` so the resampled means stay in the CPU cache.
    """
    size = groups[0].size
    idx = np.random.default_rng(stats.SEED).integers(0, size, size=(N_BOOT, size))
    columns = np.ascontiguousarray(idx.T)
    values = np.stack(groups)
    out = np.empty((len(groups), 2))
    for start in range(0, len(groups), _SLICE):
        part = values[start : start + _SLICE]
        total = np.take(part, columns[0], axis=1)
        drawn = np.empty_like(total)
        for column in columns[1:]:
            np.take(part, column, axis=1, out=drawn)
            total += drawn
        total /= size
        bounds = np.quantile(
            total, [(1 - LEVEL) / 2, (1 + LEVEL) / 2], axis=1, overwrite_input=True
        )
        out[start : start + _SLICE] = bounds.T
    return out


def _mean_cis(groups: list[np.ndarray]) -> np.ndarray:
    """95% bootstrap intervals of the means of *groups*, each distinct group computed once.

    A speaker's mentions in one phase are often all its mentions, and a side's toward a
    target often one speaker's, so many groups share their values (on PolNeAR train,
    2,844 distinct among 8,029 groups of 2 to 200 mentions). Fewer than two values give
    NaN. Groups up to :data:`analysis.stats.resampling._CHUNK_VALUES` ``/ N_BOOT`` values
    are resampled together by size (:func:`_small_mean_cis`); larger ones, which
    ``bootstrap_ci`` resamples in chunks, go to ``bootstrap_ci`` itself. Both are memoised
    per group across runs (:func:`analysis.stats.resampling.memoised_intervals`): a
    group's interval depends on its values alone, so an unchanged group is not
    resampled again.
    """
    out = np.full((len(groups), 2), np.nan)
    distinct: dict[bytes, list[int]] = {}
    for g, x in enumerate(groups):
        if x.size >= 2:
            distinct.setdefault(x.tobytes(), []).append(g)
    by_size: dict[int, list[bytes]] = {}
    for key, members in distinct.items():
        by_size.setdefault(groups[members[0]].size, []).append(key)
    for size, keys in sorted(by_size.items()):
        if stats._CHUNK_VALUES // size < N_BOOT:
            cis = [stats.bootstrap_ci(groups[distinct[k][0]], n_boot=N_BOOT) for k in keys]
        else:
            small = [groups[distinct[k][0]] for k in keys]
            cis = stats.memoised_rows(
                [stats.memo_key("stance-ci", (x,), N_BOOT, LEVEL, stats.SEED) for x in small],
                lambda todo, small=small: _small_mean_cis([small[i] for i in todo]),
            )
        for key, ci in zip(keys, cis, strict=True):
            out[distinct[key]] = ci
    return out


def stance_by_speaker(stance: pd.DataFrame, *, min_n: int = 3) -> pd.DataFrame:
    """``stance_by_speaker.csv``: mean stance per speaker or side toward each target.

    Parameters
    ----------
    stance : :func:`stance_table`.
    min_n : groups with fewer mentions are flagged ``too_few``.

    Returns
    -------
    DataFrame
        :data:`BY_SPEAKER_COLUMNS`: level (``speaker`` or ``side``), speaker (``""``
        on side rows), speaker_side, target, target_side, phase (``all`` or a
        phase), n, mean_stance, ci_low, ci_high (95% bootstrap), share_negative,
        share_positive (shares of mentions labelled so), too_few.
    """
    speaker_keys = ["speaker", "speaker_side", "target", "target_side", "phase"]
    side_keys = ["speaker_side", "target", "target_side", "phase"]
    used = stance[[*speaker_keys, "stance", "label"]]  # not the sentences: less to copy
    both = pd.concat([used.assign(phase=ALL_PHASES), used], ignore_index=True)
    named = both[both["speaker"].fillna("") != ""]
    speakers, speaker_groups = _summarise(named, speaker_keys, min_n)
    sides, side_groups = _summarise(both, side_keys, min_n)
    parts = [speakers.assign(level="speaker"), sides.assign(level="side", speaker="")]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=BY_SPEAKER_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out[["ci_low", "ci_high"]] = _mean_cis(speaker_groups + side_groups)
    out = out.rename(columns={"mean": "mean_stance"})
    return out[BY_SPEAKER_COLUMNS].astype({"n": int, "too_few": bool})


def stance_shifts(
    stance: pd.DataFrame,
    docs: pd.DataFrame,
    comparison: Comparison | None = None,
    *,
    min_n: int = 3,
) -> pd.DataFrame:
    """``stance_shifts.csv``: change in mean stance, group A minus B, per side × target.

    *comparison* chooses the groups of documents (default: post against pre). Rows
    are every (speaker side, target) with mentions in A or B; ``too_few`` when either
    group has fewer than *min_n*. ``p_adj`` is Benjamini–Hochberg over the rows with
    a p-value; the others are NaN.

    Returns
    -------
    DataFrame
        :data:`SHIFT_COLUMNS`.
    """
    comparison = comparison or Comparison()
    if stance.empty or missing_groups(docs, comparison):
        return pd.DataFrame(columns=SHIFT_COLUMNS)
    labels = keyness.group_labels(docs, comparison.by, comparison.a, comparison.b)
    keys = ["speaker_side", "target", "target_side"]
    rows = stance[[*keys, "stance"]].assign(_group=stance["doc_id"].map(labels))
    rows = rows.dropna(subset=["_group"])
    index, order, bounds = _sorted_groups(rows, keys)
    values = rows["stance"].to_numpy(dtype=float)[order]
    groups = rows["_group"].to_numpy()[order]
    out = []
    for g, key in enumerate(index):
        part = slice(bounds[g], bounds[g + 1])
        result = stats.mean_difference(
            values[part][groups[part] == comparison.a],
            values[part][groups[part] == comparison.b_label],
        )
        out.append(
            {
                **dict(zip(keys, key, strict=True)),
                "group_a": comparison.a,
                "group_b": comparison.b_label,
                **result._asdict(),
                "too_few": min(result.n_a, result.n_b) < min_n,
            }
        )
    table = pd.DataFrame(out)
    tested = table["p_perm"].notna().to_numpy()
    table["p_adj"] = np.nan
    table.loc[tested, "p_adj"] = keyness.bh_adjust(table.loc[tested, "p_perm"].to_numpy())
    return table[SHIFT_COLUMNS].astype({"n_a": int, "n_b": int, "too_few": bool})


def stance_evidence(
    stance: pd.DataFrame,
    *,
    speaker: str | None = None,
    speaker_side: str | None = None,
    target: str | None = None,
    phase: str | None = None,
    width: int = 80,
) -> pd.DataFrame:
    """The mentions behind a cell of the stance tables, to check by eye.

    Filters left as None keep every value; a *phase* of ``"all"`` keeps every phase.
    Rows come grouped by cell (side, speaker, target), then in reading order.

    Returns
    -------
    DataFrame
        speaker_side, speaker, target, phase, doc_id, label, stance, left, mention,
        right: the mention's sentence around it, at most *width* characters each
        side, white space collapsed.
    """
    rows = stance
    for column, value in (
        ("speaker", speaker),
        ("speaker_side", speaker_side),
        ("target", target),
        ("phase", None if phase == ALL_PHASES else phase),
    ):
        if value is not None:
            rows = rows[rows[column] == value]
    rows = rows.sort_values(["speaker_side", "speaker", "target", "doc_id", "start"])
    cols = ["speaker_side", "speaker", "target", "phase", "doc_id", "label", "stance"]
    return rows.assign(
        left=[" ".join(t[-width:].split()) for t in rows["left"]],
        right=[" ".join(t[:width].split()) for t in rows["right"]],
    )[[*cols, "left", "mention", "right"]].reset_index(drop=True)
