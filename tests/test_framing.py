"""Framing-term counts, rates and KWIC lines on the self-written test corpus.

Expected counts are hand-counted from tests/fixtures/corpus/*.txt.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.loader import load_corpus
from analysis.run import workspace
from analysis.text import framing
from analysis.text.lexicon import load_lexicon, term_regex

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def built():
    return workspace.build(CORPUS)


@pytest.fixture(scope="module")
def tables(built):
    return built.tables


def _row(table, doc_id, term):
    rows = table[(table["doc_id"] == doc_id) & (table["term"] == term)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("doc_id", "term", "count", "count_heading"),
    [
        # title "sincerity", body "sincerity", heading "Sincerity", "sincere", "sincerer"
        ("pre_talks", "sincer*", 5, 1),
        ("post_talks", "sincer*", 0, 0),
        ("pre_talks", "bossy", 0, 0),
        ("post_talks", "bossy", 2, 0),
        # pre: 'new normal' in curly single quotes; post: the heading and "new-normal"
        ("pre_talks", "new normal", 1, 0),
        ("post_talks", "new normal", 2, 1),
        ("post_talks", "win-win", 1, 0),
        ("post_talks", "zero-sum", 1, 0),
    ],
)
def test_term_counts(tables, doc_id, term, count, count_heading):
    row = _row(tables["framing_terms"], doc_id, term)
    assert (row["count"], row["count_heading"]) == (count, count_heading)
    assert row["rate_per_1k"] == pytest.approx(1000 * count / row["n_tokens"])


def _merged_term_counts(hits, docs, n_tokens, lexicon):
    """term_counts' definition as merges: the grid of documents and entries, hits counted."""
    grid = docs[["doc_id", "phase"]].merge(lexicon.entries[["frame", "term"]], how="cross")
    counted = (
        hits.assign(heading=hits["paragraph_type"].eq("heading"))
        .groupby(["doc_id", "frame", "term"], sort=False)
        .agg(count=("match", "size"), count_heading=("heading", "sum"))
        .reset_index()
    )
    out = grid.merge(counted, on=["doc_id", "frame", "term"], how="left")
    out[["count", "count_heading"]] = out[["count", "count_heading"]].fillna(0).astype(int)
    out["n_tokens"] = out["doc_id"].map(n_tokens).fillna(0).astype(int)
    out["rate_per_1k"] = (1000 * out["count"] / out["n_tokens"].where(out["n_tokens"] > 0)).fillna(
        0.0
    )
    return out


def test_term_counts_equal_the_merged_grid(built, tables):
    docs = tables["documents"]
    n_tokens = docs.set_index("doc_id")["n_tokens"]
    entries = load_lexicon().entries
    # an entry listed twice, and hits of a document and an entry not in the grid
    lexicon = SimpleNamespace(entries=pd.concat([entries, entries.iloc[[0]]], ignore_index=True))
    hits = built.run.tables["hits"]
    stray = hits.iloc[[0, 1]].copy()
    stray.loc[stray.index[0], "doc_id"] = "elsewhere"
    stray.loc[stray.index[1], "term"] = "not an entry"
    hits = pd.concat([hits, stray, hits.iloc[[0]]], ignore_index=True)
    want = _merged_term_counts(hits, docs, n_tokens, lexicon)
    pd.testing.assert_frame_equal(framing.term_counts(hits, docs, n_tokens, lexicon), want)
    assert want["count"].sum() > 0
    empty = framing.term_counts(hits.iloc[0:0], docs, n_tokens, lexicon)
    assert len(empty) == len(want) and empty["count"].sum() == 0


def test_one_row_per_document_and_entry(tables):
    terms = tables["framing_terms"]
    n_entries = len(load_lexicon().entries)
    assert len(terms) == 2 * n_entries
    assert {"doc_id", "phase", "frame", "term", "count", "rate_per_1k"} <= set(terms.columns)
    assert not terms.duplicated(["doc_id", "frame", "term"]).any()


def test_denominator_is_word_tokens_of_counted_paragraphs(tables):
    docs = tables["documents"].set_index("doc_id")
    terms = tables["framing_terms"]
    for doc_id, n in terms.groupby("doc_id")["n_tokens"].first().items():
        assert n == docs.loc[doc_id, "n_tokens"]
    # the caption stub "A delegate waves a" and the byline are not counted
    assert "Chen" not in set(tables["sentences"]["text"].str.split().sum())


def test_phase_table_pools_counts_and_tokens(tables):
    by_phase = tables["framing_terms_by_phase"]
    row = by_phase[(by_phase["phase"] == "post") & (by_phase["term"] == "bossy")].iloc[0]
    n_post = tables["documents"].set_index("doc_id").loc["post_talks", "n_tokens"]
    assert row["count"] == 2
    assert row["rate_per_1k"] == pytest.approx(2000 / n_post)


def test_frame_counts_sum_their_terms(tables):
    frames = tables["framing_frames"]
    terms = tables["framing_terms"]
    expected = terms.groupby(["doc_id", "frame"])["count"].sum()
    got = frames.set_index(["doc_id", "frame"])["count"]
    assert got.sort_index().tolist() == expected.sort_index().tolist()


def test_kwic_lines_mark_heading_hits_and_quote_the_source(tables):
    kwic = tables["framing_kwic"]
    corpus = load_corpus(CORPUS)
    raw = {d.doc_id: d.text for d in corpus.documents}
    for row in kwic.itertuples():
        assert raw[row.doc_id][row.start : row.end] == row.match
        assert 0 <= row.position <= 1
    heading = kwic[(kwic["paragraph_type"] == "heading")]
    assert sorted(heading["match"]) == ["Sincerity", "new normal"]
    assert len(kwic) == tables["framing_terms"]["count"].sum()


def test_kwic_context_is_cut_at_word_boundaries(tables):
    kwic = tables["framing_kwic"]
    corpus = load_corpus(CORPUS)
    raw = {d.doc_id: d.text for d in corpus.documents}
    for row in kwic.itertuples():
        text = " ".join(raw[row.doc_id].split())
        # the context's outer edge falls between words: after a space (or the text's
        # start) on the left, before a space (or the text's end) on the right
        if row.left:
            assert re.search(r"(?<!\S)" + re.escape(row.left), text), row.left
        if row.right:
            assert re.search(re.escape(row.right) + r"(?!\S)", text), row.right


CUT_TEXT = "one two three four five"  # "three" spans characters 8 to 13


@pytest.mark.parametrize(
    ("start", "end", "side", "expected"),
    [
        (10, 23, "left", "four five"),  # "ree" is cut by the window: dropped
        (14, 23, "left", "four five"),  # starts after a space
        (13, 23, "left", "four five"),  # starts on the space
        (0, 12, "right", "one two"),  # "thre" is cut by the window: dropped
        (0, 13, "right", "one two three"),  # ends before a space
        (0, 23, "right", "one two three four five"),  # ends at the text's end
    ],
)
def test_kwic_cut_drops_only_a_word_the_window_cuts(start, end, side, expected):
    assert framing._cut(CUT_TEXT, start, end, side=side) == expected


def test_tfidf_and_top_terms_exclude_stop_words(tables):
    top = tables["terms_top_by_phase"]
    assert not top["term"].isin(["the", "and", "of"]).any()
    tfidf = tables["terms_tfidf"]
    assert set(tfidf["doc_id"]) == {"pre_talks", "post_talks"}
    assert (tfidf["tfidf"] > 0).all()


def test_lexicon_frames_labels_terms_matching_an_entry_whole():
    from analysis.text.framing import lexicon_frames
    from analysis.text.lexicon import parse_lexicon

    lexicon = parse_lexicon(
        "frame,term,note\nsincerity,sincer*,\nreset,new normal,\nhegemony,boss*,\nother,bossy,\n",
        "small.csv",
    )
    terms = pd.Series(
        ["Sincerity", "new normal", "new-normal", "bossy", "insincere", "new", "sincerely yours"],
        index=[10, 11, 12, 13, 14, 15, 16],
    )
    frames = lexicon_frames(terms, lexicon)
    assert frames.index.tolist() == terms.index.tolist()
    # the first matching entry wins (bossy is hegemony, not other); a match is whole-term
    assert frames.tolist() == ["sincerity", "reset", "reset", "hegemony", "", "", ""]


def _reference_term_regex(term: str, flags: int) -> re.Pattern[str]:
    """A term's pattern in its plain form: the word-start test before the first word."""
    pieces = []
    for part in [p for p in re.split(r"[\s\-]+", term.strip()) if p]:
        pieces.append(re.escape(part.rstrip("*")) + (r"\w*" if part.endswith("*") else ""))
    return re.compile(r"(?<!\w)" + r"[ \-'\"]+".join(pieces) + r"(?!\w)", flags)


@settings(max_examples=400, deadline=None)
@given(
    term=st.sampled_from(["ab", "a*", "'b", "b a*", "1", "ab-ba", "US", "A.B.", "*", "ſk"]),
    text=st.text(alphabet="abAB_'-\n .1ſKİıé\"", max_size=16),
    window=st.tuples(st.integers(0, 16), st.integers(0, 16)),
    case_sensitive=st.booleans(),
)
def test_term_regex_matches_where_the_plain_form_does(term, text, window, case_sensitive):
    """term_regex puts the word-start test after the first character, for speed only."""
    fast = term_regex(term, case_sensitive=case_sensitive)
    plain = _reference_term_regex(term, 0 if case_sensitive else re.IGNORECASE)
    start = min(window[0], len(text))
    end = min(max(window), len(text))
    spans = [m.span() for m in fast.finditer(text, start, end)]
    assert spans == [m.span() for m in plain.finditer(text, start, end)]
    assert (fast.fullmatch(text) is None) == (plain.fullmatch(text) is None)
    assert (fast.match(text, start) is None) == (plain.match(text, start) is None)
