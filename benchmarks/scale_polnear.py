"""Scale benchmark, end to end: ``report`` on N copies of PolNeAR's training articles.

    python benchmarks/scale_polnear.py [POLNEAR_DIR] [--copies 1 10] [--jobs 1 2]

For each corpus size, every measurement is one fresh ``python -m analysis
report`` process, from interpreter start to the last figure written:

- the full run (``--no-cache``) at each ``--jobs`` value: wall time, CPU time
  (the process and its children), words per second, and peak memory summed over
  the process and all its children (proportional set sizes read from
  ``/proc/PID/smaps_rollup`` every 50 ms, so Linux only);
- with the most jobs and a warm cache: the re-run when nothing changed, and the
  re-run after adding one article, each as a fraction of the full run's wall time.

Times and memory come from two runs of each measurement: reading
``smaps_rollup`` walks every page of the processes, 27 ms per sample of a 1.5 GB
report on the 2-core machine of the README's figures, so sampling every 50 ms
took a third of a core from the run it measured (one article added to ten copies:
14.8 s sampled, 13.4 s not). So each run is made once unsampled, for its wall and
CPU time, and once more, sampled, for its peak. The added article's second run
starts from the same state: the article is removed (a run that is not measured)
and added again with a different last line, so it is analysed again.

The corpora are built in a temporary folder (PolNeAR texts are never copied
into the repository). Copies get a distinguishing line appended, so each has
its own hash. PolNeAR: Newell, Margolin & Ruths, LREC 2018.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
#: An event inside the articles' dates (Nov 2015 to Sep 2016), so that the pre/post
#: comparison (keyness, shifts, permutation tests) is part of the measured run.
EVENT = '[event]\nname = "Super Tuesday"\nstart = 2016-03-01\nend = 2016-03-01\n'
#: The file name of the article the incremental measurement adds.
ADDED = "added_article.txt"


def polnear_parser(doc: str) -> argparse.ArgumentParser:
    """A parser described by *doc*'s first paragraph, with ``--polnear DIR``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    return parser


def missing_polnear(polnear: Path) -> bool:
    """Whether *polnear* lacks ``train/text``; if so, say so on stderr (``--polnear DIR``)."""
    if (polnear / "train" / "text").is_dir():
        return False
    print(f"error: {polnear}/train/text not found; pass --polnear DIR", file=sys.stderr)
    return True


def build_corpus(polnear: Path, dest: Path, copies: int) -> int:
    """Write *copies* hash-distinct copies of the train texts with a manifest; return words."""
    texts = sorted((polnear / "train" / "text").glob("*.txt"))
    if not texts:
        sys.exit(f"error: {polnear}/train/text holds no .txt file; pass POLNEAR_DIR")
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


def _pss_kb(pid: int) -> int:
    """Proportional set size of *pid* in KiB: shared pages are split between their users."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def tree_memory_kb(root: int) -> int:
    """Memory of process *root* and all its descendants, in KiB.

    Summed as proportional set sizes, so pages that forked workers share with
    their parent (copy-on-write) count once, not once per process as summed
    resident set sizes would.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += _pss_kb(pid)
        except (OSError, ValueError):
            pass
        todo += children.get(pid, [])
    return total


def run_report(corpus: Path, out: Path, jobs: int, *extra: str, sample: bool = False) -> dict:
    """Run the report once; wall and CPU seconds, peak summed memory (MB) and its stdout.

    The peak is sampled only with *sample* (0 otherwise): sampling slows the run.
    """
    cmd = [sys.executable, "-m", "analysis", "report", "--corpus", str(corpus)]
    cmd += ["--out", str(out), "--jobs", str(jobs), *extra]
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    peak = [0]

    def sample_memory() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_memory_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample_memory)
    if sample:
        sampler.start()
    stdout, _ = proc.communicate()
    seconds = time.perf_counter() - start
    if sample:
        sampler.join()
    after = os.times()
    if proc.returncode:
        sys.exit(f"error: report failed ({proc.returncode}): {' '.join(cmd)}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak[0] / 1024, "stdout": stdout}


def add_article(corpus: Path, manifest: str, note: str) -> None:
    """Add a copy of the corpus's first article, *note* as its last line, to the manifest."""
    first = sorted(corpus.glob("*.txt"))[0]
    shutil.copy(first, corpus / ADDED)
    with (corpus / ADDED).open("a", encoding="utf-8") as fh:
        fh.write(f"\n\n{note}\n")
    date = first.stem.split("_")[1]
    (corpus / "manifest.csv").write_text(f"{manifest}{ADDED},{date}\n", encoding="utf-8")


def remove_article(corpus: Path, manifest: str) -> None:
    """Undo :func:`add_article`: the *manifest* as it was before, the file gone."""
    (corpus / ADDED).unlink()
    (corpus / "manifest.csv").write_text(manifest, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("polnear", type=Path, nargs="?", default=POLNEAR)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not (args.polnear / "train" / "text").is_dir():
        print(f"error: {args.polnear}/train/text not found; pass POLNEAR_DIR", file=sys.stderr)
        return 2
    print(
        "| corpus | docs | words | run | jobs | wall s | CPU s | words/s | peak MB, all processes |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            words = build_corpus(args.polnear, corpus, copies)
            n_docs = len(list(corpus.glob("*.txt")))
            label = f"PolNeAR train ×{copies}"
            full = {}
            for jobs in args.jobs:
                m = run_report(corpus, Path(tmp) / f"out-{jobs}", jobs, "--no-cache")
                sampled = run_report(
                    corpus, Path(tmp) / f"out-{jobs}", jobs, "--no-cache", sample=True
                )
                m["peak_mb"] = sampled["peak_mb"]
                full[jobs] = m
                speedup = full[args.jobs[0]]["seconds"] / m["seconds"]
                print(
                    f"| {label} | {n_docs} | {words:,} | full, no cache | {jobs} | "
                    f"{m['seconds']:.1f} | {m['cpu']:.1f} | {words / m['seconds']:,.0f} "
                    f"(×{speedup:.2f}) | {m['peak_mb']:,.0f} |",
                    flush=True,
                )
            jobs = max(args.jobs)
            out = Path(tmp) / "out-warm"
            run_report(corpus, out, jobs)
            manifest = (corpus / "manifest.csv").read_text(encoding="utf-8")
            for run in ("nothing changed", "one article added"):
                if run == "one article added":
                    add_article(corpus, manifest, "Added for the incremental benchmark.")
                m = run_report(corpus, out, jobs)
                if run == "one article added":  # back to the state before, then again
                    remove_article(corpus, manifest)
                    run_report(corpus, out, jobs)
                    add_article(corpus, manifest, "Added again, to measure its memory.")
                m["peak_mb"] = run_report(corpus, out, jobs, sample=True)["peak_mb"]
                share = m["seconds"] / full[jobs]["seconds"]
                print(
                    f"| {label} | {n_docs} | {words:,} | {run}, warm cache "
                    f"({share:.1%} of the full run) | {jobs} | {m['seconds']:.1f} | "
                    f"{m['cpu']:.1f} | – | {m['peak_mb']:,.0f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
