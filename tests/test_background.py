"""Background frequencies for keyness's prior: wordfreq's values, memoised between runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import wordfreq
from conftest import refuse

from analysis.run import memo_store
from analysis.stats import background
from analysis.stats.background import (
    PRIOR_FLOOR,
    adopt_frequencies,
    background_frequencies,
    look_up_ahead,
    memoised_frequencies,
)

WORDS = ["the", "china-us", "zzqxjvw", "talks"]


def test_background_frequencies():
    known = wordfreq.get_frequency_dict("en")
    freq = background_frequencies(["the", "china-us", "zzqxjvw"])
    assert freq[0] == known["the"]
    # wordfreq.word_frequency rounds to 3 significant digits
    assert freq[1] == pytest.approx(wordfreq.word_frequency("china-us", "en"), rel=5e-3)
    assert freq[2] == PRIOR_FLOOR


def test_memoised_frequencies_are_wordfreqs_and_are_not_looked_up_again(monkeypatch):
    plain = background_frequencies(WORDS)
    with memoised_frequencies({}) as first:
        assert background_frequencies(WORDS).tolist() == plain.tolist()
    assert sorted(first) == sorted(WORDS)
    assert first["zzqxjvw"] == 0.0  # kept as wordfreq gives it; the floor applies on use
    monkeypatch.setattr(background, "_looked_up", refuse("wordfreq"))
    with memoised_frequencies(first) as second:
        assert background_frequencies(WORDS[:2]).tolist() == plain[:2].tolist()
    assert sorted(second) == ["china-us", "the"]  # words no longer asked for are dropped


def _summary(terms: list[str], ngram: list[int], n: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": "d", "term": terms, "ngram": ngram, "n": n})


def test_words_looked_up_ahead_are_the_counted_unigrams_the_memo_lacks(monkeypatch):
    summary = _summary(
        ["talks", "china-us", ",", "china-us talks", "the"], [1, 1, 1, 2, 1], [2, 1, 0, 1, 1]
    )
    assert look_up_ahead([summary]) == {}  # no memo: nothing to keep them for
    with memoised_frequencies({"the": 0.05}):
        ahead = look_up_ahead([summary, summary])
        assert sorted(ahead) == ["china-us", "talks"]
        assert ahead["talks"] == wordfreq.get_frequency_dict("en")["talks"]
        adopt_frequencies(ahead)
        monkeypatch.setattr(background, "_looked_up", refuse("wordfreq"))
        freq = background_frequencies(["talks", "china-us", "the"])
    assert freq.tolist() == [ahead["talks"], ahead["china-us"], 0.05]


def test_stored_frequencies_round_trip_for_the_same_code_and_wordfreq(tmp_path):
    values = {"the": 0.05, "zzqxjvw": 0.0, "china-us": float(np.float64(1) / 3)}
    memo_store.store_frequencies(tmp_path, "a" * 64, values, unless={})
    assert memo_store.load_frequencies(tmp_path, "a" * 64) == values
    assert memo_store.load_frequencies(tmp_path, "b" * 64) == {}
    path = tmp_path / memo_store.FREQUENCIES
    before = path.stat().st_mtime_ns
    memo_store.store_frequencies(tmp_path, "a" * 64, dict(values), unless=values)
    assert path.stat().st_mtime_ns == before  # unchanged: not written again
    path.write_text("{broken")
    assert memo_store.load_frequencies(tmp_path, "a" * 64) == {}
