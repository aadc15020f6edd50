"""The self-contained HTML report: escaping, embedded images, ids, numbers, and Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from html.parser import HTMLParser

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from browser import load_page, require_chromium

from analysis.report.html import (
    FigureBlock,
    Section,
    SummaryItem,
    TableBlock,
    data_uri,
    format_number,
    is_p_column,
    png_size,
    render_report,
)
from analysis.report.png_canvas import png_bytes
from analysis.report.style import new_figure

HOSTILE_SCRIPT = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2">'
HOSTILE_QUOTES = "\"quotes\" & 'apostrophes' & ampersands"
HOSTILE = [HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_QUOTES]
PROVENANCE = "anchorage-discourse 0.1.0 · commit abc1234 · run 2021-03-20T08:00:00Z"


class _Collect(HTMLParser):
    """Tags with their attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    parser.close()
    return parser


def _figure_png(kind: str) -> bytes:
    fig, ax = new_figure(figsize=(4, 3))
    x = np.arange(10)
    if kind == "line":
        ax.plot(x, x**2)
    elif kind == "bar":
        ax.bar(["pre", "post"], [0.4, 0.7])
    else:
        ax.scatter(x, np.sqrt(x))
    ax.set_title(f"{kind} <b>&</b>")
    return png_bytes(fig, dpi=60)


@pytest.fixture(scope="module")
def pngs() -> dict[str, bytes]:
    return {kind: _figure_png(kind) for kind in ("line", "bar", "scatter")}


def hostile_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "quote": HOSTILE,
            HOSTILE_SCRIPT: ["a", "b", "c"],
            "rate": [0.12345, 1234.5, np.nan],
            "p_perm": [0.0000123, 0.04567, 1.0],
        }
    )


def build(pngs: dict[str, bytes], *, hostile: str = HOSTILE_SCRIPT) -> str:
    sections = [
        Section(
            title=f"Frames {hostile}",
            intro=f"First paragraph {hostile}.\n\nSecond paragraph.",
            blocks=[
                FigureBlock(
                    "frame_rates", f"Frame rates {hostile}", f"Caption {hostile}", pngs["line"]
                ),
                FigureBlock("frame_rates", "Same name again", "Caption", pngs["bar"]),
                TableBlock(f"Quotes {hostile}", f"Caption {hostile}", hostile_table()),
            ],
        ),
        Section(title="Sentiment", intro="", blocks=[FigureBlock("s", "S", "", pngs["scatter"])]),
        Section(title="Sentiment", intro="A second section with the same title.", blocks=[]),
    ]
    return render_report(
        title=f"Report {hostile}",
        sections=sections,
        provenance_line=f"{PROVENANCE} {hostile}",
        notes=[f"Note {hostile}", "PolNeAR: Newell, Margolin & Ruths (LREC 2018)."],
    )


@pytest.mark.parametrize("hostile", HOSTILE)
def test_article_text_is_escaped_everywhere(pngs, hostile):
    page = build(pngs, hostile=hostile)
    assert hostile not in page
    parsed = parse(page)
    text = "".join(parsed.text)
    # title, section, intro, 2 captions, figure title, table title, note, provenance x2, toc x3
    assert text.count(hostile) >= 10
    assert [t for t, _ in parsed.tags].count("script") == 0
    assert all("onerror" not in attrs for _, attrs in parsed.tags)
    alts = [a["alt"] for t, a in parsed.tags if t == "img"]
    assert alts[0] == f"Frame rates {hostile}"


def test_hostile_table_cells_and_column_names_are_text(pngs):
    page = build(pngs)
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in cells
    assert "&quot;quotes&quot; &amp; &#x27;apostrophes&#x27; &amp; ampersands" in cells


def test_images_are_the_png_bytes_as_data_uris(pngs):
    page = build(pngs)
    imgs = [a for t, a in parse(page).tags if t == "img"]
    assert len(imgs) == 3
    for attrs, png in zip(imgs, [pngs["line"], pngs["bar"], pngs["scatter"]], strict=True):
        prefix = "data:image/png;base64,"
        assert attrs["src"].startswith(prefix)
        assert base64.b64decode(attrs["src"][len(prefix) :]) == png
        assert (int(attrs["width"]), int(attrs["height"])) == png_size(png)


def test_png_size_agrees_with_decoding_the_image(pngs):
    for png in pngs.values():
        height, width, _ = matplotlib.image.imread(io.BytesIO(png), format="png").shape
        assert png_size(png) == (width, height)


@pytest.mark.parametrize("not_png", [b"", b"GIF89a" + bytes(30), b"<svg></svg>" + bytes(20)])
def test_non_png_bytes_are_refused(not_png):
    with pytest.raises(ValueError, match="not a PNG"):
        data_uri(not_png)


def test_nothing_is_loaded_from_outside_the_page(pngs):
    page = build(pngs)
    urls = [v for _, a in parse(page).tags for k, v in a.items() if k in ("src", "href")]
    assert urls
    # the only other links are to the run's own CSVs, beside the page, never fetched
    assert all(u.startswith(("data:image/png;base64,", "#", "../results/")) for u in urls)
    assert "http" not in "".join(urls)
    assert not any(t == "link" for t, _ in parse(page).tags)


def test_same_input_gives_the_same_page(pngs):
    assert build(pngs) == build(pngs)


def test_ids_are_unique_and_every_contents_link_has_its_target(pngs):
    tags = parse(build(pngs)).tags
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids))
    links = [a["href"][1:] for t, a in tags if t == "a" and a["href"].startswith("#")]
    assert sorted(links) == sorted(ids)
    assert {"fig-frame-rates", "fig-frame-rates-2", "sec-sentiment", "sec-sentiment-2"} <= set(ids)


def test_figures_and_tables_are_numbered_through_the_page(pngs):
    page = build(pngs)
    assert "<strong>Figure 1. Frame rates" in page
    assert "<strong>Figure 2. Same name again</strong>" in page
    assert "<strong>Figure 3. S</strong>" in page
    assert "<strong>Table 1. Quotes" in page


@pytest.mark.parametrize(
    ("value", "p_value", "expected"),
    [
        (0.12345, False, "0.123"),
        (12.345, False, "12.3"),
        (123.45, False, "123"),
        (1234.5, False, "1234"),
        (-0.5, False, "-0.5"),
        (0.0, False, "0"),
        (0.0004567, False, "4.57e-04"),
        (np.float64(2.5), False, "2.5"),
        (np.nan, False, "\u2014"),
        (None, False, "\u2014"),
        (pd.NaT, False, "\u2014"),
        (float("inf"), False, "\u221e"),
        (7, False, "7"),
        (np.int64(2021), False, "2021"),
        (True, False, "yes"),
        (np.bool_(False), False, "no"),
        (dt.date(2021, 3, 18), False, "2021-03-18"),
        (pd.Timestamp("2021-03-20"), False, "2021-03-20"),
        (pd.Timestamp("2021-03-20 08:30"), False, "2021-03-20 08:30:00"),
        ("text", False, "text"),
        (0.04567, True, "0.046"),
        (0.001, True, "0.001"),
        (0.0000123, True, "1.23e-05"),
        (1.0, True, "1.000"),
        (0.0, True, "0.000"),
    ],
)
def test_format_number(value, p_value, expected):
    assert format_number(value, p_value=p_value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("p", True),
        ("p_perm", True),
        ("P_value", True),
        ("chi2_p", True),
        ("pvalue", True),
        ("q", True),
        ("fdr", True),
        ("phase", False),
        ("paragraph_id", False),
        ("period_start", False),
        ("top", False),
    ],
)
def test_p_columns_are_recognised_by_name(name, expected):
    assert is_p_column(name) is expected


def _table_html(block: TableBlock) -> str:
    page = render_report(title="t", sections=[Section("s", "", [block])], provenance_line="")
    return page[page.index("<figure") :]


def test_long_tables_show_max_rows_and_say_where_the_rest_is():
    block = TableBlock("T", "Cap.", pd.DataFrame({"n": range(100)}), max_rows=5, source="x.csv")
    page = _table_html(block)
    assert page.count("<tr>") == 6
    assert 'Cap. Showing the first 5 of 100 rows. Full table: <a href="../x.csv">x.csv</a>.' in page


@pytest.mark.parametrize(("rows", "shown"), [(5, 5), (6, 6), (7, 5), (100, 5)])
def test_a_table_a_few_rows_over_its_limit_is_shown_whole(rows, shown):
    page = _table_html(TableBlock("T", "", pd.DataFrame({"n": range(rows)}), max_rows=5))
    assert page.count("<tr>") == shown + 1
    assert ("Showing the first" in page) is (shown < rows)


def test_formats_apply_to_the_rows_shown_only():
    formatted = []

    def quoted(text):
        formatted.append(text)
        return f"«{text}»"

    data = pd.DataFrame({"text": [f"line {i}" for i in range(100)], "n": range(100)})
    page = _table_html(TableBlock("T", "", data, max_rows=5, formats={"text": quoted}))
    assert formatted == [f"line {i}" for i in range(5)]
    assert "<td>«line 4»</td>" in page and "line 5" not in page
    assert '<td class="num">4</td>' in page  # the other columns as they were


def test_summary_opens_the_page_and_links_to_its_evidence(pngs):
    items = [
        SummaryItem("Frames moved.", "frame_rates", "Figure: frame rates", "Hits", "Evidence"),
        SummaryItem("Nowhere to link.", "no such block", "Table: none"),
    ]
    blocks = [
        FigureBlock("frame_rates", "Frame rates", "c", pngs["line"]),
        TableBlock("Hits", "", pd.DataFrame({"n": [1]})),
    ]
    page = render_report(
        title="t", sections=[Section("s", "", blocks)], provenance_line="", summary=items
    )
    assert page.index('<section id="sec-summary"') < page.index("<nav")
    assert (
        '<li>Frames moved. <a href="#fig-frame-rates">Figure: frame rates</a> · '
        '<a href="#tab-hits">Evidence</a></li>'
    ) in page
    assert "<li>Nowhere to link.</li>" in page


def test_p_column_formats_can_be_set_explicitly():
    df = pd.DataFrame({"p_share": [0.00002], "gap": [0.00002]})
    page = _table_html(TableBlock("T", "", df, p_columns=("gap",)))
    assert '<td class="num">2.00e-05</td><td class="num">2.00e-05</td>' in page
    page = _table_html(TableBlock("T", "", df))
    assert '<td class="num">2.00e-05</td><td class="num">2.00e-05</td>' in page
    df = pd.DataFrame({"gap": [0.0123]})
    assert '<td class="num">0.012</td>' in _table_html(TableBlock("T", "", df, p_columns=("gap",)))
    assert '<td class="num">0.0123</td>' in _table_html(TableBlock("T", "", df))


@pytest.mark.parametrize(
    ("index", "header"),
    [
        (pd.RangeIndex(2), '<th scope="col">w</th>'),
        (pd.Index([5, 9]), '<th scope="col">w</th>'),
        (pd.Index(["a", "b"], name="frame"), '<th scope="col">frame</th><th scope="col">w</th>'),
        (pd.Index(["a", "b"]), '<th scope="col">index</th><th scope="col">w</th>'),
    ],
)
def test_row_numbers_are_dropped_and_meaningful_indexes_shown(index, header):
    page = _table_html(TableBlock("T", "", pd.DataFrame({"w": ["x", "y"]}, index=index)))
    assert f"<thead><tr>{header}</tr></thead>" in page


def test_empty_table_says_so():
    page = _table_html(TableBlock("T", "", pd.DataFrame({"w": []})))
    assert "The table has no rows." in page
    assert "<tbody>\n</tbody>" in page


def test_chromium_renders_every_image_and_runs_no_injected_script(pngs, tmp_path):
    require_chromium()
    hostile = HOSTILE_SCRIPT + HOSTILE_IMG
    path = tmp_path / "report.html"
    path.write_text(build(pngs, hostile=hostile), encoding="utf-8")
    script = """() => ({
        widths: [...document.images].map(i => i.complete ? i.naturalWidth : -1),
        pwned: window.__pwned === undefined ? null : window.__pwned,
        scripts: document.scripts.length,
        text: document.body.innerText,
        maxWidth: getComputedStyle(document.body).maxWidth,
    })"""
    report = load_page(path, script)
    assert report.page_errors == []
    assert report.console == []
    assert report.failed_requests == []
    assert [u for u in report.requests if not u.startswith("data:")] == [path.as_uri()]
    value = report.value
    assert len(value["widths"]) == 3
    assert all(w > 0 for w in value["widths"])
    assert value["pwned"] is None
    assert value["scripts"] == 0
    assert f"Caption {hostile}" in value["text"]
    # the inline style sheet passed the page's Content-Security-Policy (60rem of 16px)
    assert value["maxWidth"] == "960px"


def test_a_collapsed_table_keeps_its_caption_and_opens_without_a_script():
    df = pd.DataFrame({"n": range(4)})
    page = _table_html(TableBlock("T", "Cap.", df, collapsed=True))
    caption_end = page.index("</figcaption>")
    assert "Cap." in page[:caption_end]
    assert page.index("<details>\n<summary>Show the 4 rows</summary>") > caption_end
    assert page.index("</table></div>\n</details>") > page.index("<details>")
    assert "<details>" not in _table_html(TableBlock("T", "", df))
    assert "<details>" not in _table_html(TableBlock("T", "", df.head(0), collapsed=True))
