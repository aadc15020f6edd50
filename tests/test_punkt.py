"""Punkt loaded without NLTK's package ``__init__`` splits exactly as NLTK's own import."""

from __future__ import annotations

import json
import subprocess
import sys

import nltk

from analysis.text.punkt import punkt_module

SPLIT_SEEDS = """
import json, sys
from analysis.config import SEEDS_DIR
from analysis.text.tokens import abbreviations, sentence_tokenizer

texts = [p.read_text("utf-8") for p in sorted(SEEDS_DIR.glob("*")) if p.is_file()]
ours = [list(sentence_tokenizer().span_tokenize(t)) for t in texts]
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("nltk", "scipy", "sklearn"))

import nltk  # the whole package, loaded as usual after the bare load

params = nltk.tokenize.punkt.PunktParameters()
params.abbrev_types = set(abbreviations())
theirs = [list(nltk.tokenize.PunktSentenceTokenizer(params).span_tokenize(t)) for t in texts]
print(json.dumps({
    "loaded": loaded,
    "same": ours == theirs,
    "sentences": sum(map(len, ours)),
    "separate_class": type(sentence_tokenizer()) is not nltk.tokenize.PunktSentenceTokenizer,
    "whole_nltk": hasattr(nltk, "download") and hasattr(nltk.tokenize, "word_tokenize"),
}))
"""


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_bare_punkt_splits_the_seeds_as_nltk_does_and_leaves_nltk_whole():
    result = _run(SPLIT_SEEDS)
    assert result["loaded"] == []  # neither NLTK's package nor scipy.stats or scikit-learn
    assert result["sentences"] > 50
    assert result["same"]
    assert result["separate_class"]
    assert result["whole_nltk"]


def test_an_imported_nltk_is_used_as_it_is():
    assert punkt_module() is nltk.tokenize.punkt


def test_a_failed_bare_load_falls_back_to_the_ordinary_import():
    code = (
        "import json, sys, analysis.text.punkt as p\n"
        "def fail():\n"
        "    raise ImportError('a Punkt that needs more of NLTK')\n"
        "p._bare_punkt = fail\n"
        "module = p.punkt_module()\n"
        "print(json.dumps({'name': module.__name__, "
        "'whole': module is sys.modules['nltk'].tokenize.punkt}))\n"
    )
    assert _run(code) == {"name": "nltk.tokenize.punkt", "whole": True}
