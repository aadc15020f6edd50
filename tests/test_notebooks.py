"""Every notebook runs headless from top to bottom, holds no logic and is stored without outputs."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_ends_with_what_it_shows_and_uses_the_project_kernel(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[-2].cell_type == "markdown"
    assert nb.cells[-2].source.startswith("## What this shows")
    # the kernel `make lab` installs
    makefile = (Path(__file__).parents[1] / "Makefile").read_text(encoding="utf-8")
    kernel = nb.metadata.kernelspec.name
    assert f"--name {kernel} " in makefile


def test_there_are_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, len(NOTEBOOKS) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_without_logic(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), (
                f"{path.name}: define functions in the analysis package, not in a notebook"
            )
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] == "analysis", f"{path.name} imports {module}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CORPUS", str(FIXTURE_CORPUS))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=dict(os.environ))
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert errors == []
    # no warning of any kind (a missing progress-bar widget, a deprecation...) reaches the reader
    stderr = [
        out.text
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stderr"
    ]
    assert stderr == []
    last = nb.cells[-1]
    assert last.cell_type == "code" and "what_this_shows" in last.source
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    assert re.search(r"\d", printed), f"{path.name} ends without stating its numbers"
    for cell in nb.cells:
        if cell.cell_type == "code" and ".figure(" in cell.source:
            kinds = [set(out.get("data", {})) for out in cell.outputs]
            assert sum("image/png" in k for k in kinds) == 1, (
                f"{cell.source!r} shows no figure or two"
            )
        elif cell.cell_type == "code" and "tables[" in cell.source:
            assert cell.outputs, f"no table shown by {cell.source!r}"
