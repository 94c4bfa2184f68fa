"""What a report is made of, read from the database into plain data (needs an app context).

:func:`gather` is the one place that turns ORM objects into report inputs: a
:class:`ReportInputs` of plain values whose :meth:`~ReportInputs.context` is what the
templates get.  :func:`report_key` names the finished PDF in the cache from a few plain
queries, so that a repeat download is answered without gathering anything.
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



def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(f"not serialisable: {type(value).__name__}")


_SCORING_DIGEST: str | None = None


def _scoring_digest() -> str:
    """The scoring code's own digest: a draft's score is computed from its answers by this
    code, so a change to it is a change to the draft's report."""
    global _SCORING_DIGEST
    if _SCORING_DIGEST is None:
        from pathlib import Path

        import app.scoring as scoring

        h = hashlib.sha256()
        for path in sorted(Path(scoring.__file__).parent.glob("*.py")):
            h.update(path.read_bytes())
        _SCORING_DIGEST = h.hexdigest()[:16]
    return _SCORING_DIGEST


def render_locale() -> str:
    """The locale the report texts are translated into (Flask-Babel's current locale)."""
    import flask_babel

    try:
        return str(flask_babel.get_locale() or "en")
    except RuntimeError:
        return "en"


def _viewer(viewer: Any) -> Any:
    """The user a report is for: given, or the request's signed-in user (None outside a
    request: the organisation's own view, as the warm-up renders it)."""
    if viewer is not _REQUEST_USER:
        return viewer
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user._get_current_object()
    return None


def _reader_zone() -> str:
    """The zone the report's times are written in (app.reports: Times in the PDFs)."""
    from app.timezones import reader_zone

    return reader_zone()


#: ``viewer`` default: whoever makes the request.
_REQUEST_USER: Any = object()


def report_key(assessment, kind: str, lang: str = "en", viewer: Any = _REQUEST_USER) -> str:
    """The cache key of a report: a hash of the answers (with their evidence), the score (the
    stored one; for a draft, the scoring code that computes it from the answers), the
    metadata, the comments, the logo, the questionnaire's content, the language of the
    questionnaire texts (``lang``) and the locale the report's own texts are translated into
    (so that a French and an English PDF are never served for each other), the template
    version and the WeasyPrint version; the key messages, and the government's assessment
    shown beside a shadow assessment (it depends on the viewer).  Read with a few plain
    queries (no ORM object per answer), so that a cache hit costs little more than the
    authorization check.  A viewer who sees the last submission rather than the working copy
    (app.assessments.seen) gets the key of that submission's report."""
    from app.assessments.queries import latest_submission
    from app.assessments.seen import counts_stored, shows_submission
    from app.attachments import operations as attachment_ops
    from app.contributors.report_annex import annex_key
    from app.shadow import presentation

    who = _viewer(viewer)
    submission = latest_submission(assessment) if shows_submission(who, assessment) else None
    if assessment.score and counts_stored(assessment.status, submission is not None):
        score: Any = assessment.score
    else:
        score = ["computed from the answers", _scoring_digest()]
    payload = json.dumps({
        "kind": kind, "lang": lang, "locale": render_locale(), "zone": _reader_zone(),  # the times' zone
        **_record_key_parts(assessment),
        "answers": _answers_key_part(assessment, submission),
        "comments": _comments_key_part(assessment),
        "shadow": presentation.report_key_part(who, assessment),
        "agreement": annex_key(assessment),
        "attachments": [[a.id, a.sha256, a.filename] for a in
                        attachment_ops.visible(who, assessment)] if kind == "gap" else [],
    }, sort_keys=True, default=_json_default, ensure_ascii=False, separators=(",", ":"))
    # The stored score comes back from its JSON column as stored: no need to sort its keys.
    score_json = json.dumps(score, ensure_ascii=False, separators=(",", ":"))
    return cache_key(payload, score_json)


def _record_key_parts(assessment) -> dict[str, Any]:
    """The report key's parts from the assessment's own record: its questionnaire (with the
    content's hash and the revisions of its translations and English corrections), its
    metadata and its organisation (name, kind, logo)."""
    from app.questionnaire.catalog import catalog

    from .queries import organisation_key_row

    row = assessment.questionnaire_version
    loaded = catalog().loaded(row.questionnaire_id, row.version)
    return {
        "questionnaire": [row.questionnaire_id, row.version, loaded.content_hash if loaded else "",
                          loaded.translation_revisions() if loaded else {}],  # corrections too
        "meta": [assessment.id, assessment.title, assessment.jurisdiction, assessment.period,
                 assessment.status, assessment.revision, assessment.created_at, assessment.updated_at,
                 assessment.submitted_at],
        "organisation": list(organisation_key_row(assessment)),
    }


def _answers_key_part(assessment, submission) -> Any:
    """The answers the report shows: the submission's (its number and revision say which), or
    the working copy's rows with their evidence, read as plain rows."""
    if submission is not None:
        return [["submission", submission.number, submission.revision], submission.answers]
    from .queries import answer_key_rows

    return answer_key_rows(assessment)


def _comments_key_part(assessment) -> list[list[Any]]:
    """The comments with their authors' names and organisations, as plain rows."""
    from .queries import comment_key_rows

    return comment_key_rows(assessment)


def gather(assessment, kind: str, lang: str = "en", viewer: Any = _REQUEST_USER) -> ReportInputs:
    """The inputs of ``kind`` for ``assessment`` (an ORM row the caller was allowed to view),
    as ``viewer`` sees it: a reviewer of a returned assessment gets its last submission."""
    from app.assessments import store
    from app.questionnaire.catalog import catalog
    from app.jurisdictions import jurisdiction_name
    from app.assessments.seen import current_score, seen_by
    from app.attachments import operations as attachment_ops
    from app.contributors.report_annex import agreement_annex
    from app.shadow import presentation

    from .parts import Labels
    from .queries import report_comments

    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    questionnaire = store.questionnaire_of(assessment)
    loaded = catalog().loaded(questionnaire.id, questionnaire.version)
    seen = seen_by(_viewer(viewer), assessment)
    answers = seen.answers
    score = current_score(assessment, answers, sees_submission=seen.is_submission)
    org = assessment.organisation
    meta = {
        "id": assessment.id, "title": assessment.title, "organisation": org.name,
        "organisation_kind": org.kind, "jurisdiction": assessment.jurisdiction,
        "jurisdiction_name": jurisdiction_name(assessment.jurisdiction),
        "period": assessment.period, "status": assessment.status, "revision": seen.revision,
        "created_at": assessment.created_at,
        "updated_at": seen.submission.submitted_at if seen.submission else assessment.updated_at,
        "submitted_at": assessment.submitted_at,
        "zone": _reader_zone(),   # the times' zone (app.reports: Times in the PDFs)
    }
    # Whoever gets a report may see the assessment whole (the owner organisation, a reviewer
    # of a submitted one): the agreement figures are theirs to read, never who rated what.
    meta["agreement"] = agreement_annex(assessment, lang) if kind == "gap" else []
    # The evidence documents the viewer may open, listed with their fingerprints (the PDF
    # never embeds or fetches the files themselves).
    meta["attachments"] = [{"key": a.item_key, "filename": a.filename, "size": a.size, "sha256": a.sha256}
                           for a in attachment_ops.visible(_viewer(viewer), assessment)] if kind == "gap" else []
    meta |= presentation.for_report(_viewer(viewer), assessment, score, {
        code: f"({code}) {short}" for code, short in Labels.of(questionnaire, lang).area_short.items()})
    comments = [
        {"author": c.author.display_name if c.author else "", "item": c.item_key,
         "organisation": c.author.organisation.name if c.author and c.author.organisation else "",
         "text": c.text, "created_at": c.created_at, "submission": c.submission_number}
        for c in report_comments(assessment)]
    logo = {"mime": org.logo_mime or "", "data": bytes(org.logo)} if org.logo else None
    return ReportInputs(kind=kind, questionnaire=questionnaire,
                        questionnaire_hash=loaded.content_hash if loaded else "",
                        score=score, answers=answers, meta=meta, comments=comments, logo=logo,
                        lang=lang)
