"""Submissions (kept snapshots), review events and reviewer comments."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..lifecycle import ACTIONS
from ._common import UTCDateTime, enum_check, utcnow
from .accounts import User

REVIEW_ACTIONS = ACTIONS  # what a ReviewEvent records: every transition of the lifecycle


class Submission(db.Model):
    """Every submitted revision is kept, with the answers and score as submitted."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("assessment_id", "number", name="uq_submissions_assessment_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # language -> revision of the questionnaire's translation in use at submission
    # (app.questionnaire.translations): which wording the respondents saw.
    translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    #: Item key -> the language its free text was written in (Answer.language at submit).
    languages: Mapped[dict[str, str] | None] = mapped_column(JSON)
    #: The key messages as submitted (app.shadow.messages; None: none).
    key_messages: Mapped[list[str] | None] = mapped_column(JSON)

    submitted_by: Mapped[User | None] = relationship()


class ReviewEvent(db.Model):
    __tablename__ = "review_events"
    __table_args__ = (enum_check("action", REVIEW_ACTIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(lazy="joined")


class Comment(db.Model):
    """A comment on an assessment (item_key null) or one of its items. Immutable."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submission_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class ImmutableError(RuntimeError):
    pass


@event.listens_for(Comment, "before_update")
def _no_comment_edits(mapper, connection, target):
    raise ImmutableError("comments are never edited after posting")


@event.listens_for(Comment, "before_delete")
def _no_comment_deletes(mapper, connection, target):
    raise ImmutableError("comments are never deleted")
