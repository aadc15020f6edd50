"""The stop-word list shipped as data is scikit-learn's, and reading it does not import sklearn."""

from __future__ import annotations

import subprocess
import sys

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.corpus.language import STOP_WORDS
from analysis.report.comparison_figures import FUNCTION_WORDS
from analysis.text.tokens import STOP_WORDS as TOKEN_STOP_WORDS


def test_the_data_file_holds_sklearns_english_stop_words():
    assert STOP_WORDS == ENGLISH_STOP_WORDS
    assert TOKEN_STOP_WORDS is STOP_WORDS
    assert FUNCTION_WORDS == ENGLISH_STOP_WORDS - {"us"}


def test_modules_import_scipy_stats_and_sklearn_only_when_used():
    """Loading a corpus, the keyness and figure modules and Punkt pulls none of them in."""
    code = (
        "import sys, analysis.corpus.language, analysis.corpus.duplicates, "
        "analysis.report.comparison_figures, analysis.report.figure_cache, analysis.text.tokens; "
        "analysis.text.tokens.sentence_tokenizer(); "
        "print(sorted(m for m in ('sklearn', 'scipy.stats', 'scipy.sparse', 'nltk') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
