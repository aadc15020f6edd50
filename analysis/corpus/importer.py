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

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.corpus.duplicates import find_duplicates, text_key
from analysis.corpus.import_sources import _Article, _read_export, _read_folder
from analysis.corpus.loader import MANIFEST_FIELDS, read_manifest
from analysis.corpus.textio import read_text
from analysis.errors import InputError


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
