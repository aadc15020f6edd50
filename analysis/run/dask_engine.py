"""Per-document analysis on a dask.distributed cluster: ``report --engine dask``.

The per-document map of :func:`analysis.run.parallel.map_documents` is sent to a
Dask cluster instead of local processes: the same chunks of documents (about
:data:`~analysis.run.parallel.CHARS_PER_CHUNK` characters of text each) become
tasks, and the results are taken in input order as they arrive, so the tables are
byte-identical to the local engine's. The client (the machine running
``report``) reads the corpus and the cache and sends each task its documents'
text; workers need the same version of this package installed, and no access
to the corpus or the output folder. The reduce, from per-document tables to
corpus tables, runs on the client.

With no scheduler address a :class:`~dask.distributed.LocalCluster` is started
for the run, one single-threaded worker process per job. This module is only
imported when Dask is asked for, so the local engine never imports Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from dask.distributed import Client, LocalCluster

from analysis.config import resolve_jobs
from analysis.errors import InputError
from analysis.types import Document

T = TypeVar("T")


@contextmanager
def client_for(scheduler: str | None, *, jobs: int | None = None) -> Iterator[Client]:
    """A client of the cluster at *scheduler*, or of a LocalCluster of *jobs* workers.

    Raises
    ------
    InputError
        When no scheduler answers at *scheduler* (within Dask's connect timeout).
    """
    if scheduler:
        try:
            client = Client(scheduler)
        except OSError as exc:
            raise InputError(
                Path("--scheduler"), f"no Dask scheduler answers at {scheduler} ({exc})"
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=resolve_jobs(jobs),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def imap_documents_dask(
    work: Callable[[list[Document]], list[T]],
    chunks: Sequence[list[Document]],
    *,
    scheduler: str | None = None,
    jobs: int | None = None,
) -> Iterator[T]:
    """The items of ``work(chunk)`` for each of *chunks*, in order, one Dask task per chunk.

    *work* is what a local worker runs on a chunk
    (:func:`analysis.run.parallel.run_chunk` with the per-document function).

    Every task is submitted at once; results are yielded chunk by chunk, in input
    order, as each arrives, and each chunk's future is released once yielded, so the
    client holds the results it has not reduced yet, not the whole corpus's.
    """
    if not chunks:
        return
    with client_for(scheduler, jobs=jobs) as client:
        futures = client.map(work, list(chunks), pure=False)
        for i, future in enumerate(futures):
            part = future.result()
            future.release()
            futures[i] = None
            yield from part
