"""Stage 4, statistics over the tidy tables: resampling (bootstrap intervals, permutation
tests), keyness, frame and term shifts, the pre/post comparison and time series.

``keyness.keyness`` and ``shifts.shifts`` are imported from their modules: re-exported
here they would hide the modules of the same name."""

from analysis.stats.comparison import Comparison, compare, findings
from analysis.stats.keyness import bh_adjust
from analysis.stats.resampling import (
    bootstrap_ci,
    mean_difference,
    permutation_test,
    summarise_groups,
)
from analysis.stats.timeseries import frame_rates_by_period, mean_by_period

__all__ = [
    "Comparison",
    "bh_adjust",
    "bootstrap_ci",
    "compare",
    "findings",
    "frame_rates_by_period",
    "mean_by_period",
    "mean_difference",
    "permutation_test",
    "summarise_groups",
]
