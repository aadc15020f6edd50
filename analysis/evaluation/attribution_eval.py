"""Score extracted utterances against PolNeAR gold attributions.

Compares a prediction table that follows the attribution contract
(``doc_id, utterance_id, speaker, kind, cue, start, end, cue_start, cue_end,
mention_start, mention_end, text``; ``-1`` for an absent span) with the gold
relations read by :mod:`analysis.evaluation.polnear` (PolNeAR: Newell, Margolin & Ruths,
LREC 2018).

Decisions
---------
- **Matching.** Content spans are matched one to one within a document. A
  pair is admissible when the characters they share are at least half of EACH
  span (discontinuous gold spans count the characters of all segments). Among
  admissible pairs the assignment maximises the number of matches first and
  the total shared characters second (Hungarian algorithm,
  :func:`scipy.optimize.linear_sum_assignment`). A long prediction that
  covers two gold spans matches only one of them: the one it shares more
  characters with, unless taking the other lets a second prediction match.
- **Scopes.** ``all``; ``direct``: content that starts with a quote mark
  (straight, curly or the doubled apostrophe ``''`` of NYT texts) after
  leading whitespace, or for a prediction also ``kind == "direct"``;
  ``speech_verb``: the cue's lemma is say, tell, add, note or "according to"
  (gold cue text and predicted ``cue`` go through the same inflection list
  :data:`SPEECH_VERB_FORMS`). Recall in a scope counts the gold relations in
  that scope (by the gold's own content and cue) that are matched to any
  prediction; precision counts the predictions in that scope (by their own
  kind, content and cue) that are matched to any gold relation. A direct
  quote predicted with a non-speech cue therefore costs nothing in the
  ``speech_verb`` precision but is missed in its recall. ``n_matched`` is the
  recall numerator, ``n_pred_matched`` the precision numerator; they are
  equal for ``all``.
- **Speaker.** On a matched pair the speaker is correct when the predicted
  mention span overlaps the gold source span, or the predicted ``speaker``
  shares a word with the gold source text (case-insensitive, stop words and
  one-letter words ignored). When the gold relation has no source
  (Attribution-no-source) the speaker is correct only if the prediction has
  neither a mention span nor a speaker word. ``speaker_accuracy`` is
  ``speaker_correct / n_matched`` per scope (gold's scope).
- Gold relations without a content span, and predictions with
  ``end <= start``, are left out.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.config import REPO_ROOT
from analysis.errors import InputError
from analysis.evaluation.polnear import read_split, relations_table
from analysis.evaluation.span_matching import (
    Span,
    _pred_span,
    _segments,
    cue_lemma,
    match_spans,
    overlap_matrix,
    speaker_matches,
    starts_with_quote,
)

Scope = Literal["all", "direct", "speech_verb"]

Extractor = Callable[..., pd.DataFrame]

DEFAULT_POLNEAR = REPO_ROOT.parent / "shared" / "data" / "polnear"

SCOPES: tuple[Scope, ...] = ("all", "direct", "speech_verb")

#: Columns of the attribution contract that scoring reads (more may be present).
PRED_COLUMNS = [
    "doc_id",
    "utterance_id",
    "speaker",
    "kind",
    "cue",
    "start",
    "end",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
    "text",
]

_EMPTY_PRED = pd.DataFrame(columns=PRED_COLUMNS).astype(
    {"start": int, "end": int, "mention_start": int, "mention_end": int}
)

SCORE_COLUMNS = [
    "scope",
    "n_gold",
    "n_pred",
    "n_matched",
    "n_pred_matched",
    "precision",
    "recall",
    "f1",
    "speaker_correct",
    "speaker_accuracy",
    "speaker_precision",
]

ALIGNMENT_COLUMNS = [
    "doc_id",
    "status",
    "relation_id",
    "utterance_id",
    "gold_start",
    "gold_end",
    "pred_start",
    "pred_end",
    "overlap",
    "gold_direct",
    "gold_speech_verb",
    "pred_direct",
    "pred_speech_verb",
    "speaker_correct",
    "gold_source",
    "pred_speaker",
    "gold_cue",
    "pred_cue",
    "gold_text",
    "pred_text",
]


def _gold_spans(gold: pd.DataFrame) -> list[list[Span]]:
    if "content_spans" in gold:
        return [_segments(s) for s in gold["content_spans"]]
    return [[(s, e)] for s, e in zip(gold["content_start"], gold["content_end"], strict=True)]


def align(pred: pd.DataFrame, gold: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """One row per matched pair, missed gold relation or spurious prediction.

    ``status`` is ``matched``, ``missed`` or ``spurious``; on the side that is
    absent the offsets are ``-1``, the flags ``False`` and the texts ``""``.
    Columns: :data:`ALIGNMENT_COLUMNS`.
    """
    gold = gold[gold["content_start"] >= 0].reset_index(drop=True)
    pred = pred[pred["end"] > pred["start"]].reset_index(drop=True)
    gold_by_doc = {k: v.to_dict("records") for k, v in gold.groupby("doc_id", sort=False)}
    pred_by_doc = {k: v.to_dict("records") for k, v in pred.groupby("doc_id", sort=False)}
    rows = []
    for doc_id in sorted(gold_by_doc.keys() | pred_by_doc.keys()):
        text = texts.get(doc_id, "")
        g, p = gold_by_doc.get(doc_id, []), pred_by_doc.get(doc_id, [])
        g_spans = _gold_spans(pd.DataFrame(g, columns=gold.columns))
        p_spans = [_pred_span(r) for r in p]
        pairs = match_spans(p_spans, g_spans)
        overlap = overlap_matrix(p_spans, g_spans)
        links: list[tuple[int | None, int | None]] = list(pairs)
        links += [(None, j) for j in sorted(set(range(len(g))) - {j for _, j in pairs})]
        links += [(i, None) for i in sorted(set(range(len(p))) - {i for i, _ in pairs})]
        for i, j in links:
            row = dict.fromkeys(ALIGNMENT_COLUMNS, "")
            row |= dict.fromkeys(("gold_start", "gold_end", "pred_start", "pred_end"), -1)
            row |= dict.fromkeys(("gold_direct", "gold_speech_verb", "pred_direct"), False)
            row |= {"doc_id": doc_id, "pred_speech_verb": False, "speaker_correct": False}
            row["status"] = "spurious" if j is None else "missed" if i is None else "matched"
            row["overlap"] = int(overlap[i, j]) if i is not None and j is not None else 0
            if j is not None:
                row |= _gold_fields(g[j], g_spans[j], text)
            if i is not None:
                row |= _pred_fields(p[i], text)
            if row["status"] == "matched":
                row["speaker_correct"] = speaker_matches(p[i], g[j])
            rows.append(row)
    return pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)


def _gold_fields(gold: Mapping, spans: list[Span], text: str) -> dict:
    content = " ".join(text[s:e] for s, e in spans)
    return {
        "relation_id": gold["relation_id"],
        "gold_start": int(gold["content_start"]),
        "gold_end": int(gold["content_end"]),
        "gold_direct": starts_with_quote(content),
        "gold_speech_verb": bool(cue_lemma(gold["cue_text"])),
        "gold_source": gold["source_text"],
        "gold_cue": gold["cue_text"],
        "gold_text": content,
    }


def _pred_fields(pred: Mapping, text: str) -> dict:
    content = text[int(pred["start"]) : int(pred["end"])]
    cue = pred["cue"] if isinstance(pred["cue"], str) else ""
    return {
        "utterance_id": pred["utterance_id"],
        "pred_start": int(pred["start"]),
        "pred_end": int(pred["end"]),
        "pred_direct": pred["kind"] == "direct" or starts_with_quote(content),
        "pred_speech_verb": bool(cue_lemma(cue)),
        "pred_speaker": pred["speaker"] if isinstance(pred["speaker"], str) else "",
        "pred_cue": cue,
        "pred_text": content,
    }


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def scores(alignment: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 and speaker accuracy per scope from :func:`align` output.

    ``speaker_precision`` is the share of predicted utterances that match a gold
    relation AND name its speaker: precision of (utterance, speaker) pairs.
    Columns: :data:`SCORE_COLUMNS`; one row per scope in :data:`SCOPES`.
    Ratios with a zero denominator are NaN.
    """
    a = alignment
    matched = a["status"] == "matched"
    has_gold = a["status"] != "spurious"
    has_pred = a["status"] != "missed"
    in_scope = {
        "all": (has_gold, has_pred),
        "direct": (a["gold_direct"].astype(bool), a["pred_direct"].astype(bool)),
        "speech_verb": (a["gold_speech_verb"].astype(bool), a["pred_speech_verb"].astype(bool)),
    }
    rows = []
    for scope in SCOPES:
        gold_in, pred_in = in_scope[scope]
        gold_in, pred_in = gold_in & has_gold, pred_in & has_pred
        n_gold, n_pred = int(gold_in.sum()), int(pred_in.sum())
        n_matched, n_pred_matched = int((gold_in & matched).sum()), int((pred_in & matched).sum())
        right_speaker = matched & a["speaker_correct"].astype(bool)
        correct = int((gold_in & right_speaker).sum())
        n_pred_right = int((pred_in & right_speaker).sum())
        precision, recall = _ratio(n_pred_matched, n_pred), _ratio(n_matched, n_gold)
        f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
        rows.append(
            [
                scope,
                n_gold,
                n_pred,
                n_matched,
                n_pred_matched,
                precision,
                recall,
                f1,
                correct,
                _ratio(correct, n_matched),
                _ratio(n_pred_right, n_pred),
            ]
        )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def evaluate(pred: pd.DataFrame, gold: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """Score predictions against gold relations; one row per scope (:data:`SCORE_COLUMNS`).

    Parameters
    ----------
    pred : utterances in the attribution contract (see the module notes)
    gold : relations as read by :func:`analysis.evaluation.polnear.read_split`
    texts : article text per ``doc_id``; scopes look at the content text
    """
    return scores(align(pred, gold, texts))


def gold_summary(gold: pd.DataFrame, texts: Mapping[str, str]) -> pd.DataFrame:
    """Counts and shares of the gold relations by scope, plus relations without a source.

    ``n_docs`` counts the articles in *texts*, with or without relations.

    Columns: n_docs, n_relations, n_direct, share_direct, n_speech_verb,
    share_speech_verb, n_no_source, share_no_source (one row).
    """
    gold = gold[gold["content_start"] >= 0]
    a = align(pred=_EMPTY_PRED, gold=gold, texts=texts)
    n = len(a)
    counts = {
        "direct": int(a["gold_direct"].sum()),
        "speech_verb": int(a["gold_speech_verb"].sum()),
        "no_source": int((gold["source_start"] < 0).sum()),
    }
    row: dict[str, float] = {"n_docs": len(texts), "n_relations": n}
    for key, count in counts.items():
        row |= {f"n_{key}": count, f"share_{key}": _ratio(count, n)}
    return pd.DataFrame([row])


def default_extractor() -> Extractor:
    """:func:`analysis.attribution.extract.attribute_text`, imported on first use."""
    from analysis.attribution.extract import attribute_text

    return attribute_text


def run(
    polnear_dir: str | Path = DEFAULT_POLNEAR,
    *,
    split: Literal["train", "dev"] = "dev",
    extractor: Extractor | None = None,
    limit: int | None = None,
    return_details: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Run an extractor over a PolNeAR split and score it.

    Parameters
    ----------
    polnear_dir : PolNeAR ``data`` folder
    split : split to read
    extractor : ``extractor(text, doc_id=...) -> DataFrame`` of utterances;
        default :func:`analysis.attribution.extract.attribute_text`
    limit : only the first *limit* articles (sorted by name)
    return_details : also return the :func:`align` table for error analysis

    Returns
    -------
    The :func:`scores` table, or ``(scores, alignment)`` with *return_details*.
    """
    docs = read_split(polnear_dir, split, limit=limit)
    extract = extractor if extractor is not None else default_extractor()
    frames = [extract(d.text, doc_id=d.doc_id) for d in docs]
    pred = pd.concat([f for f in frames if len(f)] or [_EMPTY_PRED], ignore_index=True)
    alignment = align(pred, relations_table(docs), {d.doc_id: d.text for d in docs})
    table = scores(alignment)
    return (table, alignment) if return_details else table


def _format(table: pd.DataFrame) -> str:
    return table.to_string(index=False, float_format=lambda x: f"{x:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: score the attribution extractor on PolNeAR and print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis evaluate-attribution",
        description="Score utterance extraction against PolNeAR gold attributions "
        "(Newell, Margolin & Ruths, LREC 2018).",
    )
    parser.add_argument(
        "--polnear",
        type=Path,
        default=DEFAULT_POLNEAR,
        metavar="DIR",
        help="PolNeAR data folder holding train/ and dev/ "
        "(default: ../shared/data/polnear, beside the repository)",
    )
    parser.add_argument(
        "--split",
        choices=("dev", "train"),
        default="dev",
        help="which PolNeAR split to score: dev, held out from tuning (default), or train",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N", help="only the first N articles"
    )
    parser.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="FILE.csv",
        help="write missed, spurious and wrong-speaker spans to this CSV",
    )
    parser.add_argument(
        "--gold-stats",
        action="store_true",
        help="print counts of the gold relations instead of scoring",
    )
    args = parser.parse_args(argv)
    try:
        if args.gold_stats:
            docs = read_split(args.polnear, args.split, limit=args.limit)
            texts = {d.doc_id: d.text for d in docs}
            print(_format(gold_summary(relations_table(docs), texts)))
            return 0
        table, alignment = run(
            args.polnear, split=args.split, limit=args.limit, return_details=True
        )
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    n_docs = alignment["doc_id"].nunique()
    print(
        f"PolNeAR {args.split} split (Newell, Margolin & Ruths, LREC 2018): "
        f"{n_docs} articles with gold or predicted attributions"
    )
    print(_format(table))
    if args.errors is not None:
        errors = alignment[(alignment["status"] != "matched") | ~alignment["speaker_correct"]]
        args.errors.parent.mkdir(parents=True, exist_ok=True)
        errors.to_csv(args.errors, index=False)
        print(f"{len(errors)} error rows written to {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
