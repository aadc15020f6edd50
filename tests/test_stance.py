"""Stance: targets and their mentions, stance rows per document, and the stance tables
(checked against hand calculations on a tiny hand-made table)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.run import workspace
from analysis.stance import (
    ARTICLE,
    document_targets,
    find_mentions,
    load_targets,
    mentions,
    parse_targets,
)
from analysis.stance.mentions import _matches
from analysis.stats.resampling import bootstrap_ci
from analysis.stats.stance import (
    BY_SPEAKER_COLUMNS,
    SHIFT_COLUMNS,
    _mean_cis,
    stance_by_speaker,
    stance_evidence,
    stance_shifts,
)
from analysis.text.lexicon import term_regex

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
NO_UTTERANCES = pd.DataFrame(columns=["speaker", "speaker_type", "side", "mention"])
#: The columns issue 12 asks of results/stance.csv and results/stance_by_speaker.csv.
STANCE_REQUIRED = [
    "doc_id",
    "utterance_id",
    "speaker",
    "speaker_side",
    "target",
    "target_side",
    "start",
    "end",
    "label",
    "p_negative",
    "p_neutral",
    "p_positive",
    "phase",
]
BY_SPEAKER_REQUIRED = ["n", "mean_stance", "share_negative", "share_positive"]
BY_SPEAKER_REQUIRED += ["ci_low", "ci_high", "too_few", "phase"]


def _mentions(text: str) -> list[tuple[str, str]]:
    sentences = pd.DataFrame({"sentence_id": [0], "start": [0], "end": [len(text)]})
    found = find_mentions(text, sentences, document_targets(NO_UTTERANCES, load_targets()))
    assert (
        found["mention"] == [text[s:e] for s, e in zip(found.start, found.end, strict=True)]
    ).all()
    return list(zip(found["target"], found["mention"], strict=True))


US, CN = "United States", "China"


@pytest.mark.parametrize(
    "text, expected",
    [
        # possessives: the mention is the name, the 's or ' is not part of it
        ("The US' position and China's reply.", [(US, "US"), (CN, "China")]),
        # "US" only in capitals; "America" a whole word, so not "Americans"
        ("Let us talk with America, said Americans.", [(US, "America")]),
        # the longest match wins and counts once
        (
            "the Trump administration said Trump lied.",
            [(US, "the Trump administration"), ("Donald Trump", "Trump")],
        ),
        ("China-US ties and the US side.", [(CN, "China"), (US, "US"), (US, "the US side")]),
        # a bare surname after the full name is that person
        (
            "Yang Jiechi spoke. Later Yang said Beijing met the Biden administration.",
            [
                ("Yang Jiechi", "Yang Jiechi"),
                ("Yang Jiechi", "Yang"),
                (CN, "Beijing"),
                (US, "the Biden administration"),
            ],
        ),
        ("Yang said so.", []),
        (
            "Japan, South Korea and the closest regional allies",
            [
                ("Japan", "Japan"),
                ("South Korea", "South Korea"),
                ("US allies", "closest regional allies"),
            ],
        ),
        (
            "Hong Kong's and Xinjiang's human rights",
            [
                ("Hong Kong", "Hong Kong"),
                ("Xinjiang", "Xinjiang"),
                ("human rights", "human rights"),
            ],
        ),
    ],
)
def test_mentions_follow_the_lexicon_rules(text, expected):
    assert _mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The US' position, the U.S. side and us; China's, CHINA's and china-us ties.",
        "Washington\u2019s \u201ctalks\u201d with Beijing: the Biden Administration said so.",
        # characters that match ASCII letters only without regard to case: the Kelvin
        # sign, the long s, the dotted capital I (which lower-cases to two characters)
        "Hong \u212aong and Tibet; South Korea, \u017fouth Korea; X\u0130NJIANG and Xinjiang.",
        "hong kong hong-kong Hong  Kong trade-war COVID-19 covid",
        # joined by quote marks and runs of joiners; word characters on either side
        "Hong'Kong, Hong -' Kong, xHong Kong, Hong Kongs, _Taiwan, Taiwan_, 2Taiwan.",
    ],
)
def test_mentions_are_those_of_a_full_scan_of_each_alias(text, monkeypatch):
    # the matcher tries an alias only where its first word occurs, and checks a plain
    # alias by hand; scanning the whole text with each alias's pattern instead must
    # find the same matches
    aliases = document_targets(NO_UTTERANCES, load_targets())
    probed = _matches(text, aliases, [])

    def full_scan(alias, text, lowered, caseless_safe):
        pattern = term_regex(alias.alias, case_sensitive=alias.case_sensitive)
        return (m.span() for m in pattern.finditer(text))

    monkeypatch.setattr(mentions, "_spans", full_scan)
    assert probed == _matches(text, aliases, [])
    assert probed


def test_packaged_targets_hold_the_issues_actors_and_aliases():
    entries = load_targets().entries
    aliases = entries.groupby("target")["alias"].agg(set)
    assert {"US", "U.S.", "America", "Washington", "the US side", "the Biden administration"} <= (
        aliases[US]
    )
    assert "the previous administration" in aliases[US]
    assert {"Beijing", "the Chinese side", "CPC"} <= aliases[CN]
    assert {"Alaska talks", "the meeting", "the dialogue"} <= aliases["the talks"]
    for target in ["Antony Blinken", "Jake Sullivan", "Yang Jiechi", "Wang Yi", "Donald Trump"]:
        assert target in aliases.index
    for target in ["Taiwan", "Xinjiang", "Hong Kong", "Tibet", "human rights", "trade"]:
        assert target in aliases.index
    assert {"COVID-19", "Japan", "South Korea"} <= set(aliases.index)
    assert "closest regional allies" in aliases["US allies"]
    assert list(entries.columns) == ["target", "alias", "side", "note"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name,alias\nX,Y\n", "header row"),
        ("target,alias,side,note\nX,Y,Mars,\n", "side 'Mars'"),
        ("target,alias,side,note\nX,Y,US,\nZ,Y,US,\n", "already listed for X"),
        ("target,alias,side,note\nX,Y?,US,\n", "may hold only"),
        ("target,alias,side,note\nX,Y,US,\nX,Z,China,\n", "more than one side"),
        ("target,alias,side,note\n", "no target rows"),
    ],
)
def test_bad_targets_files_are_refused_by_name(text, problem):
    with pytest.raises(InputError, match="my_targets.csv") as err:
        parse_targets(text, "my_targets.csv")
    assert problem in str(err.value)


@pytest.fixture(scope="module")
def seeds():
    return workspace.build(config.SEEDS_DIR)


@pytest.fixture(scope="module")
def fixture_ws():
    return workspace.build(FIXTURE_CORPUS)


def test_every_resolved_speaker_of_the_seeds_is_a_target(seeds):
    utterances = seeds.tables["utterances"]
    listed = {a.lower().removeprefix("the ") for a in load_targets().entries["alias"]}
    folded = set()
    for doc_id, utts in utterances.groupby("doc_id"):
        aliases = document_targets(utts, load_targets())
        names = {a.target for a in aliases} | {p for a in aliases for p, _ in a.people}
        for speaker in set(utts["speaker"].fillna("")) - {""}:
            if speaker not in names:
                # a speaker that is a listed target under another name ("Chinese side")
                assert speaker.lower().removeprefix("the ") in listed, (doc_id, speaker)
                folded.add(speaker)
    # read from the seeds: these name the two countries' sides or governments
    assert folded <= {"Chinese side", "Chinese government", "US side", "White House", "China"}


def test_stance_rows_of_the_seeds(seeds):
    stance = seeds.tables["stance"]
    assert list(stance.columns[: len(STANCE_REQUIRED)]) == STANCE_REQUIRED
    texts = {d.doc_id: d.text for d in seeds.corpus.documents}
    assert all(
        texts[r.doc_id][r.start : r.end] == r.mention for r in stance.itertuples(index=False)
    )
    assert np.allclose(stance[["p_negative", "p_neutral", "p_positive"]].sum(axis=1), 1)
    assert set(stance["label"]) <= {"negative", "neutral", "positive"}
    # a mention in an utterance lies inside it and is its speaker's; any other is the article's
    utts = seeds.tables["utterances"].set_index("utterance_id")
    inside = stance[stance["utterance_id"] != ""]
    assert (inside["start"] >= inside["utterance_id"].map(utts["start"])).all()
    assert (inside["end"] <= inside["utterance_id"].map(utts["end"])).all()
    assert (inside["speaker"] == inside["utterance_id"].map(utts["speaker"].fillna(""))).all()
    outside = stance[stance["utterance_id"] == ""]
    assert len(outside) and (outside["speaker"] == ARTICLE).all()
    assert {"pre", "post"} == set(stance["phase"])
    # the title of pre_talks names China twice and the US once
    first = stance[(stance["doc_id"] == "pre_talks") & (stance["sentence_id"] == 0)]
    assert first["target"].tolist() == [CN, US, CN]


def test_stance_tables_of_the_fixture_corpus_have_their_columns(fixture_ws):
    tables = fixture_ws.tables
    assert list(tables["stance"].columns[: len(STANCE_REQUIRED)]) == STANCE_REQUIRED
    by = tables["stance_by_speaker"]
    assert list(by.columns) == BY_SPEAKER_COLUMNS and set(BY_SPEAKER_REQUIRED) <= set(by.columns)
    assert set(by["level"]) == {"speaker", "side"}
    assert {"all", "pre", "post"} == set(by["phase"])
    assert ARTICLE in set(by["speaker"])
    assert list(tables["stance_shifts"].columns) == SHIFT_COLUMNS
    # the side rows over all phases count every mention once
    side_all = by[(by["level"] == "side") & (by["phase"] == "all")]
    assert side_all["n"].sum() == len(tables["stance"])


def _row(speaker, side, target, doc, p):
    neg, neu, pos = p
    label = ("negative", "neutral", "positive")[int(np.argmax(p))]
    phase = {"d_pre": "pre", "d_post": "post"}[doc]
    return {
        "doc_id": doc,
        "speaker": speaker,
        "speaker_side": side,
        "target": target,
        "target_side": "US",
        "phase": phase,
        "label": label,
        "p_negative": neg,
        "p_neutral": neu,
        "p_positive": pos,
        "stance": pos - neg,
    }


@pytest.fixture
def tiny() -> pd.DataFrame:
    rows = [
        _row("A", "S", "T", "d_pre", (0.6, 0.3, 0.1)),  # -0.5 negative
        _row("A", "S", "T", "d_pre", (0.2, 0.2, 0.6)),  # +0.4 positive
        _row("A", "S", "T", "d_post", (0.1, 0.8, 0.1)),  # 0 neutral
        _row("B", "S", "T", "d_post", (0.7, 0.2, 0.1)),  # -0.6 negative
        _row(ARTICLE, ARTICLE, "T", "d_pre", (0.1, 0.1, 0.8)),  # +0.7 positive
        _row("", "S", "T", "d_pre", (0.1, 0.8, 0.1)),  # unresolved speaker: side rows only
    ]
    for value in (-0.9, -0.8, -0.7):
        rows.append(_row("B", "S", "T2", "d_pre", (-value, 1 + value, 0.0)))
    for value in (0.7, 0.8, 0.9):
        rows.append(_row("B", "S", "T2", "d_post", (0.0, 1 - value, value)))
    table = pd.DataFrame(rows)
    return table


def _cell(by, level, speaker, target, phase):
    key = (by["level"] == level) & (by["target"] == target) & (by["phase"] == phase)
    key &= (by["speaker"] == speaker) if level == "speaker" else (by["speaker_side"] == speaker)
    assert key.sum() == 1
    return by[key].iloc[0]


def test_stance_by_speaker_matches_a_hand_calculation(tiny):
    by = stance_by_speaker(tiny)
    a = _cell(by, "speaker", "A", "T", "all")
    assert (a.n, a.too_few) == (3, False)
    assert a.mean_stance == pytest.approx((-0.5 + 0.4 + 0.0) / 3)
    assert (a.share_negative, a.share_positive) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert a.ci_low <= a.mean_stance <= a.ci_high
    assert -0.5 <= a.ci_low and a.ci_high <= 0.4  # a bootstrap mean stays within the data
    a_pre = _cell(by, "speaker", "A", "T", "pre")
    assert (a_pre.n, a_pre.too_few, a_pre.mean_stance) == (2, True, pytest.approx(-0.05))
    s = _cell(by, "side", "S", "T", "all")  # A's three, B's one and the unresolved one
    assert s.n == 5 and s.mean_stance == pytest.approx((-0.5 + 0.4 + 0 - 0.6 + 0) / 5)
    assert (s.share_negative, s.share_positive) == (pytest.approx(2 / 5), pytest.approx(1 / 5))
    art = _cell(by, "speaker", ARTICLE, "T", "all")
    assert (art.n, art.mean_stance, art.too_few) == (1, pytest.approx(0.7), True)
    assert "" not in set(by.loc[by["level"] == "speaker", "speaker"])
    # one value gives no interval (analysis.stats.resampling.bootstrap_ci)
    b_post = _cell(by, "speaker", "B", "T", "post")
    assert np.isnan(b_post.ci_low) and np.isnan(b_post.ci_high)
    assert stance_by_speaker(tiny).equals(by)  # fixed seed: same intervals on re-run


def test_stance_shifts_match_a_hand_calculation(tiny):
    docs = pd.DataFrame({"doc_id": ["d_pre", "d_post"], "phase": ["pre", "post"]})
    shifts = stance_shifts(tiny, docs).set_index(["speaker_side", "target"])
    t = shifts.loc[("S", "T")]
    # post {0, -0.6} against pre {-0.5, 0.4, 0}
    assert (t.n_a, t.n_b) == (2, 3)
    assert t["diff"] == pytest.approx(-0.3 - (-0.1 / 3))
    # exact permutation over the C(5,2) = 10 splits of the five values: the pair in A
    # with sum s gives s/2 - (-0.7 - s)/3, at least 0.2667 in size for 5 of them
    assert t.p_perm == pytest.approx(5 / 10)
    t2 = shifts.loc[("S", "T2")]
    assert t2["diff"] == pytest.approx(1.6)
    assert t2.p_perm == pytest.approx(2 / 20)  # the split itself and its mirror of C(6,3)
    # Benjamini–Hochberg over the two tested rows: 0.1 * 2 / 1 and 0.5 * 2 / 2
    assert t2.p_adj == pytest.approx(0.2) and t.p_adj == pytest.approx(0.5)
    art = shifts.loc[(ARTICLE, "T")]  # pre only: nothing to test
    assert np.isnan(art.p_perm) and np.isnan(art.p_adj) and art.too_few


def test_stance_evidence_lists_the_rows_of_a_cell(seeds):
    stance = seeds.tables["stance"]
    rows = stance_evidence(stance, speaker=ARTICLE, target=US, phase="pre")
    expected = stance[
        (stance["speaker"] == ARTICLE) & (stance["target"] == US) & (stance["phase"] == "pre")
    ]
    assert len(rows) == len(expected) > 0
    in_order = expected.sort_values(["doc_id", "start"])["mention"].tolist()
    assert rows["mention"].tolist() == in_order
    assert rows["left"].str.len().max() <= 80


def test_a_corpus_without_target_mentions_gives_empty_tables(tiny):
    none = tiny.iloc[:0]
    docs = pd.DataFrame({"doc_id": ["d_pre", "d_post"], "phase": ["pre", "post"]})
    assert list(stance_by_speaker(none).columns) == BY_SPEAKER_COLUMNS
    assert stance_by_speaker(none).empty
    assert list(stance_shifts(none, docs).columns) == SHIFT_COLUMNS


def test_grouped_intervals_are_bootstrap_ci_of_each_group():
    rng = np.random.default_rng(7)
    groups = [rng.normal(size=n) for n in (1, 2, 2, 3, 5, 5, 9, 11, 11, 40, 250)]
    groups += [groups[4].copy(), np.array([0.5, 0.5, -0.25])]  # a repeated group
    got = _mean_cis(groups)
    for g, x in enumerate(groups):
        # the same resamples; summing column by column may round the last bit differently
        np.testing.assert_allclose(got[g], bootstrap_ci(x), rtol=1e-13, atol=1e-15)
    # a group's interval depends on its values alone, not on the groups beside it
    for g in (3, 6, 8, 9):
        np.testing.assert_array_equal(_mean_cis([groups[g]])[0], got[g])
    np.testing.assert_array_equal(_mean_cis(groups[::-1])[::-1], got)
