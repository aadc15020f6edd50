"""Bulk import of articles into a corpus folder (``python -m analysis import SOURCE``).

Sources
-------
A folder of ``.txt`` articles, with or without a ``manifest.csv`` (the corpus
format, see :mod:`analysis.corpus.loader`): each file is copied as it is, and its
manifest row carried over.

A CSV (``.csv``, ``.tsv``; delimiter ``,``, ``;`` or tab, taken from the header
line), JSON Lines (``.jsonl``, ``.ndjson``) or JSON array (``.json``) export,
one article per row. Column names are matched case-insensitively, with spaces
and hyphens read as ``_``; :data:`COLUMNS` lists the accepted names. Each row
needs a text, a title and a date (``2021-03-20``, ``20 March 2021``...). The
article is written in the plain format: the title as the first paragraph, then
the body, paragraphs separated by blank lines (a body with no blank line has
one paragraph per line), control characters removed.

Identifiers
-----------
``doc_id`` is ``<prefix>-<date>-<hash>``: the slug of the outlet (else of the
title, else ``article``, at most 40 characters of ``[a-z0-9-]``), the ISO
date, and the first 8 hex digits of :func:`analysis.corpus.duplicates.text_key` of
the text written. Ids depend on content only, so importing the same source
twice writes nothing the second time, and no title, file name or outlet can
place a file outside the corpus folder.

Duplicates
----------
An article whose text equals one already in the corpus or earlier in the
batch (after normalising quotes and whitespace) is skipped and reported.
A near-duplicate (5-shingle Jaccard >= 0.8, :mod:`analysis.corpus.duplicates`), such
as a syndicated copy under another headline, is written and reported: which
copy to keep is the researcher's call, but it is never double-counted silently.

Writing
-------
Bad rows and files are collected as :class:`~analysis.errors.InputError`
(naming file and row) and the good ones are imported. ``manifest.csv`` is
rewritten first (new rows merged, other rows and columns kept; the title stays
in the article file, as a manifest title would make its first paragraph body
text), then the article files; each through a temporary file and
``os.replace``. If a run is interrupted, running it again completes it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.corpus import articles
from analysis.corpus.duplicates import find_duplicates, text_key
from analysis.corpus.loader import MANIFEST_FIELDS, parse_document, read_manifest
from analysis.corpus.textio import decode, read_text
from analysis.errors import InputError

#: Accepted column names (after lower-casing; spaces and hyphens read as ``_``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "full_text", "fulltext"),
    "title": ("title", "headline", "head", "hed"),
    "date": (
        "date",
        "published",
        "pub_date",
        "pubdate",
        "publication_date",
        "published_at",
        "publish_date",
        "date_published",
    ),
    "outlet": ("outlet", "source", "publication", "publisher", "newspaper", "source_name"),
    "url": ("url", "link", "permalink", "web_url"),
    "author": ("author", "authors", "byline"),
}
_ALIASES = {alias: field for field, names in COLUMNS.items() for alias in names}
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Written:
    """An article written (or, in a dry run, to be written) as ``<doc_id>.txt``."""

    doc_id: str
    source: str


@dataclass(frozen=True)
class SkippedDuplicate:
    """An article not written: its text is that of ``duplicate_of``."""

    source: str
    duplicate_of: str


@dataclass(frozen=True)
class NearDuplicate:
    """A written article ``doc_id`` that nearly repeats ``similar_to``."""

    doc_id: str
    similar_to: str
    similarity: float


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_source` did, for the command line to print."""

    source: Path
    corpus: Path
    dry_run: bool
    written: tuple[Written, ...] = ()
    skipped_duplicates: tuple[SkippedDuplicate, ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()
    errors: tuple[InputError, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Article:
    source: str
    content: str
    meta: dict[str, str]
    doc_id: str


def slug(value: str, *, max_len: int = 40) -> str:
    """Lower-case ASCII ``[a-z0-9-]`` slug of *value* (accents dropped), or ``""``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_len].strip("-")


def make_doc_id(content: str, *, date: str, outlet: str = "", title: str = "") -> str:
    """``<outlet or title slug>-<ISO date>-<8 hex of the text key>`` (see module docs)."""
    prefix = slug(outlet) or slug(title) or "article"
    return f"{prefix}-{slug(date)}-{text_key(content)[:8]}"


def _plain_article(title: str, body: str) -> str:
    body = _CONTROL.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))
    split = r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n", body) else r"\n"
    paragraphs = [" ".join(p.split()) for p in re.split(split, body)]
    title = " ".join(_CONTROL.sub(" ", title).split())
    return "\n\n".join([title, *(p for p in paragraphs if p)]) + "\n"


def _field_map(source: Path, header: list[str], where: str = "") -> dict[str, str]:
    """``{field: column}`` for a header row; ``InputError`` if ambiguous or without text."""
    found: dict[str, str] = {}
    for column in header:
        field = _ALIASES.get(re.sub(r"[\s-]+", "_", str(column).strip().lower()))
        if field is None:
            continue
        if field in found:
            raise InputError(
                source, f"{where}columns {found[field]!r} and {column!r} both give the {field}"
            )
        found[field] = column
    if "text" not in found:
        raise InputError(
            source, f"{where}has no text column; name it one of: {', '.join(COLUMNS['text'])}"
        )
    return found


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value).strip()


def _records(source: Path, text: str) -> Iterator[tuple[str, dict]]:
    """Yield ``(label, record)`` of a CSV/JSON Lines/JSON export; ``InputError`` if unreadable."""
    suffix = source.suffix.lower()
    if suffix in _JSON_SUFFIXES[1:]:
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield f"line {n}", json.loads(line)
                except json.JSONDecodeError as exc:
                    yield f"line {n}", InputError(source, f"line {n}: is not JSON ({exc.msg})")
    elif suffix == ".json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"is not JSON ({exc})") from None
        if not isinstance(items, list):
            raise InputError(source, "must hold a JSON array of articles, or be JSON Lines")
        yield from ((f"item {n}", item) for n, item in enumerate(items, start=1))
    else:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if suffix == ".tsv" else max(",;\t", key=first.count)
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        n = 1
        try:
            for n, row in enumerate(reader, start=2):
                yield f"row {n}", row
        except csv.Error as exc:
            raise InputError(source, f"cannot be read as CSV after row {n} ({exc})") from None


def _read_export(source: Path) -> tuple[list[_Article], list[InputError], list[str]]:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(source, "is a binary file, not a text export; save it as CSV or JSON")
    text, warnings = decode(data, source)
    found: list[_Article] = []
    errors: list[InputError] = []
    fields: dict[str, str] | None = None
    is_json = source.suffix.lower() in _JSON_SUFFIXES
    try:
        for label, record in _records(source, text):
            if isinstance(record, InputError):
                errors.append(record)
                continue
            if not isinstance(record, dict):
                errors.append(InputError(source, f"{label}: is not an object with named fields"))
                continue
            try:
                if fields is None or is_json:
                    fields = _field_map(source, list(record), f"{label}: " if is_json else "")
                row = {f: _cell(record.get(c)) for f, c in fields.items()}
                found.append(_article_from_row(source, label, row))
            except InputError as exc:
                errors.append(exc)
                if fields is None and not is_json:
                    break
    except InputError as exc:
        errors.append(exc)
    return found, errors, warnings


def _article_from_row(source: Path, label: str, row: dict[str, str]) -> _Article:
    for field, how in (("text", "the article text"), ("title", "its headline")):
        if not _CONTROL.sub("", row.get(field, "")).strip():
            raise InputError(source, f"{label}: has no {field}; add {how}")
    date = articles.parse_date(row.get("date", ""))
    if date is None:
        problem = f"date {row['date']!r} cannot be read" if row.get("date") else "has no date"
        raise InputError(source, f"{label}: {problem}; write it as 2021-03-20")
    content = _plain_article(row["title"], row["text"])
    if articles.detect_format(content) != "plain":
        raise InputError(
            source,
            f"{label}: a 'Published:' line near the top of the text would make it read as a "
            "Global Times page; remove that line (the date column gives the date)",
        )
    meta = {f: row[f] for f in ("outlet", "url", "author") if row.get(f)}
    meta["date"] = date.isoformat()
    doc_id = make_doc_id(
        content, date=meta["date"], outlet=meta.get("outlet", ""), title=row["title"]
    )
    return _Article(f"{source.name} {label}", content, meta, doc_id)


def _read_folder(source: Path) -> tuple[list[_Article], list[InputError], list[str]]:
    manifest = read_manifest(source / config.MANIFEST)
    found: list[_Article] = []
    errors: list[InputError] = []
    warnings: list[str] = []
    names = set()
    for path in sorted(source.iterdir()):
        if path.name.startswith(".") or path.name in config.CORPUS_SIDE_FILES:
            continue
        names.add(path.name)
        if path.is_dir():
            warnings.append(f"{path}: sub-folder ignored; only .txt files are imported")
            continue
        if path.suffix.lower() != ".txt":
            errors.append(InputError(path, "is not a .txt article; it was not imported"))
            continue
        try:
            raw, file_warnings = read_text(path)
            doc = parse_document(path, raw, manifest.get(path.name))
        except InputError as exc:
            errors.append(exc)
            continue
        warnings += file_warnings
        if doc.date is None:
            errors.append(
                InputError(path, f"has no date: add a row '{path.name},2021-03-20' to the manifest")
            )
            continue
        meta = dict(manifest.get(path.name, {}))
        if "date" in meta:
            meta["date"] = doc.date.isoformat()
        doc_id = make_doc_id(raw, date=doc.date.isoformat(), outlet=doc.outlet, title=doc.title)
        found.append(_Article(path.name, raw, meta, doc_id))
    for name in sorted(set(manifest) - names):
        errors.append(
            InputError(source / config.MANIFEST, f"names {name!r}, which is not in {source}")
        )
    return found, errors, warnings


def _atomic_write(path: Path, content: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _merged_manifest(path: Path, new: list[_Article]) -> str:
    """The manifest text with rows for *new* added (replacing rows for the same file)."""
    rows: list[dict[str, str]] = []
    header: list[str] = []
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    header += [c for c in ("file", *MANIFEST_FIELDS) if c not in header]
    new_files = {f"{a.doc_id}.txt" for a in new}
    rows = [r for r in rows if (r.get("file") or "").strip() not in new_files]
    rows += [{"file": f"{a.doc_id}.txt", **a.meta} for a in new]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=header, lineterminator="\n", restval="", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _existing_texts(corpus: Path) -> dict[str, str]:
    """``{doc_id: text}`` of the corpus's readable articles (load_corpus reports the others)."""
    texts = {}
    for path in sorted(corpus.iterdir()) if corpus.is_dir() else []:
        if path.name.startswith(".") or path.suffix.lower() != ".txt" or not path.is_file():
            continue
        try:
            texts[path.stem] = read_text(path)[0]
        except InputError:
            continue
    return texts


def import_source(
    source: Path, corpus: Path, *, dry_run: bool = False, near_threshold: float = 0.8
) -> ImportReport:
    """Import the articles of *source* (a folder or an export file) into *corpus*.

    Parameters
    ----------
    source : folder of ``.txt`` articles, or a ``.csv``/``.tsv``/``.jsonl``/``.json`` export
    corpus : corpus folder, created if missing
    dry_run : report what would be written, and write nothing
    near_threshold : smallest 5-shingle Jaccard similarity reported as a near-duplicate

    Returns
    -------
    ImportReport
        Articles written, exact duplicates skipped, near-duplicates written
        and reported, and every problem found (see the module docstring).
    """
    source, corpus = Path(source), Path(corpus)
    try:
        if corpus.exists() and not corpus.is_dir():
            raise InputError(corpus, "is not a folder; pass the corpus folder to import into")
        read_manifest(corpus / config.MANIFEST)
        if source.is_dir():
            found, errors, warnings = _read_folder(source)
        elif source.is_file():
            found, errors, warnings = _read_export(source)
        else:
            raise InputError(source, "does not exist; give a folder of .txt files or an export")
    except InputError as exc:
        return ImportReport(source, corpus, dry_run, errors=(exc,))
    if not found and not errors:
        errors.append(InputError(source, "holds no article to import"))
    existing = _existing_texts(corpus)
    seen = {text_key(text): doc_id for doc_id, text in existing.items()}
    taken = set(existing)
    new: list[_Article] = []
    skipped: list[SkippedDuplicate] = []
    for article in found:
        key = text_key(article.content)
        if key in seen:
            skipped.append(SkippedDuplicate(article.source, seen[key]))
        elif article.doc_id in taken:
            errors.append(
                InputError(
                    corpus / f"{article.doc_id}.txt",
                    f"is taken by another text (id clash); {article.source} was not imported",
                )
            )
        else:
            seen[key] = article.doc_id
            taken.add(article.doc_id)
            new.append(article)
    pairs = find_duplicates(
        {**existing, **{a.doc_id: a.content for a in new}}, threshold=near_threshold
    )
    new_ids = {a.doc_id for a in new}
    near = [
        NearDuplicate(b, a, float(s)) if b in new_ids else NearDuplicate(a, b, float(s))
        for a, b, s in pairs.loc[
            pairs["kind"] == "near", ["doc_a", "doc_b", "similarity"]
        ].itertuples(index=False)
        if a in new_ids or b in new_ids
    ]
    if new and not dry_run:
        corpus.mkdir(parents=True, exist_ok=True)
        _atomic_write(corpus / config.MANIFEST, _merged_manifest(corpus / config.MANIFEST, new))
        for article in new:
            _atomic_write(corpus / f"{article.doc_id}.txt", article.content)
    return ImportReport(
        source,
        corpus,
        dry_run,
        written=tuple(Written(a.doc_id, a.source) for a in new),
        skipped_duplicates=tuple(skipped),
        near_duplicates=tuple(near),
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def format_report(report: ImportReport) -> str:
    """Human-readable summary of an :class:`ImportReport`, one item per line."""
    verb = "would write" if report.dry_run else "wrote"
    lines = [
        f"{verb} {len(report.written)} new article(s) to {report.corpus}/"
        + (" (dry run: nothing written)" if report.dry_run else "")
    ]
    lines += [f"  {w.doc_id}.txt  <- {w.source}" for w in report.written]
    if report.skipped_duplicates:
        lines.append(
            f"skipped {len(report.skipped_duplicates)} exact duplicate(s) "
            "(same text once quotes and spaces are normalised):"
        )
        lines += [f"  {d.source}: same text as {d.duplicate_of}" for d in report.skipped_duplicates]
    if report.near_duplicates:
        lines.append(
            f"{len(report.near_duplicates)} near-duplicate(s), kept; "
            "delete one file if they are the same article:"
        )
        lines += [
            f"  {n.doc_id} ~ {n.similar_to} (5-word-shingle Jaccard {n.similarity:.2f})"
            for n in report.near_duplicates
        ]
    lines += [f"warning: {w}" for w in report.warnings]
    if report.errors:
        lines.append(f"{len(report.errors)} problem(s); these were not imported:")
        lines += [f"error: {e}" for e in report.errors]
    return "\n".join(lines)
