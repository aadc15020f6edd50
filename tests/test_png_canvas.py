"""PNG files from the report's canvas hold the same pixels as matplotlib's own PNG."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from analysis.report.png_canvas import BACKEND, png_bytes
from analysis.report.style import house_style


def _figure(facecolor) -> Figure:
    fig = Figure(figsize=(3, 2), dpi=50, facecolor=facecolor)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 0, 2], color="#0072B2")
    ax.set_title("A line", fontsize=8)
    return fig


def _decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _matplotlib_png(fig: Figure, **kwargs) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", **kwargs)
    return buf.getvalue()


def test_an_opaque_figure_is_rgb_with_matplotlibs_pixels():
    fig = _figure("white")
    ours = _decoded(png_bytes(fig))
    with house_style():  # as png_bytes draws it
        theirs = _decoded(_matplotlib_png(fig, metadata={"Software": None}))
    assert (ours.mode, theirs.mode) == ("RGB", "RGBA")
    assert ours.size == theirs.size
    assert np.asarray(theirs)[..., 3].min() == 255
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])
    assert ours.info["dpi"] == pytest.approx(theirs.info["dpi"])


def test_a_transparent_figure_keeps_its_alpha_channel():
    fig = _figure("none")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", backend=BACKEND)
    ours, theirs = _decoded(buf.getvalue()), _decoded(_matplotlib_png(fig))
    assert ours.mode == theirs.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_the_bounding_box_and_metadata_apply_as_in_matplotlib():
    fig = _figure("white")
    kwargs = {"bbox_inches": "tight", "metadata": {"Software": None, "Title": "A line"}}
    buf = io.BytesIO()
    fig.savefig(buf, format="png", backend=BACKEND, **kwargs)
    ours, theirs = _decoded(buf.getvalue()), _decoded(_matplotlib_png(fig, **kwargs))
    assert ours.size == theirs.size
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])
    assert ours.text == theirs.text == {"Title": "A line"}


def test_equal_figures_give_equal_bytes():
    assert png_bytes(_figure("white")) == png_bytes(_figure("white"))
