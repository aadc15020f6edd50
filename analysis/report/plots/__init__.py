"""Plot functions: long-form data in, columns given roles by name, an ``Axes`` out."""

from analysis.report.plots.comparison import plot_differences, plot_keyness_bars, plot_term_scatter
from analysis.report.plots.framing import (
    dispersion_figure,
    plot_dispersion,
    plot_frame_composition,
    plot_term_rates,
)
from analysis.report.plots.speakers import (
    plot_sentiment_arc,
    plot_sentiment_dots,
    plot_share_of_voice,
    plot_tone_by_position,
)
from analysis.report.plots.timeseries import mark_event, plot_mean_over_time, plot_rates_over_time

__all__ = [
    "dispersion_figure",
    "mark_event",
    "plot_differences",
    "plot_dispersion",
    "plot_frame_composition",
    "plot_keyness_bars",
    "plot_mean_over_time",
    "plot_rates_over_time",
    "plot_sentiment_arc",
    "plot_sentiment_dots",
    "plot_share_of_voice",
    "plot_term_scatter",
    "plot_term_rates",
    "plot_tone_by_position",
]
