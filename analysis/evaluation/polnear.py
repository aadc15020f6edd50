"""Read the PolNeAR gold attributions (brat standoff) into tidy tables.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attribution relations
in 1,008 US political news articles from 2016. Each split folder holds
``text/<doc>.txt`` and ``attributions/<doc>_<annotator>.ann``:

- ``T<n>\\t<Label> <start> <end>[;<start> <end>]\\t<text>`` is a text-bound span
  with label Source, Cue, Content, Attribution or Attribution-no-source
  (Discard and Discuss spans are ignored);
- ``E<n>\\tAttribution:T.. Source:T.. Cue:T.. Content:T..`` links one relation
  (the trigger is ``Attribution-no-source:T..`` when there is no source; a
  second content span is linked as ``Content2``);
- ``#`` lines are annotator notes; lines that continue a span text holding a
  newline match neither pattern and are skipped.

Decisions
---------
- Two passes: every ``T`` line is read before any ``E`` line is resolved,
  because ``E`` lines may come before the spans they link.
- One annotation per article: where several annotators' files exist, the
  first file name in sorted order is kept (the one-annotator-per-article
  reading of the corpus).
- Span texts are sliced from the article text, not copied from the ``.ann``
  line; a discontinuous span's segments are joined with one space, as brat
  does. ``content_start``/``content_end`` (and the same for source and cue)
  are the outer bounds of all segments; ``content_spans`` keeps the segments.
- A relation without a source has ``source_start == source_end == -1`` and an
  empty ``source_text``; the same holds for a missing cue. An event without a
  content span (a bare trigger, 36 in train) is not a relation and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.errors import InputError

Split = Literal["train", "dev"]
Span = tuple[int, int]

#: Labels of the spans a relation is built from.
RELATION_LABELS = frozenset({"Attribution", "Attribution-no-source"})
ROLE_LABELS = frozenset({"Source", "Cue", "Content"})

RELATION_COLUMNS = [
    "doc_id",
    "relation_id",
    "label",
    "content_start",
    "content_end",
    "content_spans",
    "content_text",
    "source_start",
    "source_end",
    "source_text",
    "cue_start",
    "cue_end",
    "cue_text",
]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True)
class PolnearDoc:
    """One PolNeAR article with its gold relations.

    Attributes
    ----------
    doc_id : article file name without ``.txt``
    annotator : annotator code of the kept ``.ann`` file
    text : article text; all offsets index it
    relations : one row per relation, columns :data:`RELATION_COLUMNS`
    """

    doc_id: str
    annotator: str
    text: str
    relations: pd.DataFrame


def _segments(field: str) -> tuple[Span, ...]:
    return tuple((int(s), int(e)) for s, e in (part.split(" ") for part in field.split(";")))


def parse_ann(ann: str, text: str, doc_id: str) -> pd.DataFrame:
    """Relations of one brat ``.ann`` file as a table (columns :data:`RELATION_COLUMNS`).

    Roles are looked up by their name without a trailing number, so
    ``Content2`` adds segments to the content span. Links to spans that are
    missing or carry an ignored label are dropped, and so are events left
    without a content span.
    """
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    events: list[tuple[str, str]] = []
    for line in ann.splitlines():
        if m := _T_LINE.match(line):
            spans[m[1]] = (m[2], _segments(m[3]))
        elif m := _E_LINE.match(line):
            events.append((m[1], m[2]))
    rows = []
    for event_id, args in events:
        label = ""
        roles: dict[str, list[Span]] = {"Source": [], "Cue": [], "Content": []}
        for arg in args.split():
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789")
            if ref not in spans:
                continue
            span_label, segments = spans[ref]
            if role in RELATION_LABELS and span_label in RELATION_LABELS:
                label = role
            elif role in roles and span_label in ROLE_LABELS:
                roles[role].extend(segments)
        if not label or not roles["Content"]:
            continue
        row: dict[str, object] = {"doc_id": doc_id, "relation_id": event_id, "label": label}
        for role, segments in roles.items():
            key = role.lower()
            segments = sorted(segments)
            row[f"{key}_start"] = segments[0][0] if segments else -1
            row[f"{key}_end"] = max(e for _, e in segments) if segments else -1
            row[f"{key}_text"] = " ".join(text[s:e] for s, e in segments)
            if key == "content":
                row["content_spans"] = tuple(segments)
        rows.append(row)
    table = pd.DataFrame(rows, columns=RELATION_COLUMNS)
    return table.sort_values(["content_start", "relation_id"], ignore_index=True)


def _split_dir(root: str | Path, split: Split) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "PolNeAR folder not found; pass the folder holding train/ and dev/")
    folder = root / split
    for sub in ("text", "attributions"):
        if not (folder / sub).is_dir():
            raise InputError(folder / sub, f"missing; is {root} the PolNeAR data folder?")
    return folder


def annotation_files(root: str | Path, split: Split) -> dict[str, Path]:
    """The ``.ann`` file kept for each article: ``{doc_id: path}``, first annotator by name."""
    folder = _split_dir(root, split)
    kept: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        doc_id, _, _annotator = path.stem.rpartition("_")
        if doc_id and (folder / "text" / f"{doc_id}.txt").is_file():
            kept.setdefault(doc_id, path)
    return kept


def read_split(
    root: str | Path, split: Split = "dev", *, limit: int | None = None
) -> list[PolnearDoc]:
    """Read one PolNeAR split: its articles and their gold relations.

    Parameters
    ----------
    root : PolNeAR ``data`` folder, holding ``train/`` and ``dev/``
    split : which split to read
    limit : read only the first *limit* articles (sorted by ``doc_id``)

    Returns
    -------
    One :class:`PolnearDoc` per article with an annotation, sorted by ``doc_id``.

    Raises
    ------
    InputError
        When *root* or the split's ``text/`` or ``attributions/`` folder is missing.
    """
    docs = []
    for doc_id, ann_path in list(annotation_files(root, split).items())[:limit]:
        text_path = ann_path.parent.parent / "text" / f"{doc_id}.txt"
        text = text_path.read_bytes().decode("utf-8")
        relations = parse_ann(ann_path.read_bytes().decode("utf-8"), text, doc_id)
        annotator = ann_path.stem.rpartition("_")[2]
        docs.append(PolnearDoc(doc_id, annotator, text, relations))
    return docs


def relations_table(docs: list[PolnearDoc]) -> pd.DataFrame:
    """All documents' relations in one table (columns :data:`RELATION_COLUMNS`)."""
    frames = [d.relations for d in docs if len(d.relations)]
    if not frames:
        return pd.DataFrame(columns=RELATION_COLUMNS)
    return pd.concat(frames, ignore_index=True)
