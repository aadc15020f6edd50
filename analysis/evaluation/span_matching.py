"""Matching predicted utterances to PolNeAR's gold relations: span overlap, one-to-one
assignment, speaker agreement and the cue and quote tests that define the scopes (the
decisions are in :mod:`analysis.evaluation.attribution_eval`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from analysis.text.tokens import STOP_WORDS

Span = tuple[int, int]

QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"

#: Cue lemmas of the ``speech_verb`` scope and the inflected forms that map to them.
SPEECH_VERB_FORMS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "add": ("add", "adds", "added", "adding"),
    "note": ("note", "notes", "noted", "noting"),
    "according to": ("according to",),
}

_LEMMA = {form: lemma for lemma, forms in SPEECH_VERB_FORMS.items() for form in forms}

_FORM = re.compile(r"\b(" + "|".join(sorted(_LEMMA, key=len, reverse=True)) + r")\b")

_WORD = re.compile(r"[^\W_]+")


def cue_lemma(cue: str) -> str:
    """Lemma of the first speech-verb form in *cue* ("has said" -> "say"), else ``""``."""
    m = _FORM.search(str(cue).lower().replace("\u00a0", " "))
    return _LEMMA[m[1]] if m else ""


def starts_with_quote(content: str) -> bool:
    """Whether *content* opens with a quote mark once leading whitespace is stripped."""
    return content.lstrip()[:1] in tuple(QUOTE_MARKS)


def _pred_span(row: Mapping) -> Span | list[Span]:
    """A prediction's content: its ``segments`` when it has several, else ``(start, end)``.

    A quote interrupted by its cue ('"A," said X, "B."') is one utterance whose
    parts are listed in ``segments`` (tuples, or ``"s-e;s-e"`` text as in
    ``utterances.csv``); PolNeAR annotates the same content as a
    discontinuous span without the cue, so the parts are what is compared.
    """
    segments = row.get("segments")
    if isinstance(segments, str):
        segments = [tuple(map(int, part.split("-"))) for part in segments.split(";") if part]
    if segments is not None and len(segments) > 1:
        return [(int(a), int(b)) for a, b in segments]
    return (int(row["start"]), int(row["end"]))


def _segments(span: Span | Sequence[Span]) -> list[Span]:
    if len(span) == 2 and all(isinstance(x, int | np.integer) for x in span):
        return [(int(span[0]), int(span[1]))]
    return [(int(s), int(e)) for s, e in span]


def overlap_matrix(
    pred_spans: Sequence[Span | Sequence[Span]], gold_spans: Sequence[Span | Sequence[Span]]
) -> np.ndarray:
    """Characters shared by each prediction (rows) and gold span (columns).

    A span is ``(start, end)`` or a sequence of such segments.
    """
    shape = (len(pred_spans), len(gold_spans))
    if 0 in shape:
        return np.zeros(shape, dtype=int)
    pred = [(i, s, e) for i, span in enumerate(pred_spans) for s, e in _segments(span)]
    gold = [(j, s, e) for j, span in enumerate(gold_spans) for s, e in _segments(span)]
    p, g = np.array(pred), np.array(gold)
    seg = np.minimum(p[:, None, 2], g[None, :, 2]) - np.maximum(p[:, None, 1], g[None, :, 1])
    seg = np.clip(seg, 0, None)
    p_owner = np.eye(shape[0], dtype=int)[p[:, 0]]
    g_owner = np.eye(shape[1], dtype=int)[g[:, 0]]
    return p_owner.T @ seg @ g_owner


def _length(span: Span | Sequence[Span]) -> int:
    return sum(max(e - s, 0) for s, e in _segments(span))


def match_spans(
    pred_spans: Sequence[Span | Sequence[Span]], gold_spans: Sequence[Span | Sequence[Span]]
) -> list[tuple[int, int]]:
    """Match predicted to gold spans one to one; at least half of each span must be shared.

    Returns ``(pred_index, gold_index)`` pairs sorted by prediction. The
    assignment has the most matches possible and, among those, the most
    shared characters (see the module notes).
    """
    overlap = overlap_matrix(pred_spans, gold_spans)
    if overlap.size == 0:
        return []
    pred_len = np.array([_length(s) for s in pred_spans])[:, None]
    gold_len = np.array([_length(s) for s in gold_spans])[None, :]
    ok = (overlap > 0) & (2 * overlap >= pred_len) & (2 * overlap >= gold_len)
    weight = np.where(ok, 1.0 + overlap / (overlap[ok].sum() + 1.0), 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]


def _words(text: object) -> set[str]:
    if not isinstance(text, str):
        return set()
    words = _WORD.findall(text.lower())
    return {w for w in words if len(w) > 1 and w not in STOP_WORDS}


def speaker_matches(pred: Mapping, gold: Mapping) -> bool:
    """Whether a prediction's speaker agrees with a gold relation's source (module notes)."""
    has_mention = int(pred["mention_start"]) >= 0
    if int(gold["source_start"]) < 0:
        return not has_mention and not _words(pred["speaker"])
    if has_mention and (
        int(pred["mention_start"]) < int(gold["source_end"])
        and int(gold["source_start"]) < int(pred["mention_end"])
    ):
        return True
    return bool(_words(pred["speaker"]) & _words(gold["source_text"]))
