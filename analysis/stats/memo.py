"""A memo active within a ``with`` block: what the last run computed, and what this one used.

The resampled intervals (:mod:`analysis.stats.resampling`) and keyness's background
frequencies (:mod:`analysis.stats.background`) are each kept in one, module-wide,
so that code deep in a computation finds it without passing it down, and a forked
worker inherits it. :meth:`Memo.block` activates it with the entries stored by the
last run and yields the entries this run uses, to be stored for the next; entries
no longer used are left out, so a stored memo does not grow without bound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """Entries by key while a :meth:`block` is active (:attr:`known` is None outside one)."""

    def __init__(self) -> None:
        #: Every entry known in the active block; None when no block is active.
        self.known: dict[str, V] | None = None
        #: The entries the active block used or added.
        self.used: dict[str, V] = {}

    @property
    def active(self) -> bool:
        """Whether a :meth:`block` is active."""
        return self.known is not None

    @contextmanager
    def block(self, known: Mapping[str, V]) -> Iterator[dict[str, V]]:
        """Within the block, *known* entries are reused; yields :attr:`used`."""
        self.known, self.used = dict(known), {}
        try:
            yield self.used
        finally:
            self.known = None
