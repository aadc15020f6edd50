"""Speaker resolution, sides and the cross-document speaker table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.attribution.extract import attribute_text
from analysis.attribution.lexicons import registry
from analysis.attribution.names import match_group, name_key
from analysis.attribution.sides import infer_side
from analysis.attribution.speakers import SPEAKER_TABLE_COLUMNS, SpeakerResolver, speaker_table

STORY = (
    "Jin Canrong, associate dean of the School of International Studies at the Renmin "
    "University of China, told the Global Times that the talks were useful. "
    "Zhang Jiadong, a professor at Fudan University, said the US was divided. "
    "Zhang Tengjun, an assistant research fellow, said Washington was worried. "
    "Yang Jiechi, director of the Office of the Foreign Affairs Commission of the CPC Central "
    "Committee, met US Secretary of State Antony Blinken. "
    "Yang Xiyu, a senior research fellow at the China Institute of International Studies, said "
    "the talks were useful. Chinese Premier Li Keqiang spoke on Friday. Jake Sullivan spoke too."
)


@pytest.mark.parametrize(
    ("mention", "speaker", "speaker_type", "side"),
    [
        ("Jin", "Jin Canrong", "person", "Chinese scholar"),
        ("Zhang", "Zhang Tengjun", "person", "Chinese scholar"),
        ("Zhang from Fudan University", "Zhang Jiadong", "person", "Chinese scholar"),
        ("Yang", "Yang Xiyu", "person", "Chinese scholar"),
        (
            "Yang from China Institute of International Studies",
            "Yang Xiyu",
            "person",
            "Chinese scholar",
        ),
        (
            "Yang of the Office of the Foreign Affairs Commission",
            "Yang Jiechi",
            "person",
            "Chinese official",
        ),
        ("Blinken", "Antony Blinken", "person", "US official"),
        ("Sullivan", "Jake Sullivan", "person", "US official"),
        ("Premier Li", "Li Keqiang", "person", "Chinese official"),
        ("State Councilor and Foreign Minister Wang Yi", "Wang Yi", "person", "Chinese official"),
        ("spokesperson Zhao Lijian", "Zhao Lijian", "person", "Chinese official"),
        ("the Chinese side", "Chinese side", "institution", "Chinese official"),
        ("China", "Chinese government", "institution", "Chinese official"),
        ("the US side", "US side", "institution", "US official"),
        ("the US State Department", "US State Department", "institution", "US official"),
        ("the White House", "White House", "institution", "US official"),
        ("experts", "experts", "group", "unknown"),
        ("Chinese observers", "Chinese observers", "group", "Chinese scholar"),
        ("Some analysts", "analysts", "group", "unknown"),
        (
            "US scholars and former senior officials",
            "US scholars and former senior officials",
            "group",
            "US scholar",
        ),
        ("the Global Times", "Global Times", "institution", "media"),
        ("a statement by the White House", "White House", "institution", "US official"),
        ("Renmin University", "Renmin University", "institution", "Chinese scholar"),
    ],
)
def test_resolve(mention, speaker, speaker_type, side):
    got = SpeakerResolver(STORY).resolve(mention, len(STORY))
    assert (got.speaker, got.speaker_type, got.side) == (speaker, speaker_type, side)


def test_appositive_and_title_roles():
    resolver = SpeakerResolver(STORY)
    assert resolver.resolve("Jin", len(STORY)).role == (
        "associate dean of the School of International Studies at the Renmin University of China"
    )
    assert resolver.role_of("Antony Blinken") == "US Secretary of State"
    assert resolver.role_of("Li Keqiang") == "Chinese Premier"


def test_surname_takes_the_latest_full_name_before_the_mention():
    text = "Zhang Jiadong spoke. Zhang said so. Zhang Tengjun spoke. Zhang said it too."
    resolver = SpeakerResolver(text)
    first, second = text.index("Zhang said so"), text.index("Zhang said it")
    assert resolver.resolve("Zhang", first).speaker == "Zhang Jiadong"
    assert resolver.resolve("Zhang", second).speaker == "Zhang Tengjun"


def test_pronouns_follow_the_person_in_focus():
    text = (
        "Hua Chunying said the US must stop. She stated that China was firm. They said it failed."
    )
    df = attribute_text(text)
    assert list(df["speaker"]) == ["Hua Chunying", "Hua Chunying", ""]
    assert list(df["speaker_type"]) == ["person", "person", "unknown"]
    assert df.iloc[2]["side"] == "unknown"


def test_surnames_never_cross_documents():
    first = attribute_text("Zhang Jiadong said the US was divided.", doc_id="a")
    second = attribute_text("Zhang said the US was divided.", doc_id="b")
    assert first.iloc[0]["speaker"] == "Zhang Jiadong"
    assert second.iloc[0]["speaker"] == "Zhang"


def test_nested_attribution():
    text = (
        "Antony Blinken and Jake Sullivan met Yang Jiechi. The AFP quoted Blinken saying the "
        "US would raise concerns. The spokesperson also quoted Sullivan as saying the US did "
        "not seek conflict."
    )
    df = attribute_text(text)
    assert list(df["speaker"]) == ["Antony Blinken", "Jake Sullivan"]
    assert list(df["conduit"]) == ["AFP", "The spokesperson"]
    assert list(df["mention"]) == ["Blinken", "Sullivan"]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("a professor at Renmin University of China", "Chinese scholar"),
        ("Chinese Foreign Ministry spokesperson", "Chinese official"),
        ("a senior fellow at the Brookings Institution in Washington", "US scholar"),
        ("US Secretary of State", "US official"),
        ("a reporter for the newspaper", "media"),
        ("a retired teacher", "unknown"),
        ("director of the Center for American Studies at Fudan University", "Chinese scholar"),
    ],
)
def test_infer_side(text, side):
    assert infer_side(text) == side


def test_registry_and_name_keys():
    assert registry()["lu xiang"].speaker == "Lü Xiang"
    assert registry()["yang jiechi"].side == "Chinese official"
    assert name_key("Zhang Jiadong") == "Zhang"
    assert name_key("Antony Blinken") == "Blinken"
    assert match_group("a senior official").speaker_type == "person"
    assert match_group("Beijing").speaker == "Chinese government"
    assert match_group("Fudan University") is None


def test_speaker_table_merges_full_names_across_documents():
    utts = pd.concat(
        [
            attribute_text(
                'Wang Yi said the talks were useful. "We are firm," Wang said.', doc_id="a"
            ),
            attribute_text("State Councilor Wang Yi said the US must reflect.", doc_id="b"),
            attribute_text("Experts believe the talks set a tone. He said so.", doc_id="c"),
        ],
        ignore_index=True,
    )
    table = speaker_table(utts)
    assert list(table.columns) == SPEAKER_TABLE_COLUMNS
    wang = table.set_index("speaker").loc["Wang Yi"]
    assert (wang["n_utterances"], wang["n_documents"], wang["doc_ids"]) == (3, 2, "a;b")
    assert wang["words_quoted"] == 4 + 3 + 4
    assert wang["side"] == "Chinese official"
    assert list(table["speaker"]) == ["Wang Yi", "experts"]
    assert speaker_table(utts.iloc[0:0]).columns.tolist() == SPEAKER_TABLE_COLUMNS


def test_speaker_table_takes_the_most_common_value_and_the_first_seen_on_ties():
    utts = pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "b"],
            "speaker": ["Li", "Li", "Li", "Ma", "Ma"],
            "speaker_type": ["person"] * 5,
            "side": ["", "US scholar", "Chinese scholar", None, ""],
            "role": ["dean", "professor", "professor", "analyst", "editor"],
            "n_words": [1, 2, 3, 4, 5],
        }
    )
    table = speaker_table(utts).set_index("speaker")
    # Li: professor twice beats dean once; the sides tie and US scholar came first.
    assert table.loc["Li", ["role", "side"]].tolist() == ["professor", "US scholar"]
    # Ma: no side at all stays empty; the roles tie and analyst came first.
    assert table.loc["Ma", ["role", "side"]].tolist() == ["analyst", ""]


def test_speaker_table_lists_each_document_once_in_code_point_order():
    utts = pd.DataFrame(
        {
            "doc_id": ["zeta", "Émile", "alpha", "zeta", "Zulu", "beta", "alpha", "é"],
            "speaker": ["Li", "Li", "Li", "Li", "Li", "Ma", "", "Ma"],
            "speaker_type": ["person"] * 8,
            "side": [""] * 8,
            "role": [""] * 8,
            "n_words": [1] * 8,
        }
    )
    table = speaker_table(utts).set_index("speaker")
    # as Python sorts text: capitals before lower case, accented letters after z
    assert table.loc["Li", "doc_ids"] == ";".join(sorted({"zeta", "Émile", "alpha", "Zulu"}))
    assert table.loc["Li", "doc_ids"] == "Zulu;alpha;zeta;Émile"
    assert (table.loc["Ma", "doc_ids"], table.loc["Ma", "n_documents"]) == ("beta;é", 2)


def test_disambiguating_phrase_beats_the_latest_surname_and_then_holds():
    text = (
        "Yang Xiyu, a senior research fellow at the China Institute of International Studies, "
        "spoke first. Zhang Jiadong, a professor at Fudan University, and Zhang Tengjun spoke "
        "next. Yang Jiechi, director of the Office of the Foreign Affairs Commission of the CPC "
        "Central Committee, opened the talks.\n\n"
        "Yang from China Institute of International Studies said the US had miscalculated. "
        "Zhang from Fudan University said the US was divided. Zhang said the talks helped. "
        "Yang said the Chinese side was firm."
    )
    df = attribute_text(text)
    # A bare surname goes to the bearer mentioned most recently (salience): the
    # disambiguated "Zhang from Fudan University" and "Yang from China Institute ...".
    assert list(df["speaker"]) == ["Yang Xiyu", "Zhang Jiadong", "Zhang Jiadong", "Yang Xiyu"]
    assert list(df["side"]) == ["Chinese scholar"] * 4
    assert df.iloc[0]["role"] == (
        "a senior research fellow at the China Institute of International Studies"
    )
