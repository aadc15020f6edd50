"""Span matching and P/R/F1/speaker scores, checked against hand calculations."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from analysis.evaluation import attribution_eval as ae
from analysis.evaluation.polnear import read_split, relations_table

MINI = Path(__file__).parent / "fixtures" / "polnear_mini"
REAL = ae.DEFAULT_POLNEAR


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ([(0, 10)], [(0, 10)], [(0, 0)]),
        ([(0, 10)], [(5, 15)], [(0, 0)]),  # exactly half of each shared
        ([(0, 10)], [(6, 16)], []),  # 4 of 10 shared
        ([(0, 100)], [(40, 50)], []),  # whole gold inside, but under half the prediction
        ([(40, 50)], [(0, 100)], []),
        ([(0, 10)], [((0, 5), (20, 25))], [(0, 0)]),  # 5 of 10 gold characters over 2 segments
        ([(0, 25)], [((0, 5), (20, 25))], []),  # 10 of 25 predicted characters
        ([(0, 20), (2, 12)], [(0, 10), (10, 20)], [(0, 1), (1, 0)]),  # most matches wins
        ([(0, 10), (0, 10)], [(0, 10)], [(0, 0)]),  # one to one
        ([(0, 10), (30, 40)], [(31, 40), (1, 10)], [(0, 1), (1, 0)]),
        ([(3, 3)], [(0, 10)], []),
        ([], [(0, 10)], []),
        ([(0, 10)], [], []),
    ],
)
def test_match_spans(pred, gold, expected):
    assert ae.match_spans(pred, gold) == expected


def test_match_spans_prefers_larger_overlap():
    # both gold spans are admissible; the prediction shares 6 with the first, 10 with the second
    assert ae.match_spans([(0, 12)], [((0, 6), (20, 26)), (0, 10)]) == [(0, 1)]


@pytest.mark.parametrize(
    ("cue", "lemma"),
    [
        ("said", "say"),
        ("has said", "say"),
        ("said in a statement", "say"),
        ("Told", "tell"),
        ("according to", "according to"),
        ("adding", "add"),
        ("notes", "note"),
        ("believe", ""),
        ("sayings", ""),
        ("", ""),
    ],
)
def test_cue_lemma(cue, lemma):
    assert ae.cue_lemma(cue) == lemma


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('"We won."', True),
        ("  \u201cWe won.\u201d", True),
        ("''We won.''", True),
        ("\u2018We won.\u2019", True),
        ("that we won", False),
        ("", False),
    ],
)
def test_starts_with_quote(content, expected):
    assert ae.starts_with_quote(content) is expected


def _pred(speaker="", mention=(-1, -1)):
    return {"speaker": speaker, "mention_start": mention[0], "mention_end": mention[1]}


def _gold(source="", span=(-1, -1)):
    return {"source_text": source, "source_start": span[0], "source_end": span[1]}


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        (_pred("Antony Blinken"), _gold("Secretary Blinken", (0, 17)), True),
        (_pred("antony blinken"), _gold("BLINKEN", (0, 7)), True),
        (_pred("Joe Biden"), _gold("he", (40, 42)), False),
        (_pred("Joe Biden", (40, 42)), _gold("he", (40, 42)), True),
        (_pred("Joe Biden", (38, 41)), _gold("he", (40, 42)), True),
        (_pred("Joe Biden", (30, 40)), _gold("he", (40, 42)), False),
        (_pred("the White House"), _gold("the State Department", (0, 20)), False),
        (_pred("J. Doe"), _gold("J. Roe", (0, 6)), False),  # one-letter words ignored
        (_pred(""), _gold(), True),  # no source, no speaker
        (_pred("the"), _gold(), True),
        (_pred("officials"), _gold(), False),
        (_pred("", (0, 3)), _gold(), False),
    ],
)
def test_speaker_matches(pred, gold, expected):
    assert ae.speaker_matches(pred, gold) is expected


# Hand-made gold and predictions; the expected scores are worked out in the comments.
D1 = (
    '"Taxes will rise," Jane Roe said. The mayor told reporters that the budget is fine. '
    "Officials believe the deal is close. Aides noted that talks had stalled."
)
D2 = "''We will win,'' she said. It was reported that the vote was delayed."
TEXTS = {"d1": D1, "d2": D2}


def _at(doc, phrase):
    start = TEXTS[doc].index(phrase)
    return start, start + len(phrase)


def _gold_row(doc, rid, content, source, cue):
    (cs, ce), (ss, se) = _at(doc, content), _at(doc, source) if source else (-1, -1)
    return {
        "doc_id": doc,
        "relation_id": rid,
        "content_start": cs,
        "content_end": ce,
        "content_spans": ((cs, ce),),
        "source_start": ss,
        "source_end": se,
        "source_text": source,
        "cue_text": cue,
    }


GOLD = pd.DataFrame(
    [
        _gold_row("d1", "G1", '"Taxes will rise,"', "Jane Roe", "said"),  # direct, speech
        _gold_row("d1", "G2", "that the budget is fine", "The mayor", "told"),  # speech
        _gold_row("d1", "G3", "the deal is close", "Officials", "believe"),
        _gold_row("d1", "G4", "that talks had stalled", "Aides", "noted"),  # speech
        _gold_row("d2", "G5", "''We will win,''", "she", "said"),  # direct, speech
        _gold_row("d2", "G6", "that the vote was delayed", "", "was reported"),
    ]
)


def _pred_row(doc, uid, content, kind, cue, speaker, mention=None):
    start, end = _at(doc, content) if content else (5, 5)
    ms, me = _at(doc, mention) if mention else (-1, -1)
    return {
        "doc_id": doc,
        "utterance_id": uid,
        "speaker": speaker,
        "kind": kind,
        "cue": cue,
        "start": start,
        "end": end,
        "cue_start": -1,
        "cue_end": -1,
        "mention_start": ms,
        "mention_end": me,
        "text": content,
    }


PRED = pd.DataFrame(
    [
        # matches G1; speaker shares "Jane"/"Roe"
        _pred_row("d1", "P1", '"Taxes will rise,"', "direct", "said", "Jane Roe"),
        # 18 of G2's 23 characters: match; "mayor" shared
        _pred_row("d1", "P2", "the budget is fine", "indirect", "told", "Mayor Smith"),
        # shares "the deal" (8) with G3, under half of G3 (17) and of itself (26): spurious
        _pred_row("d1", "P3", "Officials believe the deal", "indirect", "believe", "Officials"),
        # matches G4; wrong speaker
        _pred_row("d1", "P4", "talks had stalled", "indirect", "noted", "officials"),
        # G5's 16 characters of its 25: match, direct by its opening quote; mention on "she"
        _pred_row("d2", "P5", "''We will win,'' she said", "mixed", "says", "Joan Doe", "she"),
        # matches G6, which has no source; no speaker predicted: correct
        _pred_row("d2", "P6", "the vote was delayed", "indirect", "according to", ""),
        # empty span: left out
        _pred_row("d2", "P7", "", "direct", "said", "x"),
        # spurious direct prediction
        _pred_row("d2", "P8", "reported", "direct", "", ""),
    ]
)

# (scope, n_gold, n_pred, n_matched, n_pred_matched, precision, recall, f1, correct, accuracy,
#  speaker precision: predictions matched with the right speaker / predictions)
EXPECTED = [
    # 6 gold, 7 kept predictions, 5 pairs; speakers right on G1, G2, G5, G6 (P1, P2, P5, P6)
    (
        "all",
        6,
        7,
        5,
        5,
        Fraction(5, 7),
        Fraction(5, 6),
        Fraction(10, 13),
        4,
        Fraction(4, 5),
        Fraction(4, 7),
    ),
    # gold G1, G5; predictions P1, P5, P8 of which P1, P5 matched, both with the right speaker
    (
        "direct",
        2,
        3,
        2,
        2,
        Fraction(2, 3),
        Fraction(1),
        Fraction(4, 5),
        2,
        Fraction(1),
        Fraction(2, 3),
    ),
    # gold G1, G2, G4, G5; predictions P1, P2, P4, P5, P6 all matched; P4's speaker wrong
    (
        "speech_verb",
        4,
        5,
        4,
        5,
        Fraction(1),
        Fraction(1),
        Fraction(1),
        3,
        Fraction(3, 4),
        Fraction(4, 5),
    ),
]


def test_evaluate_against_hand_calculation():
    table = ae.evaluate(PRED, GOLD, TEXTS)
    assert list(table.columns) == ae.SCORE_COLUMNS
    for row, expected in zip(table.itertuples(index=False), EXPECTED, strict=True):
        assert row[:5] == expected[:5]
        assert row[8] == expected[8]
        got_ratios, want_ratios = row[5:8] + row[9:], expected[5:8] + expected[9:]
        for got, want in zip(got_ratios, want_ratios, strict=True):
            assert got == pytest.approx(float(want), abs=1e-12)


def test_align_statuses():
    a = ae.align(PRED, GOLD, TEXTS)
    assert list(a.columns) == ae.ALIGNMENT_COLUMNS
    by_status = a.groupby("status")
    assert sorted(by_status.get_group("missed")["relation_id"]) == ["G3"]
    assert sorted(by_status.get_group("spurious")["utterance_id"]) == ["P3", "P8"]
    matched = by_status.get_group("matched").set_index("relation_id")
    assert matched["utterance_id"].to_dict() == {
        "G1": "P1",
        "G2": "P2",
        "G4": "P4",
        "G5": "P5",
        "G6": "P6",
    }
    assert matched.loc["G2", "overlap"] == len("the budget is fine")


def test_no_predictions_scores_zero_recall_and_nan_precision():
    table = ae.evaluate(PRED.iloc[:0], GOLD, TEXTS).set_index("scope")
    assert table.loc["all", "recall"] == 0
    assert table["precision"].isna().all()


MINI_ALPHA = "alpha_2016-01-01_budget-talks"


def fake_extractor(text, *, doc_id=""):
    """Predicts the first double-quoted span of each article, said by "Jane"."""
    start = text.find('"')
    end = text.find('"', start + 1) + 1
    rows = [] if start < 0 else [_pred_like(doc_id, start, end, text[start:end])]
    return pd.DataFrame(rows, columns=ae.PRED_COLUMNS)


def _pred_like(doc_id, start, end, content):
    return {
        "doc_id": doc_id,
        "utterance_id": f"{doc_id}:u001",
        "speaker": "Jane",
        "kind": "direct",
        "cue": "",
        "start": start,
        "end": end,
        "cue_start": -1,
        "cue_end": -1,
        "mention_start": -1,
        "mention_end": -1,
        "text": content,
    }


def test_run_on_mini_corpus():
    # alpha has 3 gold relations; the quote "We have the votes," (20 characters) is half
    # of the discontinuous gold E2 (20 + 22 characters): not a match
    table, details = ae.run(MINI, extractor=fake_extractor, return_details=True)
    row = table.set_index("scope").loc["all"]
    assert (row["n_gold"], row["n_pred"], row["n_matched"]) == (5, 1, 0)
    assert set(details["status"]) == {"missed", "spurious"}


def test_gold_summary_on_mini_corpus():
    docs = read_split(MINI, "dev")
    summary = ae.gold_summary(relations_table(docs), {d.doc_id: d.text for d in docs})
    # direct: alpha E2 and beta E1; speech verbs: alpha E1 said, E2 told, beta E1 said, E2 added
    assert summary.iloc[0][
        ["n_docs", "n_relations", "n_direct", "n_speech_verb", "n_no_source"]
    ].tolist() == [2, 5, 2, 4, 1]


def test_main_prints_scores_and_writes_errors(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(ae, "default_extractor", lambda: fake_extractor)
    errors = tmp_path / "errors.csv"
    assert ae.main(["--polnear", str(MINI), "--errors", str(errors)]) == 0
    out = capsys.readouterr().out
    assert "speech_verb" in out and "Newell" in out
    assert len(pd.read_csv(errors)) == 6  # 5 missed + 1 spurious


def test_main_missing_data_exits_2(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert ae.main(["--polnear", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not REAL.is_dir(), reason=f"PolNeAR data not found at {REAL}")
def test_gold_spans_score_perfectly_on_real_dev():
    docs = read_split(REAL, "dev")
    gold = relations_table(docs)
    contiguous = gold[gold["content_spans"].map(len) == 1]

    def oracle(text, *, doc_id=""):
        g = contiguous[contiguous["doc_id"] == doc_id]
        return pd.DataFrame(
            {
                "doc_id": doc_id,
                "utterance_id": g["relation_id"],
                "speaker": "",
                "kind": "",
                "cue": g["cue_text"],
                "start": g["content_start"],
                "end": g["content_end"],
                "cue_start": g["cue_start"],
                "cue_end": g["cue_end"],
                "mention_start": g["source_start"],
                "mention_end": g["source_end"],
                "text": g["content_text"],
            }
        )

    row = ae.run(REAL, extractor=oracle).set_index("scope").loc["all"]
    assert row["precision"] == 1
    assert row["n_matched"] >= len(contiguous)
    assert row["speaker_accuracy"] == 1


def test_interrupted_quote_is_compared_by_its_segments():
    from analysis.evaluation.span_matching import _pred_span, match_spans

    # '"Talks were frank," said Yang, a long-serving diplomat of many titles, "and useful."'
    gold = [[(0, 19), (70, 84)]]
    outer = (0, 84)  # the outer span holds the cue clause and fails the half-overlap rule
    assert match_spans([outer], gold) == []
    for segments in [((0, 19), (70, 84)), "0-19;70-84"]:
        row = {"start": 0, "end": 84, "segments": segments}
        assert _pred_span(row) == [(0, 19), (70, 84)]
        assert match_spans([_pred_span(row)], gold) == [(0, 0)]
    assert _pred_span({"start": 3, "end": 9, "segments": ((3, 9),)}) == (3, 9)
