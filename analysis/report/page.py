"""The report page: which figures, tables and evidence ``figures/report.html`` shows.

:func:`build_page` arranges what a report run produced into sections (corpus,
framing, speakers, comparison) and hands them to
:func:`analysis.report.html.render_report`. Figure captions are the figure
builders' docstrings (:mod:`analysis.report.figures`), so a caption always describes
the code that drew it. Evidence comes last in each section: the KWIC lines
behind the framing counts and the quotes behind the speaker chart.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping

import pandas as pd

from analysis.report import figures
from analysis.report.html import FigureBlock, Section, TableBlock, render_report
from analysis.stats import keyness
from analysis.stats.comparison import SENTIMENT_SHIFT_COLUMNS

Tables = Mapping[str, pd.DataFrame]


def _caption(name: str) -> str:
    return inspect.getdoc(figures.BUILDERS[name]) or ""


def _figures(names: list[str], pngs: Mapping[str, bytes]) -> list[FigureBlock]:
    return [
        FigureBlock(name, name.replace("_", " ").capitalize(), _caption(name), pngs[name])
        for name in names
        if name in pngs
    ]


def _table(
    tables: Tables, name: str, title: str, caption: str, columns: list[str], **kw
) -> list[TableBlock]:
    if name not in tables:
        return []
    data = tables[name]
    return [
        TableBlock(
            title,
            caption,
            data[[c for c in columns if c in data.columns]],
            source=f"results/{name}.csv",
            **kw,
        )
    ]


def corpus_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section:
    return Section(
        "Corpus",
        "The articles analysed, their publication dates and their phase relative to the event.",
        _table(
            tables,
            "documents",
            "Documents",
            "One row per article; word tokens count the title, headings, body and captions.",
            ["doc_id", "title", "date", "phase", "outlet", "n_tokens"],
        ),
    )


def framing_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section:
    terms = tables["framing_terms_by_phase"]
    used = terms[terms.groupby("term")["count"].transform("sum") > 0]
    return Section(
        "Framing terms",
        "How often each framing-lexicon term occurs, per 1,000 word tokens, and where. "
        "Heading hits are counted and marked as such.",
        [
            *_figures(
                [
                    "framing_rates_by_phase",
                    "frame_composition_by_phase",
                    "framing_dispersion",
                    "framing_over_time",
                ],
                pngs,
            ),
            TableBlock(
                "Framing terms by phase",
                "Pooled counts and rates of every lexicon term with at least one hit.",
                used[
                    ["phase", "frame", "term", "count", "count_heading", "n_tokens", "rate_per_1k"]
                ],
                max_rows=60,
                source="results/framing_terms_by_phase.csv",
            ),
            *_table(
                tables,
                "framing_kwic",
                "Evidence: every framing-term hit in context",
                "The lines behind the counts, with the paragraph type of each hit.",
                ["doc_id", "frame", "term", "paragraph_type", "left", "match", "right"],
                max_rows=80,
            ),
        ],
    )


def speakers_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section | None:
    if "utterances" not in tables:
        return None
    return Section(
        "Speakers and sentiment",
        "Who is quoted or reported, how much, and in what tone (VADER compound, −1 to +1). "
        "Speakers with fewer than 3 utterances are flagged: too few to read.",
        [
            *_figures(["speaker_sentiment", "share_of_voice", "sentiment_arc"], pngs),
            *_table(
                tables,
                "speakers",
                "Speakers",
                "Mean compound with its 95% bootstrap interval; too_few marks n < 3.",
                [
                    "speaker",
                    "speaker_type",
                    "side",
                    "role",
                    "n_utterances",
                    "words_quoted",
                    "mean",
                    "ci_low",
                    "ci_high",
                    "too_few",
                ],
                max_rows=60,
            ),
            *_table(
                tables,
                "utterances",
                "Evidence: every attributed utterance",
                "Each quote or reported statement, its speaker, cue and kind, and its VADER score.",
                ["doc_id", "speaker", "side", "kind", "cue", "text", "compound"],
                max_rows=120,
            ),
        ],
    )


def comparison_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section:
    key = tables["keyness"]
    groups = (
        f"{key['group_a'].iloc[0]} (A) against {key['group_b'].iloc[0]} (B)"
        if len(key)
        else "the two groups (one of them has no documents in this corpus)"
    )
    return Section(
        "What changed: " + groups,
        "With two short articles most differences could be chance. Every statistic below "
        "comes with its size and its uncertainty; results that are not significant after "
        "Benjamini–Hochberg correction are shown, not hidden. G² is " + keyness.G2_METHOD + ".",
        [
            *_table(
                tables,
                "findings",
                "Framing terms: is each difference significant?",
                "One line per lexicon term used in either group.",
                ["statement"],
                max_rows=60,
            ),
            *_figures(["keyness_terms", "term_scatter", "frame_shifts", "sentiment_shifts"], pngs),
            TableBlock(
                "Top keyness terms",
                "Ranked by G²; rates per 1,000 word tokens; z_logodds is the Fightin' Words "
                "z-score with a general-English prior (wordfreq).",
                key[
                    [
                        "term",
                        "key_in",
                        "count_a",
                        "count_b",
                        "rate_a",
                        "rate_b",
                        "g2",
                        "p_adj",
                        "log_ratio",
                        "pct_diff",
                        "z_logodds",
                    ]
                ].head(40),
                source="results/keyness.csv",
            ),
            *_table(
                tables,
                "frame_shifts",
                "Frame shifts",
                "Log Ratio with its exact 95% interval, G² and BH-adjusted p per frame.",
                [
                    "frame",
                    "count_a",
                    "count_b",
                    "rate_a",
                    "rate_b",
                    "diff",
                    "log_ratio",
                    "lr_low",
                    "lr_high",
                    "g2",
                    "p_adj",
                ],
            ),
            *_table(
                tables,
                "sentiment_shifts",
                "Sentiment shifts",
                "Difference in mean VADER compound (A minus B), bootstrap 95% CI, permutation p.",
                [c for c in SENTIMENT_SHIFT_COLUMNS if c not in ("group_a", "group_b")],
            ),
        ],
    )


def stance_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section | None:
    if "stance" not in tables:
        return None
    return Section(
        "Stance",
        "Who speaks of which target, and in what tone: each mention of a target (a country, "
        "person, issue or the talks; analysis/data/targets.csv) is scored negative, neutral "
        "or positive toward that target by the tone model trained on NewsMTSC news "
        "sentences. Stance is p_positive − p_negative (−1 to +1). Mentions outside any "
        "attributed utterance are the outlet's own voice, '(article)'. Cells with fewer than "
        "3 mentions are flagged: too few to read.",
        [
            *_figures(["stance_matrix", "stance_shifts"], pngs),
            *_table(
                tables,
                "stance_shifts",
                "Stance shifts per speaker side and target",
                "Difference in mean stance (A minus B), bootstrap 95% CI, permutation p, "
                "Benjamini–Hochberg adjusted over the side × target family.",
                ["speaker_side", "target", "n_a", "n_b", "mean_a", "mean_b", "diff"]
                + ["ci_low", "ci_high", "p_perm", "p_adj", "too_few"],
                max_rows=60,
            ),
            *_table(
                tables,
                "stance",
                "Evidence: every target mention",
                "Each mention with its speaker, the model's label and stance, and its sentence.",
                ["doc_id", "speaker", "target", "label", "stance", "left", "mention", "right"],
                max_rows=120,
            ),
        ],
    )


NOTES = (
    "Sentiment: VADER (Hutto & Gilbert, ICWSM 2014), from the vaderSentiment package.",
    "Stance: a tone-toward-target model trained on NewsMTSC (Hamborg & Donnay, EACL 2021).",
    "Keyness: Dunning (1993) G²; Hardie (2014) Log Ratio; Gabrielatos & Marchi (2012) %DIFF; "
    "Monroe, Colaresi & Quinn (2008) weighted log-odds z with an informative Dirichlet prior.",
    "Adjusted p-values: Benjamini & Hochberg (1995). Intervals: percentile bootstrap with a "
    "fixed seed; Log Ratio intervals are exact (Clopper–Pearson, conditional).",
)


def build_page(
    tables: Tables, pngs: Mapping[str, bytes], *, title: str, provenance_line: str
) -> str:
    """The whole report page as one HTML string."""
    sections = [
        corpus_section(tables, pngs),
        framing_section(tables, pngs),
        speakers_section(tables, pngs),
        comparison_section(tables, pngs),
        stance_section(tables, pngs),
    ]
    return render_report(
        title=title,
        sections=[s for s in sections if s is not None],
        provenance_line=provenance_line,
        notes=NOTES,
    )
