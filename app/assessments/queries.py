"""Reads of assessments for pages and the API. Every query for a user starts from
:func:`select_visible_assessments` (the policy's ``visibility_clause``), so nothing here can
show more than the user may see."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import Select, Text, bindparam, cast, func, select
from sqlalchemy.orm import defer

from ..auth.policy import visibility_clause
from ..extensions import db
from ..lifecycle import COPYABLE
from ..models import (Answer, Assessment, AuditEntry, Comment, EvidenceEntry, Organisation, QuestionnaireVersion,
                      ReviewEvent, Submission, User)
from ..questionnaire.answers import AnswerData, Evidence, counts_as_answered
from . import store


def select_visible_assessments(user: User) -> Select:
    """The statement every list of ``user``'s assessments starts from (add filters, order)."""
    return select(Assessment).where(visibility_clause(user))


def visible_ids_among(user: User, ids: list[int]) -> set[int]:
    """Which of ``ids`` ``user`` may see."""
    return set(db.session.scalars(select_visible_assessments(user).where(Assessment.id.in_(ids))
                                  .with_only_columns(Assessment.id)))


def visible_assessments_among(user: User, ids: list[int]) -> dict[int, Assessment]:
    """The assessments of ``ids`` that ``user`` may see, by id."""
    return {a.id: a for a in db.session.scalars(select_visible_assessments(user).where(Assessment.id.in_(ids)))}


# -- by id, outside a user's request (commands, background work, checks made right after) ----
def assessment_by_id(assessment_id: int) -> Assessment | None:
    """Any assessment: the caller is not a user's request (a command, a background render)
    or checks it at once (a copy source: same organisation, submitted)."""
    return db.session.get(Assessment, assessment_id)


def assessments_in_id_order(ids: Collection[int] | None = None, *,
                            excluding: Collection[str] = ()) -> list[Assessment]:
    """The assessments ``ids`` (None: all), less those in a status of ``excluding``, by id."""
    query = select(Assessment).order_by(Assessment.id)
    if ids is not None:
        query = query.where(Assessment.id.in_(list(ids)))
    if excluding:
        query = query.where(Assessment.status.not_in(list(excluding)))
    return list(db.session.scalars(query))


def assessment_ids_of_organisations(organisation_ids: Collection[int], *,
                                    excluding: Collection[str] = ()) -> list[int]:
    """The ids of the organisations' assessments, less those in a status of ``excluding``,
    newest first."""
    query = select(Assessment.id).where(Assessment.organisation_id.in_(list(organisation_ids)))
    if excluding:
        query = query.where(Assessment.status.not_in(list(excluding)))
    return list(db.session.scalars(query.order_by(Assessment.id.desc())))


def assessment_titled(organisation_id: int, title: str) -> Assessment | None:
    """The organisation's assessment of this title (the demo's are known by their titles)."""
    return db.session.scalar(select(Assessment).where(
        Assessment.organisation_id == organisation_id, Assessment.title == title))


@dataclass(frozen=True)
class AssessmentFilters:
    """The API list's filters, already parsed from the request (app.api.assessments)."""
    status: str | None = None
    jurisdiction: str | None = None           # upper case; a country code finds its subdivisions
    questionnaire_id: str | None = None
    questionnaire_version: str | None = None
    organisation_id: int | None = None
    organisation_name: str | None = None


def filtered(user: User, filters: AssessmentFilters) -> Select:
    query = select_visible_assessments(user)
    if filters.status:
        query = query.where(Assessment.status == filters.status)
    if filters.jurisdiction is not None:
        code = filters.jurisdiction
        # A country code also finds its subdivisions: KE finds KE and KE-30.
        query = query.where((Assessment.jurisdiction == code) | Assessment.jurisdiction.like(f"{code}-%")
                            if len(code) == 2 else Assessment.jurisdiction == code)
    if filters.questionnaire_id is not None:
        query = query.join(QuestionnaireVersion, Assessment.questionnaire_version_id == QuestionnaireVersion.id) \
            .where(QuestionnaireVersion.questionnaire_id == filters.questionnaire_id)
        if filters.questionnaire_version:
            query = query.where(QuestionnaireVersion.version == filters.questionnaire_version)
    if filters.organisation_id is not None:
        query = query.where(Assessment.organisation_id == filters.organisation_id)
    elif filters.organisation_name is not None:
        query = query.join(Organisation, Assessment.organisation_id == Organisation.id) \
            .where(Organisation.name == filters.organisation_name)
    return query


def page_of(query, page: int, per_page: int) -> tuple[list[Assessment], int]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.order_by(Assessment.updated_at.desc(), Assessment.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return list(rows), total or 0


def organisation_assessments(user: User) -> list[Assessment]:
    """The user's own organisation's assessments that the policy lets them see, their stored
    score documents (some 300 KB each) left unread: a list shows none of them."""
    return list(db.session.scalars(
        select_visible_assessments(user).where(Assessment.organisation_id == user.organisation_id)
        .options(defer(Assessment.score))
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())).unique())


def previous_candidates(user: User, questionnaire_id: str | None = None) -> list[Assessment]:
    """Earlier assessments that may seed a new one (own organisation, submitted or later)."""
    query = select_visible_assessments(user).where(
        Assessment.organisation_id == user.organisation_id, Assessment.status.in_(COPYABLE))
    rows = db.session.scalars(query.order_by(Assessment.submitted_at.desc(), Assessment.id.desc())).unique()
    return [a for a in rows
            if questionnaire_id is None or a.questionnaire_version.questionnaire_id == questionnaire_id]


def recent_changes(assessment: Assessment, limit: int = 8) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.assessment_id == assessment.id)
        .order_by(AuditEntry.id.desc()).limit(limit)))


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


def answered_for(assessment_ids: Iterable[int]) -> dict[int, dict[str, AnswerData]]:
    """What :attr:`AnswerData.has_answer` reads of the answers of many assessments (the value,
    don't know, not applicable), in one query: completeness for a list, without the evidence,
    comments and the rest that :func:`answers_for` reads."""
    ids = list(assessment_ids)
    out: dict[int, dict[str, AnswerData]] = defaultdict(dict)
    if not ids:
        return out
    for assessment_id, key, value, dont_know, na in db.session.execute(select(
            Answer.assessment_id, Answer.item_key, Answer.value, Answer.dont_know, Answer.not_applicable,
    ).where(Answer.assessment_id.in_(ids))):
        out[assessment_id][key] = AnswerData(value=store.from_json(value), dont_know=dont_know, not_applicable=na)
    return out


def answers_for(assessment_ids: Iterable[int]) -> dict[int, dict[str, AnswerData]]:
    """Answers of many assessments in two queries, whatever their number.

    Plain column selects rather than ORM objects: for lists, comparisons and bulk
    scoring the identity map and relationship loading cost several times more
    than the scoring itself."""
    ids = list(assessment_ids)
    out: dict[int, dict[str, AnswerData]] = defaultdict(dict)
    if not ids:
        return out
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    ev_rows = db.session.execute(
        select(EvidenceEntry.answer_id, EvidenceEntry.type, EvidenceEntry.reference, EvidenceEntry.note)
        .join(Answer, Answer.id == EvidenceEntry.answer_id)
        .where(Answer.assessment_id.in_(ids))
        .order_by(EvidenceEntry.answer_id, EvidenceEntry.position))
    for answer_id, etype, reference, note in ev_rows:
        evidence[answer_id].append(Evidence(etype, reference, note))
    rows = db.session.execute(select(
        Answer.id, Answer.assessment_id, Answer.item_key, Answer.value, Answer.dont_know,
        Answer.not_applicable, Answer.na_reason, Answer.confidence, Answer.comment,
    ).where(Answer.assessment_id.in_(ids)))
    for aid, assessment_id, key, value, dont_know, na, reason, confidence, comment in rows:
        out[assessment_id][key] = AnswerData(
            value=store.from_json(value), dont_know=dont_know, not_applicable=na, na_reason=reason or "",
            confidence=confidence, comment=comment or "", evidence=tuple(evidence.get(aid, ())))
    return out


# -- one section page: its answers, and the progress of every section -------------------------
#: Made once (a statement's cache key is kept on it): the page's queries cost no SQL building.
#: The value as its stored JSON text, not decoded: decoding every row cost more than the rest.
_ANSWERED = select(Answer.item_key, Answer.dont_know, Answer.not_applicable, cast(Answer.value, Text)) \
    .where(Answer.assessment_id == bindparam("assessment_id"))
_SECTION = (
    select(Answer.item_key, Answer.value, Answer.dont_know, Answer.not_applicable, Answer.na_reason,
           Answer.confidence, Answer.comment, User.name, User.email, Organisation.name,
           EvidenceEntry.type, EvidenceEntry.reference, EvidenceEntry.note)
    .outerjoin(User, User.id == Answer.updated_by_id)
    .outerjoin(Organisation, Organisation.id == User.organisation_id)
    .outerjoin(EvidenceEntry, EvidenceEntry.answer_id == Answer.id)
    .where(Answer.assessment_id == bindparam("assessment_id"),
           Answer.item_key.in_(bindparam("keys", expanding=True)))
    .order_by(Answer.id, EvidenceEntry.position))


class SectionAnswers(NamedTuple):
    answers: dict[str, AnswerData]            # item key -> the answer, its evidence included
    savers: dict[str, tuple[str, str]]        # item key -> who last saved it (name, organisation)


def answered_keys(assessment_id: int) -> set[str]:
    """The keys of the assessment's items that have an answer (RUBRIC 6), for progress
    counts: four columns of each answer, no evidence, no answer objects."""
    return {key for key, dont_know, na, stored in db.session.execute(_ANSWERED, {"assessment_id": assessment_id})
            if dont_know or na or _stored_answer(stored)}


def _stored_answer(stored: str | None) -> bool:
    """Whether a value stored as JSON text answers its item (the rule of
    :func:`~app.questionnaire.answers.counts_as_answered`): only a string is decoded."""
    text = (stored or "").strip()
    if not text or text == "null":
        return False
    return counts_as_answered(json.loads(text), False, False) if text[0] == '"' else True


def section_answers(assessment_id: int, keys: Iterable[str]) -> SectionAnswers:
    """The answers of ``keys`` with their evidence, and who last saved each (the name, or
    the email of a user without one, and the organisation), in one query."""
    answers: dict[str, AnswerData] = {}
    savers: dict[str, tuple[str, str]] = {}
    fields: dict[str, tuple] = {}
    evidence: dict[str, list[Evidence]] = {}
    for key, value, dont_know, na, reason, confidence, comment, name, email, organisation, etype, reference, note \
            in db.session.execute(_SECTION, {"assessment_id": assessment_id, "keys": list(keys)}):
        if key not in fields:
            fields[key] = (value, dont_know, na, reason, confidence, comment)
            evidence[key] = []
            if organisation is not None:
                savers[key] = (name or email, organisation)
        if etype is not None:
            evidence[key].append(Evidence(etype, reference, note))
    for key, (value, dont_know, na, reason, confidence, comment) in fields.items():
        answers[key] = AnswerData(value=store.from_json(value), dont_know=dont_know, not_applicable=na,
                                  na_reason=reason or "", confidence=confidence, comment=comment or "",
                                  evidence=tuple(evidence[key]))
    return SectionAnswers(answers, savers)


# -- submissions and the change log ---------------------------------------------------------------
def latest_submission(assessment: Assessment) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.assessment_id == assessment.id)
                             .order_by(Submission.number.desc()).limit(1))


def latest_submission_light(assessment: Assessment) -> tuple[datetime, dict[str, str] | None] | None:
    """When ``assessment``'s latest submission was made and the language of each of its
    answers (None: never submitted): two columns, not the snapshot and score it keeps."""
    row = db.session.execute(select(Submission.submitted_at, Submission.languages)
                             .where(Submission.assessment_id == assessment.id)
                             .order_by(Submission.number.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1])


def answer_languages(assessment: Assessment) -> dict[str, str]:
    """Item key -> the language its answer was last saved in (where it is known): two
    columns, not every answer row."""
    return {key: language for key, language in db.session.execute(
        select(Answer.item_key, Answer.language).where(Answer.assessment_id == assessment.id)) if language}


def latest_submission_number(assessment: Assessment) -> int | None:
    """The number of ``assessment``'s latest submission (None: never submitted)."""
    return db.session.scalar(select(func.max(Submission.number)).where(Submission.assessment_id == assessment.id))


def submission_count(assessment: Assessment) -> int:
    return db.session.scalar(select(func.count(Submission.id)).where(
        Submission.assessment_id == assessment.id)) or 0


def answer_changes_since(assessment: Assessment, base_revision: int) -> list[AuditEntry]:
    """The answers saved after ``base_revision`` (audit entries), oldest first."""
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.assessment_id == assessment.id, AuditEntry.revision > base_revision,
        AuditEntry.action == "answer.update").order_by(AuditEntry.id)))
