"""Authorization, in one place.

Every query for assessments goes through :func:`visible_assessments` and every
permission check through :func:`can`.  The rules (issue 2):

- a respondent reads and edits only their own organisation's assessments;
- a reviewer reads submitted (never draft) assessments of all organisations and
  edits no answers;
- an admin manages users and organisations, reads what a reviewer reads plus
  their own organisation's assessments.
"""
from __future__ import annotations

from enum import StrEnum

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from ..extensions import db
from ..lifecycle import EDITABLE, REVIEWABLE
from ..models import Assessment, User



class Action(StrEnum):
    VIEW = "view"            # read metadata, answers, score, reports
    EDIT = "edit"            # change answers
    SUBMIT = "submit"
    REVIEW = "review"        # start / return / accept
    COMMENT = "comment"      # post a comment
    MANAGE_USERS = "manage_users"
    MANAGE_LOGO = "manage_logo"      # upload or remove one's own organisation's logo
    USE_REVIEW = "use_review"  # the review area: lists, comparisons, exports (review issue)


def _own(user: User):
    return Assessment.organisation_id == user.organisation_id


def visibility_clause(user: User):
    """The SQL condition for the assessments ``user`` may see."""
    if user.role == "respondent":
        return _own(user)
    not_draft = Assessment.status.in_(REVIEWABLE)
    if user.role == "reviewer":
        return not_draft
    if user.role == "admin":
        return or_(_own(user), not_draft)
    return Assessment.id.is_(None)  # unknown role: nothing


def visible_assessments(user: User) -> Select:
    return select(Assessment).where(visibility_clause(user))


def can(user: User | None, action: Action, assessment: Assessment | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if action is Action.MANAGE_USERS:
        return user.role == "admin"
    if action is Action.MANAGE_LOGO:
        return user.role in ("respondent", "admin")
    if action is Action.USE_REVIEW:  # review issue: what is listed is still visible_assessments
        return user.role in ("reviewer", "admin")
    assert assessment is not None
    own = assessment.organisation_id == user.organisation_id
    if action is Action.VIEW:
        if user.role == "respondent":
            return own
        if user.role == "reviewer":
            return assessment.status in REVIEWABLE
        if user.role == "admin":
            return own or assessment.status in REVIEWABLE
        return False
    if action in (Action.EDIT, Action.SUBMIT):
        return own and user.role in ("respondent", "admin") and assessment.status in EDITABLE
    if action is Action.REVIEW:
        return user.role in ("reviewer", "admin") and not own and assessment.status in REVIEWABLE
    if action is Action.COMMENT:
        # Reviewers comment on what they review; the organisation may reply on its own.
        return can(user, Action.VIEW, assessment) and (
            own or user.role in ("reviewer", "admin")) and assessment.status in REVIEWABLE
    return False


def can_create_assessment(user: User) -> bool:
    return user.is_authenticated and user.active and user.role in ("respondent", "admin")


def load_assessment(user: User, assessment_id: int, action: Action = Action.VIEW) -> Assessment:
    """The assessment if ``user`` may see it (else 404, hiding its existence) and
    may do ``action`` on it (else 403)."""
    assessment = db.session.scalar(
        visible_assessments(user).where(Assessment.id == assessment_id))
    if assessment is None:
        abort(404, description=_("There is no such assessment, or it is not one you may see."))
    if not can(user, action, assessment):
        abort(403, description=_("You may not do this with this assessment."))
    return assessment
