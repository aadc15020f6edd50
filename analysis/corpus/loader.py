"""Load a corpus folder: article files, ``manifest.csv`` and ``corpus.toml``.

A corpus folder holds one ``.txt`` file per article (``doc_id`` is the file
stem), and optionally:

``corpus.toml``
    ``[event]`` with ``name``, ``start`` and ``end`` (TOML dates). Each document
    gets ``phase`` = pre / during / post from its date.
``manifest.csv``
    One row per article file, column ``file`` plus any of ``title``, ``date``,
    ``outlet``, ``url``, ``author``. A manifest value replaces the one found in
    the file, and gives plain-text files the title and date they lack.

Files that do not read as English are skipped with a warning (see
:mod:`analysis.corpus.language`). Every problem found is collected and raised at the end as one
:class:`~analysis.errors.InputErrors`, one message per file, so a user fixes
them all in one go. Sub-folders are ignored with a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from analysis import config
from analysis.corpus import articles
from analysis.corpus.language import english_share, is_english
from analysis.corpus.normalize import normalize
from analysis.corpus.parsed_store import ParsedStore
from analysis.corpus.textio import MAX_BYTES, read_text
from analysis.errors import InputError, InputErrors
from analysis.forking import forked
from analysis.types import Document, Event

MANIFEST_FIELDS = ("title", "date", "outlet", "url", "author")


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: its documents (sorted by date, then id), event and warnings."""

    path: Path
    documents: tuple[Document, ...]
    event: Event | None
    warnings: tuple[str, ...] = ()


def read_event(path: Path) -> Event | None:
    """Read the ``[event]`` table of a ``corpus.toml``; ``None`` if the file is absent."""
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ev = data["event"]
        event = Event(str(ev["name"]), ev["start"], ev["end"])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"is not valid TOML ({exc})") from None
    except (KeyError, TypeError):
        raise InputError(
            path, "needs an [event] table with name, start and end, e.g. start = 2021-03-18"
        ) from None
    if not all(
        isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in (event.start, event.end)
    ):
        raise InputError(path, "event start and end must be TOML dates such as 2021-03-18")
    if event.end < event.start:
        raise InputError(path, f"event ends ({event.end}) before it starts ({event.start})")
    return event


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Read ``manifest.csv`` into ``{file name: {field: value}}`` (empty values dropped)."""
    if not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, f"cannot be read as UTF-8 CSV ({exc})") from None
    if rows and "file" not in rows[0]:
        raise InputError(path, "needs a 'file' column naming each article file")
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows, start=2):
        name = (row.get("file") or "").strip()
        if not name:
            raise InputError(path, f"row {n} has no file name")
        out[name] = {
            k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS if (row.get(k) or "").strip()
        }
    return out


def parse_document(path: Path, raw: str, meta: dict[str, str] | None = None) -> Document:
    """Parse one article's decoded text into a :class:`Document` (date may be ``None``)."""
    meta = meta or {}
    text = normalize(raw)
    fmt = articles.detect_format(text)
    date = None
    if fmt == "globaltimes":
        paragraphs, date_text = articles.parse_globaltimes(text)
        date = articles.parse_date(date_text or "")
        if date is None:
            raise InputError(path, f"has a Published line whose date cannot be read: {date_text!r}")
    else:
        paragraphs = articles.parse_plain(text, has_title="title" in meta)
    if "date" in meta:
        date = articles.parse_date(meta["date"])
        if date is None:
            raise InputError(
                path, f"manifest date {meta['date']!r} cannot be read; write it as 2021-03-20"
            )
    title = meta.get("title") or " ".join(
        text[p.start : p.end] for p in paragraphs if p.kind == "title"
    )
    return Document(
        doc_id=path.stem,
        path=path,
        raw=raw,
        text=text,
        title=title,
        date=date,
        source_format=fmt,
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        section=next((text[p.start : p.end] for p in paragraphs if p.kind == "section"), ""),
        tags=tuple(dict.fromkeys(text[p.start : p.end] for p in paragraphs if p.kind == "tag")),
        outlet=meta.get("outlet") or articles.FORMAT_OUTLETS.get(fmt, ""),
        url=meta.get("url", ""),
        author=meta.get("author", ""),
    )


def _article_paths(folder: Path, errors: list[InputError], warnings: list[str]) -> list[Path]:
    """The folder's article files, by name (code-point order).

    Listed with ``os.scandir``, whose entries know their type without a
    ``stat`` call, and sorted by name rather than as paths: over 8,391 files, two
    ``stat`` calls per file and comparing ``Path`` objects took 0.1 s of every run.
    """
    paths = []
    for name, path, kind in _listing(folder):
        if name.startswith(".") or name in config.CORPUS_SIDE_FILES:
            continue
        try:
            is_dir, is_file = kind.is_dir(), kind.is_file()
        except OSError as exc:
            errors.append(InputError(path, f"cannot be inspected ({exc.strerror or exc})"))
            continue
        if is_dir:
            warnings.append(
                f"{path}: sub-folder ignored; a corpus is one flat folder of .txt files"
            )
        elif not is_file:
            errors.append(InputError(path, "is a broken or looping symbolic link; remove it"))
        elif path.suffix.lower() != ".txt":
            errors.append(
                InputError(
                    path,
                    "is not a .txt article; save it as UTF-8 text or move it out of the folder",
                )
            )
        else:
            paths.append(path)
    return paths


def _listing(folder: Path) -> list[tuple[str, Path, object]]:
    """Each entry's name, path, and what tells whether it is a folder or a file, by name.

    A folder named by URL (fsspec) has no ``os.scandir``: its paths tell. So does a
    symbolic link, which is a file only if it leads to one.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except TypeError:  # not a local folder
        return [(p.name, p, p) for p in sorted(folder.iterdir(), key=lambda p: p.name)]
    listed = []
    for entry in entries:
        path = folder / entry.name
        listed.append((entry.name, path, path if entry.is_symlink() else entry))
    return listed


@dataclass(frozen=True)
class ArticleFile:
    """One article file of a corpus folder and its manifest row (``{field: value}``)."""

    path: Path
    meta: tuple[tuple[str, str], ...] = ()

    @property
    def doc_id(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class CorpusFiles:
    """A scanned corpus folder: its article files (by name), event, and what was found wrong.

    Nothing is parsed: :func:`read_article` reads one file, so the files can be
    read where they are analysed (another process or machine) and only when needed.
    """

    path: Path
    files: tuple[ArticleFile, ...]
    event: Event | None
    errors: tuple[InputError, ...] = ()
    warnings: tuple[str, ...] = ()


def scan_corpus(folder: str | Path | None = None) -> CorpusFiles:
    """List the articles of a corpus folder with their manifest rows, and read its event.

    Folder-level problems (an invalid ``corpus.toml`` or ``manifest.csv``, files that
    are not ``.txt``, broken links, manifest rows naming missing files, no article at
    all) are collected in ``errors``, not raised, so that they can be reported with the
    problems of the files themselves.

    Raises
    ------
    InputErrors
        Only when *folder* is not a folder.
    """
    folder = config.corpus_dir(folder)
    if not folder.is_dir():
        raise InputErrors(
            [InputError(folder, "is not a folder; pass --corpus DIR with your articles")]
        )
    errors: list[InputError] = []
    warnings: list[str] = []
    event = manifest = None
    try:
        event = read_event(folder / config.CORPUS_CONFIG)
    except InputError as exc:
        errors.append(exc)
    try:
        manifest = read_manifest(folder / config.MANIFEST)
    except InputError as exc:
        errors.append(exc)
        manifest = {}
    paths = _article_paths(folder, errors, warnings)
    for name in sorted(set(manifest) - {p.name for p in paths}):
        errors.append(
            InputError(folder / config.MANIFEST, f"names {name!r}, which is not in {folder}")
        )
    if not paths and not errors:
        errors.append(
            InputError(
                folder,
                "holds no .txt article; add article files"
                + (
                    f" (see {folder / 'README.md'})"
                    if (folder / "README.md").is_file()
                    else " (see the project README, 'Adding articles')"
                ),
            )
        )
    files = tuple(ArticleFile(p, tuple(sorted(manifest.get(p.name, {}).items()))) for p in paths)
    return CorpusFiles(folder, files, event, tuple(errors), tuple(warnings))


def read_article(file: ArticleFile) -> tuple[Document | None, list[str]]:
    """Read and parse one article file; ``(None, warnings)`` when it is skipped as not English.

    The document's ``phase`` is left empty: it depends on the corpus event, not
    on the file (see :func:`with_phase`).

    Raises
    ------
    InputError
        For a file that cannot be read as an article, or that has no date.
    """
    path = file.path
    raw, warnings = read_text(path)
    doc = parse_document(path, raw, dict(file.meta) or None)
    if not is_english(doc.text):
        share, _ = english_share(doc.text)
        warnings.append(
            f"{path}: skipped: it does not read as English ({share:.0%} English function "
            "words); the lexicons and the sentiment model are English-only"
        )
        return None, warnings
    if doc.date is None:
        raise InputError(
            path,
            "has no date: add a 'Published: Mar 20, 2021' line under the title, or a "
            f"row '{path.name},2021-03-20' to {config.MANIFEST} (columns file,date)",
        )
    return replace(doc, warnings=tuple(warnings)), warnings


def duplicate_key(doc: Document) -> str:
    """What two files with the same text share: a hash of the text with white space collapsed."""
    return hashlib.sha256(" ".join(doc.text.split()).encode("utf-8")).hexdigest()


def duplicate_errors(keys: list[tuple[Path, str]]) -> list[InputError]:
    """An error for each file whose :func:`duplicate_key` an earlier file (by path) already has."""
    seen: dict[str, Path] = {}
    errors = []
    for path, key in sorted(keys):
        if key in seen:
            errors.append(
                InputError(path, f"has the same text as {seen[key].name}; remove one of them")
            )
        else:
            seen[key] = path
    return errors


def phase_of(date: dt.date | None, event: Event | None) -> str:
    """``pre``/``during``/``post`` of *date* relative to *event*; ``""`` without either."""
    return event.phase(date) if event and date else ""


#: Below this many files a corpus is read in this process: forking would cost more.
PARALLEL_FROM = 200


def load_corpus(
    folder: str | Path | None = None, *, jobs: int | None = 1, parsed: ParsedStore | None = None
) -> Corpus:
    """Load every article of a corpus folder (default: :func:`analysis.config.corpus_dir`).

    With *jobs* above 1 (``None``: all cores) and at least :data:`PARALLEL_FROM` files,
    ``jobs - 1`` forked workers read and parse files beside this process
    (:func:`analysis.forking.forked`); the corpus is the same either way. With
    *parsed*, files whose bytes, path and manifest row are unchanged are rebuilt from
    the store rather than parsed again, and the new results are stored
    (:mod:`analysis.corpus.parsed_store`); the corpus is the same.

    Raises
    ------
    InputErrors
        Listing every problem found: unreadable, empty or binary files, files
        without a date, duplicate texts, non-text files, manifest rows naming
        missing files, an invalid ``corpus.toml``, or a folder with no article.
    """
    scanned = scan_corpus(folder)
    errors: list[InputError] = []
    warnings = list(scanned.warnings)
    docs: list[Document] = []
    keys: list[tuple[Path, str]] = []
    save = None
    if parsed is None:
        reads = _read_articles(scanned.files, jobs)
    else:
        reads, save = _read_stored(scanned.files, jobs, parsed)
    for doc, file_warnings, error, key in reads:
        if error is not None:
            errors.append(error)
            continue
        warnings += file_warnings
        if doc is not None:
            docs.append(doc)
            keys.append((doc.path, key))
    duplicates = duplicate_errors(keys)
    if scanned.errors or errors or duplicates:
        raise InputErrors([*scanned.errors, *in_file_order(errors + duplicates)])
    if save is not None:  # only a corpus read without errors updates the store
        save()
    docs = [replace(d, phase=phase_of(d.date, scanned.event)) for d in docs]
    docs.sort(key=lambda d: (d.date, d.doc_id))
    return Corpus(scanned.path, tuple(docs), scanned.event, tuple(warnings))


#: A file read: its document (None when skipped), warnings, error, and the document's
#: :func:`duplicate_key` ("" without a document).
Read = tuple[Document | None, list[str], InputError | None, str]
#: How many parts a corpus is read in when read in parallel (workers take whole parts).
CHUNKS = 16


def _in_parts(files: tuple[ArticleFile, ...], jobs: int | None, part: Callable) -> list:
    """``part(files)`` over the files, in parts shared with forked workers; results in order."""
    workers = config.resolve_jobs(jobs) - 1 if len(files) >= PARALLEL_FROM else 0
    size = max(1, -(-len(files) // CHUNKS) if workers else len(files))
    parts = {i: partial(part, files[i : i + size]) for i in range(0, len(files), size)}
    with forked(parts, workers=workers) as wait:
        return [result for results in wait().values() for result in results]


def _read_articles(files: tuple[ArticleFile, ...], jobs: int | None) -> list[Read]:
    """:func:`read_article` of each file, in order, an :class:`InputError` kept, not raised."""
    return _in_parts(files, jobs, _read_each)


def _read_stored(
    files: tuple[ArticleFile, ...], jobs: int | None, store: ParsedStore
) -> tuple[list[Read], Callable[[], None]]:
    """:func:`_read_articles`, taking the results of unchanged files from *store*.

    The look-ups (each file's bytes hashed, its entry read back) are shared with the
    forked workers as the parsing is: in this process alone they took 1.0 s of a re-run
    of ten copies of PolNeAR train. Also returns the function that stores the new
    results and prunes the others, for the caller to run once the corpus has been
    read without errors.
    """
    looked = _in_parts(files, jobs, partial(_look_up, store))
    keys = {i: key for i, (key, _) in enumerate(looked) if key is not None}
    found = {i: hit for i, (_, hit) in enumerate(looked) if hit is not None}
    todo = [i for i in range(len(files)) if i not in found]
    fresh = dict(zip(todo, _read_articles(tuple(files[i] for i in todo), jobs), strict=True))

    def save() -> None:
        for i, (doc, warnings, error, duplicate) in fresh.items():
            # stored only if the file did not change while it was parsed
            if error is None and i in keys and _stored_key(store, files[i]) == keys[i]:
                store.put(keys[i], (doc, warnings, duplicate))
        store.prune(keys.values())

    return [found[i] if i in found else fresh[i] for i in range(len(files))], save


def _look_up(
    store: ParsedStore, files: tuple[ArticleFile, ...]
) -> list[tuple[str | None, Read | None]]:
    """Each file's key in *store* and its stored :data:`Read`, None for either not found."""
    looked: list[tuple[str | None, Read | None]] = []
    for file in files:
        key = _stored_key(store, file)
        hit = None if key is None else store.get(key, file.path)
        if hit is None:
            looked.append((key, None))
        else:  # the stored duplicate key, not one computed again from the text
            doc, warnings, duplicate = hit
            looked.append((key, (doc, warnings, None, duplicate)))
    return looked


def _read(doc: Document | None, warnings: list[str], error: InputError | None) -> Read:
    return doc, warnings, error, "" if doc is None else duplicate_key(doc)


def _stored_key(store: ParsedStore, file: ArticleFile) -> str | None:
    """*file*'s key in *store*, or None when it cannot be read (left for the parser to report)."""
    try:
        if file.path.stat().st_size > MAX_BYTES:
            return None
        return store.key(file.path, file.path.read_bytes(), file.meta)
    except OSError:
        return None


def _read_each(files: tuple[ArticleFile, ...]) -> list[Read]:
    reads: list[Read] = []
    for file in files:
        try:
            doc, warnings = read_article(file)
        except InputError as exc:
            reads.append(_read(None, [], exc))
        else:
            reads.append(_read(doc, warnings, None))
    return reads


def in_file_order(errors: list[InputError]) -> list[InputError]:
    """The errors of files in the order the files are read (by path)."""
    return sorted(errors, key=lambda e: e.path)
