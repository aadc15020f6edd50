"""Plot functions: long-form data in, columns given roles by name, an ``Axes`` out."""

from analysis.plots.framing import (
    dispersion_figure,
    plot_dispersion,
    plot_frame_composition,
    plot_term_rates,
)

__all__ = ["dispersion_figure", "plot_dispersion", "plot_frame_composition", "plot_term_rates"]
