"""Reading what ``import`` brings in: a folder of ``.txt`` articles with an optional
manifest, or a CSV/TSV, JSON Lines or JSON export of a news database, as article records
with content-derived ids (the rules are in :mod:`analysis.corpus.importer`)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.corpus import articles
from analysis.corpus.duplicates import text_key
from analysis.corpus.loader import parse_document, read_manifest
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
