"""Bulk import: exports and folders in, corpus files and manifest out, duplicates reported."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from analysis.corpus import importer
from analysis.corpus.duplicates import text_key
from analysis.corpus.import_sources import make_doc_id, slug
from analysis.corpus.importer import format_report, import_source
from analysis.corpus.loader import load_corpus, read_manifest

BODY = (
    "The two countries announced a high-level meeting in Anchorage next week, a sign of "
    "sincerity that drew world attention.\n\n"
    "Officials said both sides would raise candid concerns about trade, technology and human "
    "rights, and observers expect tough words but also room for cooperation on climate change."
)
OTHER = (
    "A delegation left for Alaska on Wednesday.\n\nAnalysts said the meeting would test whether "
    "the new administration keeps the tariffs of its predecessor."
)


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


HEADER_VARIANTS = [
    (["text", "title", "date", "outlet", "url"], ","),
    (["Body", "Headline", "Published", "Source", "Link"], ","),
    (["CONTENT", "Title", "pub_date", "Publication", "URL"], ";"),
    (["Full Text", "title", "Pub-Date", "publisher", "permalink"], "\t"),
]


@pytest.mark.parametrize(("header", "delimiter"), HEADER_VARIANTS)
def test_csv_header_variants(tmp_path: Path, header: list[str], delimiter: str) -> None:
    src = write_csv(
        tmp_path / "export.csv",
        header,
        [[BODY, "Talks set to reset ties", "2021-03-11", "Global Times", "https://x.test/1"]],
        delimiter,
    )
    report = import_source(src, tmp_path / "corpus")
    assert report.errors == ()
    (written,) = report.written
    assert written.doc_id.startswith("global-times-2021-03-11-")
    corpus = load_corpus(tmp_path / "corpus")
    (doc,) = corpus.documents
    assert doc.doc_id == written.doc_id
    assert doc.title == "Talks set to reset ties"
    assert str(doc.date) == "2021-03-11"
    assert (doc.outlet, doc.url) == ("Global Times", "https://x.test/1")
    assert [p.kind for p in doc.paragraphs] == ["title", "body", "body"]
    assert [doc.text[p.start : p.end] for p in doc.paragraphs[1:]] == BODY.split("\n\n")


@pytest.mark.parametrize(
    ("name", "records"),
    [
        (
            "export.jsonl",
            [{"content": BODY, "headline": "Talks set", "published_at": "11 March 2021"}],
        ),
        (
            "export.json",
            [{"Text": BODY, "Title": "Talks set", "Date": "Mar 11, 2021", "authors": ["A", "B"]}],
        ),
    ],
)
def test_json_inputs(tmp_path: Path, name: str, records: list[dict]) -> None:
    src = tmp_path / name
    if name.endswith(".jsonl"):
        write_jsonl(src, records)
    else:
        src.write_text(json.dumps(records), encoding="utf-8")
    report = import_source(src, tmp_path / "corpus")
    assert report.errors == ()
    (doc,) = load_corpus(tmp_path / "corpus").documents
    assert (doc.title, str(doc.date)) == ("Talks set", "2021-03-11")
    assert doc.doc_id.startswith("talks-set-2021-03-11-")
    assert doc.author == ("A; B" if name.endswith(".json") else "")


def test_body_with_single_newlines_has_one_paragraph_per_line(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "e.csv", ["text", "title", "date"], [["One.\r\nTwo.\nThree.", "T", "2021-03-20"]]
    )
    import_source(src, tmp_path / "corpus")
    (doc,) = load_corpus(tmp_path / "corpus").documents
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["T", "One.", "Two.", "Three."]


def test_reimport_is_idempotent(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "e.csv",
        ["text", "title", "date", "outlet"],
        [[BODY, "Talks", "2021-03-11", "GT"], [OTHER, "Leaves", "2021-03-17", "GT"]],
    )
    first = import_source(src, tmp_path / "corpus")
    snapshot = {p: (tmp_path / "corpus" / p).read_bytes() for p in files(tmp_path / "corpus")}
    second = import_source(src, tmp_path / "corpus")
    assert len(first.written) == 2 and second.written == ()
    assert [d.duplicate_of for d in second.skipped_duplicates] == [w.doc_id for w in first.written]
    assert {p: (tmp_path / "corpus" / p).read_bytes() for p in files(tmp_path / "corpus")} == (
        snapshot
    )


def test_interrupted_import_is_completed_by_a_rerun(tmp_path: Path, monkeypatch) -> None:
    src = write_csv(tmp_path / "e.csv", ["text", "title", "date"], [[BODY, "T", "2021-03-11"]])
    real_replace = importer.os.replace

    def crash_on_articles(tmp: str, dest: Path) -> None:
        if Path(dest).suffix == ".txt":
            raise KeyboardInterrupt
        real_replace(tmp, dest)

    monkeypatch.setattr(importer.os, "replace", crash_on_articles)
    with pytest.raises(KeyboardInterrupt):
        import_source(src, tmp_path / "corpus")
    monkeypatch.setattr(importer.os, "replace", real_replace)
    assert files(tmp_path / "corpus") == ["manifest.csv"]
    report = import_source(src, tmp_path / "corpus")
    assert len(report.written) == 1
    assert len(load_corpus(tmp_path / "corpus").documents) == 1
    assert len(read_manifest(tmp_path / "corpus" / "manifest.csv")) == 1


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "e.csv", ["text", "title", "date"], [[BODY, "T", "2021-03-11"]])
    report = import_source(src, tmp_path / "corpus", dry_run=True)
    assert len(report.written) == 1 and not (tmp_path / "corpus").exists()
    assert "dry run: nothing written" in format_report(report)


def test_merges_into_existing_manifest(corpus_dir: Path, tmp_path: Path) -> None:
    manifest = corpus_dir / "manifest.csv"
    manifest.write_text("file,title,notes\npre_talks.txt,Given title,keep me\n", encoding="utf-8")
    src = write_csv(tmp_path / "e.csv", ["text", "title", "date"], [[OTHER, "New", "2021-03-17"]])
    report = import_source(src, corpus_dir)
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    assert rows[0] == {
        "file": "pre_talks.txt",
        "title": "Given title",
        "notes": "keep me",
        "date": "",
        "outlet": "",
        "url": "",
        "author": "",
    }
    assert rows[1]["file"] == f"{report.written[0].doc_id}.txt" and rows[1]["date"] == "2021-03-17"
    assert len(load_corpus(corpus_dir).documents) == 3
    assert not [p for p in files(corpus_dir) if p.startswith(".")]


def test_folder_import_keeps_files_and_manifest_rows(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "plain.txt").write_text("A plain title\n\n" + OTHER, encoding="utf-8")
    (corpus_dir / "manifest.csv").write_text(
        "file,date,outlet\nplain.txt,17 March 2021,Xinhua\n", encoding="utf-8"
    )
    source = load_corpus(corpus_dir)
    report = import_source(corpus_dir, tmp_path / "new")
    assert report.errors == () and len(report.written) == 3
    imported = load_corpus(tmp_path / "new")
    assert sorted((d.title, d.date, d.outlet, d.raw) for d in imported.documents) == sorted(
        (d.title, d.date, d.outlet, d.raw) for d in source.documents
    )
    assert read_manifest(tmp_path / "new" / "manifest.csv")[
        f"{make_doc_id(source.documents[1].raw, date='2021-03-17', outlet='Xinhua')}.txt"
    ] == {"date": "2021-03-17", "outlet": "Xinhua"}


def test_folder_problems_are_collected(corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "undated.txt").write_text("Title\n\nBody text.", encoding="utf-8")
    (corpus_dir / "notes.docx").write_bytes(b"PK")
    (corpus_dir / "sub").mkdir()
    (corpus_dir / "manifest.csv").write_text("file\n../../etc/passwd\n", encoding="utf-8")
    report = import_source(corpus_dir, tmp_path / "new")
    problems = sorted(f"{e.path.name}: {e.problem}" for e in report.errors)
    assert [p.split(":")[0] for p in problems] == ["manifest.csv", "notes.docx", "undated.txt"]
    assert "'../../etc/passwd', which is not in" in problems[0]
    assert len(report.written) == 2 and "sub-folder ignored" in report.warnings[0]


def test_exact_and_near_duplicates(corpus_dir: Path, tmp_path: Path) -> None:
    fixture = (corpus_dir / "post_talks.txt").read_text(encoding="utf-8")
    src = write_csv(
        tmp_path / "e.csv",
        ["text", "title", "date", "outlet"],
        [
            [BODY, "Talks set", "2021-03-11", "GT"],
            [BODY.replace(" ", "  "), "Talks  set", "2021-03-11", "GT"],
            [BODY + "\n\nReuters contributed to this report.", "Syndicated", "2021-03-12", "R"],
            [OTHER, "Leaves", "2021-03-17", "GT"],
        ],
    )
    # an exact duplicate already in the corpus is load_corpus's to report, not the importer's
    (corpus_dir / "copy.txt").write_text(fixture, encoding="utf-8")
    report = import_source(src, corpus_dir)
    first, syndicated, other = (w.doc_id for w in report.written)
    assert [(d.source, d.duplicate_of) for d in report.skipped_duplicates] == [
        ("e.csv row 3", first)
    ]
    assert [(n.doc_id, n.similar_to) for n in report.near_duplicates] == [(syndicated, first)]
    # Shingles: "Talks set" + n body words -> n - 2; "Syndicated" + body + 5 words -> n + 2;
    # shared: the n - 4 within the body. Jaccard = (n - 4) / (n + 4).
    n = len(re.findall(r"\w+", BODY))
    assert report.near_duplicates[0].similarity == pytest.approx((n - 4) / (n + 4))
    text = format_report(report)
    assert f"{syndicated} ~ {first}" in text and "same text as" in text


def test_article_already_in_corpus_is_skipped(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "again.txt").write_text(
        (corpus_dir / "pre_talks.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = import_source(src, corpus_dir)
    assert report.written == ()
    assert [(d.source, d.duplicate_of) for d in report.skipped_duplicates] == [
        ("again.txt", "pre_talks")
    ]


BAD_ROWS = [
    (["", "T", "2021-03-11"], "row 2: has no text"),
    ([BODY, "  ", "2021-03-11"], "row 2: has no title"),
    ([BODY, "T", ""], "row 2: has no date"),
    ([BODY, "T", "03/04/2021"], "row 2: date '03/04/2021' cannot be read"),
    ([BODY, "T", "next week"], "row 2: date 'next week' cannot be read"),
    (["Published: Mar 11, 2021\n\n" + BODY, "T", "2021-03-11"], "'Published:' line"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_bad_rows_are_reported_and_good_ones_imported(
    tmp_path: Path, row: list[str], message: str
) -> None:
    src = write_csv(
        tmp_path / "e.csv", ["text", "title", "date"], [row, [OTHER, "Good", "2021-03-17"]]
    )
    report = import_source(src, tmp_path / "corpus")
    (error,) = report.errors
    assert error.path == src and message in error.problem
    assert [w.source for w in report.written] == ["e.csv row 3"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("e.csv", "title,date\nT,2021-03-11\n", "has no text column; name it one of: text, body"),
        ("e.csv", "text,body,title,date\na,b,T,2021-03-11\n", "'text' and 'body' both give"),
        ("e.csv", "text,title,date\n", "holds no article"),
        ("e.jsonl", '{"text": "x", "title": "T", "date": "2021-03-11"}\nnot json\n', "line 2"),
        ("e.jsonl", '["a list"]\n', "line 1: is not an object"),
        ("e.jsonl", '{"title": "T"}\n', "line 1: has no text column"),
        ("e.json", '{"text": "x"}', "JSON array"),
        ("missing.csv", None, "does not exist"),
    ],
)
def test_bad_exports(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    report = import_source(tmp_path / name, tmp_path / "corpus")
    assert any(message in e.problem for e in report.errors), report.errors


def test_control_characters_alone_are_no_text(tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "e.jsonl", [{"text": "\x00\x01 ", "title": "T", "date": "2021-03-11"}]
    )
    report = import_source(src, tmp_path / "corpus")
    assert [e.problem for e in report.errors] == ["line 1: has no text; add the article text"]


@pytest.mark.parametrize(("encoding", "warnings"), [("utf-8-sig", 0), ("utf-16", 1), ("cp1252", 1)])
def test_export_encodings(tmp_path: Path, encoding: str, warnings: int) -> None:
    src = tmp_path / "e.csv"
    src.write_bytes(f'Body,Headline,Date\n"{BODY}",“Reset” ties,2021-03-11\n'.encode(encoding))
    report = import_source(src, tmp_path / "corpus")
    assert report.errors == () and len(report.warnings) == warnings
    (doc,) = load_corpus(tmp_path / "corpus").documents
    assert doc.raw.startswith("“Reset” ties\n\nThe two countries")


def test_id_clash_is_an_error_not_an_overwrite(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    content = "T\n\nOne.\n"
    clash = make_doc_id(content, date="2021-03-11", outlet="GT")
    (corpus / f"{clash}.txt").write_text("Something else entirely.", encoding="utf-8")
    src = write_csv(
        tmp_path / "e.csv", ["text", "title", "date", "outlet"], [["One.", "T", "2021-03-11", "GT"]]
    )
    report = import_source(src, corpus)
    assert report.written == () and "id clash" in report.errors[0].problem
    assert (corpus / f"{clash}.txt").read_text(encoding="utf-8") == "Something else entirely."


def test_binary_export_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"text,title\x00\x01")
    report = import_source(tmp_path / "e.csv", tmp_path / "corpus")
    assert "is a binary file, not a text export" in report.errors[0].problem


def test_corpus_that_is_a_file(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "e.csv", ["text", "title", "date"], [[BODY, "T", "2021-03-11"]])
    (tmp_path / "corpus").write_text("x")
    report = import_source(src, tmp_path / "corpus")
    assert report.written == () and "is not a folder" in report.errors[0].problem


TRAVERSALS = [
    ("../../etc/passwd", "", "etc-passwd-2021-03-11-"),
    ("T", "../../etc/passwd", "etc-passwd-2021-03-11-"),
    ("T", "/abs/path/x", "abs-path-x-2021-03-11-"),
    ("T", "C:\\Windows\\system32", "c-windows-system32-2021-03-11-"),
    ("T", "CON", "con-2021-03-11-"),
    ("NUL\x00name", "", "nul-name-2021-03-11-"),
    ("..", "..", "article-2021-03-11-"),
    ("环球时报", "", "article-2021-03-11-"),
    (
        "Le Monde diplomatique: édition spéciale " * 3,
        "",
        "le-monde-diplomatique-edition-speciale-l-2021",
    ),
]


@pytest.mark.parametrize(("title", "outlet", "prefix"), TRAVERSALS)
def test_ids_are_safe_slugs(tmp_path: Path, title: str, outlet: str, prefix: str) -> None:
    corpus = tmp_path / "deep" / "corpus"
    src = write_jsonl(
        tmp_path / "e.jsonl",
        [{"text": BODY, "title": title, "date": "2021-03-11", "source": outlet}],
    )
    before = sorted(p for p in tmp_path.rglob("*"))
    report = import_source(src, corpus)
    (written,) = report.written
    assert written.doc_id.startswith(prefix)
    assert set(written.doc_id) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert created == sorted(
        [tmp_path / "deep", corpus, corpus / "manifest.csv", corpus / f"{written.doc_id}.txt"]
    )
    assert load_corpus(corpus).documents[0].title == " ".join(title.replace("\x00", " ").split())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Global Times", "global-times"), ("../..", ""), ("Ça va?", "ca-va"), ("a" * 50, "a" * 40)],
)
def test_slug(value: str, expected: str) -> None:
    assert slug(value) == expected


def test_doc_id_is_derived_from_content() -> None:
    content = "Title\n\nBody.\n"
    assert make_doc_id(content, date="2021-03-20", outlet="GT") == (
        f"gt-2021-03-20-{text_key(content)[:8]}"
    )
