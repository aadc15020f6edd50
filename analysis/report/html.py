"""One self-contained HTML page with a run's figures and tables.

:func:`render_report` turns sections of :class:`FigureBlock` and
:class:`TableBlock` into one HTML string that needs nothing else: no network,
no scripts, no external style sheets or fonts.

Decisions
---------
* **Images are PNG data URIs** (``data:image/png;base64,...``), the simplest
  form every browser shows and every mail client keeps. Their pixel size is
  read from the PNG header and written as ``width``/``height`` so the page
  does not jump while loading; CSS scales them down to the column width.
* **Everything that may come from articles is escaped** with
  :func:`html.escape` (``quote=True``, so also inside attributes such as the
  ``alt`` text): titles, captions, intros, notes, column names and cells,
  and the provenance line. Tables are rendered here, not by
  ``DataFrame.to_html``, to control number formats and alignment.
* **A Content-Security-Policy** (``default-src 'none'``, images only from
  ``data:``, the one inline style sheet allowed by its sha256) is defence in
  depth: even a markup error cannot make the page run a script or fetch
  anything.
* **Numbers** (:func:`format_number`): integers as they are; floats to three
  significant digits (``0.123``, ``12.3``, ``123``), rounded to a whole number
  from 1000 up, and in scientific notation below 0.001 (``4.56e-05``).
  p-values get three decimals, or scientific notation below 0.001. A column
  holds p-values when named ``p``, ``p_*``, ``*_p``, ``*pvalue``,
  ``*p_value``, ``q``, ``q_value`` or ``fdr`` (e.g. ``p_perm``), unless the
  table says otherwise (``TableBlock.p_columns``). Missing values show as an
  em dash.
* **Long tables** show their first ``max_rows`` rows and say so; a table at
  most a quarter longer than ``max_rows`` is shown whole, since cutting a
  few rows helps no one. The full table is the CSV named in
  ``TableBlock.source``, linked relative to ``figures/report.html``. A table's index is shown
  as leading columns only when it is named or not made of integers (row
  numbers, filtered or not, are dropped).
* **Findings first**: an optional summary (:class:`SummaryItem`) opens the page,
  before the table of contents, each sentence linked to the figure or table
  that holds its evidence; method notes close it.
* **Identifiers** are ``sec-``/``fig-``/``tab-`` plus a slug of the section
  title, figure name or table title, with ``-2``, ``-3``... appended to
  repeats, so every table-of-contents link has exactly one target.
* **Deterministic**: the same arguments give the same string, byte for byte;
  the page holds no date except what the provenance line says.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import math
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from numbers import Integral, Real

import numpy as np
import pandas as pd

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_P_NAMES = frozenset({"p", "q", "q_value", "fdr"})
_DASH = "\u2014"
_NUM = ' class="num"'


@dataclass(frozen=True)
class FigureBlock:
    """A figure: *name* (its file stem, used for the anchor), title, caption and PNG bytes."""

    name: str
    title: str
    caption: str
    png: bytes


@dataclass(frozen=True, eq=False)
class TableBlock:
    """A table, shown up to *max_rows* rows; *source* names the full table (e.g. its CSV).

    *p_columns* lists the columns holding p-values; ``None`` guesses them from
    the column names (see the module notes). A *collapsed* table (evidence a
    reader checks rather than reads) shows its caption and a "Show" line that
    opens it, with no script: an HTML ``<details>`` element. *formats* maps a
    column to a function of its cells (shortening long text, say), applied to the
    rows shown only: the utterances of ten copies of PolNeAR train are some 97,000
    rows, of which the page shows 120.
    """

    title: str
    caption: str
    data: pd.DataFrame
    max_rows: int = 30
    source: str = ""
    p_columns: tuple[str, ...] | None = None
    collapsed: bool = False
    formats: Mapping[str, Callable[[object], str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryItem:
    """A summary sentence and links to where the page shows it: *target* is a figure's
    name or a table's title on the same page, *link* the link's text; *evidence* and
    *evidence_link* optionally name a second block, the rows behind the finding."""

    text: str
    target: str
    link: str
    evidence: str = ""
    evidence_link: str = ""


@dataclass(frozen=True)
class Section:
    """A titled part of the report: an introduction (paragraphs split on blank lines) and blocks."""

    title: str
    intro: str
    blocks: Sequence[FigureBlock | TableBlock] = field(default_factory=tuple)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def png_size(png: bytes) -> tuple[int, int]:
    """``(width, height)`` in pixels from a PNG's header; ``ValueError`` if it is not a PNG."""
    if len(png) < 24 or not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def data_uri(png: bytes) -> str:
    """The PNG as a ``data:image/png;base64,...`` URI."""
    png_size(png)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def format_number(value: object, *, p_value: bool = False) -> str:
    """Format one table cell for reading (see the module notes for the rules)."""
    if _is_missing(value):
        return _DASH
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, Real):
        return str(value)
    x = float(value)
    if math.isinf(x):
        return "\u221e" if x > 0 else "\u2212\u221e"
    if p_value:
        return f"{x:.2e}" if 0 < x < 0.001 else f"{x:.3f}"
    if x == 0:
        return "0"
    if abs(x) < 0.001:
        return f"{x:.2e}"
    if abs(x) >= 1000:
        return f"{x:.0f}"
    return f"{x:.3g}"


def is_p_column(name: object) -> bool:
    """Whether a column name says it holds p-values (``p``, ``p_perm``, ``fdr``...)."""
    n = str(name).lower()
    return n in _P_NAMES or n.startswith("p_") or n.endswith(("_p", "pvalue", "p_value"))


class _Ids:
    """Unique, readable element ids."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, prefix: str, text: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "item"
        base = candidate = f"{prefix}-{slug}"
        n = 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{_esc(p)}</p>\n" for p in parts)


def _figure(block: FigureBlock, number: int, fig_id: str) -> str:
    width, height = png_size(block.png)
    return (
        f'<figure id="{fig_id}">\n'
        f'<img src="{data_uri(block.png)}" alt="{_esc(block.title)}" '
        f'width="{width}" height="{height}">\n'
        f"<figcaption><strong>Figure {number}. {_esc(block.title)}</strong> "
        f"{_esc(block.caption)}</figcaption>\n"
        "</figure>\n"
    )


def _table(block: TableBlock, number: int, table_id: str) -> str:
    data = block.data
    index = data.index
    named = any(n is not None for n in index.names)
    data = data.reset_index(drop=not named and pd.api.types.is_integer_dtype(index))
    limit = max(block.max_rows, 0)
    shown = data if len(data) <= limit + limit // 4 else data.head(limit)
    formatted = {col: shown[col].map(f) for col, f in block.formats.items() if col in shown}
    shown = shown.assign(**formatted) if formatted else shown
    p_cols = set(block.p_columns) if block.p_columns is not None else None
    cols = []
    for col, dtype in zip(data.columns, data.dtypes, strict=True):
        numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        is_p = str(col) in p_cols if p_cols is not None else is_p_column(col)
        cols.append((col, numeric, is_p))
    head = "".join(
        f'<th scope="col"{_NUM if numeric else ""}>{_esc(col)}</th>' for col, numeric, _ in cols
    )
    rows = []
    for values in shown.itertuples(index=False, name=None):
        cells = "".join(
            f"<td{_NUM if numeric else ''}>{_esc(format_number(v, p_value=is_p))}</td>"
            for v, (_, numeric, is_p) in zip(values, cols, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>\n")
    note = []
    if len(data) == 0:
        note.append("The table has no rows.")
    elif len(shown) < len(data):
        note.append(f"Showing the first {len(shown)} of {len(data)} rows.")
    caption = _esc(" ".join([block.caption, *note]).strip())
    opening = closing = ""
    if block.collapsed and len(shown):
        opening = f"<details>\n<summary>Show the {len(shown)} rows</summary>\n"
        closing = "</details>\n"
    if block.source:
        href = block.source if "://" in block.source else "../" + block.source
        caption += f' Full table: <a href="{_esc(href)}">{_esc(block.source)}</a>.'

    return (
        f'<figure class="table" id="{table_id}">\n'
        f"<figcaption><strong>Table {number}. {_esc(block.title)}</strong> "
        f"{caption}</figcaption>\n"
        f"{opening}"
        f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
        f"{closing}"
        "</figure>\n"
    )


def _summary(items: Sequence[SummaryItem], sec_id: str, targets: dict[str, str]) -> str:
    lines = []
    for item in items:
        links = [
            f'<a href="#{targets[target]}">{_esc(text)}</a>'
            for target, text in ((item.target, item.link), (item.evidence, item.evidence_link))
            if target in targets
        ]
        joined = (" " + " · ".join(links)) if links else ""
        lines.append(f"<li>{_esc(item.text)}{joined}</li>\n")
    return (
        f'<section id="{sec_id}" class="summary">\n<h2>Summary</h2>\n'
        f"<ul>\n{''.join(lines)}</ul>\n</section>\n"
    )


def _style_sheet() -> str:
    return resources.files("analysis").joinpath("data", "report.css").read_text("utf-8")


def render_report(
    *,
    title: str,
    sections: Sequence[Section],
    provenance_line: str,
    notes: Sequence[str] = (),
    summary: Sequence[SummaryItem] = (),
) -> str:
    """Build the whole report page as one HTML string.

    Parameters
    ----------
    title
        Page title and top heading.
    sections
        In order; each becomes a heading, its intro and its numbered figures
        and tables. Figures and tables are numbered through the whole page.
    provenance_line
        Shown under the title and in the footer
        (:func:`analysis.report.provenance.provenance_line`).
    notes
        Paragraphs for a closing "Notes" section (e.g. caveats, citations).
    summary
        Sentences for an opening "Summary" section, before everything else, each
        linked to the figure or table it names (unlinked if that is not on the page).

    Raises
    ------
    ValueError
        If a figure's bytes are not a PNG image.
    """
    ids = _Ids()
    summary_id = ids.new("sec", "summary") if summary else ""
    targets: dict[str, str] = {}
    n_fig = n_tab = 0
    toc, body = [], []
    for section in sections:
        sec_id = ids.new("sec", section.title)
        entries, parts = [], []
        for block in section.blocks:
            if isinstance(block, FigureBlock):
                n_fig += 1
                block_id = ids.new("fig", block.name)
                targets.setdefault(block.name, block_id)
                parts.append(_figure(block, n_fig, block_id))
                label = f"Figure {n_fig}. {block.title}"
            else:
                n_tab += 1
                block_id = ids.new("tab", block.title)
                targets.setdefault(block.title, block_id)
                parts.append(_table(block, n_tab, block_id))
                label = f"Table {n_tab}. {block.title}"
            entries.append(f'<li><a href="#{block_id}">{_esc(label)}</a></li>\n')
        sub = f"<ol>\n{''.join(entries)}</ol>" if entries else ""
        toc.append(f'<li><a href="#{sec_id}">{_esc(section.title)}</a>{sub}</li>\n')
        body.append(
            f'<section id="{sec_id}">\n<h2>{_esc(section.title)}</h2>\n'
            f"{_paragraphs(section.intro)}{''.join(parts)}</section>\n"
        )
    if summary:
        toc.insert(0, f'<li><a href="#{summary_id}">Summary</a></li>\n')
        opening = _summary(summary, summary_id, targets)
    else:
        opening = ""
    if notes:
        notes_id = ids.new("sec", "notes")
        toc.append(f'<li><a href="#{notes_id}">Notes</a></li>\n')
        items = "".join(f"<li>{_esc(n)}</li>\n" for n in notes)
        body.append(f'<section id="{notes_id}">\n<h2>Notes</h2>\n<ul>\n{items}</ul>\n</section>\n')
    css = _style_sheet()
    css_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; img-src data:; style-src 'sha256-{css_hash}'; base-uri 'none'"
    prov = _esc(provenance_line)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<header>\n<h1>{_esc(title)}</h1>\n<p class="provenance">{prov}</p>\n</header>\n'
        f"{opening}"
        f'<nav aria-label="Contents">\n<h2>Contents</h2>\n<ol>\n{"".join(toc)}</ol>\n</nav>\n'
        f"<main>\n{''.join(body)}</main>\n"
        f'<footer>\n<p class="provenance">{prov}</p>\n</footer>\n</body>\n</html>\n'
    )
