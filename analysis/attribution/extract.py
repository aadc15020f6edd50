"""Who said what: direct quotes and reported speech with their speakers.

:func:`attribute_text` finds the utterances of a plain text, :func:`attribute_document`
those of a parsed :class:`~analysis.types.Document`; :func:`attribute_texts` and
:func:`attribute_documents` do many at once. Speakers are resolved per document by
:class:`analysis.attribution.speakers.SpeakerResolver`. Everything is regular expressions over
the text and the shipped word lists (``data/cue_verbs.csv`` and the speaker files):
no model is loaded and nothing is downloaded.

Decisions
---------
- **Paragraphs.** Without explicit paragraphs a text is split at blank lines (at
  single newlines when it has none). ``attribute_document`` reads body and caption
  paragraphs: titles and headings are labels, not speech; captions often quote.
- **Quote marks.** ``"``, curly double quotes, guillemets and the doubled
  apostrophe ``''`` of some archives. Single quotes are apostrophes far more
  often and are not read as quote marks.
- **Unbalanced marks.** A quote never runs past its paragraph unless the news
  convention says so: an unclosed quote whose next paragraph opens with a quote
  mark continues there. Any other unclosed quote ends at its paragraph's end and is
  kept only when it opens a clause (at a paragraph or sentence start, or after a
  comma, colon or dash); a stray mark elsewhere (an inch sign, a typo) is ignored.
  So no mark can swallow the rest of a document.
- **Cues** are the forms in ``data/cue_verbs.csv`` (frames ``speech``, ``tell``,
  ``cognition``, ``naming``), "according to" and "quoted/cited X (as) saying". A cue
  inside a quote belongs to the quoted speech and is skipped, as is one after "to",
  an article, a possessive or a form of "be" ("declined to say", "the said", "was
  told"), and a noun-like form ("states", "reports") not followed by content.
  ``naming`` verbs ("called it "a historic mistake"") count only with a quote of
  three or more words right after them. A quote ending in ``,``/``?``/``!`` inside
  its marks and followed by a name and a verb ('"...," Trump shot back') is an
  utterance even when the verb is not listed. A quote after a colon takes the cue
  ``:`` and the sentence's subject ("Yang said on Friday:" at a paragraph's end
  introduces the next paragraph's quote).
- **Speaker mention** is the subject before the cue (after auxiliaries and
  adverbs, over an appositive ", associate dean of ...," that becomes ``role``,
  an age or party tag, a parenthesis or dashes), or the name after an inverted cue
  ("..., said Yang", "..., said Foreign Ministry spokesperson Li Ming": title
  words inside the name run are kept). An appositive may span several commas:
  a subject that is the object of a preposition ("..., a professor at the Center
  for American Studies, Fudan University, told") or a lower-case role ("Wu
  Xinbo, dean of ..., when speaking at ..., said") is part of the appositive, and
  the subject is the name before it; a clause (", when speaking ...") is not part
  of the role. After ", who" the mention is ``who`` and the speaker its
  antecedent (PolNeAR marks the relative pronoun as the source). "... and said",
  ", adding that ...", ", saying ..." share the subject of the sentence's previous
  utterance, else the sentence's subject. A participle opening a sentence
  ("Noting China does not expect quick results, Chen voiced hope ...") is an
  utterance of the main clause's subject, its content running to the comma.
- **A final cue clause wins.** In "China urges the US side to respect its
  interests, Li said." the speaker is Li: a cue whose sentence ends with a cue
  clause of its own (", Li said.", ", he added on Friday.") is part of that
  clause's reported content. Cues in the word list ``needs_clause`` ("concluded",
  "continued", "maintained") are cues only before "that", a quote or a colon.
- **Content spans follow PolNeAR** (Newell, Margolin & Ruths, LREC 2018): quote marks
  are inside a direct quote; reported content starts at "that" when there is one
  (after a listener "told the Global Times" or an adverbial "on Sunday"), may
  open with a fronted phrase ("believes at the bilateral level, relations ..."), and ends
  before the sentence's final punctuation, before ", adding ...", ", according
  to", ", compared with/while/although ..." and a final ", he said" clause.
  Content before a cue ("The talks were frank, Yang said.") runs from the
  sentence start; a parenthetical cue ("The talks, Yang said, were frank.") gives
  two segments.
- **One utterance, several segments.** A quote interrupted by its own cue ('"A,"
  he said. "B."'), quotes that follow it with only white space between (including
  a paragraph that continues it) and a parenthetical cue's two halves form ONE
  utterance: ``start``/``end`` are the outer bounds, ``segments`` the parts, and
  ``text`` the parts joined with one space (as brat joins discontinuous spans),
  so ``text == text[start:end]`` exactly when there is one segment.
- **Kinds.** ``direct``: quoted text only. ``mixed``: reported content holding a
  quote (``said the talks were "frank"``). ``indirect``: no quote mark.
- **Quotes without a cue** that form whole sentences go to the previous
  utterance's speaker (and mention) when it is at most one paragraph back, with
  cue ``""`` and cue span ``-1``; otherwise the speaker is unknown. Short quotes
  inside a sentence without a cue (scare quotes, titles) are not utterances.
- **Nested attribution.** "the AFP quoted Blinken saying ..." -> speaker Blinken,
  ``conduit`` "AFP" (a known group's canonical name, else the conduit's words).
- **Overlaps.** Cues are read left to right; a cue inside content already
  claimed is skipped, so every character belongs to at most one utterance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.attribution.cues import _analyse
from analysis.attribution.document import _Doc, _span, _Utt, split_paragraphs
from analysis.attribution.lexicons import UNKNOWN
from analysis.attribution.runs import _claim, _extend_runs, _orphans
from analysis.attribution.speakers import SpeakerResolver
from analysis.attribution.words import _QMARK, _WORD, Span, _cue_regex
from analysis.text.columns import columns_frame, row_columns
from analysis.types import COUNTED_TYPES, Document

UTTERANCE_COLUMNS = [
    "doc_id",
    "utterance_id",
    "speaker",
    "speaker_type",
    "side",
    "role",
    "conduit",
    "kind",
    "cue",
    "start",
    "end",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
    "mention",
    "text",
    "n_words",
    "segments",
]

#: Paragraph kinds that can hold speech: titles and headings are labels, not speech;
#: captions are kept because they often quote ("'We are ready,' Yang said on Friday").
SPEECH_PARAGRAPHS = frozenset(COUNTED_TYPES - {"title", "heading"})


def attribute_text(
    text: str, *, doc_id: str = "", paragraphs: Sequence[tuple[int, int]] | None = None
) -> pd.DataFrame:
    """Utterances of a plain text, in text order (columns :data:`UTTERANCE_COLUMNS`).

    Parameters
    ----------
    text : the text; every offset in the result indexes it.
    doc_id : written to ``doc_id`` and used in ``utterance_id`` (``<doc_id>:u001``...).
    paragraphs : ``(start, end)`` spans to read (clipped to the text, overlaps cut);
        default: :func:`split_paragraphs`.

    Returns
    -------
    DataFrame
        One row per utterance; the module notes give the conventions. Absent
        spans are ``-1``; ``segments`` is a tuple of ``(start, end)`` quoted or
        reported parts; ``n_words`` counts the words of ``text``.
    """
    return _frame(_rows(text, doc_id, paragraphs))


def attribute_texts(texts: Mapping[str, str]) -> pd.DataFrame:
    """:func:`attribute_text` over ``{doc_id: text}``, as one table (faster than concatenating)."""
    return _frame([row for doc_id, text in texts.items() for row in _rows(text, doc_id, None)])


def attribute_documents(docs: Iterable[Document]) -> pd.DataFrame:
    """:func:`attribute_document` over many documents, as one table."""
    return _frame([row for doc in docs for row in _rows(doc.text, doc.doc_id, _speech(doc))])


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=UTTERANCE_COLUMNS)``, built column by column.

    Strings go straight into Arrow arrays and integers into numpy
    (:func:`analysis.text.columns.row_columns`), skipping pandas' inference over every
    value (most of the cost for an article's twenty-odd utterances); a column of
    anything else is left to pandas. Same table, same dtypes.
    """
    return columns_frame([row_columns(rows, UTTERANCE_COLUMNS)], UTTERANCE_COLUMNS)


def _rows(text: str, doc_id: str, paragraphs: Sequence[Span] | None) -> list[tuple]:
    if paragraphs is None:
        spans = split_paragraphs(text)
    else:  # clipped to the text, empty ones dropped, overlaps cut, in text order
        spans, last = [], 0
        for s, e in sorted(paragraphs):
            s, e = max(s, last, 0), min(e, len(text))
            if e > s:
                spans.append((s, e))
                last = e
    doc = _Doc(text, spans)
    regex = _cue_regex()
    for ps, pe in doc.paras:
        for m in regex.finditer(text, ps, pe):
            if doc.quote_at(m.start()) >= 0 or doc.is_claimed(m.start()):
                continue
            utt = _analyse(doc, m)
            if utt is None:
                continue
            if utt.quotes:
                utt.segments = [(doc.quotes[i].start, doc.quotes[i].end) for i in utt.quotes]
            if not utt.segments or any(doc.is_claimed(s) for s, _ in utt.segments):
                continue
            _claim(doc, len(doc.utts), utt)
            doc.utts.append(utt)
    _extend_runs(doc)
    _orphans(doc)
    return _table(doc, doc_id)


def _table(doc: _Doc, doc_id: str) -> list[tuple]:
    text = doc.text
    for utt in doc.utts:
        if utt.quotes:
            utt.segments = [(doc.quotes[i].start, doc.quotes[i].end) for i in utt.quotes]
    order = sorted(range(len(doc.utts)), key=lambda i: _span(doc.utts[i])[0])
    resolver = SpeakerResolver(text)
    for i in sorted(range(len(doc.utts)), key=lambda i: _resolve_pos(doc.utts[i])):
        utt = doc.utts[i]
        if utt.parent >= 0:
            utt.speaker = doc.utts[utt.parent].speaker or UNKNOWN
        elif utt.mention[0] < 0:
            utt.speaker = UNKNOWN
        else:
            role = text[utt.role[0] : utt.role[1]] if utt.role[0] >= 0 else ""
            ms, me = utt.refers if utt.refers[0] >= 0 else utt.mention
            context = text[doc.sentence(ms)[0] : ms]
            utt.speaker = resolver.resolve(text[ms:me], ms, role=role, context=context)
    rows = []
    for n, i in enumerate(order, start=1):
        utt = doc.utts[i]
        spk = utt.speaker or UNKNOWN
        s, e = _span(utt)
        content = " ".join(text[a:b] for a, b in utt.segments)
        quoted = bool(utt.quotes) and len(utt.segments) == len(utt.quotes)
        kind = "direct" if quoted else "mixed" if _QMARK.search(content) else "indirect"
        ms, me = utt.mention
        rows.append(
            (
                doc_id,
                f"{doc_id}:u{n:03d}",
                spk.speaker,
                spk.speaker_type,
                spk.side,
                spk.role,
                utt.conduit,
                kind,
                utt.cue,
                s,
                e,
                utt.cue_span[0],
                utt.cue_span[1],
                ms,
                me,
                text[ms:me] if ms >= 0 else "",
                content,
                len(_WORD.findall(content)),
                tuple(utt.segments),
            )
        )
    return rows


def _resolve_pos(utt: _Utt) -> tuple[int, int]:
    return (utt.mention[0] if utt.mention[0] >= 0 else _span(utt)[0], utt.parent)


def attribute_document(doc: Document) -> pd.DataFrame:
    """Utterances of a parsed document: body and caption paragraphs of ``doc.text``.

    Titles and headings are labels, not speech, and are skipped; captions are
    read (:data:`SPEECH_PARAGRAPHS`). Offsets index ``doc.raw`` (same length).
    """
    return _frame(_rows(doc.text, doc.doc_id, _speech(doc)))


def utterance_columns(doc: Document) -> dict[str, object]:
    """:func:`attribute_document` as columns (:func:`analysis.text.columns.row_columns`)."""
    return row_columns(_rows(doc.text, doc.doc_id, _speech(doc)), UTTERANCE_COLUMNS)


def _speech(doc: Document) -> list[Span]:
    return [(p.start, p.end) for p in doc.paragraphs if p.kind in SPEECH_PARAGRAPHS]
