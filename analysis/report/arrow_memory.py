"""Arrow's memory from the C library's allocator, for the blocks that allocate much of it.

pyarrow allocates through mimalloc unless ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise.
On this project's machines mimalloc's first use of a large amount of memory is slow:

- writing the paragraphs of ten copies of PolNeAR train as CSV
  (:mod:`analysis.report.csv_bytes`) took 1.25 s the first time and 0.39 s after;
  with malloc, 0.31 s both times. A process writes each large table once, so it is
  always the first time;
- reading back the per-article cache of the same corpus
  (:meth:`analysis.run.cache.DocumentCache.load`) took 3.2-4.4 s in a fresh process,
  as in a notebook, and 1.2 s with malloc; storing it 0.9-1.3 s against 0.8 s.

The command line sets malloc for the whole process (:func:`analysis.cli.tune_process`);
a notebook keeps pyarrow's default, so these blocks switch it themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa


@contextmanager
def system_memory() -> Iterator[None]:
    """Arrow allocates from the C library's malloc within the block."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
