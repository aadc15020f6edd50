"""Command line: ``python -m analysis COMMAND`` (or the ``anchorage-discourse`` script).

User errors (bad input files, a bad lexicon, a missing folder) are printed as
one ``error:`` line per problem, naming the file, with exit status 2 and no
traceback. Previous outputs are left untouched.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import __version__, config
from analysis.errors import InputError, InputErrors, OptionError
from analysis.run import collector

if TYPE_CHECKING:
    from analysis.stats.comparison import Comparison


def _comparison(args: argparse.Namespace) -> Comparison:
    """The comparison asked for; one other than the default must find both its groups."""
    from analysis.stats.comparison import Comparison

    by, a, b = args.compare_by, args.group_a, args.group_b or None
    default = Comparison()
    return Comparison(by, a, b, required=(by, a, b) != (default.by, default.a, default.b))


def _report(args: argparse.Namespace) -> int:
    from analysis.run import stamp

    if args.scheduler and args.engine != "dask":
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    if args.engine == "dask" and importlib.util.find_spec("distributed") is None:
        print(
            "error: --engine dask needs dask.distributed: pip install 'anchorage-discourse[dask]'",
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    options = stamp.report_options(args.compare_by, args.group_a, args.group_b or None)
    out = config.out_dir(args.out)
    key = None if args.no_cache else stamp.report_key(args.corpus, args.lexicon, options)
    if key is not None and stamp.is_current(out, key):
        print(f"nothing changed since the last run; the outputs in {out}/ are up to date")
        print(f"  {'total':<22} {time.perf_counter() - start:6.2f} s")
        return 0
    from analysis.run.report import run_report

    written, timings, ws = run_report(
        args.corpus,
        args.out,
        args.lexicon,
        jobs=args.jobs,
        use_cache=not args.no_cache,
        progress=True,
        comparison=_comparison(args),
        echo=lambda m: print(m, file=sys.stderr),
        engine=args.engine,
        scheduler=args.scheduler,
        stamp_key=key,
    )
    run = ws.run
    print(
        f"analysed {run.n_computed} documents, {run.n_cached} from the cache "
        f"({len(ws.corpus.documents)} in all, {run.n_words:,} word tokens)"
    )
    folders: dict[str, int] = {}
    for p in written:
        folders[str(p.parent)] = folders.get(str(p.parent), 0) + 1
    for folder, n in sorted(folders.items()):
        print(f"wrote {n} files to {folder}/")
    for stage, seconds in timings.stages.items():
        print(f"  {stage:<22} {seconds:6.2f} s")
    print(f"  {'total':<22} {time.perf_counter() - start:6.2f} s")
    return 0


def _import(args: argparse.Namespace) -> int:
    from analysis.corpus.importer import format_report, import_source

    if not args.source.exists():
        raise InputError(args.source, "does not exist; pass a folder of .txt files or a CSV/JSONL")
    report = import_source(args.source, args.corpus, dry_run=args.dry_run)
    print(format_report(report))
    return 2 if report.errors else 0


def _validate_sentiment(args: argparse.Namespace) -> int:
    from analysis.evaluation import vader_validation

    table = vader_validation.run(args.data)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0 if table["within_tolerance"].all() else 1


def _quotes(args: argparse.Namespace) -> int:
    from analysis.report.outputs import write_csv
    from analysis.run.quotes import quotes_table

    table, warnings = quotes_table(args.paths)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    write_csv(table, args.out)
    print(f"wrote {len(table)} utterances from {table['doc_id'].nunique()} files to {args.out}")
    return 0


def _train_tone(args: argparse.Namespace) -> int:
    from analysis.evaluation.tone import sha256_file, train_tone

    files, seconds = train_tone(args.data, args.out)
    for path in files:
        size = path.stat().st_size / 1e6
        print(f"wrote {path} ({size:.2f} MB, sha256 {sha256_file(path)})")
    print(f"fitted in {seconds:.1f} s")
    return 0


def _target_tone(args: argparse.Namespace) -> int:
    from analysis.evaluation.tone import predict_file
    from analysis.report.outputs import write_csv
    from analysis.stance.tone_store import load

    table = predict_file(args.file, load(args.model))
    write_csv(table, args.out)
    print(f"wrote {len(table)} targets of {table['line'].nunique()} sentences to {args.out}")
    return 0


def _evaluate_tone(args: argparse.Namespace) -> int:
    from analysis.evaluation.tone import SPLITS, evaluate_tone
    from analysis.stance.tone_store import load

    table = evaluate_tone(args.data, tuple(args.split or SPLITS), load(args.model))
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


def _command(sub, name: str, description: str) -> argparse.ArgumentParser:
    """A sub-command whose one-line description shows in both the command list and its help."""
    return sub.add_parser(
        name, help=description, description=description[0].upper() + description[1:] + "."
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Discourse and stance analysis of news articles: framing terms, "
        "speakers and pre/post comparisons.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = _command(
        sub,
        "report",
        "regenerate every table (results/), figure (figures/) and the report page "
        "figures/report.html",
    )
    report.add_argument(
        "--corpus",
        default=None,
        metavar="DIR",
        help="corpus folder, or an fsspec URL such as s3://bucket/news (default: seeds/)",
    )
    report.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="output root for results/ and figures/ (default: ., the repository root)",
    )
    report.add_argument(
        "--lexicon",
        type=Path,
        default=None,
        metavar="FILE",
        help="framing lexicon CSV (default: analysis/data/framing_lexicon.csv)",
    )
    report.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes for per-document analysis (default: all cores)",
    )
    report.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where documents are analysed: local processes (default) or a Dask cluster",
    )
    report.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask; "
        "default: start a local cluster of --jobs workers)",
    )
    report.add_argument(
        "--no-cache", action="store_true", help="analyse every document again, ignoring the cache"
    )
    report.add_argument(
        "--compare-by",
        default="phase",
        metavar="COLUMN",
        help="document column splitting the two compared groups (default: phase; "
        "also outlet, doc_id or any manifest column)",
    )
    report.add_argument(
        "--group-a", default="post", metavar="A", help="target group (default: post)"
    )
    report.add_argument(
        "--group-b",
        default="pre",
        metavar="B",
        help="reference group (default: pre; empty string: every other document)",
    )
    report.set_defaults(func=_report)

    imp = _command(
        sub,
        "import",
        "add articles to a corpus from a folder of .txt files or a CSV/JSON Lines export",
    )
    imp.add_argument("source", type=Path, help="folder of .txt files, or a .csv/.tsv/.jsonl file")
    imp.add_argument(
        "--corpus",
        type=Path,
        default=config.SEEDS_DIR,
        metavar="DIR",
        help="corpus folder (default: seeds/)",
    )
    imp.add_argument("--dry-run", action="store_true", help="report what would be written")
    imp.set_defaults(func=_import)

    quotes = _command(
        sub, "quotes", "who said what in any .txt files or folders (no corpus setup needed)"
    )
    quotes.add_argument("paths", nargs="+", type=Path, help=".txt files or folders of them")
    quotes.add_argument(
        "--out", type=Path, required=True, metavar="FILE.csv", help="CSV file to write"
    )
    quotes.set_defaults(func=_quotes)

    sub.add_parser(
        "evaluate-attribution",
        help="score attribution against PolNeAR gold data (see evaluate-attribution --help)",
        add_help=False,
    )

    vs = _command(
        sub,
        "validate-sentiment",
        "reproduce the VADER paper's Table 4 correlations on its human-rated data",
    )
    vs.add_argument(
        "--data",
        type=Path,
        default=config.REPO_ROOT.parent / "shared" / "data" / "vader_gold",
        metavar="DIR",
        help="folder of the VADER gold files (default: ../shared/data/vader_gold)",
    )
    vs.set_defaults(func=_validate_sentiment)

    newsmtsc = config.REPO_ROOT.parent / "shared" / "data" / "newsmtsc"
    tt = _command(sub, "train-tone", "train the tone-toward-target model on NewsMTSC (train.jsonl)")
    tt.add_argument(
        "--data",
        type=Path,
        default=newsmtsc,
        metavar="DIR",
        help="NewsMTSC folder holding train.jsonl (default: ../shared/data/newsmtsc)",
    )
    tt.add_argument(
        "--out",
        type=Path,
        default=Path("tone_model"),
        metavar="DIR",
        help="folder for the model files (default: tone_model/; the shipped model is "
        "analysis/data/)",
    )
    tt.set_defaults(func=_train_tone)

    tg = _command(sub, "target-tone", "tone toward each target of a NewsMTSC-format .jsonl file")
    tg.add_argument("file", type=Path, help="NewsMTSC-format .jsonl file")
    tg.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="CSV file to write")
    tg.add_argument(
        "--model",
        type=Path,
        default=None,
        metavar="DIR",
        help="model folder (default: the shipped model)",
    )
    tg.set_defaults(func=_target_tone)

    et = _command(sub, "evaluate-tone", "score the tone model on NewsMTSC dev splits beside VADER")
    et.add_argument(
        "--split",
        action="append",
        choices=["dev_rw", "dev_mt"],
        help="split to score, repeatable (default: dev_rw and dev_mt)",
    )
    et.add_argument(
        "--data",
        type=Path,
        default=newsmtsc,
        metavar="DIR",
        help="NewsMTSC folder (default: ../shared/data/newsmtsc)",
    )
    et.add_argument(
        "--model",
        type=Path,
        default=None,
        metavar="DIR",
        help="model folder (default: the shipped model)",
    )
    et.set_defaults(func=_evaluate_tone)
    return parser


def tune_process() -> None:
    """The process settings of a command-line run: garbage collected less often
    (:mod:`analysis.run.collector`), and Arrow's memory from the C library's allocator.

    Benchmarks that call the library in their own process apply them too, to time what
    a user's ``python -m analysis`` run does. glibc's malloc keeps its dynamic mmap
    threshold: fixing it at 4 MiB, as stops 18 to 21 did, made every large temporary a
    fresh mapping to fault in, which on ten copies of PolNeAR cost 11-22 s of a
    2-job run for 70-120 MB of peak memory (docs/benchmark-history.md).

    pyarrow allocates through mimalloc unless ``ARROW_DEFAULT_MEMORY_POOL`` says
    otherwise; mimalloc keeps the memory of the thousands of small text columns
    received from the analysis workers, and a forked worker then copies its pages.
    With the system allocator, ten copies of PolNeAR train with 2 jobs peaked at
    2,064-2,167 MiB in four runs, against 2,200-2,220 MiB with mimalloc, at the same
    speed (docs/benchmark-history.md, stop 25). The variable is only set when unset, before pyarrow
    allocates anything, so a user's own choice stands.

    numpy asks the kernel for transparent huge pages for every array of 4 MiB or more
    (``NUMPY_MADVISE_HUGEPAGE``, read when numpy is imported, which has not happened
    yet here). Where the kernel then compacts memory on the spot to find them (THP
    ``defrag`` set to ``madvise``, as on this project's machines), a large fresh array
    can take a second to allocate: gathering the term table of ten copies of PolNeAR
    train after one added article took 2.1-2.9 s with huge pages and 0.33-0.35 s
    without, and the whole re-run 25.4-27.8 s against 23.5-24.8 s (two interleaved
    pairs). So a command-line run asks for ordinary pages, unless the user says otherwise.
    """
    collector.collect_less_often()
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["evaluate-attribution"]:
        from analysis.evaluation import attribution_eval

        return attribution_eval.main(argv[1:])
    args = build_parser().parse_args(argv)
    tune_process()
    try:
        return args.func(args)
    except InputErrors as exc:
        for err in exc.errors:
            print(f"error: {err}", file=sys.stderr)
    except (InputError, OptionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    if args.command in ("report", "import", "quotes", "train-tone", "target-tone"):
        print("nothing was written; previous outputs are unchanged", file=sys.stderr)
    return 2
