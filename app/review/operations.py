"""Writes of the review area: workflow transitions and comments.  One code path for the
pages and the API.  Operations check their input, write, record a :class:`ReviewEvent`
and an :class:`AuditEntry`, and flush; the request commits once.

Authorization (may this user review or comment on this assessment at all) is the caller's
job, through :func:`app.auth.policy.load_assessment`; these functions enforce the
workflow (:mod:`app.lifecycle`) and the content rules.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ..assessments import store
from ..assessments.locking import lock_assessment
from ..assessments.queries import latest_submission_number
from ..errors import RequestError
from ..extensions import db
from ..models import Assessment, AuditEntry, Comment, ReviewEvent, User
from ..models._common import utcnow
from ..questionnaire.answers import MAX_TEXT
from .. import lifecycle


def apply_review(assessment: Assessment, user: User, action: Any, reason: Any = "") -> ReviewEvent:
    """Take the reviewer's ``action`` (start, return, accept) on ``assessment``.

    422: an unknown action, or a return without a reason (or an over-long reason);
    409: a transition the workflow does not allow from the current status (checked after
    locking the row, so two reviewers acting at once cannot both move it)."""
    if not isinstance(action, str) or action not in lifecycle.REVIEWER_ACTIONS:
        raise RequestError(422, _("action must be one of: %(actions)s", actions=", ".join(lifecycle.REVIEWER_ACTIONS)),
                       {"action": "unknown action"})
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise RequestError(422, _("reason must be text"), {"reason": "must be text"})
    reason = reason.strip()
    if lifecycle.requires_reason(action) and not reason:
        raise RequestError(422, _("say why the assessment is returned: the organisation needs to know "
                         "what to change"), {"reason": "required to return an assessment"})
    if len(reason) > MAX_TEXT:
        raise RequestError(422, _("keep the reason under %(n)s characters", n=MAX_TEXT), {"reason": "too long"})
    # The assessment's write lock, then the status as it is now: two reviewers acting at once,
    # or a review decision and a resubmit, serialise on every backend.
    lock_assessment(assessment)
    try:
        step = lifecycle.transition(assessment.status, action)
    except lifecycle.TransitionRefused as exc:
        raise RequestError(409, str(exc), {"status": assessment.status, "action": action,
                                       "allowed": lifecycle.allowed_actions(assessment.status)}) from None
    now = utcnow()
    previous = assessment.status
    assessment.status = step.target
    event = ReviewEvent(assessment_id=assessment.id, action=action, from_status=previous,
                        to_status=step.target, reason=reason, user_id=user.id, at=now)
    db.session.add(event)
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, action=f"review.{action}",
                              revision=assessment.revision, at=now,
                              old_value={"status": previous},
                              new_value={"status": step.target, "reason": reason} if reason
                              else {"status": step.target}))
    db.session.flush()
    if action == "return":  # the organisation and its contributors learn why, by mail
        from ..contributors import notify

        notify.returned(assessment, reason)
    return event


def post_comment(assessment: Assessment, user: User, item: Any, text: Any) -> Comment:
    """A comment on the whole assessment (``item`` None or "") or on one of its items.
    Comments are immutable once posted (the model refuses updates and deletes).
    422 for an unknown item key or an empty or over-long text."""
    errors = {}
    if item in (None, ""):
        item = None
    elif not isinstance(item, str) or item not in store.questionnaire_of(assessment).item_map:
        errors["item"] = "not an item of this assessment's questionnaire"
    if not isinstance(text, str) or not text.strip():
        errors["text"] = "write the comment"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"keep the comment under {MAX_TEXT} characters"
    if errors:
        raise RequestError(422, _("the comment could not be posted"), errors)
    number = latest_submission_number(assessment)
    now = utcnow()
    comment = Comment(assessment_id=assessment.id, item_key=item, text=text.strip(),
                      author_id=user.id, submission_number=number, created_at=now)
    db.session.add(comment)
    db.session.flush()
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, item_key=item,
                              action="comment.create", revision=assessment.revision, at=now,
                              new_value={"comment": comment.id, "submission": number}))
    db.session.flush()
    return comment
