"""The command line: each bad input gives one clear error, exit 2, and loses nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A report written from the good fixture corpus, and its bytes."""
    out = tmp_path_factory.mktemp("out")
    assert main(["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(out)]) == 0
    return out, snapshot(out)


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


PLAIN = "A third article\n\nThe talks went on, observers said.\n"
BAD_CORPORA = {
    "empty file": ("extra.txt", "", "extra.txt", "empty"),
    "whitespace only": ("extra.txt", " \n\t\n", "extra.txt", "empty"),
    "binary file": ("extra.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "extra.txt", "binary"),
    "no date": ("extra.txt", PLAIN, "extra.txt", "has no date"),
    "duplicate text": (
        "copy_of_pre.txt",
        (FIXTURE_CORPUS / "pre_talks.txt").read_text(encoding="utf-8"),
        "pre_talks.txt",
        "same text as copy_of_pre.txt",
    ),
    "not a .txt file": ("notes.docx", b"PK\x03\x04", "notes.docx", "not a .txt article"),
    "manifest names a missing file": (
        "manifest.csv",
        "file,date\nmissing.txt,2021-03-20\n",
        "manifest.csv",
        "missing.txt",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CORPORA))
def test_bad_corpus_file(case, corpus_dir, previous_outputs, capsys):
    name, content, named, problem = BAD_CORPORA[case]
    _write(corpus_dir / name, content)
    out, before = previous_outputs
    status = main(["report", "--corpus", str(corpus_dir), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, err
    assert named in lines[0] and problem in lines[0], err
    assert "previous outputs are unchanged" in err
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # both fixture articles are Global Times pages, so there is no other outlet
        (
            ["--compare-by", "outlet", "--group-a", "Global Times", "--group-b", ""],
            "no documents for outlet = not Global Times; "
            "outlet values found: 'Global Times' (2 documents)",
        ),
        (
            ["--compare-by", "outlet", "--group-a", "Reuters", "--group-b", "AP"],
            "no documents for outlet = Reuters or outlet = AP; "
            "outlet values found: 'Global Times' (2 documents)",
        ),
        (["--group-a", "during"], "no documents for phase = during; phase values found: "),
        (["--compare-by", "desk", "--group-a", "x"], "there is no document column 'desk'"),
    ],
)
def test_a_chosen_comparison_with_an_empty_group_is_an_error(
    options, message, previous_outputs, capsys
):
    out, before = previous_outputs
    status = main(["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(out), *options])
    err = capsys.readouterr().err
    assert status == 2
    assert f"error: --compare-by: {message}" in err
    assert "previous outputs are unchanged" in err
    assert snapshot(out) == before


def test_every_problem_is_reported_at_once(corpus_dir, previous_outputs, capsys):
    _write(corpus_dir / "a.txt", "")
    _write(corpus_dir / "b.txt", PLAIN)
    _write(corpus_dir / "c.pdf", b"%PDF-1.4")
    out, before = previous_outputs
    assert main(["report", "--corpus", str(corpus_dir), "--out", str(out)]) == 2
    errors = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
    assert {Path(e.split()[1].rstrip(":")).name for e in errors} == {"a.txt", "b.txt", "c.pdf"}
    assert snapshot(out) == before


def test_cp1252_file_is_read_with_a_warning(corpus_dir, tmp_path, capsys):
    text = (
        "Third talks piece\nPublished: Mar 21, 2021 09:00 AM\n\n\u201cFair\u201d talks, Li said.\n"
    )
    _write(corpus_dir / "third.txt", text.encode("cp1252"))
    out = tmp_path / "out"
    assert main(["report", "--corpus", str(corpus_dir), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "third.txt" in err and "cp1252" in err
    assert "third" in (out / "results" / "documents.csv").read_text(encoding="utf-8")


def test_unreadable_lexicon_row(tmp_path, previous_outputs, capsys):
    lexicon = tmp_path / "my_lexicon.csv"
    lexicon.write_text("frame,term,note\nhegemony,bossy,\nhegemony,bo$$y,\n", encoding="utf-8")
    out, before = previous_outputs
    status = main(
        ["report", "--corpus", str(FIXTURE_CORPUS), "--out", str(out), "--lexicon", str(lexicon)]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "my_lexicon.csv" in err and "row 3" in err
    assert snapshot(out) == before


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_missing_or_empty_corpus_folder(folder, tmp_path, previous_outputs, capsys):
    path = tmp_path / folder
    if folder == "empty":
        path.mkdir()
    out, before = previous_outputs
    assert main(["report", "--corpus", str(path), "--out", str(out)]) == 2
    assert str(path) in capsys.readouterr().err
    assert snapshot(out) == before


def test_user_error_prints_no_traceback_in_a_real_process(corpus_dir, tmp_path):
    _write(corpus_dir / "extra.txt", "")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "report",
            "--corpus",
            str(corpus_dir),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "extra.txt" in proc.stderr
    assert not (tmp_path / "results").exists()


def test_help_and_console_script():
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True
    )
    assert "report" in proc.stdout
    script = Path(sys.executable).with_name("anchorage-discourse")
    assert shutil.which(str(script)), "the console script is installed beside the interpreter"


COMMANDS = ["report", "import", "quotes", "evaluate-attribution", "validate-sentiment"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_describes_itself_with_relative_defaults(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    usage, _, rest = text.partition("\n\n")
    assert usage.startswith(f"usage: python -m analysis {command} ")
    description = rest.split("\n\n")[0]
    assert description and not description.startswith(("options:", "positional")), text
    assert str(config.REPO_ROOT) not in text and str(config.REPO_ROOT.parent) not in text
    # every option has help text: each option line, less its flags and metavar, says more
    lines = text[text.index("options:") :].splitlines()[1:]
    for i, line in enumerate(lines):
        if re.match(r"^  -", line):
            flags_cut = re.sub(r"^  (-\S+(?: [A-Z.{}\w,]+)?(?:, )?)+", "", line).strip()
            following = lines[i + 1] if i + 1 < len(lines) else ""
            assert flags_cut or re.match(r"^ {10,}\S", following), f"{line!r} has no help"


def test_report_help_names_the_report_page(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "report.html" in capsys.readouterr().out


def test_third_article_is_included_with_no_other_change(corpus_dir, tmp_path):
    third = (
        "CHINA / DIPLOMACY\nThird piece on the talks\nPublished: Mar 22, 2021 08:00 AM\n\n"
        "Experts said the bossy tone will fade.\n"
    )
    _write(corpus_dir / "third.txt", third)
    assert main(["report", "--corpus", str(corpus_dir), "--out", str(tmp_path)]) == 0
    terms = (tmp_path / "results" / "framing_terms.csv").read_text(encoding="utf-8")
    assert "third,post,hegemony,bossy,1," in terms


def test_import_then_report_includes_the_new_article(corpus_dir, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text(
        "headline,body,published,source\n"
        '"Talks end","Observers said the bossy tone would fade.",2021-03-22,Global Times\n'
        '"Empty row","",2021-03-23,Global Times\n',
        encoding="utf-8",
    )
    assert main(["import", str(export), "--corpus", str(corpus_dir)]) == 2
    out = capsys.readouterr().out
    assert "wrote 1 new article" in out and "row 3" in out
    assert main(["import", str(export), "--corpus", str(corpus_dir)]) == 2
    assert "wrote 0 new article" in capsys.readouterr().out
    assert main(["report", "--corpus", str(corpus_dir), "--out", str(tmp_path / "out")]) == 0
    docs = (tmp_path / "out" / "results" / "documents.csv").read_text(encoding="utf-8")
    assert "global-times-2021-03-22-" in docs


def test_import_of_a_missing_source(corpus_dir, tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--corpus", str(corpus_dir)]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_validate_sentiment_names_a_missing_folder(tmp_path, capsys):
    assert main(["validate-sentiment", "--data", str(tmp_path / "gone")]) == 2
    assert "gone" in capsys.readouterr().err


def test_evaluate_attribution_gold_stats_on_the_mini_fixture(capsys):
    mini = Path(__file__).parent / "fixtures" / "polnear_mini"
    assert main(["evaluate-attribution", "--polnear", str(mini), "--gold-stats"]) == 0
    assert "n_relations" in capsys.readouterr().out


def _tuned_setting(variable: str, user_value: str, shows: str) -> list[str]:
    """What *shows* prints after tune_process in a fresh interpreter, as python -m analysis
    runs: with *variable* unset, then with the user's *user_value*."""
    code = f"from analysis.cli import tune_process; tune_process()\n{shows}"
    env = {k: v for k, v in os.environ.items() if k != variable}
    chosen = []
    for value in (None, user_value):
        run_env = env if value is None else {**env, variable: value}
        done = subprocess.run(
            [sys.executable, "-c", code], env=run_env, capture_output=True, text=True, check=True
        )
        chosen.append(done.stdout.strip())
    return chosen


def test_a_command_line_run_asks_numpy_for_ordinary_pages():
    # numpy reads the setting when it is imported, which tune_process comes before
    shows = "from numpy._core import multiarray\nprint(multiarray._get_madvise_hugepage())\n"
    assert _tuned_setting("NUMPY_MADVISE_HUGEPAGE", "1", shows) == ["False", "True"]


def test_a_command_line_run_takes_arrow_memory_from_the_system_allocator():
    # the pool is chosen at Arrow's first allocation, so the setting must come before it;
    # a user's own choice stands
    shows = (
        "import pandas as pd, pyarrow as pa\n"
        "pd.Series(['a', 'b'], dtype='str')\n"
        "print(pa.default_memory_pool().backend_name)\n"
    )
    assert _tuned_setting("ARROW_DEFAULT_MEMORY_POOL", "mimalloc", shows) == [
        "system",
        "mimalloc",
    ]
