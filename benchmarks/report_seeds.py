"""Wall time of the report command on a corpus, interpreter start included.

Two numbers: the full run (``--no-cache``, every article analysed and every
figure drawn), and the re-run when nothing has changed (the default, cached).

    python benchmarks/report_seeds.py                    # the seeds
    python benchmarks/report_seeds.py --corpus DIR       # any corpus folder
    python benchmarks/report_seeds.py --polnear-proxy    # two PolNeAR articles of seed length

Each run is a fresh ``python -m analysis report`` process writing to a
temporary folder; the first run warms the file cache and byte-code and is not
counted. ``--polnear-proxy`` stands in for the seeds where their text is
absent: it copies two PolNeAR train articles of about the seeds' length
(1,300-1,500 words) into a temporary corpus with a manifest dating one before
and one after the event. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"
CORPUS_TOML = '[event]\nname = "Alaska talks"\nstart = 2021-03-18\nend = 2021-03-19\n'


def polnear_proxy(polnear: Path, dest: Path) -> Path:
    """Build a two-article corpus from PolNeAR train texts of seed length in *dest*."""
    texts = sorted((polnear / "train" / "text").glob("*.txt"))
    if not texts:
        sys.exit(f"error: {polnear}/train/text holds no .txt file; pass --polnear DIR")
    chosen = [p for p in texts if 1300 <= len(p.read_text(encoding="utf-8").split()) <= 1500][:2]
    dest.mkdir()
    rows = ["file,date,title"]
    for path, date in zip(chosen, ["2021-03-11", "2021-03-20"], strict=False):
        (dest / path.name).write_bytes(path.read_bytes())
        rows.append(f"{path.name},{date},")
    (dest / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (dest / "corpus.toml").write_text(CORPUS_TOML, encoding="utf-8")
    return dest


def time_report(corpus: Path, repeat: int, *extra: str) -> tuple[list[float], list[float]]:
    """Wall and CPU times (with children) of *repeat* report runs after one warm-up run.

    Byte-code is written even where ``PYTHONDONTWRITEBYTECODE`` is set, as on a
    user's machine: the warm-up run compiles, the timed runs read it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as out:
        for i in range(repeat + 1):
            before = os.times()
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "analysis", "report", "--corpus", str(corpus)]
                + ["--out", out, *extra],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=REPO,  # ``-m analysis`` runs this checkout's code, as ``make report`` does
            )
            after = os.times()
            if i:
                walls.append(time.perf_counter() - start)
                cpus.append(
                    after.children_user
                    - before.children_user
                    + after.children_system
                    - before.children_system
                )
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds")
    parser.add_argument("--polnear-proxy", action="store_true")
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default=None, help="pass --jobs N to the report")
    args = parser.parse_args()
    jobs = ("--jobs", args.jobs) if args.jobs else ()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = (
            polnear_proxy(args.polnear, Path(tmp) / "corpus") if args.polnear_proxy else args.corpus
        )
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.glob("*.txt"))
        runs = {
            "full run (--no-cache)": time_report(corpus, args.repeat, "--no-cache", *jobs),
            "unchanged re-run": time_report(corpus, args.repeat, *jobs),
        }
    print(f"corpus: {'PolNeAR proxy' if args.polnear_proxy else corpus} ({words:,} words)")
    for name, (walls, cpus) in runs.items():
        print(
            f"{name}: wall time over {args.repeat} warm runs: median "
            f"{statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
            f"CPU median {statistics.median(cpus):.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
