"""The command line's garbage-collector setting: raised, never lowered, never switched on."""

import gc

import pytest

from analysis.run.collector import THRESHOLD_0, collect_less_often, freeze_before_exit


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((700, 10, 10), (THRESHOLD_0, 10, 10)),
        ((THRESHOLD_0 * 2, 5, 7), (THRESHOLD_0 * 2, 5, 7)),
        ((0, 10, 10), (0, 10, 10)),
    ],
)
def test_first_threshold_raised_only(thresholds, before, after):
    gc.set_threshold(*before)
    collect_less_often()
    assert gc.get_threshold() == after


def test_freeze_before_exit_moves_live_objects_out_of_reach():
    gc.unfreeze()
    try:
        freeze_before_exit()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
