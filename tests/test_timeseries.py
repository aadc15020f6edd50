"""Periods around the event, and rates pooled per period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.stats.timeseries import assign_periods, frame_rates_by_period, mean_by_period
from analysis.types import Event

EVENT = Event("Alaska talks", dt.date(2021, 3, 18), dt.date(2021, 3, 19))
D = dt.date


@pytest.mark.parametrize(
    ("date", "freq", "start", "end"),
    [
        # the post-talks article: first week after the event is Mar 20-26
        (D(2021, 3, 20), "week", D(2021, 3, 20), D(2021, 3, 26)),
        (D(2021, 3, 27), "week", D(2021, 3, 27), D(2021, 4, 2)),
        # the pre-talks article: the last week before the event is Mar 11-17
        (D(2021, 3, 11), "week", D(2021, 3, 11), D(2021, 3, 17)),
        (D(2021, 3, 10), "week", D(2021, 3, 4), D(2021, 3, 10)),
        (D(2021, 3, 17), "week", D(2021, 3, 11), D(2021, 3, 17)),
        (D(2021, 3, 19), "week", D(2021, 3, 18), D(2021, 3, 19)),
        # 30-day "months": Mar 20 - Apr 18 is the first after the event
        (D(2021, 4, 18), "month", D(2021, 3, 20), D(2021, 4, 18)),
        (D(2021, 4, 19), "month", D(2021, 4, 19), D(2021, 5, 18)),
    ],
)
def test_event_aligned_periods(date, freq, start, end):
    got = assign_periods(pd.Series([date]), freq, EVENT).iloc[0]
    assert (got["period_start"], got["period_end"]) == (start, end)


def test_no_period_mixes_pre_and_post():
    dates = pd.Series(pd.date_range("2021-01-01", "2021-06-30").date)
    periods = assign_periods(dates, "week", EVENT)
    phase = dates.map(EVENT.phase)
    assert (periods.assign(phase=phase).groupby("period_start")["phase"].nunique() == 1).all()


def test_calendar_weeks_without_event():
    got = assign_periods(pd.Series([D(2021, 3, 20)]), "week").iloc[0]
    assert (got["period_start"], got["period_end"]) == (D(2021, 3, 15), D(2021, 3, 21))


def test_rates_pool_counts_and_tokens_per_period():
    docs = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "date": [D(2021, 3, 20), D(2021, 3, 22), D(2021, 3, 11)]}
    )
    frames = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "frame": ["hegemony"] * 3,
            "count": [2, 1, 0],
            "n_tokens": [1000, 500, 800],
        }
    )
    out = frame_rates_by_period(frames, docs, event=EVENT, freq="week").set_index("period_start")
    assert out.loc[D(2021, 3, 20), "count"] == 3
    assert out.loc[D(2021, 3, 20), "n_tokens"] == 1500
    assert out.loc[D(2021, 3, 20), "rate_per_1k"] == pytest.approx(2.0)
    assert out.loc[D(2021, 3, 11), "rate_per_1k"] == 0
    values = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "compound": [0.5, -0.5, 0.3, 0.1]})
    means = mean_by_period(values, docs, event=EVENT, freq="week").set_index("period_start")
    assert means.loc[D(2021, 3, 20), "n"] == 3
    assert means.loc[D(2021, 3, 20), "mean"] == pytest.approx(0.1)
