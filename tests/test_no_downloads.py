"""Nothing in a full report run fetches data: no nltk.download, no NLTK data, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import nltk
import pytest

from analysis.run.report import run_report

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_report_runs_with_downloads_and_network_forbidden(tmp_path, offline):
    written, _, _ = run_report(FIXTURE_CORPUS, tmp_path / "out", echo=lambda m: None)
    assert any(p.suffix == ".csv" for p in written)


def test_the_guard_itself_works(offline):
    with pytest.raises(AssertionError, match="nltk.data.load"):
        nltk.data.load("tokenizers/punkt/english.pickle")
    with pytest.raises(AssertionError, match="nltk.download"):
        nltk.download("punkt")
    with pytest.raises(AssertionError, match="socket"):
        socket.create_connection(("example.com", 80))
