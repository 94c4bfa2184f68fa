"""What a report is made of, read from the database into plain data (needs an app context).

:func:`gather` is the one place that touches ORM objects: it returns a
:class:`ReportInputs` of plain values, whose :meth:`~ReportInputs.cache_key` names the PDF in
the cache and whose :meth:`~ReportInputs.context` is what the templates get.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .context import KINDS, build_context
from .logo import LogoError, sanitise_logo
from .render import cache_key

#: Statuses whose answers can still change: the score is computed live, not read from the
#: stored one (a submitted assessment keeps the score stored on submit, RUBRIC 8).
LIVE_SCORE_STATUSES = ("draft", "returned")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportInputs:
    kind: str
    questionnaire: Any                 # app.questionnaire.definition.Questionnaire (frozen data)
    questionnaire_hash: str
    score: dict[str, Any]
    answers: dict[str, Any]            # item key -> AnswerData
    meta: dict[str, Any]
    comments: list[dict[str, Any]] = field(default_factory=list)
    logo: dict[str, Any] | None = None
    lang: str = "en"

    def context(self) -> dict[str, Any]:
        return build_context(self.kind, questionnaire=self.questionnaire, score=self.score,
                             answers=self.answers, meta=self.meta, comments=self.comments,
                             logo=self.clean_logo(), lang=self.lang)

    def clean_logo(self) -> dict[str, Any] | None:
        """The stored logo checked again (as at upload) before it enters a PDF; a logo that
        fails is left out (and logged), never rendered."""
        if not self.logo or not self.logo.get("data"):
            return None
        try:
            data, mime = sanitise_logo(self.logo["data"], max(len(self.logo["data"]), 1))
        except LogoError as exc:
            log.warning("a stored logo fails the checks and is left out of the report: %s", exc)
            return None
        return {"mime": mime, "data": data}

    def cache_key(self) -> str:
        """A hash of every input (answers, score, metadata, comments, logo, questionnaire
        content), the template version and the WeasyPrint version."""
        q = self.questionnaire
        answers = {k: a.to_json(q.item_map[k].value_key) if k in q.item_map else repr(a)
                   for k, a in sorted(self.answers.items())}
        logo = hashlib.sha256(self.logo["data"]).hexdigest() + self.logo["mime"] if self.logo else ""
        payload = json.dumps({
            "kind": self.kind, "lang": self.lang, "questionnaire": [q.id, q.version, self.questionnaire_hash],
            "answers": answers, "score": self.score, "meta": self.meta, "comments": self.comments,
        }, sort_keys=True, default=_json_default, ensure_ascii=False, separators=(",", ":"))
        return cache_key(payload, logo)


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def gather(assessment, kind: str, lang: str = "en") -> ReportInputs:
    """The inputs of ``kind`` for ``assessment`` (an ORM row the caller was allowed to view)."""
    from sqlalchemy import select

    from app.assessments import store
    from app.assessments.operations import jurisdiction_name
    from app.extensions import db
    from app.models import Comment
    from app.scoring import score_assessment

    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    questionnaire = store.questionnaire_of(assessment)
    loaded = store.catalog().loaded(questionnaire.id, questionnaire.version)
    answers = store.answers_of(assessment)
    score = assessment.score
    if assessment.status in LIVE_SCORE_STATUSES or not score:
        score = score_assessment(questionnaire, answers)
    elif "items" not in score:
        # A score stored before per-item levels were kept: the headline stays as stored,
        # the per-item levels are recomputed for display.
        score = dict(score, items=score_assessment(questionnaire, answers, explain=False)["items"])
    org = assessment.organisation
    meta = {
        "id": assessment.id, "title": assessment.title, "organisation": org.name,
        "organisation_kind": org.kind, "jurisdiction": assessment.jurisdiction,
        "jurisdiction_name": jurisdiction_name(assessment.jurisdiction),
        "period": assessment.period, "status": assessment.status, "revision": assessment.revision,
        "created_at": assessment.created_at, "updated_at": assessment.updated_at,
        "submitted_at": assessment.submitted_at,
    }
    comments = [
        {"author": c.author.display_name if c.author else "", "item": c.item_key,
         "organisation": c.author.organisation.name if c.author and c.author.organisation else "",
         "text": c.text, "created_at": c.created_at, "submission": c.submission_number}
        for c in db.session.scalars(select(Comment).where(Comment.assessment_id == assessment.id)
                                    .order_by(Comment.created_at, Comment.id))]
    logo = {"mime": org.logo_mime or "", "data": bytes(org.logo)} if org.logo else None
    return ReportInputs(kind=kind, questionnaire=questionnaire,
                        questionnaire_hash=loaded.content_hash if loaded else "",
                        score=score, answers=answers, meta=meta, comments=comments, logo=logo,
                        lang=lang)
