"""Scoring: the pure engine that turns answers into the score document (RUBRIC.md,
CONTRACTS.md), the per-questionnaire plan it reuses, and explanations of every aggregate."""
from .engine import (
    band_for, format_score, rounded_document, round_score, score_assessment, score_with_plan,
)
from .explain import explain
from .plan import (
    ANSWERED, DONT_KNOW, NOT_APPLICABLE, STATUSES, UNANSWERED, InvalidAnswerError, ItemResult,
    ScoringPlan, plan_for,
)

__all__ = [
    "score_assessment", "score_with_plan", "band_for", "round_score", "format_score",
    "rounded_document", "explain", "ScoringPlan", "plan_for", "ItemResult",
    "InvalidAnswerError", "ANSWERED", "DONT_KNOW", "NOT_APPLICABLE", "UNANSWERED", "STATUSES",
]
