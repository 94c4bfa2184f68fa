"""The HTTP side of reports: the kind parameter, the bounded wait, the responses.  Used by the
results page route (``results.report_pdf``), the API route (``api.report_pdf``) and the job
routes (``api.job_status``, ``api.job_result``).

A download never renders in the web worker and never holds it longer than
``PDF_DOWNLOAD_WAIT_SECONDS`` (which must stay below the server's worker timeout: gunicorn's
``--timeout``): a cached PDF is sent at once; otherwise the render job is started (or found,
when the warm-up or another download started it) and awaited that long; a PDF ready in time
is sent, else the answer is ``202`` with the job to poll (JSON for the API, a page that
polls for people)."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Callable

from flask import Response, current_app, jsonify, render_template, send_file, url_for
from flask_babel import gettext as _

from app.errors import RequestError

from . import KINDS, PdfCache, ReportFile, request_pdf
from .store import pdf_cache


def parse_kind(raw: str | None, default: str | None = None) -> str:
    """The report kind from the query string; 400 when it is not one of :data:`KINDS` (or
    missing, unless there is a ``default``: the API requires ``kind``, the page defaults to
    the gap report)."""
    kind = default if raw is None or raw == "" else raw
    if kind not in KINDS:
        raise RequestError(400, _("kind must be one of: %(kinds)s", kinds=", ".join(KINDS)),
                       {"kind": "required" if raw in (None, "") else
                        f"unknown report kind {str(raw)[:40]!r}", "allowed": list(KINDS)})
    return kind


def parse_lang(raw: str | None) -> str | None:
    """``lang`` from the query string (CONTRACTS.md: the report in that language; without
    it, the caller's); 400 for a language the server does not offer."""
    if raw is None or raw == "":
        return None
    languages = current_app.config.get("LANGUAGES", ["en"])
    if raw not in languages:
        raise RequestError(400, _("lang must be one of: %(languages)s", languages=", ".join(languages)),
                       {"lang": f"unknown language {str(raw)[:20]!r}", "allowed": list(languages)})
    return raw


def cache() -> PdfCache:
    """The PDF cache: ``PDF_CACHE_DIR``, else ``pdf-cache`` in the instance folder (the
    render jobs store their PDFs there, so there is always one); in front of the shared
    ``report_files`` table when ``PDF_SHARED_STORE`` is set (``database``: the app's own)."""
    config = current_app.config
    directory = config.get("PDF_CACHE_DIR") or str(Path(current_app.instance_path) / "pdf-cache")
    shared = config.get("PDF_SHARED_STORE") or None
    if shared == "database":
        shared = config["SQLALCHEMY_DATABASE_URI"]
    return pdf_cache(directory, int(config.get("PDF_CACHE_MAX_FILES", 500)), shared)


def job_json(state) -> dict:
    """A job as ``GET /api/v1/jobs/{job}`` shows it (CONTRACTS.md, Jobs)."""
    return {"job": state.id, "status": state.status, "done": state.done, "total": state.total,
            "result": url_for("api.job_result", job_id=state.id) if state.status == "done" else None,
            "error": state.error}


def pending_json(state, assessment, kind) -> Response:
    """``202`` with the job, and where to poll it."""
    response = jsonify(job_json(state))
    response.status_code = 202
    response.headers["Location"] = url_for("api.job_status", job_id=state.id)
    response.headers["Retry-After"] = "2"
    return response


def pending_page(state, assessment, kind) -> Response:
    """``202`` with a page that polls the job and starts the download when it is done."""
    html = render_template("results/report_wait.html", job=job_json(state), assessment=assessment,
                           kind=kind, status_url=url_for("api.job_status", job_id=state.id))
    return Response(html, status=202, mimetype="text/html")


def send_pdf(report: ReportFile) -> Response:
    # The bytes, not the file: a PDF is a few hundred KB, and no handle is left open.
    response = send_file(BytesIO(report.read()), mimetype="application/pdf", as_attachment=True,
                         download_name=report.filename, conditional=False, etag=False)
    # A report holds confidential answers: kept by no cache at all, the browser's included.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Report-Cache"] = "hit" if report.cached else "miss"
    return response


def pdf_response(assessment, kind: str, pending: Callable[..., Response] = pending_json,
                 lang: str | None = None) -> Response:
    """The PDF download of ``assessment`` (already authorised for viewing by the caller), or
    ``pending(job_state, assessment, kind)`` while it is being rendered; 503 JSON (or page)
    when the render failed or the queue does not answer.  ``lang``: the report's language
    (its own texts and the questionnaire's), else the caller's."""
    if lang is not None:
        import flask_babel

        with flask_babel.force_locale(lang):
            return _pdf_response(assessment, kind, pending)
    return _pdf_response(assessment, kind, pending)


def _pdf_response(assessment, kind: str, pending: Callable[..., Response]) -> Response:
    return outcome_response(
        lambda: request_pdf(assessment, kind, cache=cache(), **download_settings()),
        lambda state: pending(state, assessment, kind), f"report {kind} for assessment {assessment.id}",
        {"kind": kind})


def outcome_response(obtain: Callable[[], object], pending: Callable[..., Response], what: str,
                     details: dict) -> Response:
    """The response to ``obtain()`` (a :class:`ReportFile` or a job's state): the PDF, or
    ``pending(job_state)`` while it renders; 503 when the render failed or the queue does
    not answer (``what`` names the document in the log, ``details`` in the error)."""
    from app.jobs import QueueUnavailable

    try:
        outcome = obtain()
    except QueueUnavailable as exc:
        current_app.logger.error("%s: %s", what, exc)
        raise RequestError(503, _("the report service is unavailable; please try again in a minute"),
                           details | {"queue": "unavailable"}) from None
    if isinstance(outcome, ReportFile):
        return send_pdf(outcome)
    if outcome.status == "failed":
        current_app.logger.warning("%s: %s", what, outcome.error)
        raise RequestError(503, _("the report could not be produced: %(error)s; please try again "
                             "in a minute", error=outcome.error), details | {"job": outcome.id, "error": outcome.error})
    return pending(outcome)


def download_settings() -> dict:
    """The render limit and the bounded wait of a download, from the configuration."""
    config = current_app.config
    return {"timeout": config.get("PDF_RENDER_TIMEOUT_SECONDS") or None,
            "wait": float(config.get("PDF_DOWNLOAD_WAIT_SECONDS", 20))}


def form_response(questionnaire, lang: str | None, assessment=None) -> Response:
    """The printable questionnaire (:mod:`app.reports.form`) in ``lang`` (else the caller's
    language): blank, or filled in with ``assessment``'s answers as the caller sees them
    (the caller authorised the view); the PDF, or 202 with its job as for a report."""
    from app.assessments.seen import seen_by
    from flask_login import current_user

    from .form import request_form
    from .inputs import render_locale

    lang = lang or render_locale()
    seen = seen_by(current_user, assessment) if assessment is not None else None
    answers = seen.answers if seen is not None else None
    as_of = (seen.submission.submitted_at if seen.submission else assessment.updated_at) if seen else None
    what = f"form of {questionnaire.id} {questionnaire.version} ({lang})"
    return outcome_response(
        lambda: request_form(questionnaire, lang, cache=cache(), answers=answers, assessment=assessment,
                             as_of=as_of, **download_settings()),
        lambda state: pending_json(state, assessment, "form"), what, {"kind": "form"})
