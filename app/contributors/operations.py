"""Giving and taking back sections of an assessment.  Operations flush; the request commits.

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
from sqlalchemy import select

from ..assessments import store
from ..auth import operations as accounts
from ..auth.policy import Action, can
from ..errors import RequestError
from ..extensions import db
from ..models import CONTRIBUTOR_ROLES, Assessment, AuditEntry, Contributor, Organisation, User


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
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
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
    user = db.session.scalar(select(User).where(User.email == clean["email"])) if not errors else None
    if user is not None and can(user, Action.VIEW, assessment):
        errors["email"] = _("%(email)s already works on the whole assessment.", email=clean["email"])
    if errors:
        raise RequestError(422, _("The invitation could not be made."), errors)
    user = user or _new_account(clean["email"], clean["organisation"])
    new_account = user.last_login_at is None  # never signed in: the mail carries a link to set a password
    row = db.session.scalar(select(Contributor).where(
        Contributor.assessment_id == assessment.id, Contributor.user_id == user.id))
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
    row = db.session.scalar(select(Contributor).where(
        Contributor.id == contributor_id, Contributor.assessment_id == assessment.id))
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


def contributors_of(assessment: Assessment) -> list[Contributor]:
    return list(db.session.scalars(select(Contributor).where(Contributor.assessment_id == assessment.id)
                                   .order_by(Contributor.created_at, Contributor.id)))
