"""Stance rows of one document: each target mention, who speaks it, and its tone.

A mention inside an attributed utterance (inside one of its segments, so not in its
cue) is spoken by the utterance's speaker; any other mention is the outlet's own
voice, speaker :data:`ARTICLE`. The tone model reads the mention's sentence, with the
target's other mentions in that sentence as coreferent mentions and the other
targets' mentions masked as others, as NewsMTSC's data gives them. ``stance`` is
``p_positive - p_negative`` (-1 to +1) and ``label`` the most probable class.
"""

from __future__ import annotations

import bisect
import hashlib

import numpy as np
import pandas as pd

from analysis.stance.mentions import find_mentions
from analysis.stance.targets import Targets, document_targets, load_targets
from analysis.stance.tone_features import Mention
from analysis.stance.tone_model import CLASSES, ToneClassifier
from analysis.stance.tone_store import model_sha256, packaged_model
from analysis.types import Document

#: The speaker of mentions outside every utterance: the outlet's own voice.
ARTICLE = "(article)"
STANCE_MENTION_COLUMNS = [
    "doc_id",
    "utterance_id",
    "speaker",
    "speaker_side",
    "target",
    "target_side",
    "start",
    "end",
    "sentence_id",
    "left",
    "mention",
    "right",
    "label",
    "p_negative",
    "p_neutral",
    "p_positive",
    "stance",
]


def _segments(value) -> list[tuple[int, int]]:
    """Segments as stored (``"s-e;s-e"`` text) or as pairs."""
    if isinstance(value, str):
        return [tuple(int(x) for x in part.split("-")) for part in value.split(";") if part]
    return [(int(s), int(e)) for s, e in value]


def _speakers(mentions: pd.DataFrame, utterances: pd.DataFrame) -> pd.DataFrame:
    """utterance_id, speaker and speaker_side of each mention's utterance, or the article's."""
    spans = sorted(
        (s, e, i)
        for i, seg in enumerate(utterances["segments"].tolist())
        for s, e in _segments(seg)
    )
    starts = [s for s, _, _ in spans]
    owner = np.full(len(mentions), -1)
    for k, (start, end) in enumerate(zip(mentions["start"], mentions["end"], strict=True)):
        j = bisect.bisect_right(starts, start) - 1
        if j >= 0 and end <= spans[j][1]:
            owner[k] = spans[j][2]
    inside = owner >= 0
    utts = utterances.reset_index(drop=True)
    picked = utts.iloc[owner[inside]]
    out = pd.DataFrame(
        {"utterance_id": "", "speaker": ARTICLE, "speaker_side": ARTICLE}, index=mentions.index
    )
    out.loc[inside, "utterance_id"] = picked["utterance_id"].astype(str).to_numpy()
    out.loc[inside, "speaker"] = picked["speaker"].fillna("").astype(str).to_numpy()
    out.loc[inside, "speaker_side"] = picked["side"].fillna("").astype(str).to_numpy()
    return out


def _model_inputs(mentions: pd.DataFrame, sentences: pd.DataFrame) -> list[Mention]:
    """One model input per mention: its sentence, with coreferent and other-target spans."""
    sent = sentences.set_index("sentence_id")
    inputs = []
    for _, group in mentions.groupby("sentence_id", sort=False):
        base = int(sent.at[group["sentence_id"].iloc[0], "start"])
        text = str(sent.at[group["sentence_id"].iloc[0], "text"])
        spans = list(zip(group["start"] - base, group["end"] - base, group["target"], strict=True))
        for k, (s, e, target) in enumerate(spans):
            coref = tuple((a, b) for j, (a, b, t) in enumerate(spans) if j != k and t == target)
            others = tuple((a, b) for a, b, t in spans if t != target)
            inputs.append((group.index[k], Mention(text, int(s), int(e), coref, others)))
    return [m for _, m in sorted(inputs, key=lambda pair: pair[0])]


def stance_mentions(
    doc: Document,
    sentences: pd.DataFrame,
    utterances: pd.DataFrame,
    *,
    targets: Targets | None = None,
    model: ToneClassifier | None = None,
) -> pd.DataFrame:
    """Every target mention of one document with its speaker and tone.

    Parameters
    ----------
    doc : the document.
    sentences : its sentence table (sentence_id, start, end, text).
    utterances : its utterances (utterance_id, speaker, speaker_type, side, mention,
        segments as ``"start-end;..."`` text or pairs).
    targets : the targets file (default: ``analysis/data/targets.csv``).
    model : the tone model (default: the shipped one).

    Returns
    -------
    DataFrame
        :data:`STANCE_MENTION_COLUMNS`: doc_id, utterance_id (``""`` outside
        utterances), speaker (:data:`ARTICLE` outside utterances), speaker_side,
        target, target_side, start, end (offsets into the file text), sentence_id,
        left, mention, right (the sentence split around the mention), label,
        p_negative, p_neutral, p_positive, stance (p_positive - p_negative).
    """
    targets = targets if targets is not None else load_targets()
    model = model if model is not None else packaged_model()
    people = utterances[utterances["speaker_type"] == "person"]
    resolved = list(
        zip(people["mention_start"], people["mention_end"], people["speaker"], strict=True)
    )
    aliases = document_targets(utterances, targets)
    found = find_mentions(doc.text, sentences, aliases, resolved=resolved)
    if found.empty:
        return pd.DataFrame(columns=STANCE_MENTION_COLUMNS)
    proba = model.predict_proba(_model_inputs(found, sentences))
    who = _speakers(found, utterances)
    sent = sentences.set_index("sentence_id")
    base = found["sentence_id"].map(sent["start"]).astype(int).to_numpy()
    texts = found["sentence_id"].map(sent["text"]).astype(str).tolist()
    at = (found["start"].to_numpy() - base).tolist()
    upto = (found["end"].to_numpy() - base).tolist()
    out = found.assign(
        doc_id=doc.doc_id,
        **{c: who[c] for c in who.columns},
        label=[CLASSES[i] for i in proba.argmax(1)],
        p_negative=proba[:, 0],
        p_neutral=proba[:, 1],
        p_positive=proba[:, 2],
        stance=proba[:, 2] - proba[:, 0],
        left=[t[:a] for t, a in zip(texts, at, strict=True)],
        right=[t[b:] for t, b in zip(texts, upto, strict=True)],
    )
    return out[STANCE_MENTION_COLUMNS].reset_index(drop=True)


def stance_fingerprint() -> str:
    """A hash of what stance rows depend on besides the document: targets file and model."""
    parts = f"{load_targets().sha256}\n{model_sha256()}"
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()
