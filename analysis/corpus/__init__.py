"""Stage 1, corpus: files on disk to parsed :class:`~analysis.types.Document` objects.

Reading text files (``textio``), the page formats (``articles``), the corpus loader with
its manifest and event (``loader``), the corpus as tables (``tables``), importing from
folders and news-database exports (``importer``), duplicates, character normalisation
(``normalize.normalize``, imported from its module) and the language check.
"""

from analysis.corpus.duplicates import find_duplicates, text_key
from analysis.corpus.importer import format_report, import_source
from analysis.corpus.loader import (
    MANIFEST_FIELDS,
    Corpus,
    load_corpus,
    parse_document,
    read_manifest,
)
from analysis.corpus.tables import documents_table, paragraphs_table
from analysis.corpus.textio import read_text

__all__ = [
    "MANIFEST_FIELDS",
    "Corpus",
    "documents_table",
    "find_duplicates",
    "format_report",
    "import_source",
    "load_corpus",
    "paragraphs_table",
    "parse_document",
    "read_manifest",
    "read_text",
    "text_key",
]
