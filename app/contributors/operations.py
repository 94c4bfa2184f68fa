"""Giving and taking back sections of an assessment; an informant's ratings and the owner's
consensus.  Operations flush; the request commits.

An invited address may belong to a user of any organisation, or to nobody yet: then an
account is made in a new organisation of its own (never an existing one, which would open
that organisation's assessments to the newcomer) with no usable password; the invitation
mail carries the link to choose one (app.auth.links).
"""
from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ..assessments import operations as assessment_ops, store
from ..assessments.locking import lock_assessment
from ..auth import operations as accounts, queries as account_queries
from ..auth.policy import Action, can
from ..errors import RequestError
from ..extensions import db
from ..lifecycle import EDITABLE
from ..models import CONTRIBUTOR_ROLES, Assessment, AuditEntry, Contributor, Rating, User
from ..models._common import utcnow
from ..questionnaire.answer_errors import details_of
from ..questionnaire.patch import parse_patch
from . import queries
from .ratings import ratings_by_item


def _checked(assessment: Assessment, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    email = data.get("email")
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower() \
            if isinstance(email, str) and len(email) <= 254 else None
    except EmailNotValidError:
        email = None
    if email is None:
        errors["email"] = _("Give a valid email address.")
    role = data.get("role")
    if role not in CONTRIBUTOR_ROLES:
        errors["role"] = _("Choose contributor, informant or reader.")
    keys = {s.key for s in store.questionnaire_of(assessment).sections}
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections or not all(isinstance(s, str) and s in keys for s in sections):
        errors["sections"] = _("Choose one or more sections of this assessment.")
    due = data.get("due_date")
    if due not in (None, ""):
        try:
            due = date.fromisoformat(due) if isinstance(due, str) else None
        except ValueError:
            due = None
        if due is None:
            errors["due_date"] = _("Give the due date as YYYY-MM-DD.")
    organisation = data.get("organisation") or ""
    if not isinstance(organisation, str) or len(organisation) > 150:
        errors["organisation"] = _("Give the organisation's name in at most 150 characters.")
    ordered = [s.key for s in store.questionnaire_of(assessment).sections if s.key in (sections or ())] \
        if "sections" not in errors else []
    return {"email": email, "role": role, "sections": ordered, "due_date": due or None,
            "organisation": organisation.strip() if isinstance(organisation, str) else ""}, errors


def _new_account(email: str, organisation: str) -> User:
    """An account for an address nobody uses yet, in a new organisation of its own."""
    name = organisation or email.partition("@")[2]
    if account_queries.organisation_with_name(name) is not None:
        name = f"{name} ({email})"
    org = accounts.get_or_create_organisation(name[:200], "other")
    user = User(email=email, role="respondent", organisation=org)
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the invitation link sets one
    db.session.add(user)
    db.session.flush()
    return user


def invite(owner: User, assessment: Assessment, data: Any) -> tuple[Contributor, bool, bool]:
    """Give ``data["email"]`` the chosen sections (or change what they were given).
    Returns (row, created, whether the person never signed in); 422 with per-field messages."""
    if not isinstance(data, dict):
        raise RequestError(422, _("The body must be an object."), {"body": "object"})
    clean, errors = _checked(assessment, data)
    user = account_queries.user_with_email(clean["email"]) if not errors else None
    if user is not None and can(user, Action.VIEW, assessment):
        errors["email"] = _("%(email)s already works on the whole assessment.", email=clean["email"])
    if errors:
        raise RequestError(422, _("The invitation could not be made."), errors)
    user = user or _new_account(clean["email"], clean["organisation"])
    new_account = user.last_login_at is None  # never signed in: the mail carries a link to set a password
    row = account_queries.contribution_row(user, assessment)
    created = row is None
    if created:
        row = Contributor(assessment_id=assessment.id, user_id=user.id, invited_by_id=owner.id, revision=0)
        db.session.add(row)
    row.role, row.sections, row.due_date = clean["role"], clean["sections"], clean["due_date"]
    db.session.flush()
    db.session.add(AuditEntry(user_id=owner.id, assessment_id=assessment.id,
                              action="contributor.add" if created else "contributor.change",
                              new_value=describe(row)))
    return row, created, new_account


def remove(owner: User, assessment: Assessment, contributor_id: int) -> bool:
    """Take the sections back: the access ends with this request's commit (every request
    asks the policy, which reads the row).  An informant's ratings go with it."""
    row = queries.contributor_of(assessment, contributor_id)
    if row is None:
        return False
    db.session.add(AuditEntry(user_id=owner.id, assessment_id=assessment.id, action="contributor.remove",
                              old_value=describe(row)))
    db.session.delete(row)
    db.session.flush()
    return True


def describe(row: Contributor) -> dict[str, Any]:
    return {"id": row.id, "email": row.user.email, "name": row.user.display_name,
            "organisation": row.user.organisation.name, "role": row.role, "sections": list(row.sections),
            "due_date": row.due_date.isoformat() if row.due_date else None}


# -- informants' ratings and the owner's consensus (issue 13) -----------------------------------
MAX_RATIONALE = 5_000


def _items_of(assessment: Assessment, sections) -> set[str]:
    questionnaire = store.questionnaire_of(assessment)
    return {k for s in questionnaire.sections if s.key in sections for k in s.items}


def save_ratings(assessment: Assessment, row: Contributor, base_revision: Any, payload: Any) -> dict[str, Any]:
    """An informant's patch of their own ratings, all or nothing: 403 for items outside
    their sections, 422 for invalid answers, 409 when ``base_revision`` is not their
    latest save."""
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise RequestError(422, _("base_revision must be the integer revision your changes are based on"),
                       {"base_revision": "required"})
    if isinstance(payload, dict):
        mine = _items_of(assessment, row.sections)
        outside = {str(k)[:64]: _("This question is not in the sections you were given.")
                   for k in payload if k not in mine}
        if outside:
            raise RequestError(403, _("Some answers are outside the sections you were given; nothing was saved."),
                           outside)
    questionnaire = store.questionnaire_of(assessment)
    changes, errors = parse_patch(questionnaire, payload)
    if errors:
        raise RequestError(422, _("some answers are not valid; nothing was saved"), details_of(errors), errors)
    lock_assessment(assessment)  # serialises with every save, a submit and the consensus
    db.session.refresh(row, attribute_names=["revision"])
    if assessment.status not in EDITABLE:
        raise RequestError(409, _("the assessment is not open for changes"), {"status": assessment.status})
    if base_revision != row.revision:
        raise RequestError(409, _("your ratings changed since you loaded them; nothing was saved"),
                       {"current_revision": row.revision, "base_revision": base_revision})
    stored = {r.item_key: r for r in row.ratings}
    changed = []
    for key, answer in changes.items():
        new = answer.to_json(questionnaire.item_map[key].value_key) if answer is not None else None
        old = stored.get(key)
        if (old.answer if old else None) == new:
            continue
        if new is None:
            row.ratings.remove(old)
        elif old is None:
            row.ratings.append(Rating(item_key=key, answer=new, updated_at=utcnow()))
        else:
            old.answer, old.updated_at = new, utcnow()
        changed.append(key)
    if changed:
        row.revision += 1
        # Which items, never the values: the log is read by others than the owner.
        db.session.add(AuditEntry(user_id=row.user_id, assessment_id=assessment.id, action="rating.update",
                                  revision=assessment.revision, new_value={"items": changed}))
    db.session.flush()
    return {"revision": row.revision, "changed": changed}


def record_consensus(assessment: Assessment, owner: User, body: Any) -> dict[str, Any]:
    """The owner's consensus answers with a written rationale for each: saved as the
    assessment's answers (operations.save_answers), each rationale audited with the
    ratings it settled."""
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        raise RequestError(422, _("the body needs 'base_revision', 'answers' and 'rationale'"), {"answers": "required"})
    rationale = body.get("rationale")
    rationale = rationale if isinstance(rationale, dict) else {}
    missing = {str(k)[:64]: _("Give the reason for this consensus answer (at most %(n)s characters).",
                              n=MAX_RATIONALE)
               for k in body["answers"] if not isinstance(rationale.get(k), str)
               or not rationale[k].strip() or len(rationale[k]) > MAX_RATIONALE}
    if missing:
        raise RequestError(422, _("Every consensus answer needs its rationale; nothing was saved."),
                       {"rationale": missing})
    by_item = ratings_by_item(assessment, queries.informants_of(assessment))
    result = assessment_ops.save_answers(assessment, owner, body.get("base_revision"), body["answers"])
    for key in body["answers"]:
        db.session.add(AuditEntry(
            user_id=owner.id, assessment_id=assessment.id, item_key=key, action="answer.consensus",
            revision=result["revision"], new_value={
                "rationale": rationale[key].strip(),
                "ratings": [{"informant": r["informant"], "level": r.get("level")} for r in by_item.get(key, [])]}))
    db.session.flush()
    return result
