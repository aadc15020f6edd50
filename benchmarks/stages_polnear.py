"""Where one core's time goes in the full analysis of PolNeAR's training articles.

    python benchmarks/stages_polnear.py [--polnear DIR] [--repeat N]

Builds the same corpus as ``scale_polnear.py --copies 1`` in a temporary
folder, then times, in one process and on one core:

- loading (reading, parsing, the language check);
- each step of the per-article analysis, summed over the articles:
  tokenization, lexicon matching, VADER of the sentences, attribution, VADER of
  the attributed passages, stance mentions (targets, speakers, tone model), term
  counts;
- :func:`analysis.run.pipeline.analyze_document` summed over the articles, and the
  per-article analysis as the report runs it (plus gathering the tables);
- each group of corpus tables: term and framing tables, speaker tables
  (bootstrap intervals per speaker and side), the A/B comparison (keyness,
  shifts, permutation tests), and all corpus tables together.

Times are CPU seconds of this process (``time.process_time``), which other work on
the machine inflates far less than wall time; the per-article figures are the best
of ``--repeat`` passes. The steps build no table, as the pipeline does not (it gathers
columns per chunk of articles), so they add up to about ``analyze_document``; their
sum and its time, taken in different passes, differ by the machine's noise. Prints a
Markdown table of CPU seconds and words per CPU second. PolNeAR: Newell, Margolin & Ruths,
LREC 2018. Exits 2 when the data folder is absent.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from pathlib import Path

from scale_polnear import build_corpus, missing_polnear, polnear_parser

from analysis.attribution import extract as attribution
from analysis.corpus.loader import load_corpus
from analysis.corpus.tables import documents_table
from analysis.run import pipeline
from analysis.stance import rows as stance_rows
from analysis.stats import speakers as speaker_stats
from analysis.stats.comparison import Comparison, compare, sentiment_shifts
from analysis.text import framing, sentiment, terms
from analysis.text.columns import column_list
from analysis.text.lexicon import load_lexicon
from analysis.text.tokens import split_document


def forget() -> None:
    """Empty VADER's memo of recent texts, so that each timed pass over an article scores
    its sentences afresh, as a report does."""
    sentiment._text_scores.cache_clear()


def per_article_steps(corpus, lexicon) -> dict[str, float]:
    """CPU seconds spent in each per-article step, summed over the articles."""
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for doc in corpus.documents:
        forget()
        t0 = clock()
        sentences, tokens = split_document(doc)
        t1 = clock()
        framing.hit_rows(doc, sentences, lexicon)
        t2 = clock()
        sentiment.score_columns(column_list(sentences["text"]))
        t3 = clock()
        utterances = attribution.utterance_columns(doc)
        t4 = clock()
        sentiment.score_columns(column_list(utterances["text"]))
        t5 = clock()
        terms.term_columns(tokens)
        t6 = clock()
        utterances = pipeline.utterance_columns(doc)
        t7 = clock()
        stance_rows.stance_columns(doc, sentences, utterances)
        t8 = clock()
        spent["tokenization"] += t1 - t0
        spent["lexicon matching"] += t2 - t1
        spent["VADER, sentences"] += t3 - t2
        spent["attribution"] += t4 - t3
        spent["VADER, attributed passages"] += t5 - t4
        spent["term counts"] += t6 - t5
        spent["stance mentions"] += t8 - t7
    return spent


def analyze_each(corpus, lexicon) -> float:
    """CPU seconds of :func:`analysis.run.pipeline.analyze_document` over the articles."""
    spent = 0.0
    for doc in corpus.documents:
        forget()
        start = time.process_time()
        pipeline.analyze_document(doc, lexicon)
        spent += time.process_time() - start
    return spent


def best(repeat: int, func, *args) -> dict[str, float]:
    """Per key, the least CPU time of *repeat* calls of *func* (a dict of times, or a time)."""
    runs = [func(*args) for _ in range(repeat)]
    runs = [r if isinstance(r, dict) else {"": r} for r in runs]
    return {k: min(r[k] for r in runs) for k in runs[0]}


def timed(rows: list[tuple[str, float]], label: str, func, *args, **kwargs):
    start = time.process_time()
    result = func(*args, **kwargs)
    rows.append((label, time.process_time() - start))
    return result


def main() -> int:
    parser = polnear_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes of the per-article steps")
    args = parser.parse_args()
    if missing_polnear(args.polnear):
        return 2
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        words = build_corpus(args.polnear, folder, 1)
        lexicon = load_lexicon()
        corpus = timed(rows, "load and parse", load_corpus, folder)
        steps = best(args.repeat, per_article_steps, corpus, lexicon)
        rows += sorted(steps.items(), key=lambda r: -r[1])
        whole = best(args.repeat, analyze_each, corpus, lexicon)[""]
        rows.append(("analyze_document, summed over the articles", whole))
        run = timed(
            rows, "per-article analysis, as run", pipeline.analyze_documents, corpus, lexicon
        )
    per_doc = run.tables
    counts = per_doc["terms"]
    docs = documents_table(corpus)
    n_tokens = terms.word_counts(counts)
    docs["n_tokens"] = docs["doc_id"].map(n_tokens).fillna(0).astype(int)
    terms_start = time.process_time()
    term_table = framing.term_counts(per_doc["hits"], docs, n_tokens, lexicon)
    frame_table = framing.frame_counts(term_table)
    terms.top_terms(counts, docs, by="phase")
    terms.tfidf_terms(counts)
    rows.append(("corpus: framing and term tables", time.process_time() - terms_start))
    utts = speaker_stats.utterance_table(per_doc["utterances"], docs)
    timed(rows, "corpus: speaker and side tables", speaker_stats.speaker_summaries, utts)
    sentences = per_doc["sentences"].merge(docs[["doc_id", "phase"]], on="doc_id")
    units = {"sentences": sentences, "utterances": utts}
    comparison_start = time.process_time()
    compare(counts, docs, term_table, frame_table)
    sentiment_shifts(units, docs, Comparison())
    rows.append(("corpus: comparison (keyness, shifts)", time.process_time() - comparison_start))
    timed(rows, "corpus tables, as run", pipeline.corpus_tables, corpus, per_doc, lexicon, jobs=1)
    print(f"PolNeAR train: {len(corpus.documents)} articles, {words:,} words, one core\n")
    print("| stage | CPU seconds | words per CPU second |\n| --- | --- | --- |")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} | {words / seconds / 1000:,.0f}k |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
