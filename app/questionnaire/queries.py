"""Reads of the questionnaires' record in the database (the definitions themselves are files,
loaded by app.questionnaire.catalog)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import QuestionnaireVersion


def published_versions(session: Session) -> dict[tuple[str, str], QuestionnaireVersion]:
    """Every recorded version by (questionnaire id, version), in ``session`` (publishing runs
    with the caller's session: a command's, a test's, the request's)."""
    return {(r.questionnaire_id, r.version): r for r in session.scalars(select(QuestionnaireVersion))}


def questionnaire_version_row(questionnaire_id: str, version: str) -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id, QuestionnaireVersion.version == version))
