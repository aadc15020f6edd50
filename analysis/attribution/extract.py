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

import bisect
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from analysis.attribution.speakers import (
    UNKNOWN,
    Speaker,
    SpeakerResolver,
    attribution_words,
    match_group,
    title_words,
)
from analysis.text.tokens import abbreviations
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

Span = tuple[int, int]

_OPEN, _CLOSE = frozenset({"“", "«", "„", "``"}), frozenset({"”", "»"})
_QMARK = re.compile(r"''|``|[\"“”«»„]")
_TOK = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Jr|Sr|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof)\."
    r"|[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|\w[\w’'.&-]*\w|\w|[^\w\s]"
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]*[A-Z0-9])")
_PARA_BLANK = re.compile(r"\n[ \t\r]*\n\s*")


_WORDS = attribution_words()
_PRONOUNS = _WORDS["pronouns"]
_DETERMINERS = _WORDS["determiners"]
_GROUP_NOUNS = _WORDS["group_nouns"]
_AUX = _WORDS["aux"]
_SUBORDINATE = re.compile(
    r"\s*(?:While|Although|Though|Because|As|If|When|Since|After|Before|Even though|Whereas|"
    r"Unless|Once|Until)\s+"
)
#: Cue forms that are also common nouns ("conservative states", "state media"): read as
#: cues only when what follows can start content.
_NOUN_LIKE = _WORDS["noun_like"]
_CONTENT_START = re.compile(
    r"\s*(?:[,:]|that\b|[\"“]|''|(?:the|a|an|he|she|it|they|we|i|you|there|this|his|her|their|its|"
    r"our|china|beijing|washington)\b|[A-Z])",
)
#: "Podesta, who said ...": the mention is the relative pronoun, the speaker its antecedent.
_WHO = re.compile(r",\s*(who)\s+(?:[a-z]+\s+){0,2}$")
_NAME_SEQ = r"(?:[A-Z][\w'’.-]*\s+|of\s+){0,4}[A-Z][\w'’-]*"
_AFTER_QUOTE = re.compile(
    r"\s+(?:(?P<np>he|she|they|we|I|" + _NAME_SEQ + r")\s+"
    r"(?P<verb>[a-z]{3,}(?:\s+(?:back|out|up|in|on|off))?)\b(?!\s+(?:to|that)\b)"
    r"|(?P<verb2>[a-z]{3,}ed)\s+(?P<np2>" + _NAME_SEQ + r")\b)"
)
_NOT_VERBS = _WORDS["not_verbs"]
_TAG = re.compile(r"\d+|[RDI]-[A-Z][\w.]*")
_NP_FIRST = _DETERMINERS | _PRONOUNS | _GROUP_NOUNS
_TWO_WORDS = re.compile(r"([^\W_]+)(?:['’-][^\W_]+)*[^\w]+?[^\W_]", re.DOTALL)
_TIME_WORDS = _WORDS["time_words"]
_PERSON_NOUNS = _WORDS["person_nouns"]
_INNER = _WORDS["inner"]
_STOP = _WORDS["stop"]
_LEAD_DROP = _WORDS["lead_drop"]
_BLOCKERS = _WORDS["blockers"]
_NOT_CONTENT_START = _WORDS["not_content_start"]
_TIME = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
    r"week|weekend|month|year|day|morning|afternoon|evening|night|time|statement|interview|"
    r"speech|conference|briefing|meeting|call|tweet|post|posts|message|email|letter|release|"
    r"remarks|twitter|facebook|weibo|reporters|journalists|event|rally|hearing|debate|"
    r"appearance|address|session|program|show|op-ed|article|report|video|forum|panel|summit)"
)
_ADVERBIAL = re.compile(
    r"\s*,?\s*(?:(?:on|in|at|during|via|over|to|through|after|before|from|with|late|early)\s+"
    r"(?:[\w’'.-]+\s+){0,5}?" + _TIME + r"\b"
    r"(?:\s+(?:with|to|on|at|in|of|by|for)\s+(?:the\s+)?(?-i:[A-Z][\w’'.-]*)"
    r"(?:\s+(?-i:[A-Z][\w’'.-]*))*)?"
    r"|(?:last|this|earlier this|later that|on)\s+(?:week|month|year|morning|night|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?:today|yesterday|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
    r",?",
    re.IGNORECASE,
)
#: Words that open a relative clause, never a role: ", who sat in on both sessions,".
_RELATIVE = frozenset({"who", "whom", "whose", "which", "where", "when"})
#: Words that may follow a speaker's name after an inverted cue ("said Li in a statement").
_BOUNDARY = frozenset({"in", "at", "on", "who", "during", "after", "before", "to", "late", "early"})
#: Words opening a subordinate clause or adverbial, never reported content before a cue.
_OPENERS = frozenset(
    "while although though because as if when since after before even whereas unless once "
    "until despite during like unlike amid".split()
)
#: Unquoted first-person words that mark a sentence as someone's reported speech.
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|ourselves)\b")
#: What may trail a final cue clause besides adverbials: "said here on Tuesday as ...".
_LOOSE_TAIL = re.compile(
    r"\s*(?:here|there|as|when|while|after|before|because|since|on condition)\b", re.IGNORECASE
)
#: A parenthetical adverb right after a cue: "said, however, that ...".
_PAREN_ADVERB = re.compile(
    r"\s*,\s*(?:however|though|moreover|meanwhile|instead|too|also|in turn|in contrast|"
    r"for (?:his|her|their|its|our) part)\s*,",
    re.IGNORECASE,
)
#: A wire dateline opening a paragraph: "MARROW BAY, March 23 (CNS) - ".
_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]+,\s+[A-Z][a-z]+\.?\s+\d{1,2}\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s*"
)
#: A fronted prepositional phrase opening reported content: "at the bilateral level, ...".
_PP_CLAUSE = re.compile(
    r"(?:at|in|under|over|for|from)\s+(?:the|a|an|this|that|its|their|his|her|our)\s+"
    r"[^,;:.!?\"“”]{1,40}?,\s+(?!(?:and|but|or|which|who|where|when)\b)[^\W\d_]"
)
#: Cue forms that are reporting verbs only before "that" or a quote ("concluded that"),
#: and mostly something else otherwise ("the talks concluded in Alaska").
_NEEDS_CLAUSE = _WORDS["needs_clause"]
#: A short prepositional phrase between a cue and "that" ("said in '08 that ...").
_PP_THAT = re.compile(
    r"\s+(?:in|on|at|during|after|before|last|this|earlier|over|to|from|with|about|of)\s+"
    r"(?:[^\s,;:.!?\"“”]+\s+){0,5}?that\b"
)
_NUMBERS = _WORDS["numbers"]
_OBJECT_PRONOUN = _WORDS["object_pronoun"]


@dataclass(frozen=True)
class Cue:
    """One cue-lexicon entry: lemma and frame (speech, tell, cognition or naming)."""

    lemma: str
    frame: str


@cache
def cue_lexicon() -> dict[str, Cue]:
    """Every inflected form in ``data/cue_verbs.csv`` -> its :class:`Cue`."""
    raw = resources.files("analysis").joinpath("data/cue_verbs.csv").read_text("utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    out: dict[str, Cue] = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        for form in row["forms"].split("|"):
            out[form.strip().lower()] = Cue(row["lemma"], row["frame"])
    return out


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of *words* factored by shared prefixes (much faster to match)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + walk(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return walk(trie)


@cache
def _cue_regex() -> re.Pattern[str]:
    verbs = _trie_pattern(sorted(cue_lexicon()))
    openers = _trie_pattern(sorted(f.capitalize() for f in _ing_forms() if " " not in f))
    first = "".join(sorted({f[0] for f in cue_lexicon()} | set("Aacq")))
    first += "".join(sorted({f[0].upper() for f in _ing_forms()}))
    return re.compile(
        rf"\b(?=[{first}])(?:(?P<acc>[Aa]ccording\s+to)|(?P<quoted>quoted|cited)"
        rf"|(?P<cue>{verbs})|(?P<opener>{openers}))\b"
    )


@cache
def _ing_forms() -> frozenset[str]:
    return frozenset(f for f in cue_lexicon() if f.endswith("ing"))


@cache
def _content_cut() -> re.Pattern[str]:
    """Where reported content ends early: before ", adding ...", ", according to",
    ", said ...", "and/but said ..." or a final ", Yang said" / ", he added" clause."""
    finite = _trie_pattern(sorted(f for f in cue_lexicon() if not f.endswith("ing")))
    participle = _trie_pattern(sorted(f for f in cue_lexicon() if f.endswith("ing")))
    subject = r"(?:he|she|they|we|I|it|(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*)"
    return re.compile(
        r",\s+(?:and\s+)?(?:according\s+to|" + participle + r")\b"
        r"|,\s+(?:compared\s+(?:with|to)|while|whereas|although|though|even\s+though)\b"
        r"|,?\s+(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?:" + finite + r")\b"
        r"|,\s+(?:also\s+)?(?:" + finite + r")\b"
        r"|,\s+" + subject + r"\s+(?:\w+ly\s+|also\s+|later\s+)?(?:" + finite + r")\b"
    )


@cache
def _final_cue() -> re.Pattern[str]:
    """A cue clause that ends its sentence: ", Li said." / ", he added on Friday." /
    ", said Li.": what comes before it is that speaker's content."""
    finite = _trie_pattern(sorted(f for f in cue_lexicon() if not f.endswith("ing")))
    subject = r"(?:he|she|they|we|I|(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*)"
    tail = r"(?:\s+(?:on|in|at|to|during|last|this)\b[^,;:!?\"“”]{0,40})?\s*[.!?]?[\"”’']*\s*$"
    return re.compile(
        r",\s+(?:" + subject + r"\s+(?:\w+ly\s+|also\s+)?(?:" + finite + r")"
        r"|(?:" + finite + r")\s+" + subject + r")" + tail
    )


@dataclass
class _Quote:
    start: int
    end: int
    para: int
    opens_clause: bool
    continues: bool = False
    owner: int = -1
    closed: bool = True


@dataclass
class _Utt:
    cue: str
    cue_span: Span
    mention: Span
    role: Span
    segments: list[Span]
    quotes: list[int] = field(default_factory=list)
    conduit: str = ""
    parent: int = -1
    speaker: Speaker | None = None
    refers: Span = (-1, -1)


def split_paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks between blank lines, else lines; outer white space trimmed."""
    sep = _PARA_BLANK if _PARA_BLANK.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for m in [*sep.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = _trim(text, pos, end)
        if e > s:
            spans.append((s, e))
        pos = m.end() if m else len(text)
    return spans


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentence_spans(text: str, paragraphs: Sequence[Span]) -> list[Span]:
    """Fast sentence spans inside each paragraph (a period after an abbreviation or initial
    does not end a sentence; same abbreviation list as :mod:`analysis.text.tokens`)."""
    abbrev = abbreviations()
    out: list[Span] = []
    for ps, pe in paragraphs:
        s = ps
        for m in _SENT_END.finditer(text, ps, pe):
            dot = m.start()
            if text[dot] == "." and dot > ps:
                words = text[max(ps, dot - 12) : dot].rsplit(None, 1) or [""]
                word = words[-1].lstrip("(\"“'‘").lower()
                if len(word) == 1 or word in abbrev:
                    continue
            out.append((s, m.end()))
            s, _ = _trim(text, m.end(), pe)
        if pe > s:
            out.append((s, pe))
    return out


def _find_quotes(text: str, paragraphs: Sequence[Span], sent_starts: set[int]) -> list[_Quote]:
    """Quotes of each paragraph, in order (see the module notes on unbalanced marks)."""
    quotes: list[_Quote] = []
    for pid, (ps, pe) in enumerate(paragraphs):
        open_at = -1
        for m in _QMARK.finditer(text, ps, pe):
            mark, pos = m[0], m.start()
            if open_at < 0:
                before = text[pos - 1] if pos > ps else " "
                after = text[m.end()] if m.end() < pe else " "
                looks_close = not before.isspace() and (after.isspace() or after in ".,;:!?")
                if mark in _CLOSE or (mark not in _OPEN and looks_close and pos > ps):
                    continue
                open_at = pos
            elif mark in _OPEN:
                q = _quote(text, open_at, _trim(text, open_at, pos)[1], pid, ps, sent_starts)
                q.closed = False
                quotes.append(q)
                open_at = pos
            else:
                quotes.append(_quote(text, open_at, m.end(), pid, ps, sent_starts))
                open_at = -1
        if open_at >= 0:
            q = _quote(text, open_at, pe, pid, ps, sent_starts)
            q.closed = False
            nxt = paragraphs[pid + 1][0] if pid + 1 < len(paragraphs) else -1
            q.continues = nxt >= 0 and _QMARK.match(text, nxt) is not None
            if q.continues or q.opens_clause:
                quotes.append(q)
    return quotes


def _quote(text: str, s: int, e: int, pid: int, ps: int, sent_starts: set[int]) -> _Quote:
    lead = text[max(ps, s - 3) : s].rstrip()
    opens = s == ps or s in sent_starts or lead.endswith((",", ":", "—", "–"))
    return _Quote(s, e, pid, opens)


class _Doc:
    """Per-text working state: paragraphs, sentences, quotes and claimed spans."""

    def __init__(self, text: str, paragraphs: Sequence[Span]) -> None:
        self.text = text
        self.paras = list(paragraphs)
        self.para_starts = [p[0] for p in self.paras]
        self.sents = sentence_spans(text, self.paras)
        self.sent_starts = [s for s, _ in self.sents]
        self.quotes = _find_quotes(text, self.paras, set(self.sent_starts))
        self.q_starts = [q.start for q in self.quotes]
        self.utts: list[_Utt] = []
        self.claimed: list[Span] = []

    def sentence(self, pos: int) -> Span:
        i = max(bisect.bisect_right(self.sent_starts, pos) - 1, 0)
        return self.sents[i] if self.sents else (0, len(self.text))

    def para_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self.para_starts, pos) - 1, 0)

    def quote_at(self, pos: int) -> int:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i if i >= 0 and pos < self.quotes[i].end else -1

    def is_claimed(self, pos: int) -> bool:
        i = bisect.bisect_right(self.claimed, (pos, len(self.text) + 1))
        return any(pos < e for _, e in self.claimed[max(i - 3, 0) : i])

    def claim(self, span: Span) -> None:
        bisect.insort(self.claimed, span)

    def tokens(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m[0]) for m in _TOK.finditer(self.text, lo, hi)]


def _np_before(doc: _Doc, lo: int, pos: int) -> tuple[Span, Span] | None:
    """Subject noun phrase ending just before *pos* (after auxiliaries), and its appositive."""
    if pos - lo > 90:
        short = _np_before_in(doc, doc.tokens(pos - 90, pos))
        if short is not None and short[0][0] > pos - 60 and short[1][0] < 0:
            return short
    return _np_before_in(doc, doc.tokens(max(lo, pos - 220), pos))


def _np_before_in(doc: _Doc, toks: list[tuple[int, int, str]]) -> tuple[Span, Span] | None:
    i = len(toks) - 1
    while i >= 0 and (toks[i][2].lower() in _AUX or _is_adverb(toks[i][2])):
        i -= 1
    if i >= 0 and toks[i][2] in (")", "—", "–", "--", "-"):
        close = toks[i][2]
        i -= 1
        while i >= 0 and toks[i][2] != ("(" if close == ")" else close):
            i -= 1
        i -= 1
    chunks: list[tuple[int, int]] = []  # appositive chunks between commas, left to right
    if i >= 1 and toks[i][2].lower() == "who" and toks[i - 1][2] == ",":
        i -= 2
    elif i >= 0 and toks[i][2] == ",":
        k = _comma_before(toks, i)
        if k < 0 or k == i - 1:
            return None
        chunks.append((k + 1, i - 1))
        i = _skip_tags(toks, k - 1)
    got = _subject_tokens(toks, i)
    # "Zhang, a professor at the Center for American Studies, Fudan University, told":
    # a subject that is the object of a preposition, or a lower-case role ("dean of
    # ..."), is itself part of a longer appositive; the subject is before its comma.
    while chunks and got and len(chunks) < 4 and _inside_appositive(toks, got):
        k = _comma_before(toks, got[0])
        if k < 0:
            break
        wider = _subject_tokens(toks, _skip_tags(toks, k - 1))
        if not wider or not toks[wider[0]][2][0].isupper():
            break
        chunks.insert(0, (k + 1, got[-1]))
        got = wider
    if not got or all(toks[g][2].lower() in _DETERMINERS for g in got):
        return None
    if len(got) == 1 and not _head_ok(toks[got[0]][2]):
        return None
    return (toks[got[0]][0], toks[got[-1]][1]), _role_span(toks, chunks)


def _comma_before(toks: list[tuple[int, int, str]], i: int) -> int:
    """Index of the comma opening the chunk that ends before token *i*, else -1."""
    k = i - 1
    while k >= 0 and toks[k][2] not in ',.;:!?"“”()' and i - k < 40:
        k -= 1
    return k if k >= 0 and toks[k][2] == "," else -1


def _skip_tags(toks: list[tuple[int, int, str]], i: int) -> int:
    """Step back over age and party tags: "Leon, 63, an independent," / "Rubio, R-Fla.,"."""
    while i >= 2 and _TAG.fullmatch(toks[i][2]) and toks[i - 1][2] == ",":
        i -= 2
    if i >= 3 and toks[i][2] == "." and _TAG.fullmatch(toks[i - 1][2]) and toks[i - 2][2] == ",":
        i -= 3
    return i


def _inside_appositive(toks: list[tuple[int, int, str]], got: list[int]) -> bool:
    """Whether subject tokens *got* are part of a role rather than a subject: they follow
    a preposition ("at the Center ...") or open with a lower-case role noun ("dean of")."""
    before = toks[got[0] - 1][2].lower() if got[0] > 0 else ""
    first = toks[got[0]][2]
    if before in _INNER:
        return True
    words = {toks[g][2].lower() for g in got}
    return first[0].islower() and first.lower() not in _NP_FIRST and bool(words & _INNER)


def _role_span(toks: list[tuple[int, int, str]], chunks: list[tuple[int, int]]) -> Span:
    """The role: the first appositive chunk, with following chunks that continue an
    institution's name (", Fudan University"); a clause (", when speaking ...") is not."""
    if not chunks or toks[chunks[0][0]][2].lower() in _RELATIVE:
        return (-1, -1)
    first, last = chunks[0]
    for a, b in chunks[1:]:
        if not toks[a][2][0].isupper():
            break
        last = b
    return (toks[first][0], toks[last][1])


def _subject_tokens(toks: list[tuple[int, int, str]], i: int) -> list[int]:
    """Indexes of the subject noun phrase ending at token *i*, read backwards."""
    got: list[int] = []
    j = i
    while j >= 0 and len(got) < 12:
        word = toks[j][2]
        low = word.lower()
        if not word[0].isalnum() or low in _STOP or (word[0].islower() and low in cue_lexicon()):
            joins = low == "and" and got and j > 0 and _joins(toks[j - 1][2], toks[got[-1]][2])
            ratio = low == "in" and got and j > 0 and toks[got[-1]][2].isdigit()
            if not (joins or (ratio and toks[j - 1][2].lower() in _NUMBERS)):
                break
        elif _is_adverb(word) or (low in _INNER and low != "of" and not _inner_joins(toks, j, got)):
            break
        elif word[0].islower() and low.endswith("ed") and len(low) > 4:
            if not (j > 0 and toks[j - 1][2].lower() in _DETERMINERS):
                break
        got.append(j)
        j -= 1
    got.reverse()
    while got and _leading_junk(toks, got):
        got.pop(0)
    return got


def _inner_joins(toks: list[tuple[int, int, str]], j: int, got: list[int]) -> bool:
    """Whether preposition *j* stays inside a subject read backwards: before a capitalised
    word ("Zhang from Fudan University"), or before "the" + a capitalised word after a
    name ("Price from the Commerce Department")."""
    if not got:
        return False
    nxt = toks[got[-1]][2]
    if nxt[0].isupper():
        return True
    return (
        nxt == "the"
        and len(got) >= 2
        and toks[got[-2]][2][0].isupper()
        and j > 0
        and toks[j - 1][2][0].isupper()
    )


def _leading_junk(toks: list[tuple[int, int, str]], got: list[int]) -> bool:
    """Whether the first word of a subject is an adverb or time word to drop ("Earlier",
    "Last week"); "this"/"last"/"next" only before a time word ("this source" stays)."""
    low = toks[got[0]][2].lower()
    if low in ("this", "last", "next"):
        return len(got) > 1 and toks[got[1]][2].lower() in _TIME_WORDS
    return low in _LEAD_DROP or low in _INNER


def _head_ok(word: str) -> bool:
    """Whether a one-word subject can be a speaker: a name, pronoun or plural/person noun."""
    low = word.lower()
    if low == "of":
        return False
    if word[0].isupper():
        return not word.isdigit()
    return low in _PRONOUNS or low in _PERSON_NOUNS or (low.endswith("s") and len(low) > 3)


def _joins(before: str, after: str) -> bool:
    return (before[0].isupper() and after[0].isupper()) or before.lower() in _GROUP_NOUNS


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word.islower()


def _np_after(doc: _Doc, pos: int, hi: int, *, loose: bool = False) -> tuple[Span, Span] | None:
    """Noun phrase starting at *pos* ("said Yang", "according to Chinese experts");
    *loose* accepts any first word ("according to recent data")."""
    toks = doc.tokens(pos, min(hi, pos + 220))
    if (titled := _titled_name(doc, toks)) is not None:
        return titled
    got: list[int] = []
    for j, (_, _, word) in enumerate(toks):
        low = word.lower()
        in_name = got and word[0].isupper() and toks[got[-1]][2][0].isupper()
        # "the US State Department"; "according to a report", "the state Division"
        cue_word = low in cue_lexicon() and not in_name and not (loose and low in _NOUN_LIKE)
        if len(got) >= 10 or not word[0].isalnum() or low in _STOP or cue_word:
            nxt = [t[2] for t in toks[j + 1 : j + 3]]
            if not (low == "by" and got and nxt and (nxt[0][0].isupper() or nxt[0] == "the")):
                break
        if got and word[0].islower() and low.endswith("ed") and len(low) > 4:
            break
        next_is_name = j + 1 < len(toks) and toks[j + 1][2][:1].isupper()
        title = low in title_words() and next_is_name  # "Foreign Ministry spokesperson Li"
        if got and word[0].islower() and low not in _INNER and toks[got[-1]][2][0].isupper():
            names = [toks[g][2] for g in got if toks[g][2].lower() not in ("the", "a", "an")]
            if low.endswith("ed") or (len(names) >= 2 and not title):
                break
        if low in _INNER and not (j + 1 < len(toks) and toks[j + 1][2][:1].isupper()):
            if not (j + 2 < len(toks) and toks[j + 1][2] == "the"):
                break
        got.append(j)
    if not got or all(toks[g][2].lower() in ("a", "an", "the") for g in got):
        return None
    first = toks[got[0]][2].lower()
    if not (loose or toks[got[0]][2][0].isupper() or first in _NP_FIRST or first in title_words()):
        return None
    end = got[-1] + 1
    role: Span = (-1, -1)
    if end + 1 < len(toks) and toks[end][2] == ",":
        r = end + 1
        first_role = toks[r][2]
        if first_role[0].islower() or first_role in ("The", "A", "An"):
            k = r
            while k < len(toks) and toks[k][2] not in ',.;:!?"“”()':
                k += 1
            words = {t[2].lower() for t in toks[r:k]}
            if k > r and not words & _ing_forms() and first_role.lower() not in _RELATIVE:
                role = (toks[r][0], toks[k - 1][1])
    return (toks[got[0]][0], toks[got[-1]][1]), role


def _titled_name(doc: _Doc, toks: list[tuple[int, int, str]]) -> tuple[Span, Span] | None:
    """A long title and a name after an inverted cue: "said Assistant Minister of Commerce
    and chief trade negotiator Pan Jingwen", "said Chinese Ministry of Ecology and
    Environment spokesperson Hu Xiaomei". The title holds a title word, has no verb, and
    the name (two to four capitalised words) ends the phrase."""
    has_title, j = False, 0
    while j < min(len(toks), 14):
        word = toks[j][2]
        low = word.lower()
        if word[:1].isupper() and j >= 1 and has_title:
            k = j
            while k < len(toks) and k - j < 4 and toks[k][2][:1].isupper():
                k += 1
            after = toks[k][2] if k < len(toks) else "."
            name_ok = 2 <= k - j <= 4 and not any(
                toks[i][2].lower().rstrip(".") in title_words() for i in range(j, k)
            )
            if name_ok and (after in ",.;:!?" or after.lower() in _BOUNDARY):
                return (toks[0][0], toks[k - 1][1]), _after_role(toks, k)
        if not word[0].isalpha():
            return None
        if word[:1].islower() and (low in cue_lexicon() or (low in _STOP and low != "and")):
            return None
        if word[:1].islower() and low.endswith("ed") and len(low) > 4:
            return None
        has_title = has_title or low.rstrip(".") in title_words()
        j += 1
    return None


def _after_role(toks: list[tuple[int, int, str]], k: int) -> Span:
    """An appositive after an inverted subject: ", executive director of X," (not ", who")."""
    if k + 1 >= len(toks) or toks[k][2] != ",":
        return (-1, -1)
    r = k + 1
    first = toks[r][2]
    if not (first[0].islower() or first in ("The", "A", "An")) or first.lower() in _RELATIVE:
        return (-1, -1)
    e = r
    while e < len(toks) and toks[e][2] not in ',.;:!?"“”()':
        e += 1
    words = {t[2].lower() for t in toks[r:e]}
    return (toks[r][0], toks[e - 1][1]) if e > r and not words & _ing_forms() else (-1, -1)


def _content_forward(doc: _Doc, pos: int, frame: str, sent_end: int, cue: str = "") -> Span | None:
    """Reported content after a cue: optional listener, adverbials, "that", to sentence end.
    Content may open with a short fronted phrase and a comma ("believes at the bilateral
    level, relations will ..."); cues in :data:`_NEEDS_CLAUSE` need "that" or a quote."""
    text = doc.text
    for _ in range(3):
        m = _ADVERBIAL.match(text, pos, sent_end)
        if not m or m.end() == pos:
            break
        pos = m.end()
    if frame == "tell":
        pos = _skip_listener(doc, pos, sent_end)
    elif m := _PP_THAT.match(text, pos, sent_end):
        pos = m.end() - 4
    s, e = _trim(text, pos, sent_end)
    if s < e and text[s] in ",:" and doc.quote_at(_trim(text, s + 1, e)[0]) < 0:
        s = _trim(text, s + 1, e)[0]
    e = _content_end(doc, s, e)
    two = _TWO_WORDS.search(text, s, e)
    if two is None:
        return None
    first = two[1].lower()
    if first in _NOT_CONTENT_START and not (first == "to" and frame == "tell"):
        if not _PP_CLAUSE.match(text, s, e):
            return None
    if cue in _NEEDS_CLAUSE and not re.match(r"that\b|[\"“:]|''", text[s:e]):
        return None  # "the talks concluded in Alaska on Friday local time ..."
    return s, e


def _skip_listener(doc: _Doc, pos: int, sent_end: int) -> int:
    """Position after a listener ("told the Global Times (on Sunday) (that) ...")."""
    toks = doc.tokens(pos, min(sent_end, pos + 200))
    for s, _, word in toks[:12]:
        if word.lower() == "that":
            return s
        if not word[0].isalnum():
            break
    if not toks:
        return pos
    j = 0
    if toks[0][2].lower() in _OBJECT_PRONOUN:
        j = 1
    else:
        if toks[0][2].lower() in _DETERMINERS:
            j = 1
        if j < len(toks) and toks[j][2][:1].isupper():
            while j < len(toks) and (toks[j][2][:1].isupper() or toks[j][2] in ("of", "'s")):
                j += 1
        elif j < len(toks) and toks[j][2][0].isalnum():
            j += 1
    end = toks[j - 1][1] if j else pos
    m = _ADVERBIAL.match(doc.text, end, sent_end)
    return m.end() if m else end


def _content_end(doc: _Doc, s: int, e: int) -> int:
    """Cut reported content before a participle cue, "according to" or a final cue clause;
    extend it to the close of a quote it opens; drop the sentence's final punctuation."""
    text = doc.text
    cut = _content_cut().search(text, s, e)
    if cut:
        e = cut.start()
    q = doc.quote_at(e - 1)
    if q >= 0 and doc.quotes[q].start >= s and doc.quotes[q].end > e:
        e = doc.quotes[q].end
    while e > s and text[e - 1] in ".!?;:, ":
        e -= 1
    if e > s and text[e - 1] in "\"”'’" and doc.quote_at(e - 1) < 0:
        while e > s and text[e - 1] in "\"”'’.!?, ":
            e -= 1
    return e


def _quote_after(doc: _Doc, pos: int, limit: int) -> int:
    """Index of the quote opening right after *pos*, else -1.

    Allowed between: commas, colons, dashes, adverbials ("on Sunday"), a short
    phrase ending with a colon or comma ("said of the senator, "), and a
    paragraph break after a colon ("released the following statement:").
    """
    i = bisect.bisect_left(doc.q_starts, pos)
    if i >= len(doc.quotes):
        return -1
    q = doc.quotes[i]
    gap = doc.text[pos : q.start]
    if q.start >= limit:
        colon_break = gap.rstrip().endswith(":") and q.para == doc.para_of(pos) + 1
        return i if colon_break and q.start == doc.paras[q.para][0] else -1
    if re.fullmatch(r"[^;!?\"“”\n]{0,80}[:,]\s*", gap) and len(gap.split()) <= 8:
        if gap.rstrip().endswith(":") or len(gap.split()) <= 6:
            return i
    for _ in range(3):
        m = _ADVERBIAL.match(gap)
        if not m or not m.end():
            break
        gap = gap[m.end() :]
    if not re.fullmatch(r"[\s,:—–-]*", gap):
        return -1
    return i if q.opens_clause or gap.strip() else -1


def _quote_before(doc: _Doc, pos: int, lo: int) -> int:
    """Index of the quote that closes right before *pos* (only [,] between), else -1."""
    i = bisect.bisect_right(doc.q_starts, pos) - 1
    if i < 0 or doc.quotes[i].end > pos or doc.quotes[i].end < lo:
        return -1
    return i if re.fullmatch(r"[\s,'’—–-]*", doc.text[doc.quotes[i].end : pos]) else -1


def _analyse(doc: _Doc, m: re.Match[str]) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    ss, se = doc.sentence(cs)
    pid = doc.para_of(cs)
    ps = doc.paras[pid][0]
    prev = text[max(ps, cs - 12) : cs].split()
    if prev and prev[-1].lower().strip('“"(') in _BLOCKERS:
        return None
    qi = bisect.bisect_right(doc.q_starts, cs) - 1
    lo = max(ss, ps, doc.quotes[qi].end if qi >= 0 and doc.quotes[qi].end <= cs else ss)
    if m["acc"]:
        return _according(doc, m, lo, ss, se)
    if m["opener"]:
        return _opener(doc, m, ss, se)
    form = " ".join(m[0].lower().split())
    if m["quoted"]:
        return _quoted(doc, m, lo, se, form)
    frame = cue_lexicon()[form].frame
    if form.endswith("ing"):
        return _participle(doc, m, form, frame, lo, ss, se)
    if frame == "naming":
        return _naming(doc, m, lo, se)
    if form in _NOUN_LIKE and not _CONTENT_START.match(text, ce):
        return None
    subject = _np_before(doc, lo, cs)
    inverted = False
    if subject is None and re.search(
        r"\b(?:and|but)\s+(?:\w+ly\s+|also\s+|then\s+)?$", text[lo:cs]
    ):
        shared = _shared_subject(doc, ss, se, cs)
        if shared is None:
            return None
        parent, mention, _ = shared
        utt = _Utt(form, (cs, ce), mention, (-1, -1), [], parent=parent)
        content = _content_forward(doc, ce, frame, se, form)
        if content is None:
            return None
        utt.segments = [content]
        return utt
    if subject is None:
        if frame == "cognition" or lo == ss == cs:
            return None
        lead = text[lo:cs].rstrip() or text[ps:cs].rstrip()
        if not lead.endswith((",", "”", '"', "''")):
            return None
        subject = _np_after(doc, ce, se)
        if subject is None:
            return None
        inverted = True
    (ms, me), role = subject
    after = max(ce, role[1] if inverted and role[0] >= 0 else me if inverted else ce)
    if paren := _PAREN_ADVERB.match(text, after, se):
        after = paren.end()
    utt = _Utt(form, (cs, ce), (ms, me), role, [])
    if not inverted and (who := _WHO.match(text, me, cs)):
        utt.mention, utt.refers = who.span(1), (ms, me)
        se = text.find(",", ce, se) if "," in text[ce:se] else se  # the relative clause ends
    q_before = _quote_before(doc, cs if inverted else ms, lo)
    if q_before >= 0 and doc.quotes[q_before].owner < 0 and doc.quotes[q_before].opens_clause:
        utt.quotes = [q_before]
        return utt
    q_after = _quote_after(doc, after, doc.paras[pid][1])
    if q_after >= 0 and doc.quotes[q_after].owner < 0 and doc.quotes[q_after].start < se + 2:
        utt.quotes = [q_after]
        return utt
    q_that = re.match(r"\s*that\s+", text[after:se])
    if q_that and _quote_after(doc, after + q_that.end(), se) >= 0:
        qi2 = _quote_after(doc, after + q_that.end(), se)
        utt.segments = [(after + q_that.start() + q_that[0].index("that"), doc.quotes[qi2].end)]
        return utt
    if not inverted and _content_first(doc, ss, ms, after, se):
        if (backward := _content_backward(doc, utt, lo, ss, se, after)) is not None:
            return backward
    if not inverted and not text[after:se].lstrip().startswith(","):
        if _final_cue().search(text, ce, se):
            return None  # "China urges the US ..., Li said.": the cue is inside Li's content
        if _SUBORDINATE.fullmatch(text, ss, ms) and "," in text[ce:se]:
            se = text.index(",", ce, se)
        content = _content_forward(doc, after, frame, se, form)
        if content is not None:
            utt.segments = [content]
            return utt
    if (backward := _content_backward(doc, utt, lo, ss, se, after)) is not None:
        return backward
    # '"... as well." Trump told ABC.': a quote that ends the previous sentence
    head = cs if inverted else ms
    q_prev = _quote_before(doc, head, ps)
    if q_prev >= 0 and head == ss and len(text[after:se].split()) <= 8:
        if doc.quotes[q_prev].owner < 0 and doc.quotes[q_prev].opens_clause:
            utt.quotes = [q_prev]
            return utt
    return None


def _opener(doc: _Doc, m: re.Match[str], ss: int, se: int) -> _Utt | None:
    """A participle opening its sentence: "Noting China does not expect quick results,
    Chen voiced hope ...": the content runs to the comma, the speaker is the subject
    of the main clause after it."""
    cs, ce = m.span()
    if cs != ss:
        return None
    comma = doc.text.find(",", ce, se)
    if comma < 0:
        return None
    s, e = _trim(doc.text, ce, comma)
    words = _WORD.findall(doc.text, s, e)
    if len(words) < 3 or words[0].lower() in _NOT_CONTENT_START or doc.quote_at(s) >= 0:
        return None
    subject = _np_after(doc, _trim(doc.text, comma + 1, se)[0], se)
    if subject is None or not _plain_subject(doc.text[subject[0][0] : subject[0][1]]):
        return None
    form = m[0].lower()
    return _Utt(form, (cs, ce), subject[0], subject[1], [(s, e)])


def _plain_subject(words: str) -> bool:
    """A pronoun, a name, or a short noun phrase: not "Schlafly put her finger"."""
    first, *rest = words.split()
    if first.lower() in _PRONOUNS:
        return not rest
    if all(w[0].isupper() or w in _INNER for w in words.split()):
        return True
    return first.lower() in _DETERMINERS and len(rest) <= 3


def _content_first(doc: _Doc, ss: int, ms: int, after: int, se: int) -> bool:
    """Whether a subject-first cue follows its content ("China and the US should meet
    halfway, Vice Minister Deng said here on Tuesday as ..."): the sentence runs to a
    comma before the subject and opens with a noun phrase, not a participle, preposition
    or subordinate clause, and what follows the cue is circumstance ("here", "as ..."),
    not content of its own."""
    text = doc.text
    lead = text[ss:ms].rstrip()
    if not lead.endswith(",") or len(_WORD.findall(lead)) < 4:
        return False
    first = _WORD.search(text, _dateline_end(doc, ss), ms)
    word = first[0].lower() if first else ""
    if not word or word in _NOT_CONTENT_START or word in _OPENERS or word.endswith(("ing", "ed")):
        return False
    return _LOOSE_TAIL.match(text, after, se) is not None


def _dateline_end(doc: _Doc, pos: int) -> int:
    m = _DATELINE.match(doc.text, pos)
    return m.end() if m else pos


def _naming(doc: _Doc, m: re.Match[str], lo: int, se: int) -> _Utt | None:
    """'X called the talks "a disaster"': the quote a few words after the cue."""
    cs, ce = m.span()
    i = bisect.bisect_left(doc.q_starts, ce)
    if i >= len(doc.quotes) or doc.quotes[i].start >= se or doc.quotes[i].owner >= 0:
        return None
    gap = doc.text[ce : doc.quotes[i].start]
    if len(gap.split()) > 6 or re.search(r"[.;:!?]", gap):
        return None
    if len(_WORD.findall(doc.text, doc.quotes[i].start, doc.quotes[i].end)) < 3:
        return None  # "called it "arbitrary"": a label, not a quotation
    subject = _np_before(doc, lo, cs)
    if subject is None:
        return None
    form = " ".join(m[0].lower().split())
    return _Utt(form, (cs, ce), subject[0], subject[1], [], [i])


def _content_backward(doc: _Doc, utt: _Utt, lo: int, ss: int, se: int, after: int) -> _Utt | None:
    """Content before a final cue clause: "The talks were frank, Yang said (on Friday)."."""
    text = doc.text
    head = min(utt.mention[0], utt.cue_span[0])
    lo = _free_start(doc, ss, head)
    before = text[lo:head].rstrip()
    if before.endswith(","):
        s, e = _trim(text, lo, lo + len(before) - 1)
    elif re.search(r",(?:[\"”»]|'')$", before):
        s, e = _trim(text, lo, lo + len(before))
    else:
        return None
    n_words = len(_WORD.findall(text, s, e))
    if doc.is_claimed(s) or n_words < 1:
        return None
    if s == ss:
        s = _first_person_lead(doc, s)
    segments = [(s, e)]
    tail_start = after
    m = _ADVERBIAL.match(text, tail_start, se)
    if m and m.end() > tail_start:
        tail_start = m.end()
    tail = text[tail_start:se]
    if tail.lstrip().startswith(","):
        t0, t1 = _trim(text, tail_start + tail.index(",") + 1, se)
        t1 = _content_end(doc, t0, t1)
        if len(_WORD.findall(text, t0, t1)) >= 1:
            segments.append((t0, t1))
            n_words += 2
    elif utt.cue != "according to" and len(tail.split()) > 8 and not _LOOSE_TAIL.match(tail):
        return None
    if n_words < 2:
        return None
    utt.segments = segments
    return utt


def _first_person_lead(doc: _Doc, s: int) -> int:
    """Start of reported content that begins a sentence or more before its cue: a
    preceding sentence of the same paragraph that speaks in the first person outside
    quote marks ("..., it is inevitable ... when we get along with each other. What
    matters is how we handle them, Li told the press conference.") is the speaker's,
    since the journalist does not write "we"."""
    ps = doc.paras[doc.para_of(s)][0]
    while s > ps:
        prev = doc.sentence(s - 1)
        if prev[0] < ps or doc.is_claimed(prev[0]) or _quote_in(doc, prev):
            break
        if not _FIRST_PERSON.search(doc.text, prev[0], prev[1]):
            break
        s = prev[0]
    return s


def _quote_in(doc: _Doc, span: Span) -> bool:
    i = bisect.bisect_left(doc.q_starts, span[0])
    return i < len(doc.quotes) and doc.quotes[i].start < span[1]


def _free_start(doc: _Doc, ss: int, head: int) -> int:
    """First position after *ss* not inside earlier claimed content or an owned quote."""
    start = ss
    first = max(bisect.bisect_right(doc.claimed, (ss, len(doc.text) + 1)) - 3, 0)
    for _, e in doc.claimed[first : bisect.bisect_left(doc.claimed, (head, 0))]:
        if start < e <= head:
            start = e
    i = bisect.bisect_left(doc.q_starts, ss)
    while i < len(doc.quotes) and doc.quotes[i].end <= head:
        if doc.quotes[i].owner >= 0:
            start = max(start, doc.quotes[i].end)
        i += 1
    return _trim(doc.text, _dateline_end(doc, start), head)[0]


def _shared_subject(doc: _Doc, ss: int, se: int, cs: int) -> tuple[int, Span, Span] | None:
    """Speaker of a cue without its own subject (", adding ...", "... and said ..."):
    the previous utterance in the sentence, else the sentence's subject."""
    for i in range(len(doc.utts) - 1, -1, -1):
        if doc.utts[i].cue_span[0] < ss:
            break
        if doc.utts[i].cue_span[0] < cs:
            return i, doc.utts[i].mention, (-1, -1)
    start = ss
    toks = doc.tokens(ss, min(cs, ss + 200))
    first = toks[0][2].lower() if toks else ""
    opener = first in _LEAD_DROP or first in _STOP or first in _NOT_CONTENT_START
    if opener or first == "despite" or (first.endswith(("ing", "ed")) and len(first) > 4):
        comma = next((t for t in toks if t[2] == ","), None)
        if comma is None:
            return None
        start = comma[1]
    subject = _np_after(doc, _trim(doc.text, start, se)[0], cs)
    if subject is None:
        return None
    (ms, me), role = subject
    if not _plain_subject(doc.text[ms:me]):
        name = re.match(r"(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*", doc.text[ms:me])
        if name is None:
            return None
        me, role = ms + name.end(), (-1, -1)  # "Rowan put it more simply:" -> Rowan
    return -1, (ms, me), role


def _participle(doc, m, form, frame, lo, ss, se) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    after_comma = text[max(lo, cs - 4) : cs].rstrip().endswith(",")
    if not after_comma and not re.match(r"\s+that\b|[,:]?\s*(?:[\"“]|'')", text[ce : ce + 8]):
        return None
    shared = _shared_subject(doc, ss, se, cs)
    if shared is None:
        return None
    parent, mention, role = shared
    utt = _Utt(form, (cs, ce), mention, role, [], parent=parent)
    qa = _quote_after(doc, ce, doc.paras[doc.para_of(cs)][1])
    if qa >= 0 and doc.quotes[qa].owner < 0 and doc.quotes[qa].start < se + 2:
        utt.quotes = [qa]
        return utt
    content = _content_forward(doc, ce, frame, se, form)
    if content is None:
        return None
    utt.segments = [content]
    return utt


def _according(doc: _Doc, m, lo: int, ss: int, se: int) -> _Utt | None:
    cs, ce = m.span()
    subject = _np_after(doc, ce, se, loose=True)
    if subject is None:
        return None
    (ms, me), role = subject
    utt = _Utt("according to", (cs, ce), (ms, me), role, [])
    text = doc.text
    if role[0] >= 0 and not text[role[1] : se].lstrip().startswith(","):
        role = (-1, -1)
    utt.role = role
    clause_end = role[1] if role[0] >= 0 else me
    if not text[lo:cs].strip():
        if "," not in text[clause_end:se]:
            return None
        s, e = _trim(text, text.index(",", clause_end, se) + 1, se)
        e = _content_end(doc, s, e)
        if len(_WORD.findall(text, s, e)) < 2:
            return None
        utt.segments = [(s, e)]
        return utt
    return _content_backward(doc, utt, lo, ss, se, clause_end)


def _quoted(doc: _Doc, m, lo: int, se: int, form: str) -> _Utt | None:
    text = doc.text
    cs, ce = m.span()
    link = re.compile(r"\s+(?:as\s+)?(?:saying|telling\s+\w+(?:\s+\w+)?)\b")
    subject = _np_after(doc, ce, se)
    if subject is None:
        return None
    (ms, me), _ = subject
    tail = link.match(text, me, se)
    if not tail:
        return None
    conduit = _np_before(doc, lo, cs)
    conduit_text = ""
    if conduit is not None:
        words = text[conduit[0][0] : conduit[0][1]]
        group = match_group(words)
        conduit_text = group.speaker if group else words
    utt = _Utt(form, (cs, ce), (ms, me), (-1, -1), [], conduit=conduit_text)
    qa = _quote_after(doc, tail.end(), doc.paras[doc.para_of(cs)][1])
    if qa >= 0 and doc.quotes[qa].owner < 0:
        utt.quotes = [qa]
        return utt
    content = _content_forward(doc, tail.end(), "speech", se)
    if content is None:
        return None
    utt.segments = [content]
    return utt


def _claim(doc: _Doc, idx: int, utt: _Utt) -> None:
    for qi in utt.quotes:
        doc.quotes[qi].owner = idx
    for s, e in utt.segments:
        doc.claim((s, e))
        for qi in range(bisect.bisect_left(doc.q_starts, s), len(doc.quotes)):
            if doc.quotes[qi].start >= e:
                break
            doc.quotes[qi].owner = idx


def _extend_runs(doc: _Doc) -> None:
    """Join unowned quotes that continue a direct quote (see the module notes)."""
    for idx, utt in enumerate(doc.utts):
        if utt.quotes:
            _extend(doc, idx)


def _extend(doc: _Doc, idx: int) -> None:
    """Grow utterance *idx*'s quote run backward and forward over joinable quotes."""
    text, utt = doc.text, doc.utts[idx]
    first = utt.quotes[0]
    while first > 0:
        q, prev = doc.quotes[first], doc.quotes[first - 1]
        joined = prev.para == q.para or (prev.continues and prev.para == q.para - 1)
        if prev.owner >= 0 or not joined or text[prev.end : q.start].strip():
            break
        first -= 1
        prev.owner = idx
        utt.quotes.insert(0, first)
    cue_end = doc.sentence(utt.cue_span[0])[1] if utt.cue_span[0] >= 0 else -1
    k = utt.quotes[-1] + 1
    while k < len(doc.quotes):
        q, nxt = doc.quotes[utt.quotes[-1]], doc.quotes[k]
        if nxt.owner < 0 and not nxt.opens_clause and nxt.end <= cue_end:
            k += 1  # a title or scare quote inside the cue's sentence
            continue
        if nxt.owner >= 0 or not nxt.opens_clause:
            break
        gap = text[q.end : nxt.start]
        if gap.strip() in (",", "and", "or", ", and", ", or"):
            gap = ""  # '"Send them home," and "Build the wall."'
        continued = q.continues and nxt.para == q.para + 1 and not gap.strip()
        cue_between = q.end <= utt.cue_span[0] < nxt.start and (
            nxt.start < cue_end or not text[cue_end : nxt.start].strip()
        )
        if not continued and (nxt.para != q.para or (gap.strip() and not cue_between)):
            break
        nxt.owner = idx
        utt.quotes.append(k)
        k += 1


def _orphans(doc: _Doc) -> None:
    """Whole-sentence quotes without a cue: the previous utterance's speaker if close."""
    text = doc.text
    sent_ends = {e for _, e in doc.sents} | {e for _, e in doc.paras}
    starts = sorted((_span(u)[0], i) for i, u in enumerate(doc.utts))
    for qi, q in enumerate(doc.quotes):
        if q.owner >= 0 or not q.opens_clause:
            continue
        if utt := _unlisted_cue(doc, q):
            utt.segments, utt.quotes = [(q.start, q.end)], [qi]
            q.owner = len(doc.utts)
            doc.utts.append(utt)
            bisect.insort(starts, (q.start, q.owner))
            _extend(doc, q.owner)
            continue
        end = q.end
        tail = re.match(r"[\s.!?]*", text[end : end + 3])
        if end not in sent_ends and (end + (tail.end() if tail else 0)) not in sent_ends:
            if not (q.start in doc.sent_starts or q.start == doc.paras[q.para][0]):
                continue
            if text[end : end + 2].strip()[:1].isalnum():
                continue
        if len(_WORD.findall(text, q.start, q.end)) < 3:
            continue
        utt = _colon_utterance(doc, q) or _Utt("", (-1, -1), (-1, -1), (-1, -1), [])
        utt.segments, utt.quotes = [(q.start, q.end)], [qi]
        if utt.mention[0] < 0:
            i = bisect.bisect_left(starts, (q.start, -1)) - 1
            prev = starts[i][1] if i >= 0 else -1
            if prev >= 0 and doc.para_of(_span(doc.utts[prev])[1]) >= q.para - 1:
                utt.parent, utt.mention = prev, doc.utts[prev].mention
            else:
                utt.parent = -2
        q.owner = len(doc.utts)
        doc.utts.append(utt)
        bisect.insort(starts, (q.start, q.owner))
        _extend(doc, q.owner)


def _unlisted_cue(doc: _Doc, q: _Quote) -> _Utt | None:
    """A verb outside the cue list right after a quote that ends with [,?!] inside its
    marks: '"...," Trump shot back.', '"...?" asked Li' -- the punctuation marks speech."""
    text = doc.text
    inner = text[max(q.start, q.end - 3) : q.end].rstrip("\"”'»")
    if not q.closed or not inner.endswith((",", "?", "!")):
        return None
    m = _AFTER_QUOTE.match(text, q.end, doc.paras[q.para][1])
    if m is None or (m["verb"] or m["verb2"]).split()[0] in _NOT_VERBS:
        return None
    if m["np"]:
        span, cue = m.span("np"), m.span("verb")
    else:
        span, cue = m.span("np2"), m.span("verb2")
    return _Utt(text[cue[0] : cue[1]].lower(), cue, span, (-1, -1), [])


def _colon_utterance(doc: _Doc, q: _Quote) -> _Utt | None:
    """A quote after a colon ("Shaw: '...'", "he declared:" at a paragraph's end):
    cue ":", speaker the name right before the colon, else the sentence's subject."""
    text = doc.text
    ps = doc.paras[q.para][0]
    lo = doc.paras[q.para - 1][0] if q.start == ps and q.para > 0 else ps
    before = text[lo : q.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = lo + len(before) - 1
    ss, se = doc.sentence(colon)
    subject = _np_before(doc, ss, colon)
    words = text[subject[0][0] : subject[0][1]].split() if subject is not None else []
    if words and subject[0][1] == colon and all(w[0].isupper() or w == "of" for w in words):
        mention, role, parent = subject[0], subject[1], -1
    else:
        shared = _shared_subject(doc, ss, se, colon)
        if shared is None:
            return None
        parent, mention, role = shared
    return _Utt(":", (colon, colon + 1), mention, role, [], parent=parent)


def _span(utt: _Utt) -> Span:
    return (min(s for s, _ in utt.segments), max(e for _, e in utt.segments))


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
    return pd.DataFrame(rows, columns=UTTERANCE_COLUMNS)


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


def _speech(doc: Document) -> list[Span]:
    return [(p.start, p.end) for p in doc.paragraphs if p.kind in SPEECH_PARAGRAPHS]
