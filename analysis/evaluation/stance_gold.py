"""Score the stance rows against a hand-made gold of (utterance, target, label) rows.

``tests/fixtures/seed_gold/stance.csv`` labels, for each attributed utterance of the two
seed articles that names the United States or China, the stance toward that target
(negative, neutral, positive). Each row names its utterance by an exact snippet of the
utterance's content (see that folder's README). :func:`score_stance_gold` puts the
pipeline's per-mention tone next to each row.

Decisions
---------
- **The unit** of a gold row is the pipeline's utterance that holds its snippet (outer
  bounds ``start``..``end``); when attribution found none, the sentences the snippet
  overlaps. The speaker is not checked: attribution has its own gold.
- **The prediction** for a row is the most probable class of the mean probabilities
  of the target's mentions inside the unit. A row whose unit has no mention of the
  target (the gold counts "Chinese" and "one-China" as naming China, the targets file
  does not) has no prediction: it counts in ``n_gold`` but not in the agreement, which
  is over the covered rows only.
- **Agreement** is accuracy, macro-F1 over the classes present in gold or prediction,
  and Cohen's kappa (scikit-learn's), beside the accuracy of always saying the gold's
  most frequent class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stance.tone_model import CLASSES

EVIDENCE_COLUMNS = ["doc_id", "speaker", "target", "gold", "predicted", "n_mentions", "snippet"]


@dataclass(frozen=True)
class StanceGoldScore:
    """Agreement of predicted with gold labels on the covered rows, and the evidence."""

    n_gold: int
    n_covered: int
    accuracy: float
    macro_f1: float
    kappa: float
    majority_accuracy: float
    evidence: pd.DataFrame


def _unit(doc_id: str, start: int, end: int, utterances, sentences) -> tuple[int, int]:
    utts = utterances[
        (utterances["doc_id"] == doc_id)
        & (utterances["start"] <= start)
        & (utterances["end"] >= end)
    ]
    if len(utts):
        return int(utts["start"].min()), int(utts["end"].max())
    sents = sentences[
        (sentences["doc_id"] == doc_id) & (sentences["start"] < end) & (sentences["end"] > start)
    ]
    if sents.empty:
        return start, end
    return int(sents["start"].min()), int(sents["end"].max())


def score_stance_gold(
    stance: pd.DataFrame,
    utterances: pd.DataFrame,
    sentences: pd.DataFrame,
    gold: pd.DataFrame,
    texts: Mapping[str, str],
) -> StanceGoldScore:
    """Agreement of the stance rows with *gold* (see the module notes).

    Parameters
    ----------
    stance : stance rows (doc_id, target, start, end, p_negative, p_neutral, p_positive).
    utterances : the pipeline's utterances (doc_id, start, end).
    sentences : the sentence table (doc_id, start, end).
    gold : doc_id, speaker, snippet, target, label; each snippet occurs once in its text.
    texts : document texts by doc_id.

    Returns
    -------
    StanceGoldScore
        Its ``evidence`` has :data:`EVIDENCE_COLUMNS`, one line per gold row
        (``predicted`` empty when the unit holds no mention of the target).
    """
    from sklearn.metrics import cohen_kappa_score, f1_score

    probs = ["p_negative", "p_neutral", "p_positive"]
    rows = []
    for g in gold.itertuples(index=False):
        at = texts[g.doc_id].find(g.snippet)
        if at < 0:
            raise ValueError(f"snippet not in {g.doc_id}: {g.snippet!r}")
        lo, hi = _unit(g.doc_id, at, at + len(g.snippet), utterances, sentences)
        found = stance[
            (stance["doc_id"] == g.doc_id)
            & (stance["target"] == g.target)
            & (stance["start"] >= lo)
            & (stance["end"] <= hi)
        ]
        predicted = CLASSES[int(np.argmax(found[probs].mean().to_numpy()))] if len(found) else ""
        rows.append((g.doc_id, g.speaker, g.target, g.label, predicted, len(found), g.snippet))
    evidence = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    covered = evidence[evidence["predicted"] != ""]
    y, pred = covered["gold"], covered["predicted"]
    labels = sorted(set(y) | set(pred))
    majority = evidence["gold"].value_counts().idxmax()
    return StanceGoldScore(
        n_gold=len(evidence),
        n_covered=len(covered),
        accuracy=float((y == pred).mean()) if len(covered) else float("nan"),
        macro_f1=float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        kappa=float(cohen_kappa_score(y, pred)),
        majority_accuracy=float((y == majority).mean()) if len(covered) else float("nan"),
        evidence=evidence,
    )
