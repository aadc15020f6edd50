"""The report command: deterministic bytes, atomic publication, recovery after a kill."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from browser import load_page, require_chromium

from analysis.report import csv_reuse, outputs
from analysis.report.figures import BUILDERS
from analysis.run.report import run_report

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(autouse=True)
def _fixed_run_date(monkeypatch):
    """The run date is the one thing that differs between runs; SOURCE_DATE_EPOCH fixes it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1616198400")
        run_report(FIXTURE_CORPUS, out, echo=lambda m: None)
    return out, snapshot(out)


def test_writes_tables_and_figures_in_both_formats(first_run):
    out, files = first_run
    names = set(files)
    for table in ["framing_terms", "framing_kwic", "terms_tfidf", "documents"]:
        assert f"results/{table}.csv" in names
    for fig in BUILDERS:
        assert {f"figures/{fig}.png", f"figures/{fig}.svg"} <= names
        assert files[f"figures/{fig}.png"].startswith(b"\x89PNG")
    for csv in [n for n in names if n.endswith(".csv")]:
        assert f"{csv}.meta.json" in names
    assert "figures/report.html" in names
    assert files["results/summary.md"].decode("utf-8").startswith("- The corpus holds 2 articles")
    assert not list(out.glob(".staging-*"))


def test_sidecars_record_provenance_and_the_table_hash(first_run):
    out, files = first_run
    meta = json.loads(files["results/framing_terms.csv.meta.json"])
    table = files["results/framing_terms.csv"]
    assert meta["table_sha256"] == hashlib.sha256(table).hexdigest()
    prov = meta["provenance"]
    assert prov["run_date"] == "2021-03-20T00:00:00Z"
    assert set(prov["corpus_files"]) == {"pre_talks", "post_talks"}
    assert len(prov["lexicon_sha256"]) == 64


def test_report_page_shows_every_figure_in_chromium(first_run):
    require_chromium()
    out, _ = first_run
    page = out / "figures" / "report.html"
    report = load_page(
        page,
        "Array.from(document.images).map(i => [i.alt, i.complete && i.naturalWidth > 0])",
    )
    assert len(report.value) == len(BUILDERS)
    assert all(ok for _, ok in report.value), report.value
    assert report.page_errors == []
    assert [m for m in report.console if m[0] in ("error", "warning")] == []
    assert report.failed_requests == []
    assert all(u.startswith(("data:", page.as_uri())) for u in report.requests)


OPENING_SCRIPT = """(() => {
  const summary = document.getElementById('sec-summary');
  const captions = Array.from(document.querySelectorAll('figure:not(.table) > figcaption'))
    .map(c => c.textContent.slice(c.querySelector('strong').textContent.length).trim());
  return {
    firstHeading: document.querySelector('h2').textContent,
    summaryTop: summary.getBoundingClientRect().top,
    summaryItems: Array.from(summary.querySelectorAll('li')).map(li => li.textContent),
    viewport: window.innerHeight,
    captions: captions,
  };
})()"""


def test_report_page_opens_with_the_summary_and_every_figure_asks_its_question(first_run):
    require_chromium()
    out, _ = first_run
    report = load_page(out / "figures" / "report.html", OPENING_SCRIPT)
    value = report.value
    assert value["firstHeading"] == "Summary"
    assert value["summaryTop"] < value["viewport"] / 2
    assert value["summaryItems"][0].startswith("The corpus holds 2 articles from Global Times")
    assert any("frame" in item for item in value["summaryItems"])
    assert len(value["captions"]) == len(BUILDERS)
    for caption in value["captions"]:
        first_sentence = re.match(r"[^.?!]*[.?!]", caption).group(0)
        assert first_sentence.endswith("?"), caption


def test_report_page_escapes_article_text(first_run):
    out, _ = first_run
    page = (out / "figures" / "report.html").read_text(encoding="utf-8")
    assert "&quot;2+2&quot;" in page  # a quote from the fixture corpus, escaped
    assert "<script" not in page


def test_same_input_gives_same_bytes(first_run, tmp_path):
    _, before = first_run
    run_report(FIXTURE_CORPUS, tmp_path, echo=lambda m: None)
    assert snapshot(tmp_path) == before


def test_one_job_gives_the_bytes_of_two(first_run, tmp_path):
    """With two jobs a forked worker writes some tables and draws some figures."""
    _, before = first_run
    run_report(FIXTURE_CORPUS, tmp_path, jobs=1, echo=lambda m: None)
    again = run_report(
        FIXTURE_CORPUS, tmp_path / "two", jobs=2, use_cache=False, echo=lambda m: None
    )
    published = {str(p.relative_to(tmp_path / "two")) for p in again[0]}
    for name in published:
        assert (tmp_path / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
        assert before[name] == (tmp_path / name).read_bytes(), name


@pytest.mark.parametrize("jobs", [1, 2])
def test_failure_while_writing_a_table_keeps_previous_outputs(
    first_run, tmp_path, jobs, monkeypatch
):
    """Whichever process writes the failing table, nothing is published."""
    out, before = first_run
    original = csv_reuse.write_reusing

    def failing_write(df, path, **kwargs):
        if "target_side" in df.columns and "left" in df.columns:  # the stance table
            raise OSError("disk full")
        return original(df, path, **kwargs)

    monkeypatch.setattr(csv_reuse, "write_reusing", failing_write)
    with pytest.raises(OSError, match="disk full"):
        run_report(FIXTURE_CORPUS, out, jobs=jobs, echo=lambda m: None)
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))


def test_failure_while_writing_keeps_previous_outputs(first_run, tmp_path, monkeypatch):
    out, before = first_run
    original = outputs.StagedOutputs.file
    calls = []

    def failing_file(self, relpath, content):
        calls.append(relpath)
        if relpath.startswith("figures/") and len(calls) > 3:
            raise OSError("disk full")
        return original(self, relpath, content)

    monkeypatch.setattr(outputs.StagedOutputs, "file", failing_file)
    with pytest.raises(OSError, match="disk full"):
        run_report(FIXTURE_CORPUS, out, echo=lambda m: None)
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))


def test_publish_moves_the_previous_file_aside_then_the_new_one_in(tmp_path):
    staged, dest, aside = tmp_path / "new.csv", tmp_path / "out.csv", tmp_path / "old"
    staged.write_text("new")
    dest.write_text("previous")
    outputs.publish(staged, dest, aside)
    assert dest.read_text() == "new" and aside.read_text() == "previous"
    assert not staged.exists()
    staged.write_text("first")
    outputs.publish(staged, tmp_path / "fresh.csv", tmp_path / "unused")
    assert (tmp_path / "fresh.csv").read_text() == "first"
    assert not (tmp_path / "unused").exists()


def test_publish_puts_the_previous_file_back_when_the_new_one_cannot_go_in(tmp_path, monkeypatch):
    staged, dest, aside = tmp_path / "new.csv", tmp_path / "out.csv", tmp_path / "old"
    staged.write_text("new")
    dest.write_text("previous")
    rename = os.rename

    def failing_rename(src, dst):
        if Path(src) == staged:
            raise OSError("disk error")
        rename(src, dst)

    monkeypatch.setattr(outputs.os, "rename", failing_rename)
    with pytest.raises(OSError, match="disk error"):
        outputs.publish(staged, dest, aside)
    assert dest.read_text() == "previous" and staged.read_text() == "new"
    assert not aside.exists()


def test_killed_run_loses_nothing_and_the_next_run_recovers(first_run, tmp_path):
    out, before = first_run
    work = tmp_path / "out"
    work.mkdir()
    for rel, data in before.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(data)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "report",
            "--corpus",
            str(FIXTURE_CORPUS),
            "--out",
            str(work),
            "--no-cache",  # the outputs copied are current: a cached run would stop at once
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(work.glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    abandoned = list(work.glob(".staging-*"))
    assert abandoned, "the run was killed while its outputs were staged"
    assert {k: v for k, v in snapshot(work).items() if not k.startswith(".staging-")} == before
    run_report(FIXTURE_CORPUS, work, echo=lambda m: None)
    assert not list(work.glob(".staging-*"))
    assert snapshot(work) == before


def test_text_cells_that_look_like_formulas_get_an_apostrophe_and_nothing_else_changes():
    import datetime as dt

    import numpy as np
    import pandas as pd

    df = pd.DataFrame(
        {
            "text": pd.Series(["=SUM(A1)", "plain", None, "-2 dead", "+1", "@x"], dtype="str"),
            "mixed": pd.Series(
                ["=cmd|' /C calc'!A0", 3, np.nan, "ok", "\tTab", "\rCR"], dtype=object
            ),
            "number": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0],
            "date": [dt.date(2021, 3, 18)] * 6,
        }
    )
    out = outputs.neutralize_formulas(df)
    assert out["text"].tolist()[:2] == ["'=SUM(A1)", "plain"]
    assert pd.isna(out["text"].iloc[2])
    assert out["text"].tolist()[3:] == ["'-2 dead", "'+1", "'@x"]
    assert out["mixed"].tolist()[:2] == ["'=cmd|' /C calc'!A0", 3]
    assert out["mixed"].tolist()[3:] == ["ok", "'\tTab", "'\rCR"]
    assert out["number"].tolist() == df["number"].tolist()  # numbers are never touched
    assert out["date"].tolist() == df["date"].tolist()
    assert df["text"].iloc[0] == "=SUM(A1)"  # the input is not modified
    safe = df[["number", "date"]].assign(text="plain")
    assert outputs.neutralize_formulas(safe) is safe  # nothing to change: no copy
    # an object column with no text at all: nothing to test, and no pandas warning
    no_text = pd.DataFrame({"v": pd.Series([1, True, None], dtype=object), "n": [1, 2, 3]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert outputs.neutralize_formulas(no_text) is no_text


def test_floats_are_written_as_pandas_writes_them_with_the_float_format():
    """pandas' own ``to_csv(float_format=...)`` is the reference for every cell."""
    import io

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    repeated = rng.choice([0.1, 1 / 3, 2.5e-7, 1234567.0], size=200)
    df = pd.DataFrame(
        {
            "x": np.concatenate(
                [[0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, 0.1 + 0.2, -0.0], repeated[:192]]
            ),
            "y": rng.normal(size=200),
            "n": np.arange(200),
            "s": pd.Series([f"w{i}" for i in range(200)], dtype="str"),
            "f32": np.linspace(0, 1, 200, dtype=np.float32),
        }
    )
    expected = df.to_csv(index=False, lineterminator="\n", float_format=outputs.FLOAT_FORMAT)
    got = io.BytesIO()
    outputs.write_table(df, got)
    assert got.getvalue() == expected.encode("utf-8")
    text = outputs.floats_as_text(df)
    assert text["x"].tolist()[:3] == ["0", "-0", ""]  # -0.0 keeps its sign, NaN is empty
    no_floats = df[["n", "s"]]
    assert outputs.floats_as_text(no_floats) is no_floats  # nothing to format: no copy
