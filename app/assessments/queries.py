"""Reads of assessments for pages and the API. Every query starts from the policy's
``visible_assessments(user)``, so nothing here can show more than the user may see."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..auth.policy import visible_assessments
from ..extensions import db
from ..http_input import parse_id
from ..lifecycle import COPYABLE
from ..models import Assessment, AuditEntry, Comment, Organisation, QuestionnaireVersion, ReviewEvent, User
from . import store
from .operations import progress


@dataclass(frozen=True)
class ListFilters:
    status: str | None = None
    jurisdiction: str | None = None
    questionnaire: str | None = None
    organisation: str | None = None


def filtered(user: User, filters: ListFilters):
    query = visible_assessments(user)
    if filters.status:
        query = query.where(Assessment.status == filters.status)
    if filters.jurisdiction:
        code = filters.jurisdiction.strip().upper()
        # A country code also finds its subdivisions: KE finds KE and KE-30.
        query = query.where((Assessment.jurisdiction == code) | Assessment.jurisdiction.like(f"{code}-%")
                            if len(code) == 2 else Assessment.jurisdiction == code)
    if filters.questionnaire:
        qid, _, version = filters.questionnaire.partition("@")
        query = query.join(QuestionnaireVersion, Assessment.questionnaire_version_id == QuestionnaireVersion.id) \
            .where(QuestionnaireVersion.questionnaire_id == qid)
        if version:
            query = query.where(QuestionnaireVersion.version == version)
    if filters.organisation:
        org = filters.organisation.strip()
        org_id = parse_id(org)  # strict: "²".isdigit() is true, and 10**20 overflows the column
        if org_id is not None:
            query = query.where(Assessment.organisation_id == org_id)
        else:
            query = query.join(Organisation, Assessment.organisation_id == Organisation.id) \
                .where(Organisation.name == org)
    return query


def page_of(query, page: int, per_page: int) -> tuple[list[Assessment], int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.order_by(Assessment.updated_at.desc(), Assessment.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return list(rows), total or 0


def organisation_assessments(user: User) -> list[Assessment]:
    """The user's own organisation's assessments that the policy lets them see."""
    return list(db.session.scalars(
        visible_assessments(user).where(Assessment.organisation_id == user.organisation_id)
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())).unique())


def completeness_of(assessments: list[Assessment]) -> dict[int, dict[str, Any]]:
    """Progress of many assessments, with their answers loaded in one query."""
    answers = store.answers_for(a.id for a in assessments)
    out = {}
    for a in assessments:
        questionnaire = store.questionnaire_of(a)
        out[a.id] = progress(questionnaire, answers.get(a.id, {}))
    return out


def previous_candidates(user: User, questionnaire_id: str | None = None) -> list[Assessment]:
    """Earlier assessments that may seed a new one (own organisation, submitted or later)."""
    query = visible_assessments(user).where(
        Assessment.organisation_id == user.organisation_id, Assessment.status.in_(COPYABLE))
    rows = db.session.scalars(query.order_by(Assessment.submitted_at.desc(), Assessment.id.desc())).unique()
    return [a for a in rows
            if questionnaire_id is None or a.questionnaire_version.questionnaire_id == questionnaire_id]


def recent_changes(assessment: Assessment, limit: int = 8) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.assessment_id == assessment.id)
        .order_by(AuditEntry.id.desc()).limit(limit)))


# Statuses in which the organisation sees the reviewers' feedback on its pages.


def latest_return(assessment: Assessment) -> ReviewEvent | None:
    """The most recent 'return' review event (its reason says what to change), or None."""
    return db.session.scalar(
        select(ReviewEvent).where(ReviewEvent.assessment_id == assessment.id, ReviewEvent.action == "return")
        .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc()).limit(1))


def reviewer_comments(assessment: Assessment, item_keys: list[str] | None = None,
                      whole: bool = False) -> dict[str | None, list[Comment]]:
    """Comments on ``assessment`` in one query, grouped by item key (None: the whole
    assessment), oldest first. ``item_keys`` limits to those items; ``whole`` adds the
    whole-assessment comments to them."""
    query = select(Comment).where(Comment.assessment_id == assessment.id)
    if item_keys is not None:
        wanted = Comment.item_key.in_(list(item_keys))
        query = query.where(wanted | Comment.item_key.is_(None) if whole else wanted)
    out: dict[str | None, list[Comment]] = {}
    for c in db.session.scalars(query.order_by(Comment.created_at, Comment.id)):
        out.setdefault(c.item_key, []).append(c)
    return out
