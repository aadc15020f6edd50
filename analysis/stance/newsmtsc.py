"""Read NewsMTSC files: one JSON object per line, a sentence and its labelled targets.

NewsMTSC (Hamborg & Donnay, EACL 2021; MIT licence) labels the sentiment of a news
sentence toward each person it mentions. Each line holds ``sentence_normalized`` and
``targets``, a list of ``{"from", "to", "polarity", "further_mentions"?}``: character
offsets (end exclusive), polarity 2.0 negative, 4.0 neutral, 6.0 positive, and
coreferent mentions found automatically. The data is never shipped; commands take
its folder as an argument.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.errors import InputError
from analysis.stance.tone_features import Mention

POLARITY_TO_CLASS = {2.0: 0, 4.0: 1, 6.0: 2}


def _span(item, path: Path, line_no: int) -> tuple[int, int]:
    try:
        start, end = int(item["from"]), int(item["to"])
    except (KeyError, TypeError, ValueError):
        raise InputError(
            path, f"line {line_no + 1}: a target needs integer 'from' and 'to'"
        ) from None
    return start, end


def read_newsmtsc(path: str | Path, *, labelled: bool = True) -> list[Mention]:
    """Every target of a NewsMTSC file as a :class:`Mention`, in file order.

    Parameters
    ----------
    path : a ``.jsonl`` file.
    labelled : require and read each target's ``polarity``; without it ``label`` is None.

    Returns
    -------
    list of Mention
        One per target, with its coreferent mentions (``coref``) and the other targets
        of its sentence (``others``); ``group`` is the 0-based line number.

    Raises
    ------
    InputError
        Naming the file and line: unreadable file, a line that is not JSON, a missing
        sentence or targets list, a span outside the sentence, an unknown polarity.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as UTF-8 JSON Lines ({exc})") from None
    out: list[Mention] = []
    for line_no, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            sentence, targets = row["sentence_normalized"], row["targets"]
        except (ValueError, KeyError, TypeError):
            raise InputError(
                path,
                f"line {line_no + 1}: needs a JSON object with sentence_normalized and targets",
            ) from None
        if not isinstance(sentence, str) or not isinstance(targets, list):
            raise InputError(path, f"line {line_no + 1}: sentence must be text, targets a list")
        spans = [_span(t, path, line_no) for t in targets]
        for start, end in spans:
            if not 0 <= start < end <= len(sentence):
                raise InputError(
                    path, f"line {line_no + 1}: span {start}-{end} is not in the sentence"
                )
        for i, target in enumerate(targets):
            label = None
            if labelled:
                label = POLARITY_TO_CLASS.get(_polarity(target))
                if label is None:
                    raise InputError(
                        path, f"line {line_no + 1}: polarity must be 2.0, 4.0 or 6.0 (target {i})"
                    )
            coref = tuple(_span(m, path, line_no) for m in target.get("further_mentions") or [])
            out.append(
                Mention(
                    sentence=sentence,
                    start=spans[i][0],
                    end=spans[i][1],
                    coref=coref,
                    others=tuple(s for j, s in enumerate(spans) if j != i),
                    label=label,
                    group=line_no,
                )
            )
    return out


def _polarity(target) -> float | None:
    try:
        return float(target["polarity"])
    except (KeyError, TypeError, ValueError):
        return None
