"""Run independent, argument-free tasks in forked worker processes while the caller goes on.

The report's figures and its resampled corpus tables (bootstrap intervals, permutation
tests) each depend on tables already in memory and on nothing computed beside them. Forked workers
inherit those tables without copying them through a pipe; only each task's result
comes back, pickled. :func:`forked` starts every task and yields a function that waits
for the results, so the caller can do other work meanwhile; once it asks for them, the
caller runs itself the tasks no worker has started, from the last one back, so a
caller that finished its own work early shares the rest. Callers therefore start one
worker fewer than their jobs: on two cores, one worker and the caller, rather than two
workers each holding its own copy of what it touches beside a caller that mostly waits.

With no worker, or off Linux (no ``fork``), the tasks run in turn in the calling process
when the results are asked for. A task's result must not depend on the process that
ran it; every caller here computes pure, seeded functions of their inputs.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
#: The tasks of the current :func:`forked` block, inherited by its forked workers.
_TASKS: dict[str, Callable[[], object]] = {}


def _run(name: str) -> object:
    return _TASKS[name]()


@contextmanager
def forked(
    tasks: dict[str, Callable[[], T]], *, workers: int
) -> Iterator[Callable[[], dict[str, T]]]:
    """Start ``task()`` for every task of *tasks*; yield a function that waits for them.

    The yielded function returns ``{name: task()}`` in the order of *tasks*. At most
    *workers* forked processes run at once; they take the tasks in the order given
    (put the longest first), while the yielded function runs, one at a time, the last
    tasks that no worker has started. With 0 workers it runs them all. An exception
    raised by a task is raised again by the yielded function.
    """
    global _TASKS
    workers = min(workers, len(tasks))
    if workers < 1 or sys.platform != "linux":
        yield lambda: {name: task() for name, task in tasks.items()}
        return
    _TASKS = tasks
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    # the workers are forked at the first submits; objects frozen before are never
    # visited by their garbage collector, which would copy every page it touches
    try:
        gc.freeze()
        try:
            futures = {name: pool.submit(_run, name) for name in tasks}
        finally:
            gc.unfreeze()
        yield lambda: _gather(tasks, futures)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _TASKS = {}


def _gather(tasks: dict[str, Callable[[], T]], futures: dict[str, Future]) -> dict[str, T]:
    """Every task's result: the last ones no worker has started are run here, one by one."""
    here = {}
    for name in reversed(list(futures)):  # a future cancels only while no worker holds it
        if futures[name].cancel():
            here[name] = tasks[name]()
    return {name: here[name] if name in here else futures[name].result() for name in tasks}
