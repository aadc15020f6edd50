"""The quotes command: attribution on loose text files, no corpus setup needed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cli import main

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
REQUIRED = [
    "doc_id", "utterance_id", "speaker", "speaker_type", "side", "kind", "cue", "start", "end",
    "cue_start", "cue_end", "mention_start", "mention_end", "text", "compound",
]  # fmt: skip


def test_quotes_on_files_and_folders(tmp_path, capsys):
    loose = tmp_path / "loose.txt"
    loose.write_text(
        'No date here\n\n"We will not be lectured," Wang said on Friday.\n', encoding="utf-8"
    )
    out = tmp_path / "out" / "quotes.csv"
    assert main(["quotes", str(FIXTURE_CORPUS), str(loose), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(REQUIRED) <= set(table.columns)
    assert set(table["doc_id"]) >= {"loose", "pre_talks", "post_talks"}
    row = table[table["doc_id"] == "loose"].iloc[0]
    text = loose.read_text(encoding="utf-8")
    assert "We will not be lectured" in text[row["start"] : row["end"]]
    assert text[row["start"] : row["end"]] == row["text"]
    assert row["speaker"] == "Wang" and row["kind"] == "direct"
    assert row["segments"] == f"{row['start']}-{row['end']}"  # as utterances.csv writes them
    assert "wrote" in capsys.readouterr().out


def test_quotes_on_a_missing_path_writes_nothing(tmp_path, capsys):
    out = tmp_path / "quotes.csv"
    assert main(["quotes", str(tmp_path / "gone.txt"), "--out", str(out)]) == 2
    assert "gone.txt" in capsys.readouterr().err
    assert not out.exists()
