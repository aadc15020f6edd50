"""Scale benchmark on real news text: PolNeAR's training articles, and 10 copies of them.

    python benchmarks/scale_polnear.py [--polnear DIR] [--copies 1 10] [--jobs 1 2]

For each corpus size it reports, each measured in a fresh process:

- the full analysis (load, per-document analysis, corpus tables; no figure
  rendering, no cache) at each ``--jobs`` value: wall time, words per second,
  and peak memory (maximum resident set size, including worker processes);
- the incremental re-run after adding one article: a warm cache is built
  first, then one new article is added and the analysis runs again.

The corpora are built in a temporary folder (PolNeAR texts are never copied
into the repository). Copies get a distinguishing line appended, so each has
its own hash. PolNeAR: Newell, Margolin & Ruths, LREC 2018.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
#: An event inside the articles' dates (Nov 2015 to Sep 2016), so that the pre/post
#: comparison (keyness, shifts, permutation tests) is part of the measured run.
EVENT = '[event]\nname = "Super Tuesday"\nstart = 2016-03-01\nend = 2016-03-01\n'


def build_corpus(polnear: Path, dest: Path, copies: int) -> int:
    """Write *copies* hash-distinct copies of the train texts with a manifest; return words."""
    texts = sorted((polnear / "train" / "text").glob("*.txt"))
    if not texts:
        sys.exit(f"error: {polnear}/train/text holds no .txt file; pass --polnear DIR")
    dest.mkdir(parents=True)
    rows, seen, words = ["file,date"], set(), 0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        key = " ".join(text.split())
        if key in seen:  # PolNeAR holds one article twice; a corpus refuses duplicates
            continue
        seen.add(key)
        date = path.stem.split("_")[1]
        for c in range(copies):
            name = path.name if c == 0 else f"{path.stem}_copy{c}.txt"
            body = text if c == 0 else f"{text}\n\nCopy {c}.\n"
            (dest / name).write_text(body, encoding="utf-8")
            rows.append(f"{name},{date}")
            words += len(body.split())
    (dest / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (dest / "corpus.toml").write_text(EVENT, encoding="utf-8")
    return words


def inner(corpus: str, jobs: int, cache: str | None) -> None:
    """Run one analysis in this process and print its measurements as JSON."""
    from analysis.run import workspace

    start = time.perf_counter()
    ws = workspace.build(corpus, jobs=jobs, cache_dir=cache)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "words": ws.run.n_words,
                "computed": ws.run.n_computed,
                "cached": ws.run.n_cached,
                "peak_mb": max(own, children) / 1024,
            }
        )
    )


def measure(corpus: Path, jobs: int, cache: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--inner", str(corpus), "--jobs", str(jobs)]
    if cache:
        cmd += ["--cache", str(cache)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.inner, args.jobs[0], args.cache)
        return 0
    if not (args.polnear / "train" / "text").is_dir():
        print(f"error: {args.polnear}/train/text not found; pass --polnear DIR", file=sys.stderr)
        return 2
    print("| corpus | docs | words | run | jobs | wall s | words/s | peak MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            words = build_corpus(args.polnear, corpus, copies)
            n_docs = len(list(corpus.glob("*.txt")))
            label = f"PolNeAR train ×{copies}"
            for jobs in args.jobs:
                m = measure(corpus, jobs)
                print(
                    f"| {label} | {n_docs} | {words:,} | full, no cache | {jobs} | "
                    f"{m['seconds']:.1f} | {m['words'] / m['seconds']:,.0f} | {m['peak_mb']:,.0f} |"
                )
            cache = Path(tmp) / "cache"
            jobs = max(args.jobs)
            measure(corpus, jobs, cache)
            first = sorted(corpus.glob("*.txt"))[0]
            shutil.copy(first, corpus / "added_article.txt")
            with (corpus / "added_article.txt").open("a", encoding="utf-8") as fh:
                fh.write("\n\nAdded for the incremental benchmark.\n")
            with (corpus / "manifest.csv").open("a", encoding="utf-8") as fh:
                fh.write(f"added_article.txt,{first.stem.split('_')[1]}\n")
            m = measure(corpus, jobs, cache)
            print(
                f"| {label} | {n_docs + 1} | {words:,} | one article added, warm cache "
                f"({m['computed']} analysed, {m['cached']} cached) | {jobs} | "
                f"{m['seconds']:.1f} | – | {m['peak_mb']:,.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
