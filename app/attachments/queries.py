"""Reads of the documents attached to answers' evidence.  The callers loaded the assessment
through the policy; which moment a viewer sees is decided by app.attachments.operations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Assessment
from ..models.attachments import Attachment


def attached_bytes(assessment: Assessment) -> int:
    """The size of ``assessment``'s current (not removed) attachments together."""
    return db.session.scalar(select(func.coalesce(func.sum(Attachment.size), 0)).where(
        Attachment.assessment_id == assessment.id, Attachment.removed_at.is_(None)))


def is_attached(assessment: Assessment, item_key: str, sha256: str) -> bool:
    """Whether the content of digest ``sha256`` is currently attached to ``item_key``."""
    return db.session.scalar(select(Attachment.id).where(
        Attachment.assessment_id == assessment.id, Attachment.item_key == item_key,
        Attachment.sha256 == sha256, Attachment.removed_at.is_(None)).limit(1)) is not None


def current_attachment(assessment: Assessment, attachment_id: int) -> Attachment | None:
    """Attachment ``attachment_id`` if it is one of ``assessment``'s and not removed."""
    return db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.assessment_id == assessment.id,
        Attachment.removed_at.is_(None)))


def attachments_as_of(assessment: Assessment, moment: datetime | None = None) -> list[Attachment]:
    """``assessment``'s attachments at ``moment`` (uploaded by then, not yet removed), or the
    current ones (None), by item then upload."""
    query = select(Attachment).where(Attachment.assessment_id == assessment.id)
    if moment is not None:
        query = query.where(Attachment.uploaded_at <= moment,
                            or_(Attachment.removed_at.is_(None), Attachment.removed_at > moment))
    else:
        query = query.where(Attachment.removed_at.is_(None))
    return list(db.session.scalars(query.order_by(Attachment.item_key, Attachment.id)))
