"""The report's summary sentences, on the seeds and on small hand-made tables."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config
from analysis.report import summary
from analysis.run import workspace


@pytest.fixture(scope="module")
def seed_tables():
    return workspace.build(config.SEEDS_DIR).tables


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 hits"), (1, "1 hit"), (2, "2 hits"), (1500, "1,500 hits")]
)
def test_plural(n, expected):
    assert summary.plural(n, "hit") == expected


def test_seed_corpus_sentence_names_outlet_dates_and_phases(seed_tables):
    text = summary.corpus_finding(seed_tables).text
    # seeds/README.md: two Global Times articles, 11 and 20 March 2021
    assert text.startswith("The corpus holds 2 articles from Global Times")
    assert "dated 11 Mar 2021 to 20 Mar 2021" in text
    assert "(phases: 1 pre, 1 post)" in text


def test_seed_significance_is_the_sovereignty_frame_as_issue_14_states(seed_tables):
    text = summary.significance_finding(seed_tables).text
    assert "the sovereignty frame (5 vs 0 hits in post vs pre, adjusted p = 0.046)" in text
    assert "the other 8 frames do not" in text


def test_seed_speakers_sentence_names_the_top_speaker_of_each_side(seed_tables):
    text = summary.speakers_finding(seed_tables).text
    speakers = seed_tables["speakers"]
    for side, part in speakers[speakers["side"] != "unknown"].groupby("side"):
        top = part.sort_values(["words_quoted", "speaker"], ascending=[False, True]).iloc[0]
        assert f"{side}: {top['speaker']} (" in text


def _shifts(rows):
    cols = ["frame", "count_a", "count_b", "total_a", "total_b", "p_adj"]
    return pd.DataFrame(rows, columns=cols).assign(group_a="post", group_b="pre")


def test_no_significant_frame_is_said_plainly():
    tables = {"frame_shifts": _shifts([("reset", 1, 2, 100, 100, 0.9), ("x", 0, 0, 100, 100, 1)])}
    text = summary.significance_finding(tables).text
    assert (
        text == "No frame differs between post and pre after Benjamini–Hochberg correction; "
        "reset does not (adjusted p = 0.900)."
    )


def test_framing_moves_are_ordered_by_size_and_unmoved_frames_left_out():
    tables = {
        "frame_shifts": _shifts(
            [("a", 2, 1, 100, 90, 1), ("b", 0, 5, 100, 90, 1), ("c", 3, 3, 100, 90, 1)]
        )
    }
    text = summary.framing_finding(tables).text
    assert text.endswith(": b (5 → 0) and a (1 → 2).")
    assert "from 90 and 100 word tokens" in text


def test_findings_skip_what_the_tables_cannot_support():
    docs = pd.DataFrame(
        {"doc_id": ["d"], "date": ["2021-03-11"], "phase": ["pre"], "outlet": [""], "n_tokens": [5]}
    )
    found = summary.findings({"documents": docs, "frame_shifts": _shifts([])})
    assert [f.target for f in found] == ["Documents"]
    assert "(no outlet recorded), dated 11 Mar 2021 (phases: 1 pre)" in found[0].text


def test_readme_states_what_a_fresh_run_finds_on_the_seeds(seed_tables):
    readme = (config.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- summary:start -->\n(.*?)<!-- summary:end -->", readme, re.S)
    assert block, "README.md has no summary block"
    assert block.group(1) == summary.summary_markdown(seed_tables), (
        "README.md's summary is stale: run `make report` and copy results/summary.md into it"
    )
    figure = re.search(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", readme)
    assert figure and (config.REPO_ROOT / figure.group(1)).is_file()


def test_speakers_without_a_known_side_still_name_the_most_quoted():
    speakers = pd.DataFrame(
        {
            "speaker": ["Li Ming", "experts"],
            "side": ["unknown", "unknown"],
            "n_utterances": [1, 3],
            "words_quoted": [40, 12],
        }
    )
    text = summary.what_this_shows({"speakers": speakers}, about="speakers")
    assert text == (
        "Quoted most, by words quoted: Li Ming (1 utterance, 40 words); no speaker's side is known."
    )
    assert summary.what_this_shows({}, about="speakers") == "No utterance has a resolved speaker."


def test_keyness_sentence_names_what_survives_and_says_so_when_nothing_does():
    key = pd.DataFrame(
        {
            "term": ["talks", "so", "meeting"],
            "count_a": [19, 0, 1],
            "count_b": [1, 9, 13],
            "key_in": ["post", "pre", "pre"],
            "p_adj": [0.004, 0.3, 0.04],
        }
    )
    text = summary.keyness_finding({"keyness": key}).text
    assert text == (
        "Across all 3 words and two-word phrases, 2 differ significantly after correction: "
        "'talks' (19 vs 1, more in post, adjusted p = 0.004) and "
        "'meeting' (1 vs 13, more in pre, adjusted p = 0.040)."
    )
    none = summary.keyness_finding({"keyness": key.assign(p_adj=0.5)}).text
    assert none.endswith("none differs significantly after correction.")


def test_keyness_sentence_breaks_ties_at_the_cut_off_by_term():
    key = pd.DataFrame(
        {
            "term": ["d", "b", "z", "a", "c"],
            "count_a": [1, 2, 3, 4, 5],
            "count_b": [0, 0, 0, 0, 0],
            "key_in": ["post"] * 5,
            "p_adj": [0.01, 0.01, 0.001, 0.01, 0.02],
        }
    )
    text = summary.keyness_finding({"keyness": key}, n=3).text
    assert "'z' (3 vs 0, more in post, adjusted p = 0.001), 'a' (4 vs 0" in text
    assert text.endswith("'b' (2 vs 0, more in post, adjusted p = 0.010) and 2 more.")


def _stance_cells(rows):
    columns = ["level", "speaker_side", "target", "phase", "n", "mean_stance", "ci_low"]
    return pd.DataFrame(rows, columns=[*columns, "ci_high", "too_few"])


def test_stance_sentence_orders_cells_by_mentions_and_leaves_out_too_few():
    table = _stance_cells(
        [
            ("side", "Chinese official", "United States", "all", 5, -0.25, -0.5, 0.1, False),
            ("side", "US official", "China", "all", 9, 0.125, -0.2, 0.4, False),
            ("side", "US official", "Japan", "all", 2, 0.9, 0.8, 1.0, True),
            ("side", "US official", "China", "post", 9, 0.125, -0.2, 0.4, False),
            ("speaker", "US official", "China", "all", 30, 0.5, 0.4, 0.6, False),
        ]
    )
    shifts = pd.DataFrame(
        {
            "speaker_side": ["US official", "Chinese official"],
            "target": ["China", "United States"],
            "diff": [0.3, -0.1],
            "p_adj": [0.2, 0.04],
        }
    )
    text = summary.stance_finding({"stance_by_speaker": table, "stance_shifts": shifts}).text
    assert (
        "pairs: US official toward China +0.12 (95% CI −0.20 to +0.40, n = 9) and Chinese "
        "official toward United States −0.25 (95% CI −0.50 to +0.10, n = 5)."
    ) in text
    assert "Japan" not in text
    assert (
        "After correction, 1 shift of 2 pairs tested is significant; the strongest: Chinese "
        "official toward United States, −0.10 (adjusted p = 0.040)."
    ) in text


def test_stance_sentence_says_when_no_shift_survives():
    table = _stance_cells([("side", "(article)", "China", "all", 4, 0.0, -0.1, 0.1, False)])
    shifts = pd.DataFrame(
        {"speaker_side": ["(article)"], "target": ["China"], "diff": [0.1], "p_adj": [0.5]}
    )
    text = summary.stance_finding({"stance_by_speaker": table, "stance_shifts": shifts}).text
    assert "No side's stance toward a target shifted significantly after correction" in text
    assert "(smallest adjusted p = 0.500, (article) toward China, of 1 pair tested)" in text
