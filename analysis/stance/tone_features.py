"""Features of a target mention for the tone model (pure functions over one sentence).

These functions define the features, and training uses them;
:mod:`analysis.stance.tone_batch` computes the same floats for many mentions at once,
which is what prediction uses.

A sentence is tokenised by a regular expression (clitics such as ``'s`` and ``n't``
split off, lower-cased, curly apostrophes straightened). The target's tokens, and
those of its coreferent mentions when given, become ``<t>``; other targets' tokens,
when given, become ``<o>`` (a run of one placeholder collapses to one). Then:

* **sparse** (string keys, counted; :func:`sparse_features`): ``s:`` uni- and bigrams
  of the whole masked sentence; ``L:``/``R:`` uni- and bigrams within ``window``
  tokens left/right of the target; ``T:`` the one and two words on each side of every
  ``<t>``; ``C:`` the words of the target's clause (bounded by punctuation,
  conjunctions and relative pronouns);
* **lexicon evidence** (24 values per lexicon; :func:`lexicon_features`): positive and
  negative valence mass over the whole sentence, the left side, the right side and the
  target's clause, unweighted and weighted by ``exp(-distance/3)`` and
  ``exp(-distance/8)``; a negation within 3 tokens before a word flips and damps it
  (VADER's factor -0.74);
* **structure** (12 values; :func:`structure_features`): relative position, sentence
  start, length, repeated target, other targets present, a speech verb after the
  target or anywhere, quotation marks, contrast words, negation in the clause, a
  possessive before or after the target;
* **word vectors** (3 x dim values; :func:`vector_features`): ``exp(-d/5)``-weighted
  means of static word vectors left and right of the target, and the plain mean over
  the sentence (stop words and targets left out).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

TOKEN_RE = re.compile(
    r"[A-Za-z0-9]+(?=n['’]t\b)|n['’]t\b|['’](?:s|re|ve|ll|d|m)\b|[A-Za-z0-9]+|[^\sA-Za-z0-9]",
    re.IGNORECASE,
)
NEGATIONS = frozenset(
    """not no never n't nothing nobody none neither nor without cannot nowhere hardly barely
    rarely seldom lack lacks lacked""".split()
)
CONTRAST = frozenset("but however although though yet despite while whereas".split())
SAY = frozenset(
    """said says say told tells added wrote writes stated noted explained according asked
    argued argues claimed claims insisted tweeted announced declared suggested acknowledged
    replied responded""".split()
)
_CONJUNCTIONS = "but however although though while whereas because after before when which who"
CLAUSE_BREAK = frozenset(
    [",", ";", ":", "(", ")", "—", "–", "-", '"', "“", "”", "that", "and"] + _CONJUNCTIONS.split()
)
QUOTES = frozenset(['"', "“", "”"])
TARGET, OTHER = "<t>", "<o>"

#: Distance weightings of the lexicon features (``None``: unweighted) and of the vectors.
LEX_TAUS = (None, 3.0, 8.0)
EMB_TAU = 5.0
NEGATION_SCOPE = 3
NEGATION_FACTOR = -0.74  # VADER's own N_SCALAR
N_LEXICON = 2 * 4 * len(LEX_TAUS)
N_STRUCTURE = 12


@dataclass(frozen=True)
class Mention:
    """One target mention to classify: *sentence*, the character span ``[start, end)``.

    ``coref`` are spans of further mentions of the same target, ``others`` those of
    other targets in the sentence (both optional). ``label`` is the class index
    (0 negative, 1 neutral, 2 positive) when known; ``group`` identifies the sentence
    (for grouped cross-validation).
    """

    sentence: str
    start: int
    end: int
    coref: tuple[tuple[int, int], ...] = ()
    others: tuple[tuple[int, int], ...] = ()
    label: int | None = None
    group: int = 0


@dataclass(frozen=True)
class View:
    """A sentence seen from one target: the masked tokens and the target's geometry."""

    seq: tuple[str, ...]
    tpos: tuple[int, ...]
    dist: tuple[int, ...]
    side: tuple[int, ...]  # -1 left of the first <t>, +1 right of the last, 0 between/at
    clause: tuple[int, int]  # inclusive bounds of the first <t>'s clause


@lru_cache(maxsize=4096)
def tokenize(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """Lower-cased regex tokens of *sentence* as ``(token, start, end)``, end exclusive.

    Cached: the mentions of one sentence share its tokens. A sentence that is ASCII but
    for curly apostrophes is lower-cased and straightened as a whole, which keeps every
    offset and gives the same tokens, since the pattern ignores case and takes either
    apostrophe.
    """
    straight = sentence.replace("’", "'")
    if straight.isascii():
        return tuple((m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(straight.lower()))
    return tuple(
        (m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in TOKEN_RE.finditer(sentence)
    )


@lru_cache(maxsize=4096)
def _bounds(sentence: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens of *sentence*, for bisection (cached)."""
    toks = tokenize(sentence)
    return [s for _, s, _ in toks], [e for _, _, e in toks]


def _covered(sentence: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Indices of the tokens of *sentence* overlapping any character span.

    Tokens do not overlap, so both their starts and their ends are sorted.
    """
    starts, ends = _bounds(sentence)
    out: set[int] = set()
    for a, b in spans:
        out.update(range(bisect.bisect_right(ends, a), bisect.bisect_left(starts, b)))
    return out


def make_view(mention: Mention) -> View:
    """Mask the target (and its coreferent mentions) and other targets; measure distances."""
    toks = tokenize(mention.sentence)
    tidx = _covered(mention.sentence, [(mention.start, mention.end), *mention.coref])
    oidx = _covered(mention.sentence, mention.others) - tidx
    seq: list[str] = []
    for i, (w, _, _) in enumerate(toks):
        w = TARGET if i in tidx else (OTHER if i in oidx else w)
        if w in (TARGET, OTHER) and seq and seq[-1] == w:
            continue
        seq.append(w)
    tpos = [k for k, w in enumerate(seq) if w == TARGET] or [0]
    p0 = tpos[0]
    if len(tpos) == 1:
        dist = [abs(k - p0) for k in range(len(seq))]
    else:
        dist = [min(abs(k - p) for p in tpos) for k in range(len(seq))]
    side = [-1 if k < tpos[0] else (1 if k > tpos[-1] else 0) for k in range(len(seq))]
    a = p0
    while a > 0 and seq[a - 1] not in CLAUSE_BREAK:
        a -= 1
    b = p0
    while b + 1 < len(seq) and seq[b + 1] not in CLAUSE_BREAK:
        b += 1
    return View(tuple(seq), tuple(tpos), tuple(dist), tuple(side), (a, b))


def sparse_features(view: View, window: int = 6) -> Counter[str]:
    """Counts of the string-keyed features of one view (see the module notes), keyed in
    the order each feature first occurs."""
    seq, dist, side = view.seq, view.dist, view.side
    keys: list[str] = []
    add = keys.append
    n = len(seq)
    for k in range(n):
        add("s:" + seq[k])
        if k + 1 < n:
            add("s:" + seq[k] + " " + seq[k + 1])
        if 0 < dist[k] <= window:
            tag = "L:" if side[k] < 0 else "R:"
            add(tag + seq[k])
            if k + 1 < n and 0 < dist[k + 1] <= window:
                add(tag + seq[k] + " " + seq[k + 1])
    for p in view.tpos:
        left, right = seq[max(0, p - 2) : p], seq[p + 1 : p + 3]
        if left:
            add("T:" + left[-1] + " <t>")
        if len(left) == 2:
            add("T:" + left[0] + " " + left[1] + " <t>")
        if right:
            add("T:<t> " + right[0])
        if len(right) == 2:
            add("T:<t> " + right[0] + " " + right[1])
    a, b = view.clause
    p0 = view.tpos[0]
    keys += ["C:" + seq[k] for k in range(a, b + 1) if k != p0]
    return Counter(keys)


def lexicon_features(view: View, lexicon: dict[str, float]) -> list[float]:
    """Positive and negative lexicon mass by region and distance weighting (24 values).

    Regions: whole sentence, left side, right side, target clause; weightings: none,
    ``exp(-d/3)``, ``exp(-d/8)``; for each, ``log1p`` of the positive and of the
    negative sum. Lexicon values are in -1..1.
    """
    seq, dist, side = view.seq, view.dist, view.side
    a, b = view.clause
    acc = [0.0] * N_LEXICON
    for k, w in enumerate(seq):
        v = lexicon.get(w)
        if not v:
            continue
        if any(seq[j] in NEGATIONS for j in range(max(0, k - NEGATION_SCOPE), k)):
            v *= NEGATION_FACTOR
        weights = [1.0 if tau is None else math.exp(-dist[k] / tau) for tau in LEX_TAUS]
        regions = (0, 1 if side[k] < 0 else 2 if side[k] > 0 else -1, 3 if a <= k <= b else -1)
        sign = 0 if v > 0 else 1
        for r in regions:
            if r < 0:
                continue
            for t, wt in enumerate(weights):
                base = 2 * (r * len(LEX_TAUS) + t) + sign
                if sign:
                    acc[base] -= v * wt
                else:
                    acc[base] += v * wt
    return [math.log1p(x) for x in acc]


def structure_features(view: View) -> list[float]:
    """Twelve position, quotation, contrast and negation cues of the target."""
    seq, p0 = view.seq, view.tpos[0]
    a, b = view.clause
    n = len(seq)
    return [
        p0 / max(n, 1),
        float(p0 == 0),
        math.log1p(n),
        float(len(view.tpos) > 1),
        float(OTHER in seq),
        float(any(w in SAY for w in seq[p0 + 1 : p0 + 4])),
        float(any(w in SAY for w in seq)),
        float(any(w in QUOTES for w in seq)),
        float(any(w in CONTRAST for w in seq)),
        float(any(w in NEGATIONS for w in seq[a : b + 1])),
        float(p0 > 0 and seq[p0 - 1] == "'s"),
        float(p0 + 1 < n and seq[p0 + 1] == "'s"),
    ]


def vector_features(
    view: View, table: dict[str, np.ndarray], dim: int, stopwords: frozenset[str]
) -> np.ndarray:
    """Left and right distance-weighted, and whole-sentence, mean word vectors (3 x dim).

    The sums run over the words in sentence order (numpy adds the rows of a
    column-wise sum one after another), so each vector is the same whichever
    mentions it is computed with.
    """
    vectors, weights, right = [], [], []
    for k, w in enumerate(view.seq):
        if w in (TARGET, OTHER) or w in stopwords:
            continue
        v = table.get(w)
        if v is None:
            continue
        vectors.append(v)
        weights.append(math.exp(-view.dist[k] / EMB_TAU))
        right.append(view.side[k] > 0)
    acc = np.zeros((3, dim))
    wsum = [1e-9, 1e-9, 1e-9]
    for wt, s in zip(weights, right, strict=True):
        wsum[s] += wt
        wsum[2] += 1.0
    if vectors:
        plain = np.array(vectors)
        weighted = plain * np.array(weights)[:, None]
        on_right = np.array(right)
        acc[0] = weighted[~on_right].sum(axis=0, initial=0.0)
        acc[1] = weighted[on_right].sum(axis=0, initial=0.0)
        acc[2] = plain.sum(axis=0, initial=0.0)
    return (acc / np.array(wsum)[:, None]).ravel()
