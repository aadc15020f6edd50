"""The tight bounding box is measured without a drawing pass, and equals the drawn one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from matplotlib import rcParams
from test_figures_at_scale import large_tables

from analysis.report import figure_cache, rendering
from analysis.report.figures import BUILDERS
from analysis.report.style import house_style
from analysis.run import workspace
from analysis.types import Event

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def cases():
    ws = workspace.build(FIXTURE_CORPUS)
    event = Event("Alaska talks", dt.date(2021, 3, 18), dt.date(2021, 3, 19))
    return {
        "fixture": (ws.tables, ws.corpus),
        "large": (large_tables(), SimpleNamespace(event=event)),
    }


@pytest.mark.parametrize("corpus", ["fixture", "large"])
@pytest.mark.parametrize("name", list(BUILDERS))
def test_tight_bbox_equals_the_box_after_a_full_drawing_pass(cases, corpus, name):
    tables, corp = cases[corpus]
    build = BUILDERS[name]
    with house_style():
        measured = rendering.tight_bbox(build(figure_cache.inputs(build, tables), corp))
        fig = build(figure_cache.inputs(build, tables), corp)
        fig.draw_without_rendering()
        drawn = fig.get_tightbbox().padded(rcParams["savefig.pad_inches"])
    assert measured.bounds == drawn.bounds


def test_render_all_on_two_workers_gives_the_bytes_of_one(cases):
    tables, corp = cases["fixture"]
    builders = {
        name: (lambda b=build: b(figure_cache.inputs(b, tables), corp))
        for name, build in list(BUILDERS.items())[:4]
    }
    assert rendering.render_all(builders, jobs=2) == rendering.render_all(builders, jobs=1)
