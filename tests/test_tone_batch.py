"""The tone model's numpy fast path (``tone_batch``) against the per-mention functions.

``ToneClassifier.fit`` builds its features one mention at a time with
``tone_features``; prediction builds them for all mentions at once. The two must give
the same floats, so the reference below recomputes every mention with the per-mention
functions and the arithmetic prediction used before the fast path existed, and the
results are compared for exact equality.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED_DATA

from analysis.stance import Mention, read_newsmtsc
from analysis.stance.tone_features import make_view, sparse_features
from analysis.stance.tone_model import ToneClassifier
from analysis.stance.tone_store import packaged_model

NEWSMTSC = Path(os.environ.get("ANALYSIS_SHARED_DATA", SHARED_DATA)) / "newsmtsc"
MINI = Path(__file__).parent / "fixtures" / "newsmtsc_mini"


def _span(sentence: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(text, start + 1)
    return start, start + len(text)


def _mention(sentence: str, target: str, *, coref=(), others=(), nth: int = 0) -> Mention:
    start, end = _span(sentence, target, nth)
    return Mention(
        sentence,
        start,
        end,
        tuple(_span(sentence, t, n) for t, n in coref),
        tuple(_span(sentence, t, n) for t, n in others),
    )


S1 = "Washington criticized Beijing's policies, but China said it would not back down."
S2 = "Trump said Trump's plan was great, and nobody trusts the United States"
S3 = "The US-China-US talks in Anchorage ended without a deal."
S4 = "“We will never accept it,” Yang Jiechi said, hardly smiling at Blinken’s remarks."
S5 = " ".join(["Officials praised the good and honest dialogue, not the bad threats;"] * 12)
HAND_MADE = [
    _mention(S1, "Washington", others=[("Beijing", 0), ("China", 0)]),
    _mention(S1, "Beijing", others=[("Washington", 0), ("China", 0)]),
    _mention(S1, "China", others=[("Washington", 0), ("Beijing", 0)]),
    _mention(S2, "Trump", coref=[("Trump", 1)], others=[("United States", 0)]),
    _mention(S2, "Trump", nth=1, coref=[("Trump", 0)]),
    _mention(S2, "United States", others=[("Trump", 0), ("Trump", 1)]),
    _mention(S3, "US", coref=[("US", 1)], others=[("China", 0)]),
    _mention(S3, "China", others=[("US", 0), ("US", 1)]),
    _mention(S4, "Yang Jiechi", others=[("Blinken", 0)]),
    _mention(S4, "Blinken", others=[("Yang Jiechi", 0)]),
    _mention(S5, "Officials"),
    _mention(S5, "dialogue", nth=5),
    Mention("A single word", 0, 1),
    Mention("Nothing marked here at all", 7, 8),  # the span covers no token
    Mention("US", 0, 2),
]


def _reference(model: ToneClassifier, mentions: list[Mention]):
    """Dense features, tf-idf triplets and probabilities, one mention at a time."""
    views = [make_view(m) for m in mentions]
    dense = np.stack([model._dense(v) for v in views])
    rows, cols, vals = model._triplets([sparse_features(v, model.window) for v in views])
    z = model._standardised(dense) @ np.asarray(model.coef_dense_, dtype=np.float64)
    coef = np.asarray(model.coef_sparse_, dtype=np.float64)
    np.add.at(z, rows, vals[:, None] * coef[cols])
    z += np.asarray(model.intercept_, dtype=np.float64)
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return dense, (rows, cols, vals), e / e.sum(1, keepdims=True)


def _check(model: ToneClassifier, mentions: list[Mention]) -> None:
    dense, (rows, cols, vals), proba = _reference(model, mentions)
    fast_dense, (fast_rows, fast_cols, counts) = model._batch_features().design(mentions)
    np.testing.assert_array_equal(fast_dense, dense)
    np.testing.assert_array_equal(fast_rows, rows)
    np.testing.assert_array_equal(fast_cols, cols)
    np.testing.assert_array_equal(model.predict_proba(mentions), proba)


def test_fast_path_equals_per_mention_features_on_hand_made_sentences():
    model = packaged_model()
    _check(model, HAND_MADE)
    # one mention alone, or the list reversed, gives each mention its features; only
    # the BLAS product of the dense block may round the last bit differently
    together = model.predict_proba(HAND_MADE)
    np.testing.assert_allclose(model.predict_proba(HAND_MADE[3:4])[0], together[3], rtol=1e-13)
    np.testing.assert_allclose(model.predict_proba(HAND_MADE[::-1])[::-1], together, rtol=1e-13)


def test_fast_path_equals_per_mention_features_of_a_freshly_fitted_model():
    mentions = read_newsmtsc(MINI / "train.jsonl")
    model = ToneClassifier().fit(mentions)
    _check(model, mentions)
    _check(model, HAND_MADE)


@pytest.mark.skipif(
    not (NEWSMTSC / "dev_mt.jsonl").is_file(), reason=f"NewsMTSC data not found at {NEWSMTSC}"
)
@pytest.mark.parametrize("split", ["dev_rw", "dev_mt"])
def test_fast_path_equals_per_mention_features_on_newsmtsc_dev(split):
    _check(packaged_model(), read_newsmtsc(NEWSMTSC / f"{split}.jsonl"))
