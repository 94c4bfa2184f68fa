"""Writes of the shadow assessments' area: the key messages, saved under the assessment's
write lock and audited.  Flushes; the request commits."""
from __future__ import annotations

from ..assessments.locking import lock_assessment
from ..errors import ApiError
from ..extensions import db
from ..i18n import translate as _
from ..lifecycle import EDITABLE
from ..models import Assessment, AuditEntry, User
from .messages import of as messages_of


def save_key_messages(assessment: Assessment, user: User, messages: list[str]) -> bool:
    """Store ``messages`` (already ``messages.parse``\\ d) on ``assessment`` under its write lock,
    recorded in the audit log; False when nothing changed.  The caller checked ``EDIT``;
    the status is checked again under the lock (a submit may have come first)."""
    lock_assessment(assessment)
    db.session.refresh(assessment, attribute_names=["key_messages"])
    if assessment.status not in EDITABLE:
        raise ApiError(409, _("This assessment is no longer open for changes: nothing was saved."),
                       {"status": assessment.status})
    old = messages_of(assessment)
    if old == messages:
        return False
    assessment.key_messages = messages or None
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id,
                              action="assessment.key_messages", revision=assessment.revision,
                              old_value=old, new_value=messages))
    db.session.flush()
    return True
