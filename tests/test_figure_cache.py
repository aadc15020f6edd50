"""A figure is drawn again only when a table it reads changed, with the bytes of a fresh run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.report import figure_cache, rendering
from analysis.report.figure_cache import FigureCache, table_digest
from analysis.report.figures import BUILDERS
from analysis.run import report as report_run
from analysis.run.report import run_report

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
LEXICON = Path(report_run.__file__).parents[1] / "data" / "framing_lexicon.csv"


@pytest.fixture(autouse=True)
def _fixed_run_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")


@pytest.fixture
def drawn(monkeypatch) -> list[set[str]]:
    """The names of the figures each report run draws (rather than takes from the cache)."""
    runs: list[set[str]] = []
    original = rendering.encoding_tasks

    def spy(builders):
        runs.append(set(builders))
        return original(builders)

    monkeypatch.setattr(rendering, "encoding_tasks", spy)
    return runs


def files(root: Path, folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / folder).glob("*")) if p.is_file()}


def report(out: Path, lexicon: Path | None = None, **kwargs) -> None:
    run_report(FIXTURE_CORPUS, out, lexicon, jobs=1, echo=lambda m: None, **kwargs)


def without_term(tmp_path: Path, term: str) -> Path:
    """A copy of the shipped lexicon without the row of *term*."""
    lines = LEXICON.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith(f"sincerity,{term},")]
    assert len(kept) == len(lines) - 1
    path = tmp_path / "lexicon.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def finished_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_every_builder_declares_the_tables_it_reads():
    for name, build in BUILDERS.items():
        assert build.tables, name
        assert len(set(build.tables)) == len(build.tables), name


def test_a_builder_reading_some_columns_gets_only_those_and_is_keyed_by_them():
    @figure_cache.reads("documents", sentences=["doc_id", "compound"], stance=[])
    def build(tables, corpus):
        return tables

    sentences = pd.DataFrame(
        {"doc_id": ["a", "b"], "compound": [0.5, -0.25], "text": ["Yes.", "No."]}
    )
    tables = {"documents": pd.DataFrame({"doc_id": ["a", "b"]}), "sentences": sentences}
    tables["stance"] = pd.DataFrame({"doc_id": ["a"] * 3, "stance": [0.1, 0.2, 0.3]})
    given = figure_cache.inputs(build, tables)
    assert list(given["sentences"].columns) == ["doc_id", "compound"]
    assert given["stance"].shape == (3, 0)  # its rows, to be counted
    assert given["documents"] is tables["documents"]

    def key(tables):
        builders = {"f": build}
        return figure_cache.figure_keys(builders, tables, event=None, style="", code="")["f"]

    first = key(tables)
    edited = dict(tables, sentences=sentences.assign(text=["Si.", "Non."]))
    edited["stance"] = tables["stance"].assign(stance=[0.0, 0.0, 0.0])
    assert key(edited) == first  # columns the figure does not read
    assert key(dict(tables, sentences=sentences.assign(compound=[0.5, 0.0]))) != first
    assert key(dict(tables, stance=tables["stance"].iloc[:2])) != first  # one mention fewer


def test_only_figures_whose_tables_changed_are_drawn_again(tmp_path, drawn):
    out = tmp_path / "cached"
    report(out)
    assert drawn[-1] == set(BUILDERS)
    before = files(out, "results")
    # one lexicon term fewer: the framing tables change, the speakers and stance do not
    lexicon = without_term(tmp_path, "sincer*")
    report(out, lexicon)
    after = files(out, "results")
    changed = {name[: -len(".csv")] for name in after if before.get(name) != after[name]}
    expected = {n for n, build in BUILDERS.items() if changed & set(build.tables)}
    assert drawn[-1] == expected
    assert {"framing_rates_by_phase", "frame_shifts"} <= expected
    assert {"share_of_voice", "stance_matrix", "sentiment_arc"}.isdisjoint(expected)

    fresh = tmp_path / "fresh"
    report(fresh, lexicon, use_cache=False)
    assert files(out, "figures") == files(fresh, "figures")


def test_an_unchanged_run_draws_nothing(tmp_path, drawn):
    report(tmp_path)
    (tmp_path / ".cache" / "report-stamp.json").unlink()  # or the run would stop at once
    figures = files(tmp_path, "figures")
    report(tmp_path)
    assert drawn[-1] == set()
    assert files(tmp_path, "figures") == figures


def test_a_corrupt_or_stale_entry_is_a_miss_and_is_pruned(tmp_path, drawn):
    report(tmp_path)
    figures = files(tmp_path, "figures")
    cache = tmp_path / ".cache" / "figures"
    png = cache / "frame_shifts.png"
    png.write_bytes(png.read_bytes()[:100])  # truncated
    (cache / "sentiment_arc.json").write_text("{not json", encoding="utf-8")
    (cache / "stance_shifts.svg").unlink()
    dead_tmp = f".frame_shifts.png.{finished_pid()}.tmp"  # left by a killed run
    for stale in ("retired_figure.png", "retired_figure.json", dead_tmp):
        (cache / stale).write_bytes(b"old")
    live_tmp = cache / f".term_scatter.png.{os.getpid()}.tmp"  # a running writer's
    live_tmp.write_bytes(b"in progress")
    (tmp_path / ".cache" / "report-stamp.json").unlink()
    report(tmp_path)
    assert drawn[-1] == {"frame_shifts", "sentiment_arc", "stance_shifts"}
    assert files(tmp_path, "figures") == figures
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [live_tmp.name, *(f"{name}.{ext}" for name in BUILDERS for ext in ("png", "svg", "json"))]
    )
    meta = json.loads((cache / "frame_shifts.json").read_text(encoding="utf-8"))
    assert set(meta) == {"key", "png", "svg"}


def test_no_cache_neither_reads_nor_writes_the_figure_cache(tmp_path, drawn):
    report(tmp_path, use_cache=False)
    report(tmp_path, use_cache=False)
    assert drawn == [set(BUILDERS), set(BUILDERS)]
    assert not (tmp_path / ".cache" / "figures").exists()


def test_cache_get_put_round_trip_and_key_mismatch(tmp_path):
    cache = FigureCache(tmp_path)
    assert cache.get("fig", "k1") is None  # empty folder: a miss, not an error
    cache.put("fig", "k1", b"png-bytes", b"svg-bytes")
    assert cache.get("fig", "k1") == (b"png-bytes", b"svg-bytes")
    assert cache.get("fig", "k2") is None


def test_table_digest_sees_every_change():
    df = pd.DataFrame({"term": ["talks", None], "g2": [1.0, np.nan], "n": [3, 4]})
    digest = table_digest(df)
    assert table_digest(df.copy()) == digest
    changes = [
        df.assign(g2=[np.nextafter(1.0, 2.0), np.nan]),  # one ulp
        df.assign(term=["talks", "None"]),
        df.rename(columns={"n": "count"}),
        df.astype({"n": "float64"}),
        df.iloc[::-1],
        df.iloc[:1],
        df.set_axis([5, 6]),
    ]
    assert len({digest, *(table_digest(d) for d in changes)}) == len(changes) + 1


def test_arrow_text_is_digested_by_its_values_alone():
    def text(values):
        return pd.DataFrame({"t": pd.array(values, dtype="str")})

    df = text(["ab", "c", None, ""])
    assert isinstance(df["t"].dtype, pd.StringDtype) and df["t"].dtype.storage == "pyarrow"
    digest = table_digest(df)
    # the same values in two chunks, and as a slice of a longer column
    assert table_digest(pd.concat([df.iloc[:2], df.iloc[2:]], ignore_index=True)) == digest
    assert table_digest(text(["zz", "ab", "c", None, ""]).iloc[1:].set_axis(range(4))) == digest
    changes = [
        text(["a", "bc", None, ""]),  # the same bytes split differently
        text(["ab", "c", "", ""]),  # missing against empty
        text(["ab", "c", None, "", ""]),
        df.astype(object),
    ]
    assert len({digest, *(table_digest(d) for d in changes)}) == len(changes) + 1


def test_the_key_covers_tables_event_style_and_code():
    tables = {"keyness": pd.DataFrame({"g2": [1.0]}), "documents": pd.DataFrame({"n": [1]})}
    builders = {"term_scatter": BUILDERS["term_scatter"]}
    base = {"event": "Alaska", "style": "s", "code": "c"}
    key = figure_cache.figure_keys(builders, tables, **base)["term_scatter"]
    other_docs = {**tables, "documents": pd.DataFrame({"n": [2]})}  # not read by term_scatter
    assert figure_cache.figure_keys(builders, other_docs, **base)["term_scatter"] == key
    for change in ({"event": "other"}, {"style": "t"}, {"code": "d"}):
        assert figure_cache.figure_keys(builders, tables, **{**base, **change}) != {
            "term_scatter": key
        }
    new_keyness = {**tables, "keyness": pd.DataFrame({"g2": [2.0]})}
    assert figure_cache.figure_keys(builders, new_keyness, **base)["term_scatter"] != key
