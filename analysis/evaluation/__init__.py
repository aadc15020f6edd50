"""Accuracy against data the suite was not written from: PolNeAR attribution relations
(``polnear``, ``attribution_eval``), hand-made snippet golds (``snippet_gold``) and the
VADER paper's human ratings (``vader_validation``). The data sets are never shipped;
each function takes their path."""

from analysis.evaluation.snippet_gold import SnippetScore, score_snippets

__all__ = ["SnippetScore", "score_snippets"]
