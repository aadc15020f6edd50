"""Nothing in a full report run fetches data: no nltk.download, no NLTK data, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import nltk
import pytest

from analysis.report import run_report

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _refuse(what):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{what} was called with {args!r} {kwargs!r}")

    return refuse


def test_report_runs_with_downloads_and_network_forbidden(tmp_path, monkeypatch):
    monkeypatch.setenv("NLTK_DATA", str(tmp_path / "no_nltk_data"))
    monkeypatch.setattr(nltk, "download", _refuse("nltk.download"))
    monkeypatch.setattr(nltk.downloader, "download", _refuse("nltk.downloader.download"))
    monkeypatch.setattr(nltk.data, "load", _refuse("nltk.data.load"))
    monkeypatch.setattr(nltk.data, "find", _refuse("nltk.data.find"))
    monkeypatch.setattr(socket.socket, "connect", _refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", _refuse("socket.create_connection"))
    written, _, _ = run_report(FIXTURE_CORPUS, tmp_path / "out", echo=lambda m: None)
    assert any(p.suffix == ".csv" for p in written)


def test_the_guard_itself_works(monkeypatch):
    monkeypatch.setattr(nltk.data, "load", _refuse("nltk.data.load"))
    with pytest.raises(AssertionError, match="nltk.data.load"):
        nltk.data.load("tokenizers/punkt/english.pickle")
