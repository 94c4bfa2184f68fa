"""Reads for a report: what its cache key digests, as plain rows (no ORM object per answer,
so that a cache hit costs little more than the authorization check), and the comments it
prints.  The caller was allowed to view the assessment (app.auth.policy)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Assessment, Comment, EvidenceEntry, Organisation, User


def organisation_key_row(assessment: Assessment) -> tuple[Any, ...]:
    """(name, kind, logo, logo type) of ``assessment``'s organisation."""
    return tuple(db.session.execute(
        select(Organisation.name, Organisation.kind, Organisation.logo, Organisation.logo_mime)
        .where(Organisation.id == assessment.organisation_id)).one())


def answer_key_rows(assessment: Assessment) -> list[list[Any]]:
    """The working copy's answers with their evidence, a row per evidence entry (or answer
    without any), by item key then position."""
    return [list(row) for row in db.session.execute(
        select(Answer.item_key, Answer.value, Answer.dont_know, Answer.not_applicable,
               Answer.na_reason, Answer.confidence, Answer.comment, EvidenceEntry.position,
               EvidenceEntry.type, EvidenceEntry.reference, EvidenceEntry.note)
        .outerjoin(EvidenceEntry, EvidenceEntry.answer_id == Answer.id)
        .where(Answer.assessment_id == assessment.id)
        .order_by(Answer.item_key, EvidenceEntry.position))]


def comment_key_rows(assessment: Assessment) -> list[list[Any]]:
    """The comments with their authors' names, emails and organisations, by id."""
    return [list(row) for row in db.session.execute(
        select(Comment.id, Comment.item_key, Comment.text, Comment.created_at,
               Comment.submission_number, User.name, User.email, Organisation.name)
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Comment.assessment_id == assessment.id).order_by(Comment.id))]


def report_comments(assessment: Assessment) -> list[Comment]:
    """Every comment on ``assessment``, oldest first."""
    return list(db.session.scalars(select(Comment).where(Comment.assessment_id == assessment.id)
                                   .order_by(Comment.created_at, Comment.id)))
