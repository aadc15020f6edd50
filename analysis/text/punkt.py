"""NLTK's Punkt sentence splitter, loaded without the rest of NLTK.

``from nltk.tokenize import PunktSentenceTokenizer`` first runs NLTK's package
``__init__``, which imports nearly all of NLTK, and with it scipy.stats and parts of
scikit-learn: 1.0–1.5 s, a third of a report on the seeds, for a splitter that needs
half a dozen of NLTK's small modules. NLTK has no lazy mode, so when NLTK is not yet
imported, :func:`punkt_module` loads ``nltk/tokenize/punkt.py`` under bare entries
for the ``nltk`` and ``nltk.tokenize`` packages, whose ``__init__`` files it does not
run. It then takes every ``nltk`` entry it added back out of ``sys.modules``, so
that a later ``import nltk`` anywhere else loads NLTK whole, as usual (with its own
copy of the classes).

When NLTK is already imported, or the bare load fails (a later NLTK whose Punkt
needs more of the package), the ordinary import is used. Either way the code that
splits the sentences is NLTK's own; a test checks both loads split alike.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from functools import cache
from types import ModuleType

PACKAGES = ("nltk", "nltk.tokenize")


@cache
def punkt_module() -> ModuleType:
    """``nltk.tokenize.punkt``, loaded bare unless NLTK is imported already."""
    if "nltk" not in sys.modules:
        try:
            return _bare_punkt()
        except (ImportError, AttributeError):
            pass
    from nltk.tokenize import punkt

    return punkt


def _bare_punkt() -> ModuleType:
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed")
    before = set(sys.modules)
    path = list(spec.submodule_search_locations)
    try:
        for name in PACKAGES:
            package = ModuleType(name)
            package.__path__ = path
            sys.modules[name] = package
            path = [f"{entry}/tokenize" for entry in path]
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
