"""Run independent, argument-free tasks in forked worker processes while the caller goes on.

The report's figures and its resampled corpus tables (bootstrap intervals, permutation
tests) each depend on tables already in memory and on nothing computed beside them.
Forked workers inherit those tables without copying them through a pipe; only each
task's result comes back, pickled. :func:`forked` starts every task and yields a
function that waits for the results, so the caller can do other work meanwhile; once it
asks for them, the caller runs itself the tasks no worker has taken, from the last one
back, so a caller that finished its own work early shares the rest. A worker is handed
its next task only once its last is done, so no task waits in a queue the caller cannot
reach. Callers therefore start one worker fewer than their jobs: on two cores, one
worker and the caller, rather than two workers each holding its own copy of what it
touches beside a caller that mostly waits.

With no worker, or off Linux (no ``fork``), the tasks run in turn in the calling process
when the results are asked for. A task's result must not depend on the process that
ran it; every caller here computes pure, seeded functions of their inputs.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import sys
import threading
from collections import deque
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
    (put the longest first), one at a time, while the yielded function runs here, one
    at a time from the last, the tasks no worker has taken. With 0 workers it runs them
    all. An exception raised by a task is raised again by the yielded function.
    """
    global _TASKS
    workers = min(workers, len(tasks))
    if workers < 1 or sys.platform != "linux":
        yield lambda: {name: task() for name, task in tasks.items()}
        return
    _TASKS = tasks
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    queue = _Queue(pool, tasks)
    # the workers are forked at the first submits; objects frozen before are never
    # visited by their garbage collector, which would copy every page it touches
    try:
        release_free_heap()
        gc.freeze()
        try:
            for _ in range(workers):
                queue.hand_out()
        finally:
            gc.unfreeze()
        yield queue.gather
    except BaseException:
        queue.close()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _TASKS = {}


def release_free_heap() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Memory the process has freed but malloc keeps is shared with a worker forked now,
    and whichever process allocates there first makes the kernel copy the page. Ten
    copies of PolNeAR train, 2 jobs, with Arrow on the system allocator
    (:func:`analysis.cli.tune_process`): peak 2,013 MiB with this call before each fork,
    2,064-2,167 MiB without (docs/benchmark-history.md, stop 25). With Arrow on
    mimalloc, whose memory this does not reach, it made no difference (stops 22 and 23).
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


class _Queue:
    """Tasks not yet started: workers take them from the front, the caller from the back.

    A worker is handed its next task only when its last one is done, so no task waits
    in the pool's own queue, where the caller could no longer take it.
    """

    def __init__(self, pool: ProcessPoolExecutor, tasks: dict[str, Callable[[], T]]) -> None:
        self.pool, self.tasks = pool, tasks
        self.waiting = deque(tasks)
        self.lock = threading.Lock()
        self.futures: dict[str, Future] = {}

    def hand_out(self, _done: Future | None = None) -> None:
        """Give a worker the first waiting task (called again as each of its tasks ends)."""
        with self.lock:  # taken and recorded at once: gather then finds every future
            if not self.waiting:
                return
            name = self.waiting.popleft()
            try:
                future = self.pool.submit(_run, name)
            except BaseException as exc:  # a broken or closed pool: the caller sees why
                future = Future()
                future.set_exception(exc)
            self.futures[name] = future
        future.add_done_callback(self.hand_out)

    def close(self) -> None:
        with self.lock:
            self.waiting.clear()

    def gather(self) -> dict[str, T]:
        """Every task's result: the last ones no worker has taken are run here, one by one."""
        here = {}
        while True:
            with self.lock:
                if not self.waiting:
                    break
                name = self.waiting.pop()
            here[name] = self.tasks[name]()
        return {
            name: here[name] if name in here else self.futures[name].result() for name in self.tasks
        }
