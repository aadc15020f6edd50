"""Every benchmark script still runs: its imports resolve and it prints its usage.

Benchmarks need ../shared/data to measure anything, so the suite cannot run them; a
module moved or renamed in the package would otherwise break them unnoticed. The stage
timer, which calls the package's functions one by one, also runs on four made-up
articles laid out as PolNeAR is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(p for p in BENCHMARKS.glob("*.py") if p.name != "timing.py")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_prints_its_usage(script):
    out = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage:")


ARTICLE = """{title}

The senator said on {day} that the talks with China were "a sincere start". Officials
from the United States told reporters the bossy tone of the meeting was the new normal.
"We will keep talking," Wang Yi said. Critics argued the plan would fail, according to
analysts in Washington, who said the sides remained far apart on trade and security.
"""


def _run_on_made_up_polnear(tmp_path, script: str, *options: str, articles: int):
    """Run a benchmark on *articles* made-up articles laid out as PolNeAR is."""
    text = tmp_path / "polnear" / "train" / "text"
    text.mkdir(parents=True)
    for i, day in enumerate(["2016-02-10", "2016-02-20", "2016-03-10", "2016-03-20"][:articles]):
        body = ARTICLE.format(title=f"Talks resume, part {i}", day=day)
        (text / f"outlet_{day}_talks-{i}.txt").write_text(body, encoding="utf-8")
    args = [sys.executable, str(BENCHMARKS / script), "--polnear", str(tmp_path / "polnear")]
    return subprocess.run([*args, *options], capture_output=True, text=True, timeout=300)


def test_stages_benchmark_runs_on_a_small_polnear_layout(tmp_path):
    """The stage timer calls the package's functions directly, so it runs here end to end
    on four made-up articles laid out as PolNeAR is (its help alone missed a changed
    signature)."""
    out = _run_on_made_up_polnear(tmp_path, "stages_polnear.py", "--repeat", "1", articles=4)
    assert out.returncode == 0, out.stderr
    assert "PolNeAR train: 4 articles" in out.stdout
    assert "| corpus: comparison (keyness, shifts) |" in out.stdout


def test_instruction_counter_runs_on_made_up_articles(tmp_path):
    """The instruction counter's workload also calls the package directly."""
    out = _run_on_made_up_polnear(
        tmp_path, "instructions_polnear.py", "--articles", "5", articles=3
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2 PolNeAR train articles analysed and gathered")
