import math

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.evaluation.vader_validation import (
    DATASETS,
    DEFAULT_DATA_DIR,
    TOLERANCE,
    read_ground_truth,
    run,
    validate,
)
from analysis.text.sentiment import score_texts

GOLD_LINES = [
    b"\xef\xbb\xbfid\tmean\ttext",  # BOM and a header: skipped (rating is not a number)
    b"1\t2.5\tA wonderful, lovely day.",
    b"2\t-3.1\tThe caf\xe9 was awful.",  # Latin-1 e-acute, not valid UTF-8
    b"3\t0.4\tShe said \x93fine\x94 twice.",  # cp1252 curly quotes
    b"4\t1.0\tcaf\xc3\xa9 au lait\twith a tab",  # UTF-8, and a tab inside the text
    b"",
    b"5\t-0.5",  # only two fields: skipped
    b"6\t-1.25\tNot good at all.",
    b"",
]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "tiny_GroundTruth.txt"
    path.write_bytes(b"\r\n".join(GOLD_LINES))
    return path


def test_reader_rows(gold_file):
    gold = read_ground_truth(gold_file)
    expected = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4", "6"],
            "rating": [2.5, -3.1, 0.4, 1.0, -1.25],
            "text": [
                "A wonderful, lovely day.",
                "The caf\u00e9 was awful.",
                "She said \u201cfine\u201d twice.",
                "caf\u00e9 au lait\twith a tab",
                "Not good at all.",
            ],
        }
    )
    pd.testing.assert_frame_equal(gold.table, expected, check_dtype=False)
    assert gold.fallback_lines == 2


def test_reader_reports_skipped_lines(gold_file):
    skipped = dict(read_ground_truth(gold_file).skipped)
    assert set(skipped) == {1, 7}
    assert "'mean' is not a number" in skipped[1]
    assert "3 tab-separated fields, found 2" in skipped[7]


def test_reader_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_ground_truth(tmp_path / "absent.txt")


def test_validate_tiny_file(gold_file):
    gold = read_ground_truth(gold_file)
    row = validate(gold, 0.5)
    compound = score_texts(gold.table.text).compound
    assert row["n"] == 5 and row["skipped"] == 2 and row["fallback_lines"] == 2
    assert row["r"] == pytest.approx(compound.corr(gold.table.rating))
    assert row["diff"] == pytest.approx(row["r"] - 0.5)
    assert row["within_tolerance"] == (abs(row["r"] - 0.5) <= TOLERANCE)


def test_validate_too_few_rows(tmp_path):
    path = tmp_path / "one_GroundTruth.txt"
    path.write_text("1\t1.0\tgood\n", encoding="utf-8")
    row = validate(read_ground_truth(path), 0.5)
    assert row["n"] == 1 and math.isnan(row["r"]) and not row["within_tolerance"]


def test_run_missing_folder_or_file(tmp_path):
    with pytest.raises(InputError, match="folder not found"):
        run(tmp_path / "absent")
    (tmp_path / "tweets_GroundTruth.txt").write_text("1\t1.0\tgood\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing VADER ground-truth file"):
        run(tmp_path)


@pytest.mark.skipif(
    not DEFAULT_DATA_DIR.is_dir(),
    reason=f"VADER gold-standard data not found at {DEFAULT_DATA_DIR}",
)
def test_reproduces_hutto_gilbert_table_4():
    table = run(DEFAULT_DATA_DIR).set_index("dataset")
    # Sizes from the data set's README (Hutto & Gilbert 2014).
    assert table.n.to_dict() == {
        "tweets": 4200,
        "movie_reviews": 10605,
        "amazon_reviews": 3708,
        "nyt_editorials": 5190,
    }
    assert table.paper_r.to_dict() == {name: r for name, (_, r) in DATASETS.items()}
    for name, row in table.iterrows():
        assert abs(row.r - row.paper_r) <= 0.03, f"{name}: r={row.r:.3f}, paper {row.paper_r}"
    assert table.within_tolerance.all()
