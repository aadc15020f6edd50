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
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.stance.mentions import MENTION_COLUMNS, mention_rows
from analysis.stance.targets import Targets, document_targets, load_targets, texts
from analysis.stance.tone_features import Mention
from analysis.stance.tone_model import CLASSES, ToneClassifier
from analysis.stance.tone_store import packaged_model
from analysis.text.columns import column_list, columns_frame
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
        pairs = (part.split("-") for part in value.split(";") if part)
        return [(int(s), int(e)) for s, e in pairs]
    return [(int(s), int(e)) for s, e in value]


def _speakers(starts: list[int], ends: list[int], utterances: pd.DataFrame) -> dict[str, list]:
    """utterance_id, speaker and speaker_side of each mention's utterance, or the article's."""
    ids = texts(utterances["utterance_id"], fill=None)
    names = texts(utterances["speaker"])
    sides = texts(utterances["side"])
    spans = sorted(
        (s, e, i)
        for i, seg in enumerate(column_list(utterances["segments"]))
        for s, e in _segments(seg)
    )
    span_starts = [s for s, _, _ in spans]
    out: dict[str, list] = {"utterance_id": [], "speaker": [], "speaker_side": []}
    for start, end in zip(starts, ends, strict=True):
        j = bisect.bisect_right(span_starts, start) - 1
        if j >= 0 and end <= spans[j][1]:
            i = spans[j][2]
            who = (ids[i], names[i], sides[i])
        else:
            who = ("", ARTICLE, ARTICLE)
        for column, value in zip(out, who, strict=True):
            out[column].append(value)
    return out


def _model_inputs(
    starts: list[int], ends: list[int], targets: list[str], bases: list[int], texts: list[str]
) -> list[Mention]:
    """One model input per mention: its sentence, with coreferent and other-target spans.

    *bases* and *texts* are the start offset and text of each mention's sentence.
    """
    by_sentence: dict[int, list[int]] = {}
    for k, base in enumerate(bases):
        by_sentence.setdefault(base, []).append(k)
    inputs = []
    for k, (start, end, target, base) in enumerate(zip(starts, ends, targets, bases, strict=True)):
        same = [j for j in by_sentence[base] if j != k]
        coref = tuple((starts[j] - base, ends[j] - base) for j in same if targets[j] == target)
        others = tuple((starts[j] - base, ends[j] - base) for j in same if targets[j] != target)
        inputs.append(Mention(texts[k], start - base, end - base, coref, others))
    return inputs


def stance_columns(
    doc: Document,
    sentences: pd.DataFrame | Mapping[str, object],
    utterances: pd.DataFrame | Mapping[str, object],
    *,
    targets: Targets | None = None,
    model: ToneClassifier | None = None,
) -> dict[str, list | np.ndarray]:
    """:func:`stance_mentions` of one document as columns, not yet a table.

    *sentences* and *utterances* are the document's tables, or the same as columns
    (the pipeline's, :func:`analysis.run.pipeline.utterance_columns`).

    Keyed by :data:`STANCE_MENTION_COLUMNS`: the probabilities and stance are float
    arrays, every other column a list (``doc_id`` repeated on each row). The pipeline
    gathers many documents' columns into one table (:func:`stance_frame`), because
    building a small DataFrame per document costs more than its rows.
    """
    targets = targets if targets is not None else load_targets()
    model = model if model is not None else packaged_model()
    resolved = [
        (start, end, name)
        for start, end, name, kind in zip(
            column_list(utterances["mention_start"]),
            column_list(utterances["mention_end"]),
            column_list(utterances["speaker"]),
            column_list(utterances["speaker_type"]),
            strict=True,
        )
        if kind == "person"
    ]
    aliases = document_targets(utterances, targets)
    sentence_ids = column_list(sentences["sentence_id"])
    bounds = (column_list(sentences["start"]), column_list(sentences["end"]))
    found = mention_rows(doc.text, bounds, sentence_ids, aliases, resolved)
    if not found:
        return {c: [] for c in STANCE_MENTION_COLUMNS}
    found_columns = dict(zip(MENTION_COLUMNS, map(list, zip(*found, strict=True)), strict=True))
    sentence_start = dict(zip(sentence_ids, [int(s) for s in bounds[0]], strict=True))
    sentence_text = dict(zip(sentence_ids, texts(sentences["text"], fill=None), strict=True))
    starts, ends = found_columns["start"], found_columns["end"]
    bases = [sentence_start[i] for i in found_columns["sentence_id"]]
    sents = [sentence_text[i] for i in found_columns["sentence_id"]]
    inputs = _model_inputs(starts, ends, found_columns["target"], bases, sents)
    proba = model.predict_proba(inputs)
    columns = dict(found_columns)
    columns.update(
        doc_id=[doc.doc_id] * len(starts),
        **_speakers(starts, ends, utterances),
        label=[CLASSES[i] for i in proba.argmax(1)],
        p_negative=proba[:, 0],
        p_neutral=proba[:, 1],
        p_positive=proba[:, 2],
        stance=proba[:, 2] - proba[:, 0],
        left=[t[: a - b] for t, a, b in zip(sents, starts, bases, strict=True)],
        right=[t[e - b :] for t, e, b in zip(sents, ends, bases, strict=True)],
    )
    return {c: columns[c] for c in STANCE_MENTION_COLUMNS}


def stance_frame(parts: Iterable[dict[str, list | np.ndarray]]) -> pd.DataFrame:
    """One table of the rows of many :func:`stance_columns`, in their order.

    The same table as concatenating each document's :func:`stance_mentions`: lists
    are joined and arrays concatenated before pandas sees them, once.
    """
    return columns_frame(list(parts), STANCE_MENTION_COLUMNS)


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
    columns = stance_columns(doc, sentences, utterances, targets=targets, model=model)
    return stance_frame([columns])
