"""Cache keys follow the package's code and data files, and the corpus files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.corpus.loader import load_corpus
from analysis.run import fingerprint, pipeline
from analysis.run.cache import DocumentCache
from analysis.run.fingerprint import code_fingerprint, files_fingerprint
from analysis.text.lexicon import load_lexicon


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A small stand-in for the package folder: code, a sub-package and data files."""
    root = tmp_path / "pkg"
    (root / "data").mkdir(parents=True)
    (root / "sub").mkdir()
    (root / "__init__.py").write_text("")
    (root / "sub" / "mod.py").write_text("X = 1\n")
    (root / "data" / "words.txt").write_text("alpha\n")
    return root


@pytest.mark.parametrize(
    ("edit", "changes"),
    [
        (lambda r: (r / "sub" / "mod.py").write_text("X = 2\n"), True),
        (lambda r: (r / "data" / "words.txt").write_text("beta\n"), True),
        (lambda r: (r / "sub" / "new.py").write_text(""), True),
        (lambda r: (r / "sub" / "mod.py").unlink(), True),
        (lambda r: (r / "sub" / "mod.py").rename(r / "sub" / "other.py"), True),
        (lambda r: (r / "data" / "words.txt").touch(), False),
        (
            lambda r: (
                (r / "sub" / "__pycache__").mkdir()
                or (r / "sub" / "__pycache__" / "m.pyc").write_bytes(b"x")
            ),
            False,
        ),
        (lambda r: (r / "notes.md").write_text("not code"), False),
    ],
    ids=[
        "edit code",
        "edit data",
        "add module",
        "remove module",
        "rename module",
        "touch",
        "bytecode",
        "other file",
    ],
)
def test_code_fingerprint_follows_code_and_data(package: Path, edit, changes: bool) -> None:
    before = code_fingerprint(package)
    edit(package)
    assert (code_fingerprint(package) != before) is changes


def test_code_fingerprint_of_the_package_is_stable() -> None:
    assert code_fingerprint() == code_fingerprint()
    assert len(code_fingerprint()) == 64


def test_files_fingerprint_follows_names_and_contents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    before = files_fingerprint(tmp_path)
    (tmp_path / ".hidden").write_text("ignored")
    assert files_fingerprint(tmp_path) == before
    (tmp_path / "a.txt").write_text("two")
    assert files_fingerprint(tmp_path) != before
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    assert files_fingerprint(tmp_path) != before


@pytest.mark.parametrize(
    "add",
    [
        lambda d: (d / "sub").mkdir(),
        lambda d: (d / "broken.txt").symlink_to(d / "nowhere.txt"),
        lambda d: (d / "loop_a.txt").symlink_to(d / "loop_a.txt"),
    ],
    ids=["folder", "broken link", "looping link"],
)
def test_files_fingerprint_counts_entries_that_are_not_files(tmp_path: Path, add) -> None:
    (tmp_path / "a.txt").write_text("one")
    before = files_fingerprint(tmp_path)
    add(tmp_path)
    assert files_fingerprint(tmp_path) != before


def test_edited_code_or_data_invalidates_the_document_cache(corpus_dir, tmp_path, monkeypatch):
    """The pipeline keys its cache on the code fingerprint, so an edit re-analyses everything."""
    package = tmp_path / "analysis"
    shutil.copytree(fingerprint.PACKAGE_ROOT, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: code_fingerprint(package))
    cache, lexicon = DocumentCache(tmp_path / "cache"), load_lexicon()
    first = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    again = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (first.n_computed, again.n_computed, again.n_cached) == (2, 0, 2)
    with (package / "data" / "speakers.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    edited = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (edited.n_computed, edited.n_cached) == (2, 0)
    (package / "text" / "tokens.py").write_text("# changed\n", encoding="utf-8")
    recoded = pipeline.analyze_documents(load_corpus(corpus_dir), lexicon, cache=cache)
    assert (recoded.n_computed, recoded.n_cached) == (2, 0)
