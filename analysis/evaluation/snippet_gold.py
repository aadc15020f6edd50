"""Score extracted utterances against a hand-made gold of (document, speaker, snippet) rows.

A gold file lists each attributed utterance of some articles with the speaker's full
canonical name and an exact snippet of its content (``tests/fixtures/seed_gold/`` for
the seeds, ``tests/fixtures/wire/`` for invented wire copy). :func:`score_snippets`
matches extracted utterances to those rows and reports recall and precision of
(utterance, speaker).

Decisions
---------
- **Matching.** A gold row is found when an extracted utterance of the same document
  holds its snippet inside its outer bounds (``start``..``end``). Its speaker is right
  when the canonical names are equal.
- **Named persons.** The headline figures count rows whose gold ``speaker_type`` is
  ``person`` and whose name is capitalised throughout: the issue's target is about
  people the article names ("White House principal deputy spokesperson" is not one).
- **Follow-on clauses.** The gold folds ", adding that ..." and ", noting that ..." into
  the row of the main cue; the extractor makes them a second utterance of the same
  speaker. So an utterance whose cue is a participle is joined to the utterance of the
  same speaker next to it in the same paragraph (before it, or after it when the
  participle opens the sentence), and the two are matched together: both are right
  when the pair holds a gold snippet of that speaker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

#: Columns of the per-row evidence table :func:`score_snippets` returns.
EVIDENCE_COLUMNS = ["source", "doc_id", "speaker_gold", "speaker_found", "snippet", "text", "ok"]


@dataclass(frozen=True)
class SnippetScore:
    """Recall and precision of (utterance, speaker) on named persons, with the evidence."""

    n_gold: int
    n_recalled: int
    n_predicted: int
    n_correct: int
    evidence: pd.DataFrame

    @property
    def recall(self) -> float:
        return self.n_recalled / self.n_gold if self.n_gold else float("nan")

    @property
    def precision(self) -> float:
        return self.n_correct / self.n_predicted if self.n_predicted else float("nan")


def is_named_person(speaker: str, speaker_type: str) -> bool:
    """Whether a gold or extracted speaker is a person the text names."""
    words = str(speaker).split()
    return speaker_type == "person" and bool(words) and all(w[:1].isupper() for w in words)


def score_snippets(
    utterances: pd.DataFrame, gold: pd.DataFrame, texts: Mapping[str, str]
) -> SnippetScore:
    """Recall and precision of *utterances* against *gold* on named persons.

    Parameters
    ----------
    utterances : extracted utterances (``doc_id, speaker, speaker_type, cue, start, end,
        text``), offsets into ``texts[doc_id]``.
    gold : ``doc_id, speaker, speaker_type, snippet``; each snippet occurs once in its text.
    texts : the document texts by doc_id.
    """
    utts = utterances.reset_index(drop=True).assign(group=_groups(utterances, texts))
    spans = utts.groupby("group").agg(
        doc_id=("doc_id", "first"),
        speaker=("speaker", "first"),
        start=("start", "min"),
        end=("end", "max"),
    )
    right: set[int] = set()  # groups holding a gold snippet of their own speaker
    rows = []
    for _, row in gold.iterrows():
        text = texts[row["doc_id"]]
        at = text.find(row["snippet"])
        if at < 0 or text.find(row["snippet"], at + 1) >= 0:
            raise ValueError(
                f"gold snippet not found exactly once in {row['doc_id']}: {row['snippet']!r}"
            )
        hold = spans[
            (spans["doc_id"] == row["doc_id"])
            & (spans["start"] <= at)
            & (spans["end"] >= at + len(row["snippet"]))
        ]
        same = hold[hold["speaker"] == row["speaker"]]
        right.update(same.index)
        if is_named_person(row["speaker"], row["speaker_type"]):
            found = "; ".join(hold["speaker"])
            rows.append(
                ("gold", row["doc_id"], row["speaker"], found, row["snippet"], "", bool(len(same)))
            )
    for _, u in utts.iterrows():
        if is_named_person(u["speaker"], u["speaker_type"]):
            ok = u["group"] in right
            rows.append(("extracted", u["doc_id"], "", u["speaker"], "", u["text"], ok))
    evidence = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    gold_rows = evidence[evidence["source"] == "gold"]
    pred_rows = evidence[evidence["source"] == "extracted"]
    return SnippetScore(
        n_gold=len(gold_rows),
        n_recalled=int(gold_rows["ok"].sum()),
        n_predicted=len(pred_rows),
        n_correct=int(pred_rows["ok"].sum()),
        evidence=evidence,
    )


def _groups(utterances: pd.DataFrame, texts: Mapping[str, str]) -> list[int]:
    """Group ids joining each participle utterance (cue ending in "ing") to its neighbour
    of the same speaker in the same paragraph, as the gold folds them: the utterance
    before it (", adding that ..."), or after it for an opener ("Noting ..., Tan said")."""
    rows = list(utterances.itertuples(index=False))
    groups = list(range(len(rows)))

    def joined(a, b) -> bool:
        same = (a.doc_id, a.speaker) == (b.doc_id, b.speaker)
        return same and "\n" not in texts[a.doc_id][a.end : b.start]

    for i, u in enumerate(rows):
        if not str(u.cue).endswith("ing"):
            continue
        if i > 0 and joined(rows[i - 1], u):
            groups[i] = groups[i - 1]
        elif i + 1 < len(rows) and u.cue_start < rows[i + 1].start and joined(u, rows[i + 1]):
            groups[i + 1] = groups[i]
    return groups
