"""Jobs (CONTRACTS.md, "Jobs"): ``POST /api/v1/reports/batch``, ``GET /api/v1/jobs/{job}``
and its result.

A batch (``{"ids": [...], "kind": "scorecard"|"gap", "lang": "en"}``, 1 to 200 assessments
the caller may view; 404 naming those they may not) answers ``202 {"job": ID, ...}``: one
job renders what is not cached yet, in the worker, and puts every PDF in one ZIP, counting
``done`` of ``total`` as it goes.

A job is shown only to whoever may view every assessment it reads (the same policy as the
downloads: 404 otherwise, hiding that it exists); a batch only to the user who asked for it.
The status answers ``{"job", "status": "queued"|"running"|"done"|"failed", "done", "total",
"result": URL or null, "error"}``; ``result`` is ``GET /api/v1/jobs/{job}/result``: the PDF
(or, for a batch, the ZIP).  When the queue does not answer: 503 JSON."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import current_app, jsonify, send_file, url_for
from flask_login import current_user
from flask_babel import gettext as _

from app import jobs
from app.reports.batch import MAX_BATCH, load_job, start_batch
from app.reports.web import job_json

from ..errors import ApiError
from ..http_input import json_body
from . import bp

MAX_ID = 2**31 - 1


def _load_job(job_id: str) -> jobs.JobState:
    return load_job(current_user, job_id)


@bp.get("/jobs/<job_id>")
def job_status(job_id: str):
    return jsonify(job_json(_load_job(job_id)))


@bp.get("/jobs/<job_id>/result")
def job_result(job_id: str):
    state = _load_job(job_id)
    if state.status != "done":
        raise ApiError(409, _("the job is not done"), job_json(state))
    path = _result_path(state)
    if path is None or not path.is_file():
        raise ApiError(410, _("the result is no longer kept; request the report again"), {"job": job_id})
    mimetype = "application/zip" if path.suffix == ".zip" else "application/pdf"
    response = send_file(BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True,
                         download_name=state.meta.get("filename") or path.name,
                         conditional=False, etag=False)
    response.headers["Cache-Control"] = "no-store"
    return response


def _result_path(state: jobs.JobState) -> Path | None:
    """The file the job produced: the PDF in the cache (found by its key, never by a path
    taken from outside), or the batch's ZIP."""
    from app.reports.web import cache

    key = state.meta.get("key")
    if key:
        return cache().get(key)
    result = state.meta.get("result_file")
    return Path(result) if result else None


@bp.post("/reports/batch")
def reports_batch():
    ids, kind, lang = _batch_request(json_body())  # strict: depth, NUL, surrogates, size
    state = start_batch(current_user, ids, kind, lang)
    response = jsonify(job_json(state))
    response.status_code = 202
    response.headers["Location"] = url_for("api.job_status", job_id=state.id)
    return response


def _batch_request(body: dict) -> tuple[list[int], str, str]:
    """``ids`` (1 to 200 positive integers, repeats dropped), ``kind`` and ``lang`` from the
    body; 422 with per-field details otherwise."""
    from app.reports import KINDS, render_locale

    errors: dict[str, str] = {}
    raw = body.get("ids")
    ids: list[int] = []
    if not isinstance(raw, list) or not raw:
        errors["ids"] = f"a list of 1 to {MAX_BATCH} assessment ids"
    elif len(raw) > MAX_BATCH:
        errors["ids"] = f"at most {MAX_BATCH} assessments in one batch"
    elif not all(type(i) is int and 1 <= i <= MAX_ID for i in raw):
        errors["ids"] = "every id must be a positive integer"
    else:
        ids = list(dict.fromkeys(raw))
    kind = body.get("kind")
    if kind not in KINDS:
        errors["kind"] = f"one of: {', '.join(KINDS)}"
    languages = current_app.config.get("LANGUAGES", ["en"])
    lang = body.get("lang") or render_locale()
    if lang not in languages:
        errors["lang"] = f"one of: {', '.join(languages)}"
    if errors:
        raise ApiError(422, _("invalid batch request"), errors)
    return ids, kind, lang

