"""Shared fixtures: the test corpus, an offline guard, and closing figures after each test."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import matplotlib
import nltk
import pytest

matplotlib.use("Agg")

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the two-article test corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", dest)
    return dest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def refuse(what: str):
    """A stand-in for *what* that fails the test if it is ever called."""

    def refused(*args, **kwargs):
        raise AssertionError(f"{what} was called with {args!r} {kwargs!r}")

    return refused


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make NLTK's downloader and data loader, and every network connection, fail the test."""
    monkeypatch.setenv("NLTK_DATA", str(tmp_path / "no_nltk_data"))
    monkeypatch.setattr(nltk, "download", refuse("nltk.download"))
    monkeypatch.setattr(nltk.downloader, "download", refuse("nltk.downloader.download"))
    monkeypatch.setattr(nltk.data, "load", refuse("nltk.data.load"))
    monkeypatch.setattr(nltk.data, "find", refuse("nltk.data.find"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
