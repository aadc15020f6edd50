"""Plot functions: long-form data in, columns given roles by name, an ``Axes`` out."""

from analysis.plots.framing import (
    dispersion_figure,
    plot_dispersion,
    plot_frame_composition,
    plot_term_rates,
)
from analysis.plots.timeseries import mark_event, plot_rates_over_time

__all__ = [
    "dispersion_figure",
    "mark_event",
    "plot_dispersion",
    "plot_frame_composition",
    "plot_rates_over_time",
    "plot_term_rates",
]
