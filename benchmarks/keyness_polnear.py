"""Keyness on real news text: one PolNeAR publisher against the other six.

    python benchmarks/keyness_polnear.py [--polnear DIR] [--a breitbart] [--b nyt]

Reads the train articles (``DIR/train/text/*.txt``) and the ``publisher``
column of ``DIR/metadata.tsv`` (PolNeAR: Newell, Margolin & Ruths, LREC 2018;
its seven publishers have 120 train articles each, so there is no "largest"
pair). By default group a is ``--a`` (Breitbart) and group b every other train
article, so all 840 articles are used; ``--b PUBLISHER`` compares two publishers.
Articles are parsed with :func:`analysis.corpus.loader.parse_document` and tokenized
with :func:`analysis.text.tokens.tokenize_document` in one process; tokenization and
keyness are timed separately. Keyness is timed twice: the first call includes
loading wordfreq's English list, the second is the best of ``--repeat`` further
calls. Prints a Markdown table of timings and the strongest terms each way.
Exits 2 when the data folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.config import REPO_ROOT
from analysis.corpus.loader import parse_document
from analysis.stats.keyness import keyness
from analysis.text.tokens import tokenize_corpus

POLNEAR = REPO_ROOT.parent / "shared" / "data" / "polnear"


def load(polnear: Path) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Token table, documents table (doc_id, publisher) and tokenization seconds."""
    with (polnear / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        publisher = {
            row["filename"]: row["publisher"]
            for row in csv.DictReader(fh, delimiter="\t")
            if row["compartment"] == "train"
        }
    paths = sorted((polnear / "train" / "text").glob("*.txt"))
    docs = [parse_document(p, p.read_text(encoding="utf-8")) for p in paths]
    start = time.perf_counter()
    _, tokens = tokenize_corpus(docs)
    seconds = time.perf_counter() - start
    table = pd.DataFrame(
        {"doc_id": [d.doc_id for d in docs], "publisher": [publisher.get(d.doc_id) for d in docs]}
    )
    return tokens, table, seconds


def timed(fn, repeat: int) -> tuple[object, float]:
    """Result of ``fn()`` and the fastest of *repeat* wall times."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--a", default="breitbart", help="target publisher")
    parser.add_argument("--b", default=None, help="reference publisher (default: all others)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    if (
        not (args.polnear / "train" / "text").is_dir()
        or not (args.polnear / "metadata.tsv").is_file()
    ):
        print(
            f"error: {args.polnear} has no train/text/ folder and metadata.tsv; "
            "pass --polnear DIR (the PolNeAR data set)",
            file=sys.stderr,
        )
        return 2
    tokens, docs, tok_seconds = load(args.polnear)

    def run():
        return keyness(tokens, docs, by="publisher", a=args.a, b=args.b)

    _, first = timed(run, 1)
    table, warm = timed(run, args.repeat)
    words = int(tokens["is_word"].sum())
    size = f"{len(docs)} | {words:,}"
    print("| step | docs | words | terms | seconds |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| tokenize_document | {size} | – | {tok_seconds:.2f} |")
    print(f"| keyness, first call | {size} | {len(table):,} | {first:.2f} |")
    print(f"| keyness, best of {args.repeat} | {size} | {len(table):,} | {warm:.2f} |")
    cols = ["term", "count_a", "count_b", "g2", "p_adj", "log_ratio", "z_logodds"]
    for label, part in (
        (table["group_a"].iat[0], table[table["log_ratio"] > 0]),
        (table["group_b"].iat[0], table[table["log_ratio"] < 0]),
    ):
        print(f"\nStrongest terms of {label} by G2:\n")
        print("| " + " | ".join(cols) + " |")
        print("|" + " --- |" * len(cols))
        for row in part.head(args.top)[cols].itertuples(index=False):
            print(
                "| "
                + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row)
                + " |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
