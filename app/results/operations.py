"""Writes to results: an explicit recompute of a stored score (RUBRIC 8), audited.  Flushes;
the caller commits."""
from __future__ import annotations

from ..assessments import store
from ..assessments.locking import lock_assessment
from ..extensions import db
from ..models import Assessment, AuditEntry, User
from ..models._common import utcnow
from .scores import live_score


def recompute(assessment: Assessment, user: User | None = None) -> tuple[dict | None, dict]:
    """Rescore a submitted assessment with its questionnaire's current rubric file;
    store the result and record old and new headline in the audit log."""
    lock_assessment(assessment)  # score the answers as they are, with nobody changing them
    old = assessment.score
    new = live_score(assessment)
    questionnaire = store.questionnaire_of(assessment)
    now = utcnow()
    assessment.score = new
    assessment.score_rubric_version = questionnaire.rubric.rubric_version
    assessment.scored_at = now
    db.session.add(AuditEntry(
        user_id=user.id if user else None, assessment_id=assessment.id, action="score.recompute",
        revision=assessment.revision, at=now,
        old_value={"overall": old["overall"], "rubric_version": old.get("rubric_version")} if old else None,
        new_value={"overall": new["overall"], "rubric_version": new.get("rubric_version")}))
    db.session.flush()
    return old, new
