"""Provenance: hashes, git state, run date, the one-line summary and the JSON sidecars."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis import __version__
from analysis.report.provenance import (
    Provenance,
    collect,
    corpus_digest,
    from_json,
    git_state,
    provenance_line,
    sidecar_json,
    sidecar_path,
    to_json,
)

SHA_A = hashlib.sha256(b"article a").hexdigest()
SHA_B = hashlib.sha256(b"article b").hexdigest()
LEXICON_SHA = hashlib.sha256(b"frame,term,note\n").hexdigest()
RUN = dt.datetime(2021, 3, 20, 8, 0, 0, tzinfo=dt.UTC)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _collect(tmp_path: Path, **kwargs) -> Provenance:
    options = {
        "corpus_files": {"b": SHA_B, "a": b"article a"},
        "lexicon_sha256": LEXICON_SHA,
        "lexicon_source": "/somewhere/analysis/data/framing_lexicon.csv",
        "run_date": RUN,
        "repo_root": tmp_path,
    }
    return collect(**{**options, **kwargs})


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "tracked.txt").write_text("one\n")
    _git(root, "add", "tracked.txt")
    _git(root, "commit", "-q", "-m", "first")
    return root


def test_corpus_digest_hashes_sorted_id_sha_lines():
    expected = hashlib.sha256(f"a:{SHA_A}\nb:{SHA_B}\n".encode()).hexdigest()
    assert corpus_digest({"b": SHA_B, "a": SHA_A}) == expected
    assert corpus_digest({"a": SHA_A, "b": SHA_B}) == expected
    assert corpus_digest({"a": SHA_B, "b": SHA_A}) != expected


def test_bytes_are_hashed_and_hex_hashes_kept(tmp_path):
    p = _collect(tmp_path, corpus_files={"b": SHA_B.upper(), "a": b"article a"})
    assert p.corpus_files == (("a", SHA_A), ("b", SHA_B))
    assert p.corpus_sha256 == corpus_digest({"a": SHA_A, "b": SHA_B})
    assert p.version == __version__
    assert p.package == "anchorage-discourse"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"corpus_files": {"a": "abc123"}}, "'a': expected file bytes or a sha256"),
        ({"corpus_files": {"a": 42}}, "'a': expected file bytes or a sha256"),
        ({"lexicon_sha256": "not a hash"}, "'lexicon': expected"),
        ({"run_date": dt.datetime(2021, 3, 20, 8, 0)}, "has no time zone"),
    ],
)
def test_bad_inputs_are_refused(tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        _collect(tmp_path, **options)


@pytest.mark.parametrize(
    ("run_date", "expected"),
    [
        (RUN, "2021-03-20T08:00:00Z"),
        (
            dt.datetime(2021, 3, 20, 16, 0, 0, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "2021-03-20T08:00:00Z",
        ),
        (
            dt.datetime(2021, 3, 19, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-9))),
            "2021-03-20T08:30:00Z",
        ),
    ],
)
def test_run_date_is_utc_to_the_second(tmp_path, run_date, expected):
    assert _collect(tmp_path, run_date=run_date).run_date == expected


def test_run_date_defaults_to_source_date_epoch(tmp_path, monkeypatch):
    # 1616227200 = 2021-03-20T08:00:00Z (date -u -d @1616227200)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616227200")
    assert _collect(tmp_path, run_date=None).run_date == "2021-03-20T08:00:00Z"


def test_run_date_defaults_to_now(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = dt.datetime.strptime(_collect(tmp_path, run_date=None).run_date, "%Y-%m-%dT%H:%M:%SZ")
    after = dt.datetime.now(dt.UTC)
    assert before <= stamp.replace(tzinfo=dt.UTC) <= after


@needs_git
def test_git_commit_and_dirty_flag(repo):
    head = _git(repo, "rev-parse", "HEAD").strip()
    assert git_state(repo) == (head, False)
    (repo / "untracked.txt").write_text("new\n")
    assert git_state(repo) == (head, False)
    (repo / "tracked.txt").write_text("two\n")
    assert git_state(repo) == (head, True)


@needs_git
def test_git_state_is_unknown_outside_the_top_of_a_repository(repo, tmp_path):
    (repo / "sub").mkdir()
    assert git_state(repo / "sub") == ("unknown", None)
    plain = tmp_path / "plain"
    plain.mkdir()
    assert git_state(plain) == ("unknown", None)
    assert git_state(tmp_path / "missing") == ("unknown", None)


@needs_git
def test_git_state_is_unknown_for_a_repository_without_commits(tmp_path):
    _git(tmp_path, "init", "-q")
    assert git_state(tmp_path) == ("unknown", None)


def test_git_state_is_unknown_without_git(repo, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert git_state(repo) == ("unknown", None)


@needs_git
def test_provenance_line(repo):
    (repo / "tracked.txt").write_text("two\n")
    p = _collect(repo)
    head = _git(repo, "rev-parse", "HEAD").strip()
    digest = corpus_digest({"a": SHA_A, "b": SHA_B})
    assert provenance_line(p) == (
        f"anchorage-discourse {__version__} · commit {head[:7]} (dirty) · "
        f"corpus: 2 files, sha256 {digest[:12]} · "
        f"lexicon framing_lexicon.csv sha256 {LEXICON_SHA[:12]} · run 2021-03-20T08:00:00Z"
    )


@pytest.mark.parametrize(
    ("corpus_files", "expected"),
    [({}, "corpus: 0 files"), ({"a": SHA_A}, "corpus: 1 file,")],
)
def test_provenance_line_without_git_and_file_counts(tmp_path, corpus_files, expected):
    line = provenance_line(_collect(tmp_path, corpus_files=corpus_files))
    assert " · commit unknown · " in line
    assert expected in line


def test_json_has_sorted_keys_and_reads_back(tmp_path):
    p = _collect(tmp_path)
    text = to_json(p)
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["corpus_files"] == {"a": SHA_A, "b": SHA_B}
    assert data["commit"] == "unknown" and data["dirty"] is None
    assert from_json(text) == p
    assert to_json(from_json(text)) == text


@pytest.mark.parametrize(
    ("csv", "sidecar"),
    [
        ("results/frame_rates.csv", "results/frame_rates.csv.meta.json"),
        (Path("/out/results/x.csv"), "/out/results/x.csv.meta.json"),
    ],
)
def test_sidecar_path(csv, sidecar):
    assert sidecar_path(csv) == Path(sidecar)


def test_sidecar_holds_the_provenance_and_the_csv_hash(tmp_path):
    p = _collect(tmp_path)
    csv = tmp_path / "t.csv"
    pd.DataFrame({"frame": ["a", "b"], "rate": [0.5, 0.25]}).to_csv(csv, index=False)
    sidecar = sidecar_json(p, hashlib.sha256(csv.read_bytes()).hexdigest())
    data = json.loads(sidecar)
    assert data["table_sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert from_json(sidecar) == p
    assert pd.read_csv(csv).shape == (2, 2)


def test_sidecar_text_is_jsons_own(tmp_path):
    """The provenance, encoded once per run, is spliced in as json.dumps would nest it."""
    p = dataclasses.replace(
        _collect(tmp_path),
        corpus_files=(("a\nb", "1" * 64), ("café 中", "2" * 64), ('q"uote', "3" * 64)),
        lexicon_source="lex\ticon.csv",
    )
    for data in (b"", b"frame,rate\na,0.5\n"):
        doc = {
            "provenance": json.loads(to_json(p)),
            "table_sha256": hashlib.sha256(data).hexdigest(),
        }
        expected = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        assert sidecar_json(p, hashlib.sha256(data).hexdigest()) == expected
