"""Speed (and optionally quality) of utterance extraction on the PolNeAR texts.

    python benchmarks/attribution_polnear.py                 # ../shared/data/polnear
    python benchmarks/attribution_polnear.py --polnear DIR   # another copy
    python benchmarks/attribution_polnear.py --score         # also P/R/F1 on train and dev

PolNeAR (Newell, Margolin & Ruths, LREC 2018) holds US political news with
gold attributions. Throughput is measured on one core over the train texts:

- attribution alone: :func:`analysis.attribution.extract.attribute_texts`;
- attribution + sentiment: the same, plus VADER (Hutto & Gilbert, ICWSM 2014,
  via :mod:`analysis.text.sentiment`) of every sentence (the attribution module's
  sentence splitter) and of every utterance.

Words are word tokens holding a letter or digit (``analysis.text.tokens.WORD_PATTERN``),
as ``n_words`` counts them; times are the best of ``--repeat`` runs. With
``--score`` the extractor is scored by :mod:`analysis.evaluation.attribution_eval` on the
train split (where the rules were tuned) and the dev split. Exits 2 when the
PolNeAR folder is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from timing import best_time

from analysis.attribution.document import sentence_spans, split_paragraphs
from analysis.attribution.extract import attribute_texts
from analysis.evaluation.attribution_eval import DEFAULT_POLNEAR, run
from analysis.text.tokens import WORD_PATTERN

_WORD = re.compile(WORD_PATTERN)


def read_texts(polnear: Path, split: str = "train") -> dict[str, str]:
    """``{doc_id: text}`` of one split's articles."""
    folder = polnear / split / "text"
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def n_words(texts: dict[str, str]) -> int:
    """Word tokens holding a letter or digit."""
    return sum(any(c.isalnum() for c in tok) for t in texts.values() for tok in _WORD.findall(t))


def with_sentiment(texts: dict[str, str]) -> None:
    """Attribution, then VADER of every sentence and every utterance."""
    from analysis.text.sentiment import score_texts, score_utterances

    utterances = attribute_texts(texts)
    sentences = [
        text[s:e]
        for text in texts.values()
        for s, e in sentence_spans(text, split_paragraphs(text))
    ]
    score_texts(sentences)
    score_utterances(utterances)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, metavar="DIR")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--score", action="store_true", help="also score train and dev")
    args = parser.parse_args()
    if not (args.polnear / "train" / "text").is_dir():
        print(
            f"PolNeAR not found at {args.polnear} (expected train/text/*.txt); pass --polnear DIR",
            file=sys.stderr,
        )
        return 2
    texts = read_texts(args.polnear)
    words = n_words(texts)
    attribute_texts(dict(list(texts.items())[:2]))
    print(f"PolNeAR train: {len(texts)} articles, {words:,} words (one core)")
    runs = [("attribution", lambda: attribute_texts(texts))]
    try:
        import analysis.text.sentiment  # noqa: F401
    except ImportError:
        print("  analysis.text.sentiment not available: attribution + sentiment skipped")
    else:
        runs.append(("attribution + sentiment", lambda: with_sentiment(texts)))
    for label, fn in runs:
        seconds = best_time(fn, args.repeat)
        print(f"  {label:<24} {seconds:6.2f} s  {words / seconds:9,.0f} words/s")
    if args.score:
        for split in ("train", "dev"):
            table = run(args.polnear, split=split)
            print(f"\nPolNeAR {split} (Newell, Margolin & Ruths, LREC 2018)")
            print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
