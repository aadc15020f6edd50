"""General-English word frequencies, the background of keyness's log-odds prior.

Looked up in the ``wordfreq`` package (no download): its English list first, and
forms it does not hold as such ("china-us", "u.s.", "1,300") through
``wordfreq.word_frequency``, which splits them. Importing wordfreq and loading its
list takes about half a second, as long as the rest of keyness on ten copies of
PolNeAR train, so frequencies can be memoised (:func:`memoised_frequencies`): the
report keeps those of its last run beside the per-document cache
(:mod:`analysis.run.memo_store`) and looks up the words of an added article ahead,
in the process that analyses it while the cache is read
(:func:`analysis.run.pipeline.analyze_documents`). A word's frequency depends on
the word and wordfreq's data alone, so the values are the same however they were
found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import numpy as np
import pandas as pd

from analysis.stats.memo import Memo

#: Background frequency given to a word that wordfreq does not list (its English list
#: stops at about 1.02e-8).
PRIOR_FLOOR = 1e-8

#: wordfreq's frequency of each word known in the active :func:`memoised_frequencies`
#: block; its entries used, those of the words :func:`background_frequencies` was asked for.
_MEMO: Memo[float] = Memo()


@contextmanager
def memoised_frequencies(known: Mapping[str, float]) -> Iterator[dict[str, float]]:
    """Within the block, the words of *known* are not looked up in wordfreq again.

    *known* maps words to wordfreq's frequency (before :data:`PRIOR_FLOOR`). Yields
    the frequencies of every word :func:`background_frequencies` was asked for in the
    block, to be kept for the next run; words no longer asked for are left out.
    """
    with _MEMO.block(known) as used:
        yield used


def background_frequencies(words) -> np.ndarray:
    """General-English frequency of each word; unknown words get :data:`PRIOR_FLOOR`."""
    words = np.asarray(words, dtype=object)
    known = _MEMO.known if _MEMO.active else {}
    freq = np.array([known.get(w, np.nan) for w in words.tolist()], dtype=float)
    missing = np.isnan(freq)
    if missing.any():
        freq[missing] = _looked_up(words[missing])
    if _MEMO.active:
        found = dict(zip(words.tolist(), freq.tolist(), strict=True))
        _MEMO.known.update(found)
        _MEMO.used.update(found)
    return np.maximum(freq, PRIOR_FLOOR)


def look_up_ahead(summaries: Iterable[pd.DataFrame]) -> dict[str, float]:
    """wordfreq's frequency of the words counted in *summaries* that the memo does not know.

    *summaries* are term summaries (:func:`analysis.text.terms.document_terms`); their
    counted unigrams are the words keyness asks for (a bigram's words are unigrams of
    its document). For a process forked inside a :func:`memoised_frequencies` block:
    pass the result to :func:`adopt_frequencies` in the process that computes
    keyness. Outside a block, nothing is looked up.
    """
    if not _MEMO.active:
        return {}
    words = set()
    for summary in summaries:
        counted = (summary["ngram"] == 1) & (summary["n"] > 0)
        words.update(summary.loc[counted, "term"].astype(str).tolist())
    new = np.asarray(sorted(words - _MEMO.known.keys()), dtype=object)
    return dict(zip(new.tolist(), _looked_up(new).tolist(), strict=True)) if len(new) else {}


def adopt_frequencies(found: Mapping[str, float]) -> None:
    """Add *found* (from :func:`look_up_ahead`) to the active memo, if any."""
    if _MEMO.active:
        _MEMO.known.update(found)


def _looked_up(words: np.ndarray) -> np.ndarray:
    """wordfreq's English frequency of each word (0 for a word it cannot place)."""
    import wordfreq  # imported here: it loads word lists on import

    listed = wordfreq.get_frequency_dict("en")  # ~300k words: looked up, not made a Series
    freq = np.array([listed.get(w, np.nan) for w in words.tolist()], dtype=float)
    missing = np.isnan(freq)
    freq[missing] = [wordfreq.word_frequency(w, "en") for w in words[missing].tolist()]
    return freq
