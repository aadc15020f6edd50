"""Run Python's cyclic garbage collector less often during a command-line run.

CPython starts a collection of the youngest generation after every 700 net
allocations of container objects, and a full collection every hundred of those
once enough long-lived objects are pending. A report allocates millions of short-lived
containers (per-article rows, dictionaries, tuples) while it holds a large live heap,
so most collections find nothing to free and the full ones walk every object it
holds: on PolNeAR train (839 articles, one job, no cache) 1,860 collections took
1.5 of 37 CPU seconds.

:func:`collect_less_often` raises the first threshold to :data:`THRESHOLD_0`: the
same run makes about a hundred collections, taking 0.5 s. As ``python -m analysis
report --jobs 1 --no-cache`` on the same corpus, five alternated pairs of runs took
median 43.6 CPU s before and 40.5 s after. Nothing the report writes depends on when
garbage is collected; cyclic garbage waits a little longer before it is freed (the
peak of a three-copy run was 936 MB before and after; docs/benchmark-history.md). The
command line sets it (:func:`analysis.cli.tune_process`); the library leaves the
interpreter's settings to whoever imports it.

:func:`freeze_before_exit` is for the end of ``python -m analysis``: as the interpreter
shuts down it collects garbage several times over every object still alive, which
took 0.3 s after the seeds' report (a tenth of its run); frozen objects are not
visited. The process is ending, so nothing it holds needs collecting.
"""

from __future__ import annotations

import gc

#: Net container allocations between collections of the youngest generation.
THRESHOLD_0 = 10_000


def collect_less_often() -> None:
    """Raise the collector's first threshold to at least :data:`THRESHOLD_0`; keep the others."""
    first, older, oldest = gc.get_threshold()
    if first:  # 0: collection switched off, which stays so
        gc.set_threshold(max(THRESHOLD_0, first), older, oldest)


def freeze_before_exit() -> None:
    """Move every live object out of the collector's reach, just before the process exits."""
    gc.freeze()
