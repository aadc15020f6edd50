"""PolNeAR brat reader, on self-written mini files in the corpus layout."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.evaluation.polnear import (
    RELATION_COLUMNS,
    annotation_files,
    read_split,
    relations_table,
)

MINI = Path(__file__).parent / "fixtures" / "polnear_mini"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
ALPHA = "alpha_2016-01-01_budget-talks"
BETA = "beta_2016-02-02_plan-is-dead"


@pytest.fixture(scope="module")
def dev():
    return {d.doc_id: d for d in read_split(MINI, "dev")}


def test_one_annotation_per_article_first_annotator(dev):
    # the no-text .ann file is skipped; alpha keeps aa11 over bb22
    assert sorted(dev) == [ALPHA, BETA]
    assert dev[ALPHA].annotator == "aa11"
    assert annotation_files(MINI, "dev")[ALPHA].name == f"{ALPHA}_aa11.ann"


@pytest.mark.parametrize(
    ("doc_id", "relation_id", "expected"),
    [
        # E line before its T lines
        (
            ALPHA,
            "E1",
            {
                "label": "Attribution",
                "content_text": "the budget would pass by Friday",
                "content_spans": ((35, 66),),
                "source_text": "The mayor",
                "cue_text": "said",
            },
        ),
        # discontinuous content: outer bounds, segments kept, texts joined by a space
        (
            ALPHA,
            "E2",
            {
                "content_start": 68,
                "content_end": 136,
                "content_spans": ((68, 88), (114, 136)),
                "content_text": '"We have the votes," "Nobody should worry."',
                "source_text": "Jane Roe",
                "cue_text": "told",
            },
        ),
        # Attribution-no-source
        (
            ALPHA,
            "E3",
            {
                "label": "Attribution-no-source",
                "source_start": -1,
                "source_end": -1,
                "source_text": "",
                "cue_text": "was reported",
                "content_text": "that taxes will rise",
            },
        ),
        # content text with newlines (continuation lines in the .ann file)
        (BETA, "E1", {"content_text": "''The plan is dead.\n\n''We will vote no.''"}),
        # a Content2 role adds a segment
        (
            BETA,
            "E2",
            {
                "content_spans": ((74, 87), (102, 113)),
                "content_text": "that the vote was a farce",
                "source_text": "She",
            },
        ),
    ],
)
def test_relation_fields(dev, doc_id, relation_id, expected):
    rel = dev[doc_id].relations.set_index("relation_id").loc[relation_id]
    assert {key: rel[key] for key in expected} == expected


def test_discard_and_bare_triggers_dropped(dev):
    # alpha E4 is a Discard event; beta E3 is a trigger without content
    assert list(dev[ALPHA].relations["relation_id"]) == ["E1", "E2", "E3"]
    assert list(dev[BETA].relations["relation_id"]) == ["E1", "E2"]


def test_offsets_index_the_text(dev):
    for doc in dev.values():
        for rel in doc.relations.itertuples():
            assert rel.content_text == " ".join(doc.text[s:e] for s, e in rel.content_spans)
            if rel.source_start >= 0:
                assert doc.text[rel.source_start : rel.source_end] == rel.source_text
            assert doc.text[rel.cue_start : rel.cue_end] == rel.cue_text


def test_relations_table_and_limit():
    table = relations_table(read_split(MINI, "dev"))
    assert list(table.columns) == RELATION_COLUMNS
    assert len(table) == 5
    assert [d.doc_id for d in read_split(MINI, "dev", limit=1)] == [ALPHA]
    assert relations_table([]).columns.tolist() == RELATION_COLUMNS


def test_train_split():
    (doc,) = read_split(MINI, "train")
    assert doc.relations.loc[0, ["source_text", "cue_text", "content_text"]].tolist() == [
        "forecasters",
        "warned",
        "Rain is coming",
    ]


@pytest.mark.parametrize(
    ("root", "split", "named"),
    [(MINI / "absent", "dev", "absent"), (MINI / "dev", "dev", "dev/dev/text")],
)
def test_missing_folder_is_an_input_error(root, split, named):
    with pytest.raises(InputError, match=named):
        read_split(root, split)


@pytest.mark.skipif(not REAL.is_dir(), reason=f"PolNeAR data not found at {REAL}")
def test_real_dev_split_has_every_article_of_the_metadata():
    with open(REAL / "metadata.tsv", encoding="utf-8", newline="") as f:
        expected = {
            r["filename"] for r in csv.DictReader(f, delimiter="\t") if r["compartment"] == "dev"
        }
    docs = read_split(REAL, "dev")
    assert {d.doc_id for d in docs} == expected
    for doc in docs:
        rel = doc.relations
        assert (rel["content_end"] <= len(doc.text)).all()
        assert all(
            doc.text[s:e] == t
            for s, e, t in zip(rel["cue_start"], rel["cue_end"], rel["cue_text"], strict=True)
            if s >= 0
        )
