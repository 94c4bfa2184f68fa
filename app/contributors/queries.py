"""Reads of the contributors' area (issue 13): who was given which sections, their tasks and
progress, the informants and their recorded consensus, who saved each answer.  The callers
have checked the assessment against the policy (app.auth.policy); a user's own row for the
policy is app.auth.queries.contribution_row."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Answer, Assessment, AuditEntry, Contributor, Organisation, Rating, Submission, User


# -- who was given what ---------------------------------------------------------------------------
def contributors_of(assessment: Assessment) -> list[Contributor]:
    """Everyone given sections of ``assessment``, in the order they were given them."""
    return list(db.session.scalars(select(Contributor).where(Contributor.assessment_id == assessment.id)
                                   .order_by(Contributor.created_at, Contributor.id)))


def has_contributors(assessment: Assessment) -> bool:
    return db.session.scalar(select(Contributor.id).where(Contributor.assessment_id == assessment.id)
                             .limit(1)) is not None


def contributor_of(assessment: Assessment, contributor_id: int) -> Contributor | None:
    """Row ``contributor_id`` if it is one of ``assessment``'s."""
    return db.session.scalar(select(Contributor).where(
        Contributor.id == contributor_id, Contributor.assessment_id == assessment.id))


def informants_of(assessment: Assessment) -> list[Contributor]:
    return list(db.session.scalars(select(Contributor).where(
        Contributor.assessment_id == assessment.id, Contributor.role == "informant").order_by(Contributor.id)))


@dataclass(frozen=True)
class InformantRatings:
    """One informant's sections and ratings (item key -> answer in the API's form), without
    who they are: what the comparisons' figures are made of (app.contributors.disclosure)."""
    assessment_id: int
    sections: list[str]
    ratings: dict[str, dict[str, Any]]


def informants_with_ratings(assessment_ids: Iterable[int]) -> list[InformantRatings]:
    """The informants of many assessments with their ratings, in the order they were given
    their sections: one query whatever the number, light columns only (no account, no row
    objects: the comparison pages read them on every request)."""
    out: dict[int, InformantRatings] = {}
    for cid, aid, sections, key, answer in db.session.execute(
            select(Contributor.id, Contributor.assessment_id, Contributor.sections, Rating.item_key, Rating.answer)
            .outerjoin(Rating, Rating.contributor_id == Contributor.id)
            .where(Contributor.assessment_id.in_(list(assessment_ids)), Contributor.role == "informant")
            .order_by(Contributor.id)):
        row = out.get(cid)
        if row is None:
            row = out[cid] = InformantRatings(aid, list(sections or []), {})
        if key is not None:
            row.ratings[key] = answer
    return list(out.values())


def has_contributions(user: User) -> bool:
    """Whether anyone gave ``user`` sections of an assessment (their work may be only that)."""
    return db.session.scalar(select(Contributor.id).where(Contributor.user_id == user.id).limit(1)) is not None


def contributions_of(user: User) -> list[tuple[Contributor, Assessment]]:
    """Everything ``user`` was given, with its assessment, soonest due first."""
    return [(row, assessment) for row, assessment in db.session.execute(
        select(Contributor, Assessment).join(Assessment, Assessment.id == Contributor.assessment_id)
        .where(Contributor.user_id == user.id)
        .order_by(Contributor.due_date.is_(None), Contributor.due_date, Assessment.id))]


# -- answers and who gave them ----------------------------------------------------------------------
def answers_saved_by(assessment: Assessment, keys: Iterable[str], user_id: int) -> int:
    """How many of the answers ``keys`` of ``assessment`` were last saved by ``user_id``."""
    return db.session.scalar(select(func.count(Answer.id)).where(
        Answer.assessment_id == assessment.id, Answer.item_key.in_(list(keys)),
        Answer.updated_by_id == user_id)) or 0


def last_savers(assessment: Assessment, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Who last saved each answer of ``keys``, as (their name, their organisation's name):
    the section page shows it by each question. Plain columns: no user object is needed."""
    rows = db.session.execute(
        select(Answer.item_key, User.name, User.email, Organisation.name)
        .join(User, User.id == Answer.updated_by_id).join(Organisation, Organisation.id == User.organisation_id)
        .where(Answer.assessment_id == assessment.id, Answer.item_key.in_(list(keys)))).all()
    return {key: (name or email, organisation) for key, name, email, organisation in rows}


def submission_revisions(assessment_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """(assessment id, submission number, revision submitted) of every submission of them."""
    return [tuple(row) for row in db.session.execute(
        select(Submission.assessment_id, Submission.number, Submission.revision)
        .where(Submission.assessment_id.in_(list(assessment_ids))))]


def answer_saves(assessment_ids: Sequence[int]) -> list[tuple]:
    """Every saved answer of the assessments from the audit log, oldest first: (assessment id,
    item key, revision, new value, author's name, email, organisation name)."""
    return [tuple(row) for row in db.session.execute(
        select(AuditEntry.assessment_id, AuditEntry.item_key, AuditEntry.revision, AuditEntry.new_value,
               User.name, User.email, Organisation.name)
        .outerjoin(User, User.id == AuditEntry.user_id).outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(AuditEntry.assessment_id.in_(list(assessment_ids)), AuditEntry.action == "answer.update")
        .order_by(AuditEntry.id))]


def consensus_entries(assessment: Assessment) -> list[AuditEntry]:
    """The owner's recorded consensus answers (audit entries with their rationale), oldest first."""
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.assessment_id == assessment.id, AuditEntry.action == "answer.consensus")
        .order_by(AuditEntry.id)))


def consensus_items(assessment_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per assessment, the items the owner recorded a consensus on (one query)."""
    out: dict[int, set[str]] = {}
    for aid, key in db.session.execute(select(AuditEntry.assessment_id, AuditEntry.item_key).distinct().where(
            AuditEntry.assessment_id.in_(list(assessment_ids)), AuditEntry.action == "answer.consensus")):
        out.setdefault(aid, set()).add(key)
    return out


# -- mail ------------------------------------------------------------------------------------------------
def users_to_tell_of_return(assessment: Assessment) -> list[User]:
    """The active users who learn that ``assessment`` was returned: its author, whoever
    submitted it, and its contributors (not informants or readers)."""
    ids = {assessment.created_by_id, *db.session.scalars(select(Submission.submitted_by_id).where(
        Submission.assessment_id == assessment.id))}
    ids |= {row.user_id for row in db.session.scalars(select(Contributor).where(
        Contributor.assessment_id == assessment.id, Contributor.role == "contributor"))}
    return list(db.session.scalars(select(User).where(User.id.in_([i for i in ids if i]), User.active)))
