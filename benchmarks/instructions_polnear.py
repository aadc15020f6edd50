"""The per-article analysis of N PolNeAR training articles, for counting instructions.

    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python benchmarks/instructions_polnear.py --articles 100 [--polnear DIR]

A shared machine's speed moves by 10-30% from one hour to the next, more than many a
change to the per-article analysis saves; the number of instructions it executes does
not move. Run this under valgrind's cachegrind (``apt-get install valgrind``) with
``--articles 100`` and with ``--articles 0``: the difference of the two ``I refs``
totals, divided by 100, is the instructions an article costs, interpreter start,
imports and loading the corpus aside. Each article goes through
:func:`analysis.run.pipeline.summarise_document` with a cache (so its tokens are
written to the token store, as in a report), and each 25 articles' results through
:func:`analysis.run.pipeline.gather_summaries`, as a worker gathers a chunk. The first
article is analysed in both runs, so that loading the models is not counted. Without
valgrind it prints the CPU seconds the articles took. PolNeAR: Newell, Margolin &
Ruths, LREC 2018. Exits 2 when the data folder is absent.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from scale_polnear import build_corpus, missing_polnear, polnear_parser

from analysis.corpus.loader import load_corpus
from analysis.run import pipeline
from analysis.run.cache import DocumentCache
from analysis.text.lexicon import load_lexicon

#: Articles gathered together, about a worker's chunk of PolNeAR articles.
CHUNK = 25


def main() -> int:
    parser = polnear_parser(__doc__)
    parser.add_argument("--articles", type=int, default=100, help="articles to analyse")
    args = parser.parse_args()
    if missing_polnear(args.polnear):
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        build_corpus(args.polnear, Path(tmp) / "corpus", 1)
        docs = load_corpus(Path(tmp) / "corpus").documents
        lexicon, cache = load_lexicon(), DocumentCache(Path(tmp) / "cache")
        pipeline.summarise_document(docs[0], lexicon, cache=cache)
        batch = docs[1 : args.articles + 1]
        start = time.process_time()
        for i in range(0, len(batch), CHUNK):
            chunk = batch[i : i + CHUNK]
            pipeline.gather_summaries(
                [pipeline.summarise_document(d, lexicon, cache=cache) for d in chunk]
            )
        seconds = time.process_time() - start
    print(f"{len(batch)} PolNeAR train articles analysed and gathered: {seconds:.2f} CPU s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
