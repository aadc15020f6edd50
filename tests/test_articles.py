import datetime as dt

import pytest

from analysis.corpus import articles
from analysis.corpus.normalize import _MAP, normalize

GT = (
    "CHINA / DIPLOMACY\nA title here\nPublished: Mar 11, 2021 04:12 PM\nChina US\n\nChina US\n\n"
    "First body paragraph, with a full stop.\n\nSincerity needed\n\nA man waves a\n\n"
    'A man waves a "six" on Thursday. Photo: cnsphoto\n\nLi Qiaoyi contributed to this article\n'
)


def kinds(text):
    paragraphs, _ = articles.parse_globaltimes(text)
    return [(p.kind, text[p.start : p.end]) for p in paragraphs]


def test_globaltimes_paragraph_types():
    assert kinds(GT) == [
        ("section", "CHINA / DIPLOMACY"),
        ("title", "A title here"),
        ("dateline", "Published: Mar 11, 2021 04:12 PM"),
        ("tag", "China US"),
        ("tag", "China US"),
        ("body", "First body paragraph, with a full stop."),
        ("heading", "Sincerity needed"),
        ("caption_stub", "A man waves a"),
        ("caption", 'A man waves a "six" on Thursday. Photo: cnsphoto'),
        ("byline", "Li Qiaoyi contributed to this article"),
    ]


def test_globaltimes_without_section_and_with_updated_line():
    text = (
        "Update: talks end\nPublished: Mar 20, 2021 10:07 AM\n"
        "Updated: Mar 20, 2021 11:00 AM\n\nBody."
    )
    assert kinds(text) == [
        ("title", "Update: talks end"),
        ("dateline", "Published: Mar 20, 2021 10:07 AM"),
        ("dateline", "Updated: Mar 20, 2021 11:00 AM"),
        ("body", "Body."),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 11, 2021 04:12 PM", dt.date(2021, 3, 11)),
        ("2021-03-20", dt.date(2021, 3, 20)),
        ("20 March 2021", dt.date(2021, 3, 20)),
        ("March 20, 2021", dt.date(2021, 3, 20)),
        (" 2016-03-01 ", dt.date(2016, 3, 1)),
        ("2021-03-20 10:00", dt.date(2021, 3, 20)),
        ("2021-02-30", None),
        ("2021-13-01", None),
        ("03/04/2021", None),
        ("Mar 11", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert articles.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (GT, "globaltimes"),
        ("Title\n\nBody text.", "plain"),
        ("Published: Mar 1, 2021\n\nx", "globaltimes"),
    ],
)
def test_detect_format(text, fmt):
    assert articles.detect_format(text) == fmt


@pytest.mark.parametrize(
    ("text", "has_title", "expected"),
    [
        (
            "Title\n\nFirst para\nwrapped.\n\nSecond.",
            False,
            [("title", "Title"), ("body", "First para\nwrapped."), ("body", "Second.")],
        ),
        ("Line one.\nLine two.", True, [("body", "Line one."), ("body", "Line two.")]),
        ("Title\r\n\r\nBody.\r\n", False, [("title", "Title"), ("body", "Body.")]),
    ],
)
def test_plain_paragraphs(text, has_title, expected):
    paragraphs = articles.parse_plain(text, has_title=has_title)
    assert [(p.kind, text[p.start : p.end]) for p in paragraphs] == expected


def test_normalize_keeps_length_and_maps_characters():
    raw = "\u201cNew normal\u201d \u2018a\u2019\u00a0b\u2011c \u2014 d"
    out = normalize(raw)
    assert len(out) == len(raw)
    assert out == "\"New normal\" 'a' b-c \u2014 d"


@pytest.mark.parametrize("value", ["2021", "March 2021", "2021-03", "Mar 2021 04:12 PM"])
def test_dates_without_a_day_are_refused(value):
    assert articles.parse_date(value) is None


def test_normalize_equals_translating_each_character():
    """Checked against ``str.translate`` with the module's mapping, on every mapped
    character, repeated, next to the characters it maps to and to others."""
    mapped = "".join(_MAP)
    texts = [
        "",
        "plain ASCII, nothing to map",
        mapped,
        mapped[::-1] * 3,
        "\t\u2019'\u201c\"\u00a0 \u2010-\u2014\u2013 \u00e9\u4e2d\U0001f600",
        " ".join(f"w{i}{c}" for i, c in enumerate(mapped * 2)),
    ]
    table = str.maketrans(_MAP)
    for text in texts:
        assert normalize(text) == text.translate(table)
