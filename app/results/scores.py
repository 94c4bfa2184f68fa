"""The score of an assessment: live for drafts, stored for submitted ones (RUBRIC 8).

A submitted assessment keeps the score computed at submission, with the
questionnaire and rubric versions that produced it, so that a later rubric
change never silently rewrites a submitted result. Recomputing is explicit
(app.results.operations.recompute) and recorded in the audit log.
"""
from __future__ import annotations

from typing import Any

from ..assessments import store
from ..assessments.seen import answers_seen, counts_stored, current_score, shows_submission
from ..models import Assessment
from ..scoring import score_assessment


def live_score(assessment: Assessment) -> dict[str, Any]:
    return score_assessment(store.questionnaire_of(assessment), store.answers_of(assessment))


def score_document(assessment: Assessment, viewer: Any = None) -> dict[str, Any]:
    """The score ``viewer`` sees (:func:`app.assessments.seen.current_score`), with when and
    by which rubric it was stored (``"stored"``: None for a live score)."""
    sees = shows_submission(viewer, assessment)
    doc = dict(current_score(assessment, lambda: answers_seen(viewer, assessment), sees_submission=sees))
    stored = bool(assessment.score) and counts_stored(assessment.status, sees)
    doc["stored"] = {"scored_at": assessment.scored_at.isoformat() if assessment.scored_at else None,
                     "rubric_version": assessment.score_rubric_version} if stored else None
    return doc
