"""What a report run finds, in plain sentences computed from its tables.

The report page opens with these sentences, the README quotes them for the
seeds, and the notebooks end with them, so every place that states a finding
states the same numbers as ``results/``. Each function takes the tables of
:func:`analysis.run.pipeline.corpus_tables` (or the CSVs read back from
``results/``) and returns a :class:`Finding`: the sentence and the report
block (a figure's file stem or a table's title) that holds its evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

Tables = Mapping[str, pd.DataFrame]
ALPHA = 0.05


@dataclass(frozen=True)
class Finding:
    """One summary sentence and the report block that shows its evidence."""

    text: str
    target: str
    link: str


def plural(n: int, word: str, words: str | None = None) -> str:
    """``"1 hit"``, ``"2 hits"``: *n* and the word in the right number."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _signed(x: float) -> str:
    """``+0.11`` or ``−0.01``: two decimals, with a sign, and a true minus sign."""
    return f"{x:+.2f}".replace("-", "\u2212")


def _date(value: object) -> str:
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%b %Y}"


def corpus_finding(tables: Tables) -> Finding:
    """Articles, their dates, phases and outlets, and the word tokens analysed."""
    docs = tables["documents"]
    by_date = docs.sort_values(["date", "doc_id"])
    phases = by_date["phase"].fillna("").replace("", "no phase").value_counts(sort=False)
    phase_text = ", ".join(f"{n} {p}" for p, n in phases.items())
    dates = pd.to_datetime(docs["date"], errors="coerce").dropna()
    date_text = (
        f", dated {_date(dates.min())}"
        + (f" to {_date(dates.max())}" if dates.max() != dates.min() else "")
        if len(dates)
        else ""
    )
    outlets = sorted(o for o in docs["outlet"].fillna("").unique() if o)
    outlet_text = f" from {_join(outlets)}" if outlets else " (no outlet recorded)"
    return Finding(
        f"The corpus holds {plural(len(docs), 'article')}{outlet_text}{date_text} "
        f"(phases: {phase_text}), {int(docs['n_tokens'].sum()):,} word tokens in all.",
        "Documents",
        "Table: documents",
    )


def framing_finding(tables: Tables, *, n: int = 4) -> Finding | None:
    """The frames whose counts moved most between the compared groups (B → A)."""
    shift = tables.get("frame_shifts")
    if shift is None or shift.empty:
        return None
    moved = shift.assign(_moved=(shift["count_a"] - shift["count_b"]).abs())
    moved = moved[moved["_moved"] > 0].sort_values(["_moved", "frame"], ascending=[False, True])
    if moved.empty:
        return None
    a, b = moved["group_a"].iloc[0], moved["group_b"].iloc[0]
    items = [
        f"{r.frame} ({r.count_b} → {r.count_a})" for r in moved.head(n).itertuples(index=False)
    ]
    return Finding(
        f"The frames that moved most from {b} to {a} (framing-term hits in {b} → {a}, from "
        f"{int(moved['total_b'].iloc[0]):,} and {int(moved['total_a'].iloc[0]):,} word tokens): "
        f"{_join(items)}.",
        "framing_rates_by_phase",
        "Figure: framing rates",
    )


def speakers_finding(tables: Tables) -> Finding | None:
    """Who is quoted most (by words quoted) on each side with a resolved speaker."""
    speakers = tables.get("speakers")
    if speakers is None or speakers.empty:
        return None
    known = speakers[speakers["side"].fillna("unknown").ne("unknown")]
    if known.empty:
        r = speakers.sort_values(["words_quoted", "speaker"], ascending=[False, True]).iloc[0]
        return Finding(
            f"Quoted most, by words quoted: {r['speaker']} "
            f"({plural(int(r['n_utterances']), 'utterance')}, "
            f"{plural(int(r['words_quoted']), 'word')}); no speaker's side is known.",
            "Speakers",
            "Table: speakers",
        )
    per_side = known.groupby("side")["words_quoted"].sum().sort_values(ascending=False)
    items = []
    for side in per_side.index:
        top = known[known["side"] == side].sort_values(
            ["words_quoted", "speaker"], ascending=[False, True]
        )
        r = top.iloc[0]
        items.append(
            f"{side}: {r['speaker']} ({plural(int(r['n_utterances']), 'utterance')}, "
            f"{plural(int(r['words_quoted']), 'word')})"
        )
    return Finding(
        "Quoted most on each side, by words quoted: " + "; ".join(items) + ".",
        "Speakers",
        "Table: speakers",
    )


def significance_finding(tables: Tables, *, alpha: float = ALPHA) -> Finding | None:
    """Which frame differences survive Benjamini–Hochberg correction, and which do not."""
    shift = tables.get("frame_shifts")
    if shift is None or shift.empty:
        return None
    used = shift[(shift["count_a"] + shift["count_b"]) > 0]
    if used.empty:
        return None
    a, b = used["group_a"].iloc[0], used["group_b"].iloc[0]
    sig = used[used["p_adj"] < alpha].sort_values("p_adj")
    rest = used[~(used["p_adj"] < alpha)]
    if sig.empty:
        first = f"No frame differs between {a} and {b} after Benjamini–Hochberg correction"
    else:
        named = [
            f"the {r.frame} frame ({r.count_a} vs {r.count_b} hits in {a} vs {b}, "
            f"adjusted p = {r.p_adj:.3f})"
            for r in sig.itertuples(index=False)
        ]
        verb = "differs" if len(sig) == 1 else "differ"
        first = f"After Benjamini–Hochberg correction, {_join(named)} {verb} significantly"
    if rest.empty:
        second = ""
    else:
        best = rest.sort_values(["p_adj", "frame"]).iloc[0]
        second = (
            f"; the other {plural(len(rest), 'frame')} do not (smallest adjusted p = "
            f"{best['p_adj']:.3f}, {best['frame']})"
            if len(rest) > 1
            else f"; {best['frame']} does not (adjusted p = {best['p_adj']:.3f})"
        )
    terms = tables.get("findings")
    third = ""
    if terms is not None and len(terms):
        n_sig = int((terms["p_adj"] < alpha).sum())
        third = (
            f". None of the {len(terms)} framing terms used is significant on its own"
            if n_sig == 0
            else f". {n_sig} of the {len(terms)} framing terms used "
            f"{'is' if n_sig == 1 else 'are'} significant on its own"
        )
    return Finding(first + second + third + ".", "frame_shifts", "Figure: frame shifts")


def keyness_finding(tables: Tables, *, alpha: float = ALPHA, n: int = 5) -> Finding | None:
    """Which words and phrases of all, not only the lexicon's, survive correction."""
    key = tables.get("keyness")
    if key is None or key.empty:
        return None
    sig = key.loc[key["p_adj"] < alpha, ["term", "count_a", "count_b", "key_in", "p_adj"]]
    # the n first by (p_adj, term): those at or below the n-th smallest p_adj, sorted. Sorting
    # every significant term by its text took 0.1 s on ten copies of PolNeAR train
    first = sig.nsmallest(n, "p_adj", keep="all").sort_values(["p_adj", "term"])
    if sig.empty:
        text = (
            f"Across all {len(key):,} words and two-word phrases, none differs significantly "
            "after correction."
        )
    else:
        items = [
            f"'{r.term}' ({r.count_a} vs {r.count_b}, more in {r.key_in}, "
            f"adjusted p = {r.p_adj:.3f})"
            for r in first.head(n).itertuples(index=False)
        ]
        more = f" and {len(sig) - n} more" if len(sig) > n else ""
        text = (
            f"Across all {len(key):,} words and two-word phrases, "
            + ("only one differs" if len(sig) == 1 else f"{len(sig):,} differ")
            + f" significantly after correction: {_join(items)}{more}."
        )
    return Finding(text, "keyness_terms", "Figure: keyness")


def sentiment_finding(tables: Tables) -> Finding | None:
    """The difference in mean sentence tone between the groups, with its interval."""
    shift = tables.get("sentiment_shifts")
    if shift is None or shift.empty:
        return None
    row = shift[(shift["unit"] == "sentences") & (shift["scope"] == "all")]
    if row.empty:
        return None
    r = row.iloc[0]
    if pd.isna(r["ci_low"]):
        return None
    return Finding(
        f"Mean sentence tone (VADER compound, −1 to +1) is {_signed(r['mean_a'])} in "
        f"{r['group_a']} and {_signed(r['mean_b'])} in {r['group_b']}: a difference of "
        f"{_signed(r['diff'])} (95% CI {_signed(r['ci_low'])} to {_signed(r['ci_high'])}, "
        f"permutation p = {r['p_perm']:.2f}, "
        f"n = {int(r['n_a'])} and {int(r['n_b'])} sentences).",
        "sentiment_shifts",
        "Figure: sentiment shifts",
    )


def stance_finding(tables: Tables, *, n: int = 4) -> Finding | None:
    """How each side speaks of the most-mentioned targets, and whether any shift survives
    correction.

    The side × target cells of all phases with at least 3 mentions, most mentions first.
    """
    table = tables.get("stance_by_speaker")
    if table is None or table.empty:
        return None
    cells = table[(table["level"] == "side") & (table["phase"] == "all") & ~table["too_few"]]
    if cells.empty:
        return None
    top = cells.sort_values(["n", "speaker_side", "target"], ascending=[False, True, True])
    items = [
        f"{r.speaker_side} toward {r.target} {_signed(r.mean_stance)} "
        f"(95% CI {_signed(r.ci_low)} to {_signed(r.ci_high)}, n = {int(r.n)})"
        for r in top.head(n).itertuples(index=False)
    ]
    text = (
        "Mean stance (p_positive − p_negative, −1 to +1) of the most-mentioned side × target "
        f"pairs: {_join(items)}."
    )
    shifts = tables.get("stance_shifts")
    if shifts is not None and shifts["p_adj"].notna().any():
        tested = shifts.dropna(subset=["p_adj"])
        sig = tested[tested["p_adj"] < ALPHA]
        best = tested.sort_values(["p_adj", "speaker_side", "target"]).iloc[0]
        if sig.empty:
            text += (
                f" No side's stance toward a target shifted significantly after correction "
                f"(smallest adjusted p = {best['p_adj']:.3f}, {best['speaker_side']} toward "
                f"{best['target']}, of {plural(len(tested), 'pair')} tested)."
            )
        else:
            text += (
                f" After correction, {plural(len(sig), 'shift')} of "
                f"{plural(len(tested), 'pair')} tested "
                + ("is" if len(sig) == 1 else "are")
                + f" significant; the strongest: {best['speaker_side']} toward "
                f"{best['target']}, {_signed(best['diff'])} (adjusted p = {best['p_adj']:.3f})."
            )
    return Finding(text, "stance_matrix", "Figure: stance matrix")


def findings(tables: Tables) -> list[Finding]:
    """Every summary finding the tables support, in reading order."""
    parts = [
        corpus_finding(tables),
        framing_finding(tables),
        speakers_finding(tables),
        significance_finding(tables),
        keyness_finding(tables),
        sentiment_finding(tables),
    ]
    return [f for f in parts if f is not None]


def summary_text(tables: Tables) -> str:
    """The summary as plain prose, one finding per line (for notebooks and the README)."""
    return "\n".join(f.text for f in findings(tables))


def summary_markdown(tables: Tables) -> str:
    """The summary as a Markdown list, as ``results/summary.md`` and the README carry it."""
    return "".join(f"- {f.text}\n" for f in findings(tables))


Topic = Literal["corpus", "framing", "speakers", "comparison", "stance"]
_TOPICS = {
    "corpus": (corpus_finding,),
    "framing": (framing_finding,),
    "speakers": (speakers_finding,),
    "comparison": (significance_finding, keyness_finding, sentiment_finding),
    "stance": (stance_finding,),
}
_NOTHING = {
    "corpus": "The corpus is empty.",
    "framing": "No frame's count differs between the compared groups.",
    "speakers": "No utterance has a resolved speaker.",
    "comparison": "Nothing to compare: one of the compared groups has no articles.",
    "stance": "No target has at least 3 mentions by one side.",
}


def what_this_shows(tables: Tables, *, about: Topic) -> str:
    """The findings on one topic as prose, for the end of a notebook.

    Says so in words when the tables hold nothing to report on the topic.
    """
    found = [f for build in _TOPICS[about] if (f := build(tables)) is not None]
    return " ".join(f.text for f in found) if found else _NOTHING[about]
