"""Run a per-document function over many documents on several cores, in order.

Per-document analysis depends on one document and the lexicon only, so it
parallelises cleanly. :func:`map_documents` hands chunks of documents to a
``concurrent.futures.ProcessPoolExecutor`` and returns results in the input
order, so the output is identical to a single-process run. Small jobs run in
the calling process: starting workers costs more than it saves below
:data:`MIN_CHARS_FOR_PROCESSES` characters of text. A ``tqdm`` progress bar
appears on runs that last longer than two seconds (on standard error).

``engine="dask"`` sends the same chunks to a dask.distributed cluster instead
(:mod:`analysis.run.dask_engine`, imported only then).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Literal, TypeVar

from tqdm.auto import tqdm

from analysis.config import resolve_jobs
from analysis.types import Document

T = TypeVar("T")
Engine = Literal["local", "dask"]
#: Below this much text in total, work stays in the calling process.
MIN_CHARS_FOR_PROCESSES = 300_000
#: Aim for this much text per task, so workers are not starved nor swamped.
CHARS_PER_CHUNK = 100_000


def _chunks(docs: Sequence[Document]) -> list[list[int]]:
    chunks: list[list[int]] = [[]]
    size = 0
    for i, d in enumerate(docs):
        if size >= CHARS_PER_CHUNK:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += len(d.raw)
    return chunks


def in_process(docs: Sequence[Document], jobs: int | None) -> bool:
    """Whether :func:`imap_documents` analyses *docs* in the calling process (local engine)."""
    few = len(docs) < 2 or sum(len(d.raw) for d in docs) < MIN_CHARS_FOR_PROCESSES
    return resolve_jobs(jobs) == 1 or few


def beside_load(new: list[Document], jobs: int | None, engine: Engine, *, meanwhile: bool) -> bool:
    """Whether the *new* documents are analysed in a forked process while this one does
    other work (*meanwhile*: reads the cache, imports modules the report needs next;
    :func:`analysis.run.pipeline.analyze_documents`).

    So when they are few (which :func:`imap_documents` would analyse in this process)
    and a second core is free: after one added article at ten copies of PolNeAR train,
    reading the cached tables took about 1 s and analysing the article 0.45 s, most of
    it building its regexes and loading the models in a process that had not yet
    needed them. On the seeds, the report imports its drawing modules (matplotlib,
    0.3 s) while both articles are analysed.
    """
    few = 0 < len(new) and in_process(new, jobs)
    return engine == "local" and resolve_jobs(jobs) > 1 and few and meanwhile


def run_chunk(
    func: Callable[[Document], T],
    docs: list[Document],
    combine: Callable[[list[T]], T] | None = None,
) -> list[T]:
    """``[func(d) for d in docs]``, or with *combine* the one ``combine`` of them (none of none)."""
    results = [func(d) for d in docs]
    if combine is None or not results:
        return results
    return [combine(results)]


def map_documents(
    func: Callable[[Document], T],
    docs: Sequence[Document],
    *,
    jobs: int | None = None,
    progress: bool = True,
    engine: Engine = "local",
    scheduler: str | None = None,
) -> list[T]:
    """``[func(d) for d in docs]``, spread over *jobs* processes (see :func:`resolve_jobs`).

    *func* must be picklable (a module-level function, or a ``functools.partial`` of one).
    With ``engine="dask"`` the work goes to the Dask cluster at *scheduler* (an
    address such as ``tcp://10.0.0.5:8786``), or to a local cluster of *jobs*
    workers started for the call when *scheduler* is ``None``.
    """
    return list(
        imap_documents(func, docs, jobs=jobs, progress=progress, engine=engine, scheduler=scheduler)
    )


def imap_documents(
    func: Callable[[Document], T],
    docs: Sequence[Document],
    *,
    jobs: int | None = None,
    progress: bool = True,
    engine: Engine = "local",
    scheduler: str | None = None,
    combine: Callable[[list[T]], T] | None = None,
) -> Iterator[T]:
    """:func:`map_documents` as an iterator: results are yielded chunk by chunk, in order.

    A caller that reduces each result to something smaller as it comes never
    holds every document's full result at once. With *combine*, each chunk's
    results (about :data:`CHARS_PER_CHUNK` characters of documents) are combined
    in the process that computed them, and one ``combine(results)`` is yielded per
    chunk instead: a worker then sends back a few large objects rather than many
    small ones, which the calling process would unpickle and gather one by one
    while the workers need the cores.
    """
    work = partial(run_chunk, func, combine=combine)
    chunks = _chunks(docs) if docs else []
    if engine == "dask":
        from analysis.run.dask_engine import imap_documents_dask

        parts = [[docs[i] for i in c] for c in chunks]
        yield from imap_documents_dask(work, parts, scheduler=scheduler, jobs=jobs)
        return
    if engine != "local":
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    jobs = resolve_jobs(jobs)
    bar = tqdm(
        total=len(docs), unit="doc", delay=2, disable=not progress, file=sys.stderr, leave=False
    )
    with bar:
        if in_process(docs, jobs):
            for chunk in chunks:
                yield from work([docs[i] for i in chunk])
                bar.update(len(chunk))
            return
        method = "fork" if sys.platform == "linux" else "spawn"
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)), mp_context=multiprocessing.get_context(method)
        ) as pool:
            for chunk, result in zip(
                chunks, pool.map(work, [[docs[i] for i in c] for c in chunks]), strict=True
            ):
                yield from result
                bar.update(len(chunk))
