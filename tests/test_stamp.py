"""An unchanged re-run of the report does nothing; any change to what it depends on re-runs it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from analysis import cli
from analysis.run import stamp


@pytest.fixture(autouse=True)
def _fixed_run_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")


def report(corpus: Path, out: Path, capsys, *extra: str) -> str:
    assert (
        cli.main(["report", "--corpus", str(corpus), "--out", str(out), "--jobs", "1", *extra]) == 0
    )
    return capsys.readouterr().out


def mtimes(root: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_unchanged_rerun_writes_nothing(corpus_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert "analysed 2 documents" in report(corpus_dir, out, capsys)
    before = mtimes(out)
    assert "nothing changed" in report(corpus_dir, out, capsys)
    assert mtimes(out) == before


def test_the_stamp_holds_every_published_files_hash(corpus_dir, tmp_path, capsys):
    """The tables' hashes come from the processes that wrote them, the others from the files."""
    out = tmp_path / "out"
    report(corpus_dir, out, capsys, "--jobs", "2")
    files = json.loads((out / stamp.STAMP).read_text(encoding="utf-8"))["files"]
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".")
    }
    assert set(files) == on_disk
    assert any(name.endswith(".csv") for name in files)
    for name, sha in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name


CHANGES = {
    "article edited": lambda corpus, out: (corpus / "pre_talks.txt").write_text(
        (corpus / "pre_talks.txt").read_text() + "\nOne more line.\n"
    ),
    "event moved": lambda corpus, out: (corpus / "corpus.toml").write_text(
        (corpus / "corpus.toml").read_text().replace("2021-03-19", "2021-03-20")
    ),
    "figure deleted": lambda corpus, out: (out / "figures" / "framing_rates_by_phase.png").unlink(),
    "table edited": lambda corpus, out: (out / "results" / "keyness.csv").write_text("edited"),
}


def test_every_change_runs_again(corpus_dir, tmp_path, capsys):
    out = tmp_path / "out"
    report(corpus_dir, out, capsys)
    for name, change in CHANGES.items():
        change(corpus_dir, out)
        assert "nothing changed" not in report(corpus_dir, out, capsys), name
    assert "nothing changed" in report(corpus_dir, out, capsys)


def test_other_options_or_no_cache_run_again(corpus_dir, tmp_path, capsys):
    out = tmp_path / "out"
    report(corpus_dir, out, capsys)
    assert "nothing changed" not in report(corpus_dir, out, capsys, "--no-cache")
    assert "nothing changed" not in report(corpus_dir, out, capsys, "--group-b", "")


def test_key_follows_the_code_fingerprint(corpus_dir, monkeypatch):
    options = stamp.report_options("phase", "post", "pre")
    before = stamp.report_key(corpus_dir, None, options)
    assert stamp.report_key(corpus_dir, None, options) == before
    monkeypatch.setattr(stamp, "code_fingerprint", lambda: "0" * 64)
    assert stamp.report_key(corpus_dir, None, options) != before
