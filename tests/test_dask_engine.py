"""The Dask engine gives the local engine's bytes, and the local engine never imports Dask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.run import parallel
from analysis.run.report import run_report

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(autouse=True)
def _fixed_run_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616198400")


def outputs(root: Path) -> dict[str, bytes]:
    files = [*(root / "results").glob("*.csv"), *(root / "figures").iterdir()]
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(files)}


def test_dask_on_two_workers_gives_the_local_bytes(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    monkeypatch.setattr(parallel, "CHARS_PER_CHUNK", 1)  # one task per document
    run_report(FIXTURE_CORPUS, tmp_path / "local", jobs=1, use_cache=False, echo=lambda m: None)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        assert len(cluster.workers) == 2
        with distributed.Client(cluster) as client, distributed.get_task_stream(client) as ts:
            _, _, ws = run_report(
                FIXTURE_CORPUS,
                tmp_path / "dask",
                use_cache=False,
                echo=lambda m: None,
                engine="dask",
                scheduler=cluster.scheduler_address,
            )
    assert ws.run.n_computed == 2
    assert len(ts.data) == 2  # one task per document, run on the cluster
    local, dask = outputs(tmp_path / "local"), outputs(tmp_path / "dask")
    assert sum(name.startswith("results/") for name in local) > 20
    assert local.keys() == dask.keys()
    assert [n for n in local if local[n] != dask[n]] == []


def test_the_local_engine_never_imports_dask(tmp_path):
    code = (
        "import sys\n"
        "from analysis import cli\n"
        f"assert cli.main(['report', '--corpus', {str(FIXTURE_CORPUS)!r}, "
        f"'--out', {str(tmp_path)!r}, '--jobs', '1']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_scheduler_without_the_dask_engine_is_refused(tmp_path, capsys):
    argv = ["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(tmp_path)]
    assert cli.main([*argv, "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    assert not (tmp_path / "results").exists()


def test_an_unreachable_scheduler_is_one_error_line(tmp_path, capsys):
    dask = pytest.importorskip("dask")
    argv = ["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(tmp_path), "--jobs", "1"]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        status = cli.main(
            [*argv, "--no-cache", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]
        )
    err = capsys.readouterr().err
    assert status == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert not (tmp_path / "results").exists()
