"""Framing and sentiment over time: one row per period (week or month).

With many documents a pre/post split hides when a change happened. These
tables pool counts per period, so a figure can show frame rates and mean
sentiment week by week (or month by month) with the event marked.

When the corpus names an event, periods are counted outwards from it, so no
period mixes articles from before and after the event: post-event periods
start the day after the event ends, pre-event periods end the day before it
starts, and the event's own days form one period ("during"). A "week" is 7
days and a "month" 30 days. Without an event, periods are calendar weeks
(Monday to Sunday) and calendar months. Each row gives the period's first and
last day and its midpoint, where figures plot it. ``freq="auto"`` uses weeks
when the corpus spans at most 26 weeks, and months beyond.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis.types import Event

Freq = Literal["auto", "week", "month"]


def choose_freq(dates: pd.Series, freq: Freq = "auto") -> Literal["week", "month"]:
    """Resolve ``auto`` to ``week`` (span of 26 weeks or less) or ``month``."""
    if freq != "auto":
        return freq
    d = pd.to_datetime(dates.dropna())
    return "week" if d.empty or (d.max() - d.min()).days <= 26 * 7 else "month"


def assign_periods(
    dates: pd.Series, freq: Literal["week", "month"], event: Event | None = None
) -> pd.DataFrame:
    """Each date's period: columns period_start, period_end (inclusive), period_mid."""
    d = pd.to_datetime(dates).dt.normalize()
    if event is None:
        code = "W-SUN" if freq == "week" else "M"
        periods = d.dt.to_period(code)
        start, end = periods.dt.start_time.dt.normalize(), periods.dt.end_time.dt.normalize()
    else:
        days = 7 if freq == "week" else 30
        ev_start, ev_end = pd.Timestamp(event.start), pd.Timestamp(event.end)
        after = (d - ev_end).dt.days - 1  # 0 on the day after the event
        before = (ev_start - d).dt.days - 1  # 0 on the day before the event
        post_start = ev_end + pd.to_timedelta(1 + (after // days) * days, unit="D")
        pre_end = ev_start - pd.to_timedelta(1 + (before // days) * days, unit="D")
        step = pd.Timedelta(days=days - 1)
        start = post_start.where(d > ev_end, (pre_end - step).where(d < ev_start, ev_start))
        end = (post_start + step).where(d > ev_end, pre_end.where(d < ev_start, ev_end))
    mid = start + (end - start) / 2
    return pd.DataFrame(
        {"period_start": start.dt.date, "period_end": end.dt.date, "period_mid": mid},
        index=dates.index,
    )


def _periods_by_doc(docs: pd.DataFrame, freq: Freq, event: Event | None):
    dated = docs.dropna(subset=["date"])
    resolved = choose_freq(dated["date"], freq)
    periods = assign_periods(dated["date"], resolved, event)
    periods.index = dated["doc_id"].to_numpy()
    return periods, resolved


PERIOD_COLUMNS = ["period_start", "period_end", "period_mid", "freq"]


def _with_periods(table: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    return table.join(periods, on="doc_id", how="inner")


def frame_rates_by_period(
    frames: pd.DataFrame, docs: pd.DataFrame, *, event: Event | None = None, freq: Freq = "auto"
) -> pd.DataFrame:
    """Pool a per-document frame table (:func:`analysis.text.framing.frame_counts`) by period.

    Returns
    -------
    DataFrame
        period_start, period_end, period_mid, freq, frame, n_docs, count,
        n_tokens, rate_per_1k.
    """
    cols = [*PERIOD_COLUMNS, "frame", "n_docs", "count", "n_tokens", "rate_per_1k"]
    if docs["date"].isna().all() or frames.empty:
        return pd.DataFrame(columns=cols)
    periods, resolved = _periods_by_doc(docs, freq, event)
    table = _with_periods(frames, periods)
    keys = ["period_start", "period_end", "period_mid"]
    tokens = table.drop_duplicates("doc_id").groupby("period_start")["n_tokens"].sum()
    out = (
        table.groupby([*keys, "frame"])
        .agg(n_docs=("doc_id", "nunique"), count=("count", "sum"))
        .reset_index()
    )
    out["n_tokens"] = out["period_start"].map(tokens).astype(int)
    out["rate_per_1k"] = np.where(out["n_tokens"] > 0, 1000 * out["count"] / out["n_tokens"], 0.0)
    out["freq"] = resolved
    return out[cols]


def mean_by_period(
    values: pd.DataFrame,
    docs: pd.DataFrame,
    *,
    value: str = "compound",
    event: Event | None = None,
    freq: Freq = "auto",
) -> pd.DataFrame:
    """Mean of *value* (e.g. sentence sentiment) per period, over rows keyed by doc_id.

    Returns
    -------
    DataFrame
        period_start, period_end, period_mid, freq, n (rows), n_docs, mean, sd.
    """
    cols = [*PERIOD_COLUMNS, "n", "n_docs", "mean", "sd"]
    if docs["date"].isna().all() or values.empty:
        return pd.DataFrame(columns=cols)
    periods, resolved = _periods_by_doc(docs, freq, event)
    table = _with_periods(values, periods)
    out = (
        table.groupby(["period_start", "period_end", "period_mid"])
        .agg(
            n=(value, "size"),
            n_docs=("doc_id", "nunique"),
            mean=(value, "mean"),
            sd=(value, "std"),
        )
        .reset_index()
    )
    out["freq"] = resolved
    return out[cols]
