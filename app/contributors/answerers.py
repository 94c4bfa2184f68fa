"""Who gave each answer, for the exports: from the audit log, which records every saved
answer with its author (a submitted assessment: as of the revision it was submitted at)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Organisation, Submission, User


def answerers(subjects: Sequence) -> dict[int, dict[str, str]]:
    """Per assessment id, item key -> "name (organisation)" of whoever last saved the answer
    compared (``subjects``: app.review.compare.Subject values).  Two queries."""
    ids = [s.id for s in subjects]
    numbers = {s.id: s.submission for s in subjects if s.submission is not None}
    bound = {aid: revision for aid, number, revision in db.session.execute(
        select(Submission.assessment_id, Submission.number, Submission.revision)
        .where(Submission.assessment_id.in_(list(numbers)))) if numbers.get(aid) == number}
    rows = db.session.execute(
        select(AuditEntry.assessment_id, AuditEntry.item_key, AuditEntry.revision, AuditEntry.new_value,
               User.name, User.email, Organisation.name)
        .outerjoin(User, User.id == AuditEntry.user_id).outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(AuditEntry.assessment_id.in_(ids), AuditEntry.action == "answer.update")
        .order_by(AuditEntry.id))
    out: dict[int, dict[str, str]] = {i: {} for i in ids}
    for aid, key, revision, new, name, email, org in rows:
        if aid in bound and (revision or 0) > bound[aid]:
            continue  # saved after the submission compared
        if new is None or email is None:
            out[aid].pop(key, None)
        else:
            out[aid][key] = f"{name or email} ({org})"
    return out
