"""The package's shape stays readable: stages import only downwards, no cycles, small modules.

Imports are read with :mod:`ast`, so nothing is imported to check them; imports inside
functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
#: Stages from the bottom up: a module may import its own stage and any stage below it.
#: ``evaluation`` may use every stage; only ``cli`` (the very top) may import it.
LEVELS = {
    "config": 0,
    "types": 0,
    "errors": 0,
    "forking": 0,
    "atomic": 0,
    "__init__": 0,
    "corpus": 1,
    "text": 2,
    "attribution": 3,
    "stance": 4,
    "stats": 5,
    "report": 6,
    "run": 7,
    "evaluation": 8,
    "cli": 9,
    "__main__": 9,
}
MAX_LINES = 500
MAX_TOP_LEVEL_FILES = 8


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules *name* imports (``from analysis.x import y`` counts
    ``analysis.x.y`` when that is a module, else ``analysis.x``)."""
    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            subs = [f"{module}.{a.name}" for a in node.names]
            targets = [t for t in subs if t in known] or [module]
        else:
            continue
        for target in targets:
            if target.startswith("analysis"):
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                # a module's own package is imported first by Python, not by the module
                if target in known and target != name and not name.startswith(target + "."):
                    out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_module_imports_a_later_stage():
    wrong = [
        f"{m} -> {t}"
        for m, targets in _graph().items()
        for t in targets
        if _stage(m) != "__init__" and LEVELS[_stage(t)] > LEVELS[_stage(m)]
    ]
    assert not wrong, "imports that run back up the data flow:\n" + "\n".join(wrong)


def test_only_the_command_line_imports_evaluation():
    wrong = [
        f"{m} -> {t}"
        for m, targets in _graph().items()
        for t in targets
        if _stage(t) == "evaluation" and _stage(m) not in ("evaluation", "cli")
    ]
    assert not wrong


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_every_stage_is_known():
    assert {_stage(m) for m in _modules()} <= set(LEVELS)


def test_top_level_stays_small():
    files = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(files) <= MAX_TOP_LEVEL_FILES, files


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: _module_name(p))
def test_modules_stay_small(path):
    n = len(path.read_text("utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines"


def test_the_checker_sees_relative_and_function_level_imports(tmp_path):
    pkg = tmp_path / "analysis"
    (pkg / "run").mkdir(parents=True)
    mod = pkg / "run" / "a.py"
    mod.write_text("def f():\n    from . import b\n    from analysis.corpus import loader\n")
    known = {"analysis.run.a", "analysis.run.b", "analysis.corpus", "analysis.corpus.loader"}
    assert _imports("analysis.run.a", mod, known) == {"analysis.run.b", "analysis.corpus.loader"}
