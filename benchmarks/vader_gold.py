"""VADER against human ratings (Hutto & Gilbert 2014, Table 4), and VADER's speed.

    python benchmarks/vader_gold.py                  # ../shared/data/vader_gold
    python benchmarks/vader_gold.py --data DIR       # another copy of the gold files
    python benchmarks/vader_gold.py --polnear DIR    # also time PolNeAR news sentences

Prints, per gold data set, our Pearson r between VADER's compound score and the
human mean rating beside the paper's (tolerance 0.03), then throughput on one
core: the gold texts, and the sentences of the PolNeAR train articles (Newell,
Margolin & Ruths, LREC 2018) when that folder exists, split with the package's
sentence splitter. "raw" is ``SentimentIntensityAnalyzer.polarity_scores`` in a
loop; "score_texts" is :func:`analysis.text.sentiment.score_texts`. Words are counted
as the package counts ``n_words`` (word tokens holding a letter or digit);
times are the best of ``--repeat`` runs. Exits 2 when the gold folder is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from timing import best_time

from analysis.errors import InputError
from analysis.evaluation.vader_validation import DATASETS, DEFAULT_DATA_DIR, read_ground_truth, run
from analysis.text.sentiment import analyzer, score_texts
from analysis.text.tokens import WORD_PATTERN, sentence_spans

POLNEAR = DEFAULT_DATA_DIR.parent / "polnear"
_WORD = re.compile(WORD_PATTERN)


def n_words(texts: list[str]) -> int:
    """Word tokens holding a letter or digit, as in the sentence table's ``n_words``."""
    return sum(any(c.isalnum() for c in tok) for t in texts for tok in _WORD.findall(t))


def polnear_sentences(polnear: Path) -> list[str]:
    """Sentences of the PolNeAR train texts, paragraph by paragraph."""
    sentences = []
    for path in sorted((polnear / "train" / "text").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            sentences += [para[s:e] for s, e in sentence_spans(para)]
    return sentences


def throughput(label: str, texts: list[str], repeat: int) -> None:
    """Print texts/s and words/s of raw VADER and of ``score_texts`` on *texts*."""
    words = n_words(texts)
    polarity = analyzer().polarity_scores
    print(f"\n{label}: {len(texts):,} texts, {words:,} words")
    for name, fn in [
        ("raw polarity_scores", lambda: [polarity(t) for t in texts]),
        ("score_texts", lambda: score_texts(texts)),
    ]:
        seconds = best_time(fn, repeat)
        print(
            f"  {name:<20} {seconds:6.2f} s  {len(texts) / seconds:9,.0f} texts/s  "
            f"{words / seconds:9,.0f} words/s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        table = run(args.data)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("VADER vs. human mean ratings (Hutto & Gilbert 2014, Table 4):")
    print(table.drop(columns="file").to_string(index=False, float_format="{:.3f}".format))
    gold = [t for f, _ in DATASETS.values() for t in read_ground_truth(args.data / f).table.text]
    throughput("VADER gold texts", gold, args.repeat)
    if (args.polnear / "train" / "text").is_dir():
        throughput("PolNeAR train sentences", polnear_sentences(args.polnear), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
