"""Every figure stays bounded for a large corpus: a few hundred labels and rows at most.

The tables are generated here for a corpus of thousands of documents, speakers,
targets, terms and sentences (no analysis is run), every figure is laid out, and
the test counts what would be drawn: text labels, y-axis rows and data marks. It
counts artists, not seconds, so it does not depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from analysis.report import figure_cache, plots
from analysis.report.figures import BUILDERS
from analysis.types import Event

N_DOCS = 3000
N_SPEAKERS = 2000
N_TARGETS = 400
N_TERMS = 6000
N_LEXICON = 120
N_FRAMES = 9
SENTENCES_PER_DOC = 30
PHASES = ("pre", "during", "post")
SIDES = ("Chinese official", "US official", "media", "other", "unknown")

#: What any one figure may draw at most, whatever the corpus size.
MAX_TEXTS = 450
MAX_ROWS = 60
MAX_MARKS = 12_000


def _ids(prefix: str, n: int) -> np.ndarray:
    """*n* distinct names made of letters only ("term baaa", "term baab", ...)."""
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word(i: int) -> str:
        return "".join(letters[(i // 26**k) % 26] for k in range(3, -1, -1))

    return np.array([f"{prefix} {word(i + 26**3)}" for i in range(n)], dtype=object)


def large_tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    """Corpus tables with the columns the figures read, at the scale of a large corpus."""
    rng = np.random.default_rng(seed)
    doc_ids = _ids("doc", N_DOCS)
    dates = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 150, N_DOCS), "D")
    phase = np.where(
        dates < pd.Timestamp("2021-03-18"),
        "pre",
        np.where(dates > pd.Timestamp("2021-03-19"), "post", "during"),
    )
    docs = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "date": dates.strftime("%Y-%m-%d"),
            "phase": phase,
            "n_tokens": rng.integers(200, 2000, N_DOCS),
        }
    )
    frames = _ids("frame", N_FRAMES)
    terms = _ids("term", N_LEXICON)
    term_frame = frames[np.arange(N_LEXICON) % N_FRAMES]
    by_phase = pd.DataFrame(
        [
            {
                "phase": p,
                "frame": term_frame[i],
                "term": terms[i],
                "n_docs": 1000,
                "count": int(rng.integers(1, 500)),
                "count_heading": 0,
                "n_tokens": 10**6,
            }
            for p in PHASES
            for i in range(N_LEXICON)
        ]
    ).assign(rate_per_1k=lambda d: d["count"] / 1000)
    frames_by_phase = (
        by_phase.groupby(["phase", "frame"], as_index=False)[["count", "count_heading"]]
        .sum()
        .assign(n_docs=1000, n_tokens=10**6, rate_per_1k=lambda d: d["count"] / 1000)
    )
    n_hits = 40_000
    hit_doc = rng.integers(0, N_DOCS, n_hits)
    kwic = pd.DataFrame(
        {
            "doc_id": doc_ids[hit_doc],
            "phase": phase[hit_doc],
            "frame": frames[rng.integers(0, N_FRAMES, n_hits)],
            "paragraph_type": np.where(rng.random(n_hits) < 0.05, "heading", "body"),
            "position": rng.random(n_hits),
        }
    )
    framing_frames = kwic.groupby(["doc_id", "phase", "frame"], as_index=False).size()
    weeks = pd.date_range("2021-01-04", periods=22, freq="7D")
    periods = pd.DataFrame(
        {
            "period_start": weeks.strftime("%Y-%m-%d"),
            "period_end": (weeks + pd.Timedelta(days=6)).strftime("%Y-%m-%d"),
            "period_mid": (weeks + pd.Timedelta(days=3)).strftime("%Y-%m-%d"),
            "freq": "week",
        }
    )
    by_period = periods.merge(pd.DataFrame({"frame": frames}), how="cross").assign(
        n_docs=100, count=50, n_tokens=10**5, rate_per_1k=lambda d: rng.random(len(d)) * 3
    )
    mood = periods.assign(n=500, n_docs=100, mean=rng.normal(0, 0.2, len(periods)), sd=0.4)
    speakers = _ids("Speaker", N_SPEAKERS)
    side_of = np.array(SIDES, dtype=object)[np.arange(N_SPEAKERS) % len(SIDES)]
    n_utt = 30_000
    who = rng.integers(0, N_SPEAKERS, n_utt)
    utterances = pd.DataFrame(
        {
            "doc_id": doc_ids[rng.integers(0, N_DOCS, n_utt)],
            "speaker": speakers[who],
            "side": side_of[who],
            "phase": np.array(PHASES, dtype=object)[rng.integers(0, 3, n_utt)],
            "n_words": rng.integers(5, 80, n_utt),
            "compound": rng.uniform(-1, 1, n_utt),
        }
    )
    spk = utterances.groupby(["speaker", "side"], as_index=False).agg(
        n_utterances=("n_words", "size"), words_quoted=("n_words", "sum"), mean=("compound", "mean")
    )
    spk_phase = (
        utterances.groupby(["speaker", "side", "phase"], as_index=False)
        .agg(n=("n_words", "size"), mean=("compound", "mean"), n_words=("n_words", "sum"))
        .assign(ci_low=lambda d: d["mean"] - 0.2, ci_high=lambda d: d["mean"] + 0.2)
        .assign(too_few=lambda d: d["n"] < 3)
    )
    n_sent = N_DOCS * SENTENCES_PER_DOC
    sentences = pd.DataFrame(
        {
            "doc_id": np.repeat(doc_ids, SENTENCES_PER_DOC),
            "sentence_id": np.tile(np.arange(SENTENCES_PER_DOC), N_DOCS),
            "position": np.tile(np.linspace(0, 0.99, SENTENCES_PER_DOC), N_DOCS),
            "compound": rng.uniform(-1, 1, n_sent),
            "phase": np.repeat(phase, SENTENCES_PER_DOC),
        }
    )
    vocab = np.concatenate([terms, _ids("word", N_TERMS)])
    count_a, count_b = rng.integers(0, 300, len(vocab)), rng.integers(0, 300, len(vocab))
    keyness = pd.DataFrame(
        {
            "term": vocab,
            "group_a": "post",
            "group_b": "pre",
            "count_a": count_a,
            "count_b": count_b,
            "total_a": 10**6,
            "total_b": 10**6,
            "rate_a": count_a / 1000,
            "rate_b": count_b / 1000,
            "g2": rng.exponential(5, len(vocab)),
            "p_adj": rng.random(len(vocab)),
            "key_in": np.where(count_a >= count_b, "post", "pre"),
            "lexicon_frame": np.concatenate([term_frame, np.full(N_TERMS, "", dtype=object)]),
        }
    ).sort_values("g2", ascending=False, ignore_index=True)
    frame_shifts = pd.DataFrame(
        {
            "frame": frames,
            "group_a": "post",
            "group_b": "pre",
            "count_a": 100,
            "count_b": 80,
            "total_a": 10**6,
            "total_b": 10**6,
            "log_ratio": rng.normal(0, 1, N_FRAMES),
        }
    ).assign(
        lr_low=lambda d: d["log_ratio"] - 0.5,
        lr_high=lambda d: d["log_ratio"] + 0.5,
        p_adj=0.01,
    )
    scopes = ["all", *SIDES]
    sentiment_shifts = pd.DataFrame(
        [
            {"unit": u, "scope": s, "group_a": "post", "group_b": "pre", "n_a": 900, "n_b": 800}
            for u in ("sentences", "utterances")
            for s in scopes
        ]
    ).assign(diff=0.05, ci_low=-0.05, ci_high=0.15, p_perm=0.2, too_few=False)
    targets = _ids("Target", N_TARGETS)
    n_cells = 20_000
    cell_speaker = rng.integers(0, N_SPEAKERS, n_cells)
    stance_by_speaker = (
        pd.DataFrame(
            {
                "level": "speaker",
                "speaker": speakers[cell_speaker],
                "speaker_side": side_of[cell_speaker],
                "target": targets[rng.integers(0, N_TARGETS, n_cells)],
                "target_side": "US",
                "phase": "all",
                "n": rng.integers(1, 20, n_cells),
                "mean_stance": rng.uniform(-1, 1, n_cells),
            }
        )
        .drop_duplicates(["speaker", "target"])
        .assign(too_few=lambda d: d["n"] < 3)
    )
    stance = pd.DataFrame({"doc_id": doc_ids[rng.integers(0, N_DOCS, 50_000)]})
    pairs = pd.DataFrame(
        {"speaker_side": np.repeat(SIDES, N_TARGETS), "target": np.tile(targets, len(SIDES))}
    )
    stance_shifts = pairs.assign(
        target_side="US",
        group_a="post",
        group_b="pre",
        n_a=rng.integers(1, 50, len(pairs)),
        n_b=rng.integers(1, 50, len(pairs)),
        diff=rng.normal(0, 0.3, len(pairs)),
        p_adj=rng.random(len(pairs)),
    ).assign(
        ci_low=lambda d: d["diff"] - 0.2,
        ci_high=lambda d: d["diff"] + 0.2,
        too_few=lambda d: (d["n_a"] < 3) | (d["n_b"] < 3),
    )
    return {
        "documents": docs,
        "framing_terms_by_phase": by_phase,
        "framing_frames_by_phase": frames_by_phase,
        "framing_frames": framing_frames,
        "framing_kwic": kwic,
        "framing_frames_by_period": by_period,
        "sentiment_by_period": mood,
        "utterances": utterances,
        "speakers": spk,
        "speakers_by_phase": spk_phase,
        "sentences": sentences,
        "keyness": keyness,
        "frame_shifts": frame_shifts,
        "sentiment_shifts": sentiment_shifts,
        "stance_by_speaker": stance_by_speaker,
        "stance": stance,
        "stance_shifts": stance_shifts,
    }


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return large_tables()


def drawn(fig) -> dict[str, int]:
    """Text labels, y-axis rows (tick labels of the widest axis) and data marks of *fig*."""
    fig.draw_without_rendering()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure]
    rows = max((len(ax.get_yticks()) for ax in fig.axes), default=0)
    marks = sum(len(c.get_offsets()) for c in fig.findobj(Collection) if c.get_visible())
    marks += sum(1 for line in fig.findobj(Line2D) if line.get_visible())
    return {"texts": len(texts), "rows": rows, "marks": marks}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_figure_stays_bounded_for_a_large_corpus(name, tables):
    build = BUILDERS[name]
    corpus = SimpleNamespace(
        event=Event("Alaska talks", dt.date(2021, 3, 18), dt.date(2021, 3, 19))
    )
    counts = drawn(build(figure_cache.inputs(build, tables), corpus))
    assert counts["texts"] <= MAX_TEXTS, counts
    assert counts["rows"] <= MAX_ROWS, counts
    assert counts["marks"] <= MAX_MARKS, counts


def test_the_caps_are_stated_in_the_titles(tables):
    corpus = SimpleNamespace(event=None)
    titles = {}
    for name in ("framing_rates_by_phase", "stance_shifts", "sentiment_arc"):
        build = BUILDERS[name]
        fig = build(figure_cache.inputs(build, tables), corpus)
        titles[name] = " ".join(ax.get_title(loc="left") for ax in fig.axes)
    assert f"the 40 of {N_LEXICON} terms with the most hits" in titles["framing_rates_by_phase"]
    assert f"the 30 of {len(SIDES) * N_TARGETS} pairs" in titles["stance_shifts"]
    assert f"n = {N_DOCS:,} articles" in titles["sentiment_arc"]


def test_the_term_scatter_labels_do_not_overlap():
    # ten framing terms with long names, their points in a row a little apart: each
    # label would run over the next point's label; the labels are measured as drawn
    terms = pd.DataFrame(
        {
            "term": [f"communication{i}" for i in range(10)],
            "rate_b": 1.2 ** np.arange(10),
            "rate_a": 0.5,
            "highlight": True,
            "g2": np.arange(10.0, 0, -1),
        }
    )
    fig = Figure(figsize=(7.5, 7), dpi=150)
    ax = plots.plot_term_scatter(terms, rank="g2", ax=fig.add_subplot())
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(boxes) >= 3
    assert [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)] == []
