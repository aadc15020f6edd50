"""Discourse and stance analysis for news corpora.

The package is laid out by the stages of the data flow, each a subpackage whose
``__init__`` re-exports its public names; arrows only point down the list:

- ``corpus``: files to parsed documents;
- ``text``: tokens, lexicon hits, terms, sentence sentiment;
- ``attribution``: who said what, and who the speakers are;
- ``stats``: resampling, keyness, shifts, comparisons, time series;
- ``report``: figures, the HTML page, staged outputs, provenance;
- ``run``: the pipeline, workspace, cache and the commands;
- ``evaluation``: accuracy against held-out data (uses any stage).

``config``, ``types`` and ``errors`` sit below every stage; ``cli`` above them all.
Importing ``analysis`` imports nothing heavy. The module names of the flat layout
this package had before (``analysis.workspace``, ``analysis.tokens``, ...) still
resolve, lazily, to their new homes, so ``from analysis import workspace`` in a
notebook keeps working.
"""

from importlib import import_module

__version__ = "0.1.0"

#: Old flat module names -> where they live now.
_MOVED = {
    "textio": "corpus.textio",
    "articles": "corpus.articles",
    "importer": "corpus.importer",
    "duplicates": "corpus.duplicates",
    "normalize": "corpus.normalize",
    "language": "corpus.language",
    "tokens": "text.tokens",
    "lexicon": "text.lexicon",
    "framing": "text.framing",
    "terms": "text.terms",
    "sentiment": "text.sentiment",
    "speakers": "attribution.speakers",
    "keyness": "stats.keyness",
    "shifts": "stats.shifts",
    "comparison": "stats.comparison",
    "timeseries": "stats.timeseries",
    "figures": "report.figures",
    "plots": "report.plots",
    "rendering": "report.rendering",
    "style": "report.style",
    "html_report": "report.html",
    "report_page": "report.page",
    "outputs": "report.outputs",
    "provenance": "report.provenance",
    "pipeline": "run.pipeline",
    "workspace": "run.workspace",
    "cache": "run.cache",
    "parallel": "run.parallel",
    "quotes": "run.quotes",
    "polnear": "evaluation.polnear",
    "attribution_eval": "evaluation.attribution_eval",
    "vader_validation": "evaluation.vader_validation",
}


def __getattr__(name: str):
    if name in _MOVED:
        module = import_module(f"analysis.{_MOVED[name]}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
