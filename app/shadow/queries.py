"""Reads of the shadow assessments' area: the government's assessment to set beside an NGO's
(chosen by app.shadow.counterpart)."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..assessments.queries import select_visible_assessments
from ..extensions import db
from ..models import Assessment, Organisation, QuestionnaireVersion
from . import GOVERNMENT_KIND


def latest_government_assessment_like(viewer: Any, assessment: Assessment,
                                      statuses: Collection[str]) -> Assessment | None:
    """The most recently submitted assessment ``viewer`` may see by an organisation of kind
    ``government``, of ``assessment``'s jurisdiction, period and questionnaire, in one of
    ``statuses`` (never ``assessment`` itself)."""
    return db.session.scalar(
        select_visible_assessments(viewer)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_version_id)
        .where(Organisation.kind == GOVERNMENT_KIND,
               Assessment.jurisdiction == assessment.jurisdiction,
               Assessment.period == assessment.period,
               Assessment.status.in_(statuses),
               QuestionnaireVersion.questionnaire_id == assessment.questionnaire_version.questionnaire_id,
               Assessment.id != assessment.id)
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(1))
