"""Jobs (CONTRACTS.md, "Jobs"): ``GET /api/v1/jobs/{job}`` and its result.

A job is shown only to whoever may view every assessment it reads (the same policy as the
downloads: 404 otherwise, hiding that it exists); a batch only to the user who asked for it.
The status answers ``{"job", "status": "queued"|"running"|"done"|"failed", "done", "total",
"result": URL or null, "error"}``; ``result`` is ``GET /api/v1/jobs/{job}/result``: the PDF
(or, for a batch, the ZIP).  When the queue does not answer: 503 JSON."""
from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from flask import abort, jsonify, send_file
from flask_login import current_user

from app import jobs
from reports.web import job_json

from ..auth.policy import Action, load_assessment
from ..errors import ApiError
from . import bp

_JOB_ID = re.compile(rf"\A{jobs.JOB_ID_PATTERN}\Z")


def _load_job(job_id: str) -> jobs.JobState:
    if not _JOB_ID.match(job_id):
        abort(404, description="There is no such job.")
    try:
        state = jobs.queue().get(job_id)
    except jobs.QueueUnavailable:
        raise ApiError(503, "the job queue is unavailable; please try again in a minute",
                       {"queue": "unavailable"}) from None
    if state is None:
        abort(404, description="There is no such job.")
    owner = state.meta.get("owner")
    if owner is not None and owner != current_user.id:
        abort(404, description="There is no such job.")
    for assessment_id in state.meta.get("assessments") or ():
        load_assessment(current_user, int(assessment_id), Action.VIEW)
    return state


@bp.get("/jobs/<job_id>")
def job_status(job_id: str):
    return jsonify(job_json(_load_job(job_id)))


@bp.get("/jobs/<job_id>/result")
def job_result(job_id: str):
    state = _load_job(job_id)
    if state.status != "done":
        raise ApiError(409, "the job is not done", job_json(state))
    path = _result_path(state)
    if path is None or not path.is_file():
        raise ApiError(410, "the result is no longer kept; request the report again", {"job": job_id})
    mimetype = "application/zip" if path.suffix == ".zip" else "application/pdf"
    response = send_file(BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True,
                         download_name=state.meta.get("filename") or path.name,
                         conditional=False, etag=False)
    response.headers["Cache-Control"] = "no-store"
    return response


def _result_path(state: jobs.JobState) -> Path | None:
    """The file the job produced: the PDF in the cache (found by its key, never by a path
    taken from outside), or the batch's ZIP."""
    from reports.web import cache

    key = state.meta.get("key")
    if key:
        return cache().get(key)
    result = state.meta.get("result_file")
    return Path(result) if result else None
