"""Attaching documents to an answer's evidence, removing them, and which ones a viewer sees.

The policy decides who may do what (views load the assessment through it); this module
checks the file and keeps the record.  A reviewer of a returned assessment sees the
attachments as they were at its last submission (app.assessments.seen), like the answers.
"""
from __future__ import annotations

import hashlib

import re
import unicodedata
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ..assessments import store
from ..assessments.queries import latest_submission_light
from ..assessments.seen import shows_submission
from ..errors import RequestError
from ..extensions import db
from ..models import Assessment, AuditEntry, User
from ..models._common import utcnow
from ..models.attachments import Attachment
from . import queries, storage
from .content import Refused, sniff

MAX_NAME = 120


def safe_filename(name: str | None, extension: str) -> str:
    """The user's file name, reduced to something harmless to show and to send back: no
    path, no control or bidi-override characters, and the extension of what the file *is*."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:MAX_NAME].strip(" .") or "document"
    return f"{stem}.{extension}"


def attach(assessment: Assessment, user: User, item_key: Any, filename: str | None,
           data: bytes) -> Attachment:
    """Checks and keeps one document for ``item_key``'s evidence; 422 naming the reason."""
    questionnaire = store.questionnaire_of(assessment)
    if not isinstance(item_key, str) or item_key not in questionnaire.item_map:
        raise RequestError(422, _("Choose the question the document is evidence for."),
                       {"item": _("unknown question")})
    limit = int(current_app.config["ATTACHMENT_MAX_BYTES"])
    if len(data) > limit:
        raise RequestError(413, _("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)),
                       {"file": _("too large")})
    try:
        kind = sniff(data)
    except Refused as exc:
        raise RequestError(422, str(exc), {"file": str(exc)}) from None
    _refuse_duplicate(assessment, item_key, data)
    used = queries.attached_bytes(assessment)
    total = int(current_app.config["ATTACHMENT_MAX_TOTAL_BYTES"])
    if used + len(data) > total:
        raise RequestError(422, _("This assessment's attachments would exceed %(mb)s MB; remove some first.",
                              mb=total // (1024 * 1024)), {"file": _("over the assessment's total")})
    digest = storage.store(data)
    row = Attachment(assessment_id=assessment.id, item_key=item_key,
                     filename=safe_filename(filename, kind.extension), media_type=kind.media_type,
                     size=len(data), sha256=digest, uploaded_by_id=user.id, uploaded_at=utcnow())
    db.session.add(row)
    db.session.flush()
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, item_key=item_key,
                              action="attachment.add", revision=assessment.revision,
                              new_value={"id": row.id, "filename": row.filename, "sha256": digest}))
    return row


def _refuse_duplicate(assessment: Assessment, item_key: str, data: bytes) -> None:
    """The same content twice on one question is a mistake (a second click, a re-upload), not
    a second piece of evidence: 422, nothing kept."""
    digest = hashlib.sha256(data).hexdigest()
    if queries.is_attached(assessment, item_key, digest):
        raise RequestError(422, _("This document is already attached to this question."),
                           {"file": _("already attached")})


def remove(assessment: Assessment, user: User, attachment_id: int) -> None:
    row = _current(assessment, attachment_id)
    row.removed_at, row.removed_by_id = utcnow(), user.id
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, item_key=row.item_key,
                              action="attachment.remove", revision=assessment.revision,
                              old_value={"id": row.id, "filename": row.filename, "sha256": row.sha256}))
    db.session.flush()


def _current(assessment: Assessment, attachment_id: int) -> Attachment:
    row = queries.current_attachment(assessment, attachment_id)
    if row is None:
        raise RequestError(404, _("No such attachment."))
    return row


def visible(viewer: Any, assessment: Assessment) -> list[Attachment]:
    """The attachments ``viewer`` sees: the current ones, or for a reviewer of a returned
    assessment those its last submission had."""
    submission = latest_submission_light(assessment) if shows_submission(viewer, assessment) else None
    return queries.attachments_as_of(assessment, submission[0] if submission is not None else None)


def by_item(rows: list[Attachment]) -> dict[str, list[Attachment]]:
    out: dict[str, list[Attachment]] = {}
    for row in rows:
        out.setdefault(row.item_key, []).append(row)
    return out


def find_visible(viewer: Any, assessment: Assessment, attachment_id: int) -> Attachment:
    for row in visible(viewer, assessment):
        if row.id == attachment_id:
            return row
    raise RequestError(404, _("No such attachment."))


def as_json(row: Attachment, url: str) -> dict[str, Any]:
    return {"id": row.id, "item": row.item_key, "filename": row.filename, "media_type": row.media_type,
            "size": row.size, "sha256": row.sha256, "uploaded_at": row.uploaded_at.isoformat(),
            "url": url}
