"""Stage 3, attribution: who said what. Quotes and reported speech with their cues and
content spans (``extract``), and the speakers they resolve to (``speakers``)."""

from analysis.attribution.extract import (
    UTTERANCE_COLUMNS,
    attribute_document,
    attribute_documents,
    attribute_text,
    attribute_texts,
    split_paragraphs,
)
from analysis.attribution.lexicons import Speaker
from analysis.attribution.sides import infer_side
from analysis.attribution.speakers import SPEAKER_TABLE_COLUMNS, SpeakerResolver, speaker_table

__all__ = [
    "SPEAKER_TABLE_COLUMNS",
    "UTTERANCE_COLUMNS",
    "Speaker",
    "SpeakerResolver",
    "attribute_document",
    "attribute_documents",
    "attribute_text",
    "attribute_texts",
    "infer_side",
    "speaker_table",
    "split_paragraphs",
]
