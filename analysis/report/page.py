"""The report page: which figures, tables and evidence ``figures/report.html`` shows.

:func:`build_page` opens the page with the findings of
:mod:`analysis.report.summary`, arranges what a report run produced into
sections (corpus, framing, speakers, comparison), closes it with the method
notes in words, and hands it all to
:func:`analysis.report.html.render_report`. Figure captions are the figure
builders' docstrings (:mod:`analysis.report.figures`), so a caption always describes
the code that drew it. Evidence comes last in each section: the KWIC lines
behind the framing counts and the quotes behind the speaker chart.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import partial

import pandas as pd

from analysis.report import comparison_figures, figures, summary
from analysis.report.html import FigureBlock, Section, SummaryItem, TableBlock, render_report
from analysis.stats.comparison import SENTIMENT_SHIFT_COLUMNS

Tables = Mapping[str, pd.DataFrame]
KWIC_TITLE = "Evidence: every framing-term hit in context"
UTTERANCES_TITLE = "Evidence: every attributed utterance"
FINDINGS_TITLE = "Framing terms: is each difference significant?"


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


def shorten(text: object, width: int = 40) -> str:
    """*text* cut at the last word boundary before *width* characters, with an ellipsis."""
    text = "" if pd.isna(text) else str(text)
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


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
                collapsed=True,
            ),
            *_table(
                tables,
                "framing_kwic",
                KWIC_TITLE,
                "The lines behind the counts, with the paragraph type of each hit.",
                ["doc_id", "frame", "term", "paragraph_type", "left", "match", "right"],
                max_rows=80,
                collapsed=True,
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
                "Mean compound with its 95% bootstrap interval; too_few marks n < 3. "
                "Roles are shortened here; the CSV has them in full.",
                [
                    "speaker",
                    "side",
                    "n_utterances",
                    "words_quoted",
                    "mean",
                    "ci_low",
                    "ci_high",
                    "too_few",
                    "role",
                ],
                max_rows=60,
                formats={"role": shorten},
            ),
            *_table(
                tables,
                "utterances",
                UTTERANCES_TITLE,
                "Each quote or reported statement, its speaker, cue and kind, and its VADER "
                "score. Texts longer than 160 characters are cut here; the CSV has them whole.",
                ["doc_id", "speaker", "side", "kind", "cue", "text", "compound"],
                max_rows=120,
                collapsed=True,
                formats={"text": partial(shorten, width=160)},
            ),
        ],
    )


def _significance_sentence(found: pd.DataFrame) -> str:
    n_sig = int(found["significant"].sum())
    return (
        f"{n_sig} of the {len(found)} framing terms used in either group "
        f"{'is' if n_sig == 1 else 'are'} significant after Benjamini–Hochberg correction "
        "(adjusted p < 0.05); the CSV also states each row as a sentence."
    )


def comparison_section(tables: Tables, pngs: Mapping[str, bytes]) -> Section:
    key = tables["keyness"]
    groups = (
        f"{key['group_a'].iloc[0]} (A) against {key['group_b'].iloc[0]} (B)"
        if len(key)
        else "the two groups (one of them has no documents in this corpus)"
    )
    found = tables["findings"]
    return Section(
        "What changed: " + groups,
        "With two short articles most differences could be chance. Every statistic below "
        "comes with its size and its uncertainty; results that are not significant after "
        "correction for multiple testing are shown, not hidden. How each is computed is "
        "described in the Notes at the end.",
        [
            TableBlock(
                FINDINGS_TITLE,
                _significance_sentence(found) if len(found) else "No framing term was used.",
                found[
                    ["frame", "term", "count_a", "count_b", "key_in", "g2", "log_ratio", "p_adj"]
                ],
                max_rows=40,
                source="results/findings.csv",
            ),
            *_figures(["keyness_terms", "term_scatter", "frame_shifts", "sentiment_shifts"], pngs),
            TableBlock(
                "Top keyness terms",
                "Content words and phrases ranked by G² (function words and numbers are in "
                "the CSV only); rates per 1,000 word tokens; z_logodds is the Fightin' Words "
                "z-score with a general-English prior (wordfreq).",
                key[comparison_figures.content_terms(key["term"])][
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
                ],
                max_rows=40,
                source="results/keyness.csv",
                collapsed=True,
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
                collapsed=True,
            ),
        ],
    )


#: The rows behind each summary finding, by the block the finding links to first.
EVIDENCE = {
    "framing_rates_by_phase": (KWIC_TITLE, "Evidence: every hit in context"),
    "Speakers": (UTTERANCES_TITLE, "Evidence: every utterance"),
    "frame_shifts": (FINDINGS_TITLE, "Table: every framing term"),
}

NOTES = (
    "Groups: A is the target group and B the reference (by default the articles after "
    "the event against those before it). Rates are per 1,000 word tokens.",
    "Keyness: Dunning's (1993) log-likelihood G² on the full two-by-two table (the term "
    "against all other words, group A against group B), with one degree of freedom; Hardie's "
    "(2014) Log Ratio, the base-2 logarithm of the ratio of the two rates, with a zero count "
    "taken as 0.5; Gabrielatos & Marchi's (2012) %DIFF; and Monroe, Colaresi & Quinn's (2008) "
    "weighted log-odds z with a general-English prior (word frequencies from wordfreq).",
    "Log Ratio intervals are exact 95% intervals conditional on the two counts "
    "(Clopper–Pearson); an interval is open (±∞) when one group has no hits.",
    "Adjusted p-values: Benjamini & Hochberg (1995) false discovery rate over all the rows "
    "of a table. Sentiment differences: a percentile bootstrap 95% interval and a permutation "
    "p-value, both with a fixed seed, so a re-run gives the same numbers.",
    "Sentiment: VADER (Hutto & Gilbert, ICWSM 2014), from the vaderSentiment package; the "
    "compound score runs from −1 (most negative) to +1 (most positive).",
    "Stance: a tone-toward-target model trained on NewsMTSC (Hamborg & Donnay, EACL 2021) "
    "scores each mention of a target negative, neutral or positive; stance is p_positive "
    "minus p_negative.",
    "Every column of every CSV is defined in results/README.md.",
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
        summary=[
            SummaryItem(f.text, f.target, f.link, *EVIDENCE.get(f.target, ("", "")))
            for f in summary.findings(tables)
        ],
    )
