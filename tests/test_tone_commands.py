"""The train-tone, target-tone and evaluate-tone commands, on invented NewsMTSC-format data
(always) and on the real dev splits (where ../shared/data is present)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED_DATA

from analysis.cli import main
from analysis.evaluation.tone import PREDICTION_COLUMNS, SCORE_COLUMNS

MINI = Path(__file__).parent / "fixtures" / "newsmtsc_mini"
NEWSMTSC = Path(os.environ.get("ANALYSIS_SHARED_DATA", SHARED_DATA)) / "newsmtsc"


@pytest.fixture(scope="module")
def mini_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model")
    assert main(["train-tone", "--data", str(MINI), "--out", str(out)]) == 0
    return out


def test_train_tone_writes_the_three_files_and_says_so(mini_model, tmp_path, capsys):
    assert sorted(p.name for p in mini_model.iterdir()) == [
        "tone_model.json",
        "tone_model.npz",
        "tone_words.npz",
    ]
    assert main(["train-tone", "--data", str(MINI), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("sha256") == 3 and "fitted in" in out
    for name in ("tone_model.json", "tone_model.npz"):
        assert (tmp_path / name).read_bytes() == (mini_model / name).read_bytes()


def test_target_tone_writes_one_row_per_target(mini_model, tmp_path):
    pred = tmp_path / "pred.csv"
    assert main(["target-tone", str(MINI / "dev_mt.jsonl"), "--out", str(pred)]) == 0
    table = pd.read_csv(pred)
    assert list(table.columns) == PREDICTION_COLUMNS
    # dev_mt.jsonl: two lines with two targets each
    assert table[["line", "target"]].values.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert set(table["label"]) <= {"negative", "neutral", "positive"}
    probs = table[["p_negative", "p_neutral", "p_positive"]]
    assert (probs.sum(axis=1) - 1).abs().max() < 1e-6
    best = probs.to_numpy().argmax(1)
    assert table["label"].tolist() == [("negative", "neutral", "positive")[i] for i in best]
    again = tmp_path / "again.csv"
    main(["target-tone", str(MINI / "dev_mt.jsonl"), "--out", str(again), "--model", "x"])
    assert not again.exists()  # a missing model folder writes nothing


def test_target_tone_needs_no_polarity_and_counts_lines_from_zero(tmp_path):
    data = tmp_path / "new.jsonl"
    rows = [
        {"sentence_normalized": "Hale spoke.", "targets": [{"from": 0, "to": 4}]},
        {"sentence_normalized": "Ortiz and Vale met.", "targets": []},
        {"sentence_normalized": "Vale won.", "targets": [{"from": 0, "to": 4}]},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.csv"
    assert main(["target-tone", str(data), "--out", str(pred)]) == 0
    assert pd.read_csv(pred)[["line", "target"]].values.tolist() == [[0, 0], [2, 0]]


@pytest.mark.parametrize(
    "line, problem",
    [
        ("not json", "line 1: needs a JSON object"),
        ('{"sentence_normalized": "Hale.", "targets": [{"from": 0, "to": 9}]}', "span 0-9"),
        ('{"sentence_normalized": "Hale.", "targets": [{"from": 0}]}', "integer 'from' and 'to'"),
    ],
)
def test_target_tone_bad_file_exits_2_with_one_line(tmp_path, capsys, line, problem):
    data = tmp_path / "bad.jsonl"
    data.write_text(line + "\n", encoding="utf-8")
    pred = tmp_path / "pred.csv"
    assert main(["target-tone", str(data), "--out", str(pred)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert str(data) in err[0] and problem in err[0]
    assert not pred.exists()


def test_evaluate_tone_prints_scores_beside_vader(mini_model, capsys):
    code = main(["evaluate-tone", "--data", str(MINI), "--model", str(mini_model)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split() == SCORE_COLUMNS
    models = [" ".join(line.split()[1:3]) for line in lines[1:]]
    assert models == ["VADER sentence", "tone model"] * 2
    assert [line.split()[0] for line in lines[1:]] == ["dev_rw"] * 2 + ["dev_mt"] * 2


def test_evaluate_tone_one_split_and_missing_data(mini_model, tmp_path, capsys):
    assert main(["evaluate-tone", "--split", "dev_mt", "--data", str(MINI)]) == 0
    assert "dev_rw" not in capsys.readouterr().out
    shutil.copy(MINI / "dev_rw.jsonl", tmp_path)
    assert main(["evaluate-tone", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "dev_mt.jsonl" in err[0]


@pytest.mark.skipif(
    not (NEWSMTSC / "dev_rw.jsonl").is_file(), reason=f"NewsMTSC data not found at {NEWSMTSC}"
)
def test_evaluate_tone_on_real_dev_splits(capsys):
    assert main(["evaluate-tone", "--data", str(NEWSMTSC)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.strip().splitlines()[1:]]
    macro = {(r[0], " ".join(r[1:3])): float(r[3]) for r in rows}
    assert macro[("dev_rw", "tone model")] >= 0.70
    assert macro[("dev_mt", "tone model")] >= 0.65
    assert macro[("dev_rw", "tone model")] > macro[("dev_rw", "VADER sentence")]
