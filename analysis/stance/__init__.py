"""Stage 4, stance: who speaks of which target, and in what tone.

Targets and their aliases (``targets``), their mentions in a document (``mentions``),
the tone model toward a mention (``tone_features``, ``tone_model``, ``tone_words``,
``tone_store``), NewsMTSC files it is trained on (``newsmtsc``), and the stance rows
of one document (``rows``)."""

from analysis.stance.mentions import find_mentions
from analysis.stance.newsmtsc import read_newsmtsc
from analysis.stance.rows import ARTICLE, STANCE_MENTION_COLUMNS, stance_mentions
from analysis.stance.targets import Targets, document_targets, load_targets, parse_targets
from analysis.stance.tone_features import Mention
from analysis.stance.tone_model import CLASSES, ToneClassifier
from analysis.stance.tone_store import load, packaged_model, save

__all__ = [
    "ARTICLE",
    "CLASSES",
    "STANCE_MENTION_COLUMNS",
    "Mention",
    "Targets",
    "ToneClassifier",
    "document_targets",
    "find_mentions",
    "load",
    "load_targets",
    "packaged_model",
    "parse_targets",
    "read_newsmtsc",
    "save",
    "stance_mentions",
]
