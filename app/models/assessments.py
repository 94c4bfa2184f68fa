"""Questionnaire versions, assessments, answers and evidence."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..lifecycle import DRAFT, EDITABLE, STATUSES
from ._common import UTCDateTime, enum_check, utcnow
from .accounts import Organisation, User

EVIDENCE_TYPES = ("law", "policy", "budget", "data", "evaluation", "expert_judgement", "other")
CONFIDENCE_LEVELS = ("high", "medium", "low")


class QuestionnaireVersion(db.Model):
    """What the database knows of a published definition: a published version is
    immutable, so its content hash is recorded and checked at every load."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version", name="uq_questionnaire_versions_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    rubric_version: Mapped[str] = mapped_column(String(20), default="")
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def ref(self) -> str:
        return f"{self.questionnaire_id}@{self.version}"


def overall_of(document: dict[str, Any] | None) -> float | None:
    """The overall score of a stored score document (None when there is none)."""
    overall = (document or {}).get("overall") or {}
    value = overall.get("score") if isinstance(overall, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        enum_check("status", STATUSES),
        CheckConstraint("revision >= 0", name="revision_non_negative"),
        CheckConstraint("length(jurisdiction) BETWEEN 2 AND 6", name="jurisdiction_length"),
        Index("ix_assessments_status_overall_score", "status", "overall_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(6), index=True)
    period: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The score stored on submit, with the versions that produced it (RUBRIC 8).
    score: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score_rubric_version: Mapped[str | None] = mapped_column(String(20))
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The overall score of ``score`` in a column of its own, so that a list of thousands of
    # assessments is sorted by score in the database; set with ``score``.  Indexed with the
    # status (the reviewers' list filters on it): SQLite then sorts from the index alone,
    # without reading rows whose score documents run over several pages.
    overall_score: Mapped[float | None] = mapped_column(Float)
    # What the organisation wants a reader to take away (app.shadow.messages): a short list
    # of plain texts, on the scorecard and at the start of the gap report.
    key_messages: Mapped[list[str] | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Answer.id")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @validates("score")
    def _keep_overall_score(self, _key: str, document: dict[str, Any] | None):
        self.overall_score = overall_of(document)
        return document

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.jurisdiction} {self.period} {self.status} r{self.revision}>"


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_key", name="uq_answers_assessment_item"),
        CheckConstraint("NOT (dont_know AND not_applicable)", name="one_special_answer"),
        CheckConstraint("NOT not_applicable OR length(na_reason) > 0", name="na_needs_reason"),
        enum_check("confidence", CONFIDENCE_LEVELS, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any | None] = mapped_column(JSON)
    dont_know: Mapped[bool] = mapped_column(default=False)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    na_reason: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str | None] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    #: The interface language of whoever last saved it: free text stays as typed, and a
    #: reader in another language is told which language it is in.
    language: Mapped[str | None] = mapped_column(String(8))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    evidence: Mapped[list[EvidenceEntry]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="EvidenceEntry.position",
        lazy="selectin")


class EvidenceEntry(db.Model):
    __tablename__ = "evidence_entries"
    __table_args__ = (enum_check("type", EVIDENCE_TYPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    answer: Mapped[Answer] = relationship(back_populates="evidence")
