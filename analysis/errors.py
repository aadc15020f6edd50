"""Errors that are the user's to fix, reported without a traceback.

Each pickles with its own arguments, so one raised in a worker process (forked, or a
Dask worker) reaches the command line as the same error with the same message.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class InputError(Exception):
    """A problem with one input file, named in the message.

    Parameters
    ----------
    path : path of the offending file (or folder), or its URL
    problem : what is wrong and, where possible, how to fix it
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        local = isinstance(path, os.PathLike) or (isinstance(path, str) and "://" not in path)
        self.path = Path(path) if local else path  # a URL (str or UPath) stays as it is
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        return type(self), (self.path, self.problem)


class InputErrors(Exception):
    """Several :class:`InputError` found in one pass, reported together."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self):
        return type(self), (self.errors,)


class OptionError(Exception):
    """A command-line option that does not fit the data, e.g. a compared group with no documents.

    Parameters
    ----------
    option : the option at fault, as typed (``--compare-by``)
    problem : what is wrong, naming what was found instead
    """

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        self.problem = problem
        super().__init__(f"{option}: {problem}")

    def __reduce__(self):
        return type(self), (self.option, self.problem)
