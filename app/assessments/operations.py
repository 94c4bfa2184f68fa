"""Writes to assessments: create, save answers, submit, copy. One code path for
pages, autosave and the API. Operations flush; the request commits once."""
from __future__ import annotations

from typing import Any

import pycountry
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ApiError
from ..extensions import db
from ..models import Answer, Assessment, AuditEntry, QuestionnaireVersion, Submission, User
from ..models._common import utcnow
from ..questionnaire.answers import AnswerData
from ..questionnaire.patch import parse_patch
from . import store


def valid_jurisdiction(code: str) -> bool:
    """ISO 3166-1 alpha-2 (``KE``) or ISO 3166-2 (``KE-110``)."""
    code = (code or "").strip().upper()
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return pycountry.subdivisions.get(code=code) is not None


def jurisdiction_name(code: str) -> str:
    code = (code or "").upper()
    if len(code) == 2:
        c = pycountry.countries.get(alpha_2=code)
        return c.name if c else code
    sub = pycountry.subdivisions.get(code=code)
    if sub is None:
        return code
    country = pycountry.countries.get(alpha_2=sub.country_code)
    return f"{sub.name}, {country.name if country else sub.country_code}"


def version_row(questionnaire_id: str, version: str) -> QuestionnaireVersion | None:
    store.catalog().publish(db.session)
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id,
        QuestionnaireVersion.version == version))


def validate_new(data: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if store.catalog().get(str(data.get("questionnaire", "")), str(data.get("version", ""))) is None:
        errors["questionnaire"] = _("Choose a published questionnaire and version.")
    if not valid_jurisdiction(str(data.get("jurisdiction", ""))):
        errors["jurisdiction"] = _("Give an ISO 3166-1 country code (e.g. KE) or an ISO 3166-2 "
                                   "subdivision code (e.g. KE-110).")
    period = str(data.get("period", "")).strip()
    if not period or len(period) > 20:
        errors["period"] = _("Give the period assessed, e.g. 2026 (at most 20 characters).")
    title = str(data.get("title", "")).strip()
    if not title or len(title) > 200:
        errors["title"] = _("Give a title of at most 200 characters.")
    return errors


def create_assessment(user: User, data: dict[str, Any], based_on: Assessment | None = None) -> Assessment:
    errors = validate_new(data)
    if errors:
        raise ApiError(422, "the assessment could not be created", errors)
    row = version_row(str(data["questionnaire"]), str(data["version"]))
    assessment = Assessment(
        organisation_id=user.organisation_id, questionnaire_version=row,
        jurisdiction=str(data["jurisdiction"]).strip().upper(), period=str(data["period"]).strip(),
        title=str(data["title"]).strip(), status="draft", revision=0, created_by_id=user.id,
        updated_by_id=user.id, based_on_id=based_on.id if based_on else None)
    db.session.add(assessment)
    db.session.flush()
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, action="assessment.create",
                              revision=0, new_value={k: assessment_meta(assessment)[k] for k in
                                                     ("jurisdiction", "period", "title", "questionnaire")}))
    if based_on is not None:
        copy_answers(based_on, assessment, user)
    return assessment


def assessment_meta(a: Assessment) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "jurisdiction": a.jurisdiction, "period": a.period,
            "status": a.status, "revision": a.revision,
            "questionnaire": {"id": a.questionnaire_version.questionnaire_id,
                              "version": a.questionnaire_version.version},
            "organisation": {"id": a.organisation.id, "name": a.organisation.name,
                             "kind": a.organisation.kind},
            "created_at": a.created_at.isoformat(), "updated_at": a.updated_at.isoformat(),
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None}


def changes_since(assessment: Assessment, base_revision: int) -> list[dict[str, Any]]:
    """What others saved after ``base_revision``: shown when a stale save is refused."""
    rows = db.session.scalars(select(AuditEntry).where(
        AuditEntry.assessment_id == assessment.id, AuditEntry.revision > base_revision,
        AuditEntry.action == "answer.update").order_by(AuditEntry.id)).all()
    return [{"item": r.item_key, "revision": r.revision, "by": r.user.display_name if r.user else None,
             "at": r.at.isoformat(), "old": r.old_value, "new": r.new_value} for r in rows]


def save_answers(assessment: Assessment, user: User, base_revision: Any,
                 answers_payload: Any) -> dict[str, Any]:
    """Validate every entry, then apply all or nothing. Returns {"revision", "changed"}."""
    if assessment.status not in ("draft", "returned"):
        raise ApiError(409, "the assessment is not open for changes", {"status": assessment.status})
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise ApiError(422, "base_revision must be the integer revision your changes are based on",
                       {"base_revision": "required"})
    questionnaire = store.questionnaire_of(assessment)
    changes, errors = parse_patch(questionnaire, answers_payload)
    if errors:
        raise ApiError(422, "some answers are not valid; nothing was saved", errors)
    # Lock the row so that two concurrent saves serialise (PostgreSQL; SQLite locks the file).
    db.session.refresh(assessment, with_for_update=True)
    if base_revision != assessment.revision:
        raise ApiError(409, "the assessment changed since you loaded it; nothing was saved",
                       {"current_revision": assessment.revision, "base_revision": base_revision,
                        "changes": changes_since(assessment, base_revision)})
    rows = store.answer_rows(assessment)
    new_revision = assessment.revision + 1
    changed = []
    now = utcnow()
    for key, answer in changes.items():
        item = questionnaire.item_map[key]
        row = rows.get(key)
        old = store.to_answer_data(row) if row is not None else None
        if old == answer or (old is None and answer is None):
            continue
        if answer is None:
            assessment.answers.remove(row)
        else:
            if row is None:
                row = Answer(item_key=key)
                assessment.answers.append(row)
            store.apply_to_row(row, answer)
            row.updated_by_id, row.updated_at = user.id, now
        db.session.add(AuditEntry(
            user_id=user.id, assessment_id=assessment.id, item_key=key, action="answer.update",
            revision=new_revision, at=now,
            old_value=old.to_json(item.value_key) if old else None,
            new_value=answer.to_json(item.value_key) if answer else None))
        changed.append(key)
    if changed:
        assessment.revision = new_revision
        assessment.updated_at, assessment.updated_by_id = now, user.id
    db.session.flush()
    return {"revision": assessment.revision, "changed": changed}


def missing_items(assessment: Assessment) -> list[str]:
    questionnaire = store.questionnaire_of(assessment)
    answers = store.answers_of(assessment)
    return [it.key for it in questionnaire.scored_items
            if not answers.get(it.key, AnswerData()).has_answer]


def submit(assessment: Assessment, user: User) -> Submission:
    """Lock the assessment at full completeness, keep a snapshot, store the score."""
    from ..scoring import score_assessment

    if assessment.status not in ("draft", "returned"):
        raise ApiError(409, "the assessment is already submitted", {"status": assessment.status})
    missing = missing_items(assessment)
    if missing:
        raise ApiError(422, "answer every scored question before submitting (don't know and "
                       "not applicable count as answers)", {"missing": missing})
    questionnaire = store.questionnaire_of(assessment)
    answers = store.answers_of(assessment)
    score = score_assessment(questionnaire, answers)
    number = 1 + len(db.session.scalars(select(Submission.id).where(
        Submission.assessment_id == assessment.id)).all())
    now = utcnow()
    previous = assessment.status
    assessment.status = "submitted"
    assessment.submitted_at = now
    assessment.score = score
    assessment.score_rubric_version = questionnaire.rubric.rubric_version
    assessment.scored_at = now
    submission = Submission(assessment_id=assessment.id, number=number, revision=assessment.revision,
                            submitted_by_id=user.id, submitted_at=now,
                            answers=store.answers_json(questionnaire, answers), score=score)
    db.session.add(submission)
    from ..models import ReviewEvent

    db.session.add(ReviewEvent(assessment_id=assessment.id, action="submit" if number == 1 else "resubmit",
                               from_status=previous, to_status="submitted", user_id=user.id, at=now))
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, action="assessment.submit",
                              revision=assessment.revision, at=now,
                              new_value={"submission": number, "score": score["overall"]}))
    db.session.flush()
    return submission


def copy_answers(source: Assessment, target: Assessment, user: User) -> int:
    """Start from a previous assessment (122 (i), the yearly cycle): copy its answers
    for every item key the target's questionnaire also has."""
    questionnaire = store.questionnaire_of(target)
    answers = {k: a for k, a in store.answers_of(source).items() if k in questionnaire.item_map}
    payload = {k: a.to_json(questionnaire.item_map[k].value_key) for k, a in answers.items()}
    if payload:
        save_answers(target, user, target.revision, payload)
    return len(payload)
