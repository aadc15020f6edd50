"""The hard-input suite: every awkward file gives a named error or a documented warning,
and a run never loses the previous outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.corpus.loader import load_corpus, parse_document
from analysis.text.tokens import tokenize_document

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
ARTICLE = (
    "CHINA / DIPLOMACY\n"
    "Third piece on the talks\n"
    "Published: Mar 22, 2021 08:00 AM\n"
    "\n"
    "Observers said the bossy tone of the talks would fade, and that both sides want "
    "a new normal in their ties.\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(out)]) == 0
    return out, snapshot(out)


def run(corpus: Path, out: Path, capsys) -> tuple[int, str]:
    status = main(["report", "--corpus", str(corpus), "--out", str(out)])
    return status, capsys.readouterr().err


# (name, file content, expected warning in stderr or None); each is read and analysed.
READABLE = {
    "utf-8 byte-order mark": (b"\xef\xbb\xbf" + ARTICLE.encode(), None),
    "windows line endings": (ARTICLE.replace("\n", "\r\n").encode(), None),
    "utf-16": (ARTICLE.encode("utf-16"), "decoded as UTF-16"),
    "cp1252 smart quotes": (
        ARTICLE.replace("bossy tone", "\u201cbossy\u201d tone").encode("cp1252"),
        "decoded as cp1252",
    ),
    "one very long line": (
        ("Observers said the bossy tone would fade. " * 20000).encode(),
        None,
    ),
    "unbalanced quote marks": (
        ARTICLE.replace("the bossy tone", '"the bossy tone').encode(),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(READABLE))
def test_readable_awkward_files(case, corpus_dir, tmp_path, capsys):
    content, warning = READABLE[case]
    (corpus_dir / "third.txt").write_bytes(content)
    if case == "one very long line":
        (corpus_dir / "manifest.csv").write_text("file,date\nthird.txt,2021-03-22\n")
    status, err = run(corpus_dir, tmp_path, capsys)
    assert status == 0, err
    if warning:
        assert "third.txt" in err and warning in err
    terms = (tmp_path / "results" / "framing_terms.csv").read_text(encoding="utf-8")
    bossy = [ln for ln in terms.splitlines() if ln.startswith("third,") and ",bossy," in ln]
    assert len(bossy) == 1 and int(bossy[0].split(",")[4]) >= 1


def test_crlf_offsets_index_the_file_text(tmp_path):
    path = tmp_path / "third.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    doc = parse_document(path, path.read_bytes().decode())
    assert [doc.raw[p.start : p.end] for p in doc.paragraphs][:3] == [
        "CHINA / DIPLOMACY",
        "Third piece on the talks",
        "Published: Mar 22, 2021 08:00 AM",
    ]


@pytest.mark.parametrize("date", ["2021-03-22", "22 March 2021", "March 22, 2021", "Mar 22 2021"])
def test_dates_in_other_formats(date, corpus_dir):
    (corpus_dir / "third.txt").write_text("Third piece\n\nObservers said talks went on.\n")
    (corpus_dir / "manifest.csv").write_text(f'file,date\nthird.txt,"{date}"\n')
    docs = {d.doc_id: d for d in load_corpus(corpus_dir).documents}
    assert str(docs["third"].date) == "2021-03-22"
    assert docs["third"].phase == "post"


def test_ambiguous_numeric_date_is_refused(corpus_dir, capsys, previous_outputs):
    (corpus_dir / "third.txt").write_text("Third piece\n\nObservers said talks went on.\n")
    (corpus_dir / "manifest.csv").write_text("file,date\nthird.txt,03/04/2021\n")
    out, before = previous_outputs
    status, err = run(corpus_dir, out, capsys)
    assert status == 2 and "third.txt" in err and "03/04/2021" in err
    assert snapshot(out) == before


def test_non_english_article_is_skipped_with_a_warning(corpus_dir, tmp_path, capsys):
    french = (
        "Les discussions entre la Chine et les États-Unis\n\n"
        "Le porte-parole a déclaré que les discussions étaient franches et constructives, "
        "mais que des divergences importantes subsistent sur plusieurs questions clés.\n"
    )
    (corpus_dir / "french.txt").write_text(french)
    (corpus_dir / "manifest.csv").write_text("file,date\nfrench.txt,2021-03-22\n")
    status, err = run(corpus_dir, tmp_path, capsys)
    assert status == 0
    assert "french.txt: skipped" in err and "English" in err
    assert "french" not in (tmp_path / "results" / "documents.csv").read_text()


# (name, how to make it, expected words in the one error line)
def _html(d: Path) -> None:
    (d / "page.txt").write_text(
        "<!DOCTYPE html><html><head><title>Talks</title></head><body><p>Text</p></body></html>"
    )


def _big(d: Path) -> None:
    with (d / "big.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)


def _loop(d: Path) -> None:
    os.symlink(d / "loop_b.txt", d / "loop_a.txt")
    os.symlink(d / "loop_a.txt", d / "loop_b.txt")


def _missing(d: Path) -> None:
    (d / "manifest.csv").write_text("file,date\ngone.txt,2021-03-22\n")


def _blank(d: Path) -> None:
    (d / "blank.txt").write_text("\n   \n\t\n")


REFUSED = {
    "html page saved as .txt": (_html, ["page.txt", "HTML page"]),
    "50 MB file": (_big, ["big.txt", "52 MB", "limit"]),
    "symlink loop": (_loop, ["loop_a.txt", "looping symbolic link"]),
    "manifest row for a missing file": (_missing, ["manifest.csv", "gone.txt"]),
    "whitespace-only file": (_blank, ["blank.txt", "empty"]),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_files_keep_previous_outputs(case, corpus_dir, previous_outputs, capsys):
    make, words = REFUSED[case]
    make(corpus_dir)
    out, before = previous_outputs
    status, err = run(corpus_dir, out, capsys)
    assert status == 2
    assert "Traceback" not in err
    first = next(ln for ln in err.splitlines() if ln.startswith("error:"))
    for word in words:
        assert word in first, err
    assert snapshot(out) == before


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=400
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, published=st.booleans())
def test_random_text_never_crashes_parsing_or_tokenization(text, published):
    if published:
        text = "Title\nPublished: Mar 20, 2021 10:07 AM\n" + text
    doc = parse_document(Path("random.txt"), text, {"date": "2021-03-20"})
    for p in doc.paragraphs:
        assert 0 <= p.start < p.end <= len(doc.raw)
    sentences, tokens = tokenize_document(doc)
    for row in tokens.itertuples():
        assert 0 <= row.start < row.end <= len(doc.raw)
        assert doc.text[row.start : row.end] == row.text
    for row in sentences.itertuples():
        assert 0 <= row.start < row.end <= len(doc.raw)
