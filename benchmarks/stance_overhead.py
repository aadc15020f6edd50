"""What stance adds to a full run: the seeds and PolNeAR's training articles, with and without.

    python benchmarks/stance_overhead.py [--polnear DIR] [--repeat 3] [--jobs 1]

Each measurement runs in a fresh process (no cache), so the tone model's loading is
counted every time, as a user's run pays it. ``--jobs 1`` (the default) keeps every
step in that one process, so its CPU seconds are the whole cost; ``--jobs 2`` is the
command line's default on a 2-core machine, where wall time is what a user waits
(CPU seconds then count the main process only):

- ``report``: the whole ``report`` command, figures and page included: the full run
  the issue's 20% target is about;
- ``analysis``: load, per-article analysis and corpus tables, no figures.

Both are measured on the seeds and on PolNeAR train (839 articles, as
``scale_polnear.py --copies 1`` builds it).

"Without stance" replaces the per-article stance rows by an empty table, so stance
tables and figures are empty and cheap; everything else runs as usual. Runs without
and with stance alternate, ``--repeat`` of each, so that a machine whose speed drifts
(a shared virtual machine) slows both alike; the median of each is kept, wall and CPU
seconds (user + system of the process). With ``--jobs 1`` the runs with stance also
time the stance functions themselves (process CPU seconds spent inside them).
PolNeAR (Newell, Margolin & Ruths, LREC 2018) is skipped when its folder is absent.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from scale_polnear import POLNEAR, build_corpus

REPO = Path(__file__).resolve().parents[1]


#: The stance functions timed in a run with stance: (module, attribute, label).
STAGES = (
    ("analysis.stance.rows", "stance_columns", "stance rows per article"),
    ("analysis.stance.tone_model", "ToneClassifier.predict_proba", "of which the tone model"),
    ("analysis.stance.rows", "mention_rows", "finding mentions"),
    ("analysis.stats.stance", "stance_by_speaker", "stance_by_speaker"),
    ("analysis.stats.stance", "stance_shifts", "stance_shifts"),
)


def _timed(spent: dict[str, float], label: str, function):
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    return timed


def _time_stages(spent: dict[str, float]) -> None:
    """Wrap each of :data:`STAGES` where the pipeline looks it up, adding to *spent*."""
    import importlib

    for module, name, label in STAGES:
        owner = importlib.import_module(module)
        *outer, attribute = name.split(".")
        for part in outer:
            owner = getattr(owner, part)
        spent[label] = 0.0
        setattr(owner, attribute, _timed(spent, label, getattr(owner, attribute)))


def _child(corpus: str, mode: str, stance: bool, out: str, jobs: int) -> None:
    """Run once in this process and print wall and CPU seconds as JSON."""
    from analysis.cli import tune_process
    from analysis.run import workspace
    from analysis.run.report import run_report
    from analysis.stance import rows

    tune_process()  # as python -m analysis does
    spent: dict[str, float] = {}
    if stance:
        _time_stages(spent)
    else:
        rows.stance_columns = lambda *args, **kwargs: {c: [] for c in rows.STANCE_MENTION_COLUMNS}
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    if mode == "report":
        run_report(corpus, out, jobs=jobs, use_cache=False, echo=lambda m: None)
    else:
        ws = workspace.build(corpus, jobs=jobs)
        assert stance == (len(ws.tables["stance"]) > 0)
    wall = time.perf_counter() - start
    end = resource.getrusage(resource.RUSAGE_SELF)
    used = (end.ru_utime - cpu.ru_utime) + (end.ru_stime - cpu.ru_stime)
    print(json.dumps({"wall": wall, "cpu": used, **spent}))


def run_once(corpus: Path, mode: str, stance: bool, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds (and stance stages) of one fresh-process run."""
    with tempfile.TemporaryDirectory() as out:
        args = ["--child", str(corpus), mode, "with" if stance else "without", out, str(jobs)]
        proc = subprocess.run(
            [sys.executable, __file__, *args], capture_output=True, text=True, check=True
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(corpus: Path, mode: str, repeat: int, jobs: int) -> tuple[dict, dict]:
    """Median seconds without and with stance, of *repeat* alternated runs of each."""
    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for _ in range(repeat):
        for stance in (False, True):
            runs[stance].append(run_once(corpus, mode, stance, jobs))
    without, with_ = ({k: median(r[k] for r in runs[s]) for k in runs[s][0]} for s in (False, True))
    return without, with_


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        corpus, mode, stance, out, jobs = sys.argv[2:7]
        _child(corpus, mode, stance == "with", out, int(jobs))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("seeds", REPO / "seeds", "report"), ("seeds", REPO / "seeds", "analysis")]
        if (args.polnear / "train" / "text").is_dir():
            folder = Path(tmp) / "polnear"
            build_corpus(args.polnear, folder, 1)
            cases += [("PolNeAR train", folder, "report"), ("PolNeAR train", folder, "analysis")]
        else:
            print(f"PolNeAR not found at {args.polnear}: measuring the seeds only")
        for name, corpus, mode in cases:
            rows.append((name, mode, *measure(corpus, mode, args.repeat, args.jobs)))
    print(f"median of {args.repeat} alternated fresh processes, --jobs {args.jobs}, no cache\n")
    print("| corpus | run | without stance, wall / CPU s | with stance, wall / CPU s | added |")
    print("| --- | --- | --- | --- | --- |")
    for name, mode, a, b in rows:
        added = f"{(b['wall'] / a['wall'] - 1):+.0%} wall, {(b['cpu'] / a['cpu'] - 1):+.0%} CPU"
        print(
            f"| {name} | {mode} | {a['wall']:.2f} / {a['cpu']:.2f} | "
            f"{b['wall']:.2f} / {b['cpu']:.2f} | {added} |"
        )
    if args.jobs > 1:  # stages run in workers too, where these timers do not reach
        return 0
    labels = [label for _, _, label in STAGES]
    print("\nCPU seconds inside the stance functions (runs with stance)\n")
    print("| corpus | run | " + " | ".join(labels) + " | all stance |")
    print("| --- | --- |" + " --- |" * (len(labels) + 1))
    for name, mode, _, b in rows:
        parts = " | ".join(f"{b[label]:.2f}" for label in labels)
        total = sum(b[label] for label in ("stance rows per article", *labels[3:]))
        print(f"| {name} | {mode} | {parts} | {total:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
