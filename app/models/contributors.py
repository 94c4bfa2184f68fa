"""People given sections of one assessment (issue 13): contributors, informants, readers,
and the informants' own independent ratings."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, enum_check, utcnow
from .accounts import User

#: contributor: answers the sections; informant: rates them privately (consensus later);
#: reader: reads them.
CONTRIBUTOR_ROLES = ("contributor", "informant", "reader")


class Contributor(db.Model):
    __tablename__ = "contributors"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id", name="uq_contributors_assessment_user"),
                      enum_check("role", CONTRIBUTOR_ROLES))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    #: Section keys of the assessment's questionnaire.
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_date: Mapped[date | None] = mapped_column(Date)
    #: An informant's own saves (the ``base_revision`` of their ratings patch).
    revision: Mapped[int] = mapped_column(Integer, default=0)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="contributor", cascade="all, delete-orphan", passive_deletes=True)


class Rating(db.Model):
    """One informant's answer to one item, in the API's answer form (evidence included)."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("contributor_id", "item_key", name="uq_ratings_contributor_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributors.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(32))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contributor: Mapped[Contributor] = relationship(back_populates="ratings")
