"""Parsed articles kept between runs: the same corpus as parsing, and only changed files parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import refuse

from analysis.corpus import loader
from analysis.corpus.loader import load_corpus
from analysis.corpus.parsed_store import ParsedStore
from analysis.errors import InputErrors

ARTICLE = (
    "CHINA / DIPLOMACY\nThird piece\nPublished: Mar 22, 2021 08:00 AM\n\n"
    'Observers said the \u201cbossy\u201d tone would fade. "We will not be bullied," '
    "Wang Yi said.\n"
)
FRENCH = (
    "Les discussions entre la Chine et les États-Unis\n\n"
    "Le porte-parole a déclaré que les discussions étaient franches et constructives, "
    "mais que des divergences importantes subsistent sur plusieurs questions clés.\n"
)


@pytest.fixture
def awkward(corpus_dir: Path) -> Path:
    """The fixture corpus with a UTF-16 file (a warning), a skipped French one and a manifest."""
    (corpus_dir / "third.txt").write_bytes(ARTICLE.encode("utf-16"))
    (corpus_dir / "french.txt").write_text(FRENCH, encoding="utf-8")
    (corpus_dir / "plain.txt").write_text("Plain title\n\nThe talks went on.\n", encoding="utf-8")
    (corpus_dir / "manifest.csv").write_text(
        "file,date,title,outlet\nfrench.txt,2021-03-22,,\nplain.txt,2021-03-21,A title,Wire\n",
        encoding="utf-8",
    )
    return corpus_dir


def test_a_stored_corpus_equals_a_parsed_one_and_parses_nothing(awkward, tmp_path, monkeypatch):
    store = ParsedStore(tmp_path / "documents", version="v")
    parsed = load_corpus(awkward)
    assert load_corpus(awkward, parsed=store) == parsed
    assert len(list(store.root.glob("*.json"))) == 5  # every file, the skipped one too
    monkeypatch.setattr(loader, "read_article", refuse("read_article"))
    again = load_corpus(awkward, parsed=store)
    assert again == parsed
    assert any("UTF-16" in w for w in again.warnings)
    assert any("french.txt: skipped" in w for w in again.warnings)
    assert {d.doc_id for d in again.documents} == {"pre_talks", "post_talks", "third", "plain"}


@pytest.mark.parametrize(
    "change",
    ["text", "manifest", "version"],
)
def test_a_change_parses_the_file_again(awkward, tmp_path, change):
    load_corpus(awkward, parsed=ParsedStore(tmp_path / "documents", version="v"))
    version = "v"
    if change == "text":
        (awkward / "plain.txt").write_text("Plain title\n\nThe talks ended.\n", encoding="utf-8")
    elif change == "manifest":
        manifest = awkward / "manifest.csv"
        manifest.write_text(manifest.read_text().replace("A title", "Another"), encoding="utf-8")
    else:
        version = "w"
    got = load_corpus(awkward, parsed=ParsedStore(tmp_path / "documents", version=version))
    assert got == load_corpus(awkward)
    plain = next(d for d in got.documents if d.doc_id == "plain")
    assert ("ended" in plain.text) == (change == "text")
    assert (plain.title == "Another") == (change == "manifest")


def test_an_unreadable_entry_is_parsed_again_and_replaced(awkward, tmp_path):
    store = ParsedStore(tmp_path / "documents", version="v")
    load_corpus(awkward, parsed=store)
    for entry in store.root.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert load_corpus(awkward, parsed=store) == load_corpus(awkward)
    assert all(e.read_text(encoding="utf-8").startswith("{") for e in store.root.glob("*.json"))
    assert len(list(store.root.glob("*.json"))) == 5


def test_entries_of_removed_files_are_pruned(awkward, tmp_path):
    store = ParsedStore(tmp_path / "documents", version="v")
    load_corpus(awkward, parsed=store)
    (awkward / "plain.txt").unlink()
    manifest = awkward / "manifest.csv"
    manifest.write_text("file,date\nfrench.txt,2021-03-22\n", encoding="utf-8")
    load_corpus(awkward, parsed=store)
    assert len(list(store.root.glob("*.json"))) == 4


def test_a_corpus_with_an_error_changes_nothing_in_the_store(corpus_dir, tmp_path):
    store = ParsedStore(tmp_path / "documents", version="v")
    load_corpus(corpus_dir, parsed=store)
    before = sorted(p.name for p in store.root.iterdir())
    (corpus_dir / "undated.txt").write_text("A title\n\nNo date in this one.\n", encoding="utf-8")
    (corpus_dir / "pre_talks.txt").write_text(ARTICLE, encoding="utf-8")
    for _ in range(2):  # the error every time, and nothing stored or pruned
        with pytest.raises(InputErrors, match="undated.txt"):
            load_corpus(corpus_dir, parsed=store)
        assert sorted(p.name for p in store.root.iterdir()) == before


def test_stored_files_are_looked_up_in_parts_on_several_jobs(awkward, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)  # forked parts even for five files
    store = ParsedStore(tmp_path / "documents", version="v")
    parsed = load_corpus(awkward)
    assert load_corpus(awkward, parsed=store, jobs=2) == parsed
    # a new file with a stored file's text: its duplicate key meets the stored one's
    (awkward / "copy.txt").write_bytes((awkward / "pre_talks.txt").read_bytes())
    with pytest.raises(InputErrors, match="pre_talks.txt: has the same text as copy.txt"):
        load_corpus(awkward, parsed=store, jobs=2)
    (awkward / "copy.txt").unlink()
    monkeypatch.setattr(loader, "read_article", refuse("read_article"))
    assert load_corpus(awkward, parsed=store, jobs=2) == parsed
