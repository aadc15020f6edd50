"""Shared word lists, cue lexicon and patterns of the attribution rules (the bottom module).

Everything here is data or compiled from data files in ``analysis/data/``
(``attribution_words.txt``, ``cue_verbs.csv``); the other attribution modules import it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from analysis.attribution.lexicons import attribution_words

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
