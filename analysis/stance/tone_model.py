"""Tone toward a target mention: negative, neutral or positive (the NewsMTSC task).

:class:`ToneClassifier` is one multinomial logistic regression over the features of
:mod:`analysis.stance.tone_features`, fitted with scikit-learn and kept as plain
arrays, so that prediction needs numpy only (scikit-learn and scipy are imported by
:meth:`ToneClassifier.fit` alone). :mod:`analysis.stance.tone_store` writes and reads
it as JSON and NPZ.

Decisions
---------
* **Design.** A sublinear tf-idf block (features seen in at least ``min_df`` training
  mentions, rows L2-normalised) next to the standardised dense block (lexicon,
  structure and word-vector features) scaled by ``dense_weight``.
  Hyper-parameters were chosen by 5-fold grouped cross-validation on NewsMTSC's
  train split (macro-F1 0.685 at ``C=2``); its dev splits were never trained on.
* **Lexicons.** VADER's valences (from the ``vaderSentiment`` package at training
  time, divided by 4, single-token entries only) are copied into the model; the
  propagated lexicon and the vectors come from the word asset
  (:mod:`analysis.stance.tone_words`), whose sha256 the model records.
* **Determinism.** Vocabularies are sorted, the solver (lbfgs) runs on one BLAS
  thread, and every stored float is rounded to 7 significant digits (lexicon values
  to 4), so the same data gives the same files byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np

from analysis.stance.tone_batch import BatchFeatures, ordered_sums
from analysis.stance.tone_features import (
    Mention,
    View,
    lexicon_features,
    make_view,
    sparse_features,
    structure_features,
    tokenize,
    vector_features,
)
from analysis.stance.tone_words import WordAssets, load_words

CLASSES = ("negative", "neutral", "positive")


@cache
def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (-4..4), read from the ``vaderSentiment`` package (training only)."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            out[parts[0]] = float(parts[1])
    return out


def significant(x, digits: int = 7) -> np.ndarray:
    """*x* rounded to *digits* significant digits, as float32 (stable file bytes)."""
    x = np.asarray(x, dtype=np.float64)
    mag = np.floor(np.log10(np.where(x == 0, 1.0, np.abs(x))))
    scale = 10.0 ** (digits - 1 - mag)
    return (np.round(x * scale) / scale).astype(np.float32)


class ToneClassifier:
    """Tone toward a target mention, from its sentence (scikit-learn conventions).

    Parameters
    ----------
    window : tokens on each side of the target in the ``L:``/``R:`` n-grams.
    min_df : training mentions a sparse feature needs to be kept.
    C : inverse L2 regularisation strength of the logistic regression.
    dense_weight : scale of the standardised dense block against the sparse one.
    max_iter : lbfgs iterations at most.

    Attributes
    ----------
    vocabulary_ : list of str, the sparse features, sorted.
    idf_, dense_mean_, dense_scale_ : float32 arrays of the design.
    coef_sparse_, coef_dense_ : float32 arrays, (features, 3); intercept_ (3,).
    lexicon_words_, lexicon_values_ : VADER's single-word entries and valences / 4.
    stopwords_ : list of str, words the vector features skip (scikit-learn's list).
    words_ : :class:`~analysis.stance.tone_words.WordAssets` used by the dense features.
    """

    def __init__(
        self,
        *,
        window: int = 6,
        min_df: int = 2,
        C: float = 2.0,
        dense_weight: float = 0.5,
        max_iter: int = 3000,
    ) -> None:
        self.window = window
        self.min_df = min_df
        self.C = C
        self.dense_weight = dense_weight
        self.max_iter = max_iter

    def get_params(self) -> dict[str, float | int]:
        """The constructor's parameters, by name."""
        return {
            "window": self.window,
            "min_df": self.min_df,
            "C": self.C,
            "dense_weight": self.dense_weight,
            "max_iter": self.max_iter,
        }

    def fit(
        self, mentions: Sequence[Mention], y=None, *, words: WordAssets | None = None
    ) -> ToneClassifier:
        """Fit on labelled mentions; *y* defaults to their ``label`` (0, 1, 2).

        *words* is the word asset (default: the shipped one).
        """
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        y = np.asarray([m.label for m in mentions] if y is None else y)
        vader = vader_lexicon()
        single = sorted(w for w in vader if [t for t, _, _ in tokenize(w)] == [w])
        self.lexicon_words_ = single
        self.lexicon_values_ = significant([vader[w] / 4.0 for w in single], 4)
        self.stopwords_ = sorted(ENGLISH_STOP_WORDS)
        self.words_ = words if words is not None else load_words()
        self._prepare()
        views = [make_view(m) for m in mentions]
        sparse = [sparse_features(v, self.window) for v in views]
        dense = np.stack([self._dense(v) for v in views])

        docfreq: dict[str, int] = {}
        for f in sparse:
            for k in f:
                docfreq[k] = docfreq.get(k, 0) + 1
        self.vocabulary_ = sorted(k for k, c in docfreq.items() if c >= self.min_df)
        self._index = {k: i for i, k in enumerate(self.vocabulary_)}
        df = np.array([docfreq[k] for k in self.vocabulary_], dtype=np.float64)
        self.idf_ = significant(np.log((1 + len(sparse)) / (1 + df)) + 1)
        self.dense_mean_ = significant(dense.mean(0))
        scale = dense.std(0)
        self.dense_scale_ = significant(np.where(scale > 1e-12, scale, 1.0))

        X = self._design(sparse, dense)
        with threadpool_limits(1):
            clf = LogisticRegression(C=self.C, max_iter=self.max_iter)
            clf.fit(X, y)
        coef = clf.coef_.T
        self.coef_sparse_ = significant(coef[: len(self.vocabulary_)])
        self.coef_dense_ = significant(coef[len(self.vocabulary_) :])
        self.intercept_ = significant(clf.intercept_)
        return self

    def _prepare(self) -> None:
        """Build the lookup tables prediction needs from the learned attributes."""
        values = np.asarray(self.lexicon_values_, dtype=np.float64).tolist()
        self._vader = dict(zip(self.lexicon_words_, values, strict=True))
        self._stop = frozenset(self.stopwords_)
        self._batch = None
        if hasattr(self, "vocabulary_"):
            self._index = {k: i for i, k in enumerate(self.vocabulary_)}

    def _batch_features(self) -> BatchFeatures:
        """The fast path of the features (:mod:`analysis.stance.tone_batch`), built once."""
        if self._batch is None:
            self._batch = BatchFeatures(
                self.vocabulary_,
                self._vader,
                self.words_.valences,
                self.words_,
                self._stop,
                self.window,
            )
        return self._batch

    def _dense(self, view: View) -> np.ndarray:
        words = self.words_
        return np.concatenate(
            [
                lexicon_features(view, self._vader),
                lexicon_features(view, words.valences),
                structure_features(view),
                vector_features(view, words.table, words.dim, self._stop),
            ]
        )

    def _float64(self, name: str) -> np.ndarray:
        """The learned array *name* as float64, converted once per array, not per call.

        The learned arrays are float32 (``coef_sparse_`` has three columns per sparse
        feature); converting them is exact, so the copy gives the very same numbers.
        A new array under *name* (after :meth:`fit`) is converted again.
        """
        source = getattr(self, name)
        converted = self.__dict__.setdefault("_as_float64", {})
        known = converted.get(name)
        if known is None or known[0] is not source:
            known = converted[name] = (source, np.asarray(source, dtype=np.float64))
        return known[1]

    def _standardised(self, dense: np.ndarray) -> np.ndarray:
        mean, scale = self._float64("dense_mean_"), self._float64("dense_scale_")
        return (dense - mean) / scale * self.dense_weight

    def _triplets(self, sparse: Sequence[dict[str, float]]):
        """Row, column and value of the L2-normalised sublinear tf-idf block."""
        index, idf = self._index, np.asarray(self.idf_, dtype=np.float64)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        for r, f in enumerate(sparse):
            c = np.fromiter(map(index.get, f, repeat(-1)), dtype=np.int64, count=len(f))
            known = c >= 0
            if not known.any():
                continue
            c = c[known]
            v = np.log1p(np.fromiter(f.values(), dtype=np.float64, count=len(f))[known]) * idf[c]
            v /= np.sqrt((v * v).sum())
            rows.append(np.full(len(c), r, dtype=np.int64))
            cols.append(c)
            vals.append(v)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def _design(self, sparse: Sequence[dict[str, float]], dense: np.ndarray):
        """The scipy.sparse design matrix ``[tf-idf block | dense block]`` (training only)."""
        import scipy.sparse as sp

        rows, cols, vals = self._triplets(sparse)
        Xs = sp.csr_matrix((vals, (rows, cols)), shape=(len(sparse), len(self.vocabulary_)))
        return sp.hstack([Xs, sp.csr_matrix(self._standardised(dense))]).tocsr()

    def predict_proba(self, mentions: Sequence[Mention]) -> np.ndarray:
        """Probabilities of negative, neutral and positive, shape ``(n, 3)`` (numpy only).

        The features come from :class:`~analysis.stance.tone_batch.BatchFeatures`, which
        gives the floats of the per-mention functions that :meth:`fit` uses, for all
        *mentions* at once.
        """
        if not mentions:
            return np.zeros((0, len(CLASSES)))
        dense, (rows, cols, counts) = self._batch_features().design(list(mentions))
        z = self._standardised(dense) @ self._float64("coef_dense_")
        vals = np.log1p(counts.astype(np.float64)) * self._float64("idf_")[cols]
        _normalise_rows(vals, rows)
        coef = self._float64("coef_sparse_")
        z = ordered_sums(vals[:, None] * coef[cols], rows, len(z), initial=z)
        z += self._float64("intercept_")
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)

    def predict(self, mentions: Sequence[Mention]) -> list[str]:
        """Class names (``negative``, ``neutral``, ``positive``) of the mentions."""
        return [CLASSES[i] for i in self.predict_proba(mentions).argmax(1)]


def _normalise_rows(vals: np.ndarray, rows: np.ndarray) -> None:
    """Divide each row's values (contiguous, *rows* sorted) by their L2 norm, in place.

    Rows of one length are stacked and summed along the row, which numpy does as it sums
    one row alone, so each norm is the per-mention path's float.
    """
    if not len(rows):
        return
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lengths = np.diff(np.r_[starts, len(rows)])
    for length in np.unique(lengths):
        at = starts[lengths == length][:, None] + np.arange(length)
        block = vals[at]
        vals[at] = block / np.sqrt((block * block).sum(axis=1))[:, None]
