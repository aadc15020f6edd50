"""Which keyness terms the report's figure and page show: content words only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.report.comparison_figures import content_terms, is_content_word

# term -> shown?  Each decided by hand from the rule: every word has a letter and is
# not one of scikit-learn's stop words (except "us", mostly "US" lower-cased here).
CASES = {
    "sincerity": True,
    "new normal": True,
    "us": True,
    "the": False,
    "The": False,
    "of china": False,
    "china of": False,
    "china us": True,
    "2021": False,
    "1,300": False,
    "u.s.": True,
    "china-us": True,
    "x²": True,
    "²": False,
    "café": True,
    "": False,
    "bossy 2021": False,
}


@pytest.mark.parametrize("dtype", [object, "string[pyarrow]"])
def test_content_terms_follow_the_rule_word_by_word(dtype):
    terms = pd.Series(list(CASES), dtype=dtype)
    assert content_terms(terms).tolist() == list(CASES.values())


def test_each_word_is_judged_as_the_rule_says():
    assert is_content_word("Anchorage") and is_content_word("u.s.")
    assert not is_content_word("because") and not is_content_word("3.5")


def test_repeated_words_and_missing_terms():
    terms = pd.Series(["talks", None, "the talks", "talks talks", "talks"], dtype=object)
    assert content_terms(terms).tolist() == [True, False, False, True, True]
    assert content_terms(pd.Series([], dtype=object)).dtype == np.bool_
    assert len(content_terms(pd.Series([], dtype=object))) == 0
