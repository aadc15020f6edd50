"""The tone model's features for many mentions at once, in numpy (prediction's fast path).

:mod:`analysis.stance.tone_features` defines the features one mention at a time, in
plain Python; training uses it. :class:`BatchFeatures` computes the very same numbers
for a whole list of mentions (a document's, or a NewsMTSC split's) over flat arrays:
every mention's masked token sequence is laid end to end, tokens become integer word
ids, and each feature family is one numpy pass over all of them.

Decisions
---------
* **Same floats, not just close ones.** Sums run in the reference's order: lexicon
  masses and word vectors are added token by token (``np.bincount`` and ``np.add.at``
  add in input order), the tf-idf row norm is numpy's own ``sum`` of each row, and the
  reference's ``math.exp``/``math.log1p`` come from tables computed with ``math`` (numpy's
  vectorised ``exp``/``log1p`` may round differently in the last bit). So the
  probabilities equal the per-mention path's exactly (``tests/test_tone_batch.py``).
* **Sparse features as integer codes.** A sparse feature is its family (``s``, ``L``,
  ``R``, ``C``, ``T``) and one to three word ids; the model's vocabulary is parsed into
  the same codes once, so looking a feature up is one ``searchsorted``. Words outside
  every list the model knows share id 0, which no vocabulary code holds.
"""

from __future__ import annotations

import bisect
import math
from itertools import chain, count, repeat
from operator import methodcaller

import numpy as np

from analysis.stance.tone_features import (
    CLAUSE_BREAK,
    CONTRAST,
    EMB_TAU,
    LEX_TAUS,
    N_LEXICON,
    NEGATION_FACTOR,
    NEGATION_SCOPE,
    NEGATIONS,
    OTHER,
    QUOTES,
    SAY,
    TARGET,
    TOKEN_RE,
    Mention,
    _bounds,
    tokenize,
)
from analysis.stance.tone_words import WordAssets

_UNKNOWN, _TARGET, _OTHER = 0, 1, 2
#: ASCII characters the tokeniser's ``\\s`` skips.
_ASCII_SPACE = np.array([chr(i).isspace() for i in range(128)])
_FAMILIES = {"s:": 0, "L:": 1, "R:": 2, "C:": 3, "T:": 4}


class _Codes:
    """Integer codes of sparse features: family and up to three word ids."""

    def __init__(self, n_words: int) -> None:
        self.base = n_words + 1

    def encode(self, family, words: list) -> np.ndarray:
        """Codes of features of *family* whose words are the arrays in *words* (1-3)."""
        b = self.base
        code = np.asarray(family, dtype=np.int64) * 4 + len(words)
        for k in range(3):
            code = code * b + (words[k] if k < len(words) else 0)
        return code


def ordered_sums(values: np.ndarray, bucket: np.ndarray, n: int, initial=None) -> np.ndarray:
    """Sums of *values* (rows, or single values) per *bucket* (0 .. n - 1), each added
    in input order to *initial* (zeros by default), as a Python loop would add them.

    ``np.bincount`` adds its weights one after another in input order; a row's columns
    are flattened into bins of their own. (``np.add.reduceat`` is no substitute: it
    may sum a segment pairwise.)
    """
    width = values.shape[1] if values.ndim == 2 else 1
    index = (bucket[:, None] * width + np.arange(width)).ravel()
    weights = values.ravel()
    if initial is not None:
        index = np.concatenate([np.arange(n * width), index])
        weights = np.concatenate([np.ravel(initial), weights])
    sums = np.bincount(index, weights, minlength=n * width)
    return sums.reshape(n, width) if values.ndim == 2 else sums


class BatchFeatures:
    """The features of :mod:`analysis.stance.tone_features` for many mentions at once.

    Parameters
    ----------
    vocabulary : the model's sparse features, in column order.
    vader, valences : the two lexicons, word -> value.
    words : the word asset, whose vectors the vector features average.
    stopwords : words the vector features skip.
    window : tokens on each side in the ``L:``/``R:`` n-grams.
    """

    def __init__(
        self,
        vocabulary: list[str],
        vader: dict[str, float],
        valences: dict[str, float],
        words: WordAssets,
        stopwords: frozenset[str],
        window: int,
    ) -> None:
        self.window, self.dim = window, words.dim
        # the words of every feature, end to end (no list per feature: fewer objects)
        tokens = " ".join(f[2:] for f in vocabulary).split(" ")
        lengths = np.fromiter(map(methodcaller("count", " "), vocabulary), np.int64)
        lengths += 1
        table_words = words.table_words.tolist()
        specials = sorted(NEGATIONS | CONTRAST | SAY | CLAUSE_BREAK | QUOTES | {"'s"})
        names = dict.fromkeys(chain(tokens, vader, valences, table_words, specials))
        names.pop(TARGET, None)
        names.pop(OTHER, None)
        self.ids = {TARGET: _TARGET, OTHER: _OTHER}
        self.ids.update(zip(names, count(3)))
        n = len(self.ids) + 1
        get = self.ids.__getitem__

        def ids_of(items) -> np.ndarray:
            return np.fromiter(map(get, items), np.int64, len(items))

        def flags(items) -> np.ndarray:
            out = np.zeros(n, dtype=bool)
            out[ids_of(list(items))] = True
            return out

        self.negation, self.contrast, self.say = flags(NEGATIONS), flags(CONTRAST), flags(SAY)
        self.clause_break, self.quote = flags(CLAUSE_BREAK), flags(QUOTES)
        self.possessive = flags(["'s"])
        self.lexicons = []
        for lexicon in (vader, valences):
            values = np.zeros(n)
            values[ids_of(lexicon)] = np.fromiter(lexicon.values(), np.float64, len(lexicon))
            self.lexicons.append(values)
        kept = np.fromiter((w not in stopwords for w in table_words), bool, len(table_words))
        self.row = np.full(n, -1, dtype=np.int64)
        self.row[ids_of(table_words)[kept]] = np.arange(int(kept.sum()))
        self.vectors = np.asarray(words.table_vecs, dtype=np.float64)[kept]
        # each feature as a code: its family and word ids
        self.codes = _Codes(n)
        fam = np.fromiter((_FAMILIES[f[:2]] for f in vocabulary), np.int64, len(vocabulary))
        flat = ids_of(tokens)
        offsets = np.cumsum(lengths) - lengths
        code = np.zeros(len(vocabulary), dtype=np.int64)
        for length in np.unique(lengths):
            cols = np.flatnonzero(lengths == length)
            code[cols] = self.codes.encode(
                fam[cols], [flat[offsets[cols] + k] for k in range(length)]
            )
        # one-word features by (family, word id); the others by code, sorted
        single = np.flatnonzero(lengths == 1)
        self.unigram = np.full((len(_FAMILIES), n), -1, dtype=np.int64)
        self.unigram[fam[single], flat[offsets[single]]] = single
        several = np.flatnonzero(lengths > 1)
        order = several[np.argsort(code[several], kind="stable")]
        self.known_codes, self.known_cols = code[order], order
        self.n_columns = len(vocabulary)
        self._exp = {}

    def _exp_table(self, tau: float, size: int) -> np.ndarray:
        """``math.exp(-d / tau)`` for d = 0 .. size - 1 (the reference's floats)."""
        table = self._exp.get(tau)
        if table is None or len(table) < size:
            table = np.array([math.exp(-d / tau) for d in range(max(size, 64))])
            self._exp[tau] = table
        return table

    def _log1p_of(self, x: np.ndarray) -> np.ndarray:
        """``math.log1p`` of each value (zero stays zero)."""
        out = np.zeros(len(x))
        nz = np.flatnonzero(x)
        out[nz] = [math.log1p(v) for v in x[nz].tolist()]
        return out

    # -- the masked sequences -------------------------------------------------------

    def _tokens(self, sentence: str) -> tuple[np.ndarray, list[int], list[int]]:
        """Word ids, start and end offsets of the tokens of *sentence*, as
        :func:`~analysis.stance.tone_features.tokenize` gives them.

        An ASCII sentence (curly apostrophes straightened) is split by ``findall``; its
        offsets follow from the token lengths, because the tokens cover every
        character but white space, in order, and hold no white space.
        """
        straight = sentence.replace("’", "'")
        if straight.isascii():
            words = TOKEN_RE.findall(straight.lower())
            lengths = np.fromiter(map(len, words), np.int64, len(words))
            code = np.frombuffer(straight.encode("ascii"), np.uint8)
            solid = np.flatnonzero(~_ASCII_SPACE[code])
            starts = solid[np.cumsum(lengths) - lengths]
            ends = starts + lengths
            bounds = starts.tolist(), ends.tolist()
        else:
            words = [w for w, _, _ in tokenize(sentence)]
            bounds = _bounds(sentence)
        ids = np.fromiter(map(self.ids.get, words, repeat(_UNKNOWN)), np.int64, len(words))
        return ids, *bounds

    def _sequences(self, mentions: list[Mention]):
        """Word ids of every mention's masked sequence laid end to end, and its geometry."""
        cache: dict[str, tuple] = {}
        raw, lengths, marks_t, marks_o = [], [], [], []
        offset = 0
        for m in mentions:
            known = cache.get(m.sentence)
            if known is None:
                known = cache[m.sentence] = self._tokens(m.sentence)
            ids, starts, ends = known
            for spans, marks in (([(m.start, m.end), *m.coref], marks_t), (m.others, marks_o)):
                for a, b in spans:
                    lo, hi = bisect.bisect_right(ends, a), bisect.bisect_left(starts, b)
                    if lo < hi:
                        marks.append((offset + lo, offset + hi))
            raw.append(ids)
            lengths.append(len(ids))
            offset += len(ids)
        total = offset
        words = np.concatenate(raw) if raw else np.zeros(0, np.int64)
        mention = np.repeat(np.arange(len(mentions)), lengths)

        def covered(marks) -> np.ndarray:
            diff = np.zeros(total + 1, dtype=np.int64)
            if marks:
                lo, hi = np.array(marks).T
                np.add.at(diff, lo, 1)
                np.add.at(diff, hi, -1)
            return np.cumsum(diff[:-1]) > 0

        is_t = covered(marks_t)
        is_o = covered(marks_o) & ~is_t
        words = np.where(is_t, _TARGET, np.where(is_o, _OTHER, words))
        # a run of one placeholder collapses to one
        again = np.zeros(total, dtype=bool)
        again[1:] = (
            (words[1:] == words[:-1])
            & ((words[1:] == _TARGET) | (words[1:] == _OTHER))
            & (mention[1:] == mention[:-1])
        )
        return words[~again], mention[~again], len(mentions)

    def _geometry(self, words: np.ndarray, mention: np.ndarray, m: int):
        """Position, length, first/last target, distance, side and clause of each token."""
        lengths = np.bincount(mention, minlength=m)
        start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        total = len(words)
        gidx = np.arange(total)
        k = gidx - start[mention]
        is_t = words == _TARGET
        n_t = np.bincount(mention[is_t], minlength=m)
        # a mention without a target token is measured from its first token
        anchor = is_t.copy()
        virtual = start[(n_t == 0) & (lengths > 0)]
        anchor[virtual] = True
        left = np.maximum.accumulate(np.where(anchor, gidx, -1)) if total else gidx
        right = np.minimum.accumulate(np.where(anchor, gidx, total)[::-1])[::-1] if total else gidx
        big = np.iinfo(np.int64).max // 4
        d_left = np.where(left >= start[mention], gidx - left, big)
        d_right = np.where(right < (start + lengths)[mention], right - gidx, big)
        dist = np.minimum(d_left, d_right)
        first = np.full(m, big)
        last = np.full(m, -1)
        np.minimum.at(first, mention[anchor], k[anchor])
        np.maximum.at(last, mention[anchor], k[anchor])
        first = np.where(lengths > 0, first, 0)
        last = np.where(lengths > 0, last, 0)
        side = np.where(k < first[mention], -1, np.where(k > last[mention], 1, 0))
        # the first target's clause: back and forward to the nearest break
        brk = self.clause_break[words]
        prev_break = np.maximum.accumulate(np.where(brk, gidx, -1)) if total else gidx
        next_break = (
            np.minimum.accumulate(np.where(brk, gidx, total)[::-1])[::-1] if total else gidx
        )
        p0 = start + first
        last_index = max(total - 1, 0)
        has_left = first > 0
        pb = prev_break[np.clip(p0 - 1, 0, last_index)] if total else np.full(m, -1)
        a = np.where(has_left & (pb >= start), pb + 1 - start, 0)
        has_right = first + 1 < lengths
        nb = next_break[np.clip(p0 + 1, 0, last_index)] if total else np.full(m, total)
        b = np.where(
            has_right & (nb < start + lengths), nb - 1 - start, np.maximum(lengths - 1, first)
        )
        return k, lengths, start, first, n_t, anchor, dist, side, a, b

    # -- the features -----------------------------------------------------------------

    def design(self, mentions: list[Mention]):
        """Dense features ``(n, 2 * N_LEXICON + 12 + 3 * dim)`` and the sparse features as
        ``(row, column, count)``, each row's columns in order of first occurrence, as
        :class:`~analysis.stance.tone_model.ToneClassifier` builds them one mention at a
        time (the model turns counts into tf-idf values)."""
        words, mention, m = self._sequences(mentions)
        k, lengths, start, first, n_t, anchor, dist, side, a, b = self._geometry(words, mention, m)
        in_clause = (k >= a[mention]) & (k <= b[mention])
        dense = [
            self._lexicon(values, words, mention, k, dist, side, in_clause, m)
            for values in self.lexicons
        ]
        dense.append(self._structure(words, mention, k, lengths, first, n_t, in_clause, m))
        dense.append(self._vectors(words, mention, dist, side, m))
        sparse = self._sparse(
            words, mention, k, lengths, start, first, anchor, dist, side, in_clause, m
        )
        return np.hstack(dense), sparse

    def _any(self, mask: np.ndarray, mention: np.ndarray, m: int) -> np.ndarray:
        return (np.bincount(mention[mask], minlength=m) > 0).astype(np.float64)

    def _lexicon(self, values, words, mention, k, dist, side, in_clause, m) -> np.ndarray:
        """:func:`~analysis.stance.tone_features.lexicon_features` of every mention."""
        nz = np.flatnonzero(values[words])
        v = values[words[nz]]
        negated = np.zeros(len(nz), dtype=bool)
        for j in range(1, NEGATION_SCOPE + 1):
            inside = k[nz] >= j
            negated |= inside & self.negation[words[np.where(inside, nz - j, 0)]]
        v = np.where(negated, v * NEGATION_FACTOR, v)
        sign = (v < 0).astype(np.int64)
        who, d, s, c = mention[nz], dist[nz], side[nz], in_clause[nz]
        size = int(d.max(initial=0)) + 1
        # (region, tau, value) arrays, whose selected cells flatten in the reference's
        # order of addition: region by region, tau by tau, values in order
        x = np.stack([v if tau is None else v * self._exp_table(tau, size)[d] for tau in LEX_TAUS])
        x = np.where(sign == 1, -x, x)
        regions = np.stack([np.ones(len(nz), dtype=bool), s < 0, s > 0, c])
        slots = 2 * np.arange(len(regions) * len(LEX_TAUS)).reshape(len(regions), -1, 1)
        index = who * N_LEXICON + sign + slots
        inside = np.broadcast_to(regions[:, None, :], index.shape)
        weight = np.broadcast_to(x, index.shape)
        acc = np.bincount(index[inside], weight[inside], minlength=m * N_LEXICON)
        return self._log1p_of(acc).reshape(m, N_LEXICON)

    def _structure(self, words, mention, k, lengths, first, n_t, in_clause, m) -> np.ndarray:
        """:func:`~analysis.stance.tone_features.structure_features` of every mention."""
        p0 = first[mention]
        start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        total = len(words)

        def neighbour(offset: int) -> np.ndarray:
            at = start + first + offset
            ok = (first + offset >= 0) & (first + offset < lengths)
            return ok & self.possessive[words[np.clip(at, 0, max(total - 1, 0))]] if total else ok

        log_len = np.array([math.log1p(n) for n in lengths.tolist()])
        return np.column_stack(
            [
                first / np.maximum(lengths, 1),
                (first == 0).astype(np.float64),
                log_len,
                (n_t > 1).astype(np.float64),
                self._any(words == _OTHER, mention, m),
                self._any(self.say[words] & (k > p0) & (k <= p0 + 3), mention, m),
                self._any(self.say[words], mention, m),
                self._any(self.quote[words], mention, m),
                self._any(self.contrast[words], mention, m),
                self._any(self.negation[words] & in_clause, mention, m),
                neighbour(-1).astype(np.float64),
                neighbour(1).astype(np.float64),
            ]
        )

    def _vectors(self, words, mention, dist, side, m) -> np.ndarray:
        """:func:`~analysis.stance.tone_features.vector_features` of every mention."""
        row = self.row[words]
        sel = np.flatnonzero(row >= 0)
        who, right = mention[sel], (side[sel] > 0).astype(np.int64)
        d = dist[sel]
        weight = self._exp_table(EMB_TAU, int(d.max(initial=0)) + 1)[d]
        plain = self.vectors[row[sel]]
        acc = ordered_sums(plain * weight[:, None], who * 3 + right, m * 3)
        acc += ordered_sums(plain, who * 3 + 2, m * 3)
        wsum = ordered_sums(
            np.concatenate([weight, np.ones(len(sel))]),
            np.concatenate([who * 3 + right, who * 3 + 2]),
            m * 3,
            initial=np.full(m * 3, 1e-9),
        )
        return (acc / wsum[:, None]).reshape(m, 3 * self.dim)

    def _column(self, family, words: list) -> np.ndarray:
        """Vocabulary columns of features of two or three words (-1: not in it)."""
        code = self.codes.encode(family, words)
        if not len(self.known_codes):
            return np.full(len(code), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.known_codes, code), len(self.known_codes) - 1)
        return np.where(self.known_codes[pos] == code, self.known_cols[pos], -1)

    def _sparse(self, words, mention, k, lengths, start, first, anchor, dist, side, in_clause, m):
        """Row, column and count of each sparse feature (see :meth:`design`)."""
        n = lengths[mention]
        nxt = np.r_[words[1:], _UNKNOWN] if len(words) else words
        has_next = k + 1 < n
        near = (dist > 0) & (dist <= self.window)
        near_next = np.r_[near[1:], False] if len(words) else near
        lr = np.where(side < 0, _FAMILIES["L:"], _FAMILIES["R:"])
        col, uni = self._column, self.unigram
        parts = [
            (mention, 4 * k, uni[0, words]),
            (mention[has_next], 4 * k[has_next] + 1, col(0, [words[has_next], nxt[has_next]])),
            (mention[near], 4 * k[near] + 2, uni[lr[near], words[near]]),
        ]
        two = near & has_next & near_next
        parts.append((mention[two], 4 * k[two] + 3, col(lr[two], [words[two], nxt[two]])))
        # the words next to each target ("T:"), in the order of the targets
        at = np.flatnonzero(anchor)
        who, ka = mention[at], k[at]
        rank = np.arange(len(at)) - np.searchsorted(who, who)
        key = 4 * n[at] + 4 * rank
        for sub, ok, offsets in (
            (0, ka >= 1, (-1, None)),
            (1, ka >= 2, (-2, -1, None)),
            (2, ka + 1 < n[at], (None, 1)),
            (3, ka + 2 < n[at], (None, 1, 2)),
        ):
            i = at[ok]
            toks = [_TARGET if o is None else words[i + o] for o in offsets]
            parts.append((who[ok], key[ok] + sub, col(_FAMILIES["T:"], toks)))
        # the words of the first target's clause, but the target itself
        clause = in_clause & (k != first[mention])
        parts.append((mention[clause], 8 * n[clause] + k[clause], uni[3, words[clause]]))

        who = np.concatenate([p[0] for p in parts])
        order = np.concatenate([p[1] for p in parts])
        col = np.concatenate([p[2] for p in parts])
        hit = col >= 0
        who, order, col = who[hit], order[hit], col[hit]
        # count each (mention, column) and keep its features in order of first occurrence
        span = int(order.max(initial=0)) + 1
        pair = who * self.n_columns + col
        ranked = np.argsort(pair * span + order)
        pair = pair[ranked]
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        counts = np.diff(np.r_[starts, len(pair)])
        first = ranked[starts]
        keep = np.argsort(who[first] * span + order[first])
        who, col, counts = who[first][keep], col[first][keep], counts[keep]
        return who, col, counts
