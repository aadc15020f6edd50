"""The tone model on NewsMTSC-format files: train it, predict with it, score it.

These back the commands ``train-tone``, ``target-tone`` and ``evaluate-tone``. The
data (Hamborg & Donnay, EACL 2021; MIT licence) is never shipped: each function takes
its path, by default ``../shared/data/newsmtsc`` next to the repository.

Decisions
---------
* **Scores** are scikit-learn's: macro-F1 over the three classes (the paper's F1m),
  per-class F1 and accuracy.
* **The baseline** is VADER's compound for the whole sentence with its usual
  ±0.05 thresholds, the same label for every target of the sentence: what the suite
  measured before it had a tone model.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import REPO_ROOT
from analysis.errors import InputError
from analysis.stance.newsmtsc import read_newsmtsc
from analysis.stance.tone_features import Mention
from analysis.stance.tone_model import CLASSES, ToneClassifier
from analysis.stance.tone_store import load, save
from analysis.text.sentiment import score_texts

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "newsmtsc"
SPLITS = ("dev_rw", "dev_mt")
SCORE_COLUMNS = ["split", "model", "macro_f1", "f1_negative", "f1_neutral", "f1_positive"]
SCORE_COLUMNS += ["accuracy", "n"]
PREDICTION_COLUMNS = ["line", "target", "label", "p_negative", "p_neutral", "p_positive"]


def _split_file(data_dir: str | Path, split: str) -> Path:
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise InputError(path, f"not found; pass the NewsMTSC folder holding {split}.jsonl")
    return path


def train_tone(data_dir: str | Path, out_dir: str | Path) -> tuple[list[Path], float]:
    """Fit the tone model on ``<data_dir>/train.jsonl`` and save it to *out_dir*.

    Returns the files written and the seconds the fit took.
    """
    mentions = read_newsmtsc(_split_file(data_dir, "train"))
    start = time.perf_counter()
    model = ToneClassifier().fit(mentions)
    return save(model, out_dir), time.perf_counter() - start


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def predict_file(path: str | Path, model: ToneClassifier | None = None) -> pd.DataFrame:
    """One row per target of a NewsMTSC-format file (polarities optional).

    Returns
    -------
    DataFrame
        line (0-based line of the file), target (0-based index in its ``targets``),
        label, p_negative, p_neutral, p_positive.
    """
    mentions = read_newsmtsc(path, labelled=False)
    model = model if model is not None else load()
    proba = model.predict_proba(mentions)
    lines = pd.Series([m.group for m in mentions], dtype=int)
    return pd.DataFrame(
        {
            "line": lines,
            "target": lines.groupby(lines).cumcount(),
            "label": [CLASSES[i] for i in proba.argmax(1)] if len(proba) else [],
            "p_negative": proba[:, 0],
            "p_neutral": proba[:, 1],
            "p_positive": proba[:, 2],
        },
        columns=PREDICTION_COLUMNS,
    )


def vader_sentence_labels(mentions: list[Mention]) -> np.ndarray:
    """Class index from VADER's compound of each mention's whole sentence (±0.05)."""
    compound = score_texts([m.sentence for m in mentions])["compound"].to_numpy()
    return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))


def scores(y, pred) -> dict[str, float]:
    """macro_f1, f1_negative, f1_neutral, f1_positive and accuracy (scikit-learn's)."""
    from sklearn.metrics import accuracy_score, f1_score

    per_class = f1_score(y, pred, labels=[0, 1, 2], average=None, zero_division=0)
    out = {"macro_f1": float(np.mean(per_class))}
    out.update({f"f1_{c}": float(f) for c, f in zip(CLASSES, per_class, strict=True)})
    out["accuracy"] = float(accuracy_score(y, pred))
    return out


def evaluate_tone(
    data_dir: str | Path = DEFAULT_DATA_DIR,
    splits: tuple[str, ...] = SPLITS,
    model: ToneClassifier | None = None,
) -> pd.DataFrame:
    """Scores of the VADER baseline and the tone model on each split (:data:`SCORE_COLUMNS`)."""
    model = model if model is not None else load()
    rows = []
    for split in splits:
        mentions = read_newsmtsc(_split_file(data_dir, split))
        y = np.array([m.label for m in mentions])
        predicted = {
            "VADER sentence": vader_sentence_labels(mentions),
            "tone model": model.predict_proba(mentions).argmax(1),
        }
        for name, pred in predicted.items():
            rows.append({"split": split, "model": name, **scores(y, pred), "n": len(y)})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)
