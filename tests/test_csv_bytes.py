"""CSV bytes assembled in Arrow are exactly those pandas' ``to_csv`` writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.report import csv_bytes as csv_bytes_module
from analysis.report.csv_bytes import _text, csv_bytes
from analysis.report.outputs import FLOAT_FORMAT, floats_as_text, neutralize_formulas
from analysis.run import workspace

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _pandas(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT).encode()


#: Text with every character the quoting rules care about, and some they do not.
characters = st.sampled_from(list(",\"\n\r\t' aé中=-;"))
cells = st.one_of(st.none(), st.text(alphabet=characters, max_size=6))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, st.integers(-(2**40), 2**40), st.booleans()), max_size=12))
def test_text_integers_and_booleans_as_pandas_writes_them(rows):
    df = pd.DataFrame(rows, columns=["a", "b", "n", "flag"])
    df["a"] = df["a"].astype(object)
    df["b"] = df["b"].astype("str")
    assert csv_bytes(df) == _pandas(df)


def test_nullable_columns_missing_values_and_names_that_need_quotes():
    df = pd.DataFrame(
        {
            "count, all": pd.array([1, None, 3], dtype="Int64"),
            'say "x"': pd.array([True, None, False], dtype="boolean"),
            "u": np.array([1, 2, 3], dtype=np.uint8),
            "s": [None, "", "a\nb"],
        }
    )
    assert csv_bytes(df) == _pandas(df)
    assert csv_bytes(df.iloc[:0]) == _pandas(df.iloc[:0])


def test_a_table_written_in_slices_is_written_whole(monkeypatch):
    monkeypatch.setattr(csv_bytes_module, "ROWS_AT_ONCE", 2)
    df = pd.DataFrame(
        {
            "s": ['a "b"', "c", 'd,"e"', None, 'f"', "g\nh", ""],
            "n": range(7),
            "t": ["x", '"', "y", "z,", "w", "v", 'u"u'],
        }
    )
    assert csv_bytes(df) == _pandas(df)


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"only": ["", "a"]}),  # one column: csv quotes an empty line
        pd.DataFrame({"when": pd.to_datetime(["2021-03-18", "2021-03-19"]), "n": [1, 2]}),
        pd.DataFrame({"mixed": ["a", 1], "n": [1, 2]}),
        pd.DataFrame({"x": pd.array([0.5, None], dtype="Float64"), "n": [1, 2]}),
    ],
    ids=["one column", "dates", "mixed objects", "nullable floats"],
)
def test_other_tables_are_written_by_pandas(df):
    assert csv_bytes(df, float_format=FLOAT_FORMAT) == _pandas(df)


@pytest.fixture(scope="module")
def report_tables() -> dict[str, pd.DataFrame]:
    return workspace.build(FIXTURE_CORPUS, jobs=1, cache_dir=None).tables


def test_every_report_table_is_written_as_pandas_writes_it(report_tables):
    for name, table in report_tables.items():
        ready = floats_as_text(neutralize_formulas(table))
        assert csv_bytes(ready, float_format=FLOAT_FORMAT) == _pandas(ready), name
    for name in ("sentences", "utterances", "stance", "keyness", "framing_terms"):
        ready = floats_as_text(neutralize_formulas(report_tables[name]))
        assert all(_text(ready[c]) is not None for c in ready.columns), name  # Arrow's path
