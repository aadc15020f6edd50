"""Who speaks, and in what tone, over the corpus: the ``utterances``, ``speakers``,
``speakers_by_phase`` and ``sides_by_phase`` tables of the report.

The utterances are those attributed in each document
(:func:`analysis.run.pipeline.document_utterances`) with their document's phase; the
summaries give each group's mean VADER compound with its 95% bootstrap interval
(:func:`analysis.stats.resampling.summarise_groups`).
"""

from __future__ import annotations

import pandas as pd

from analysis.attribution.speakers import speaker_table
from analysis.stats.resampling import summarise_groups


def utterance_table(utterances: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``utterances``: every attributed utterance with its document's phase."""
    return utterances.merge(docs[["doc_id", "phase"]], on="doc_id", how="left")


#: What :func:`speaker_summaries` reads of the utterances.
SUMMARY_COLUMNS = [
    "doc_id",
    "speaker",
    "speaker_type",
    "side",
    "role",
    "phase",
    "compound",
    "n_words",
]


def speaker_summaries(utts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``speakers``, ``speakers_by_phase`` and ``sides_by_phase`` of :func:`utterance_table`.

    ``speakers`` adds to :func:`analysis.attribution.speakers.speaker_table` the mean
    compound of each speaker's utterances with its 95% bootstrap interval and
    the ``too_few`` flag (n < 3). The by-phase tables hold the same per
    (speaker, side, phase) and per (side, phase), with words quoted.
    """
    # the columns these tables read, not the quoted text: a worker copies what it selects
    utts = utts[[c for c in SUMMARY_COLUMNS if c in utts.columns]]
    named = utts[utts["speaker"].fillna("") != ""]
    summary = summarise_groups(named, by=["speaker"])
    table = speaker_table(utts).merge(
        summary[["speaker", "mean", "ci_low", "ci_high", "too_few"]], on="speaker", how="left"
    )
    return {
        "speakers": table,
        "speakers_by_phase": summarise_groups(named, by=["speaker", "side", "phase"]),
        "sides_by_phase": summarise_groups(utts, by=["side", "phase"]),
    }
