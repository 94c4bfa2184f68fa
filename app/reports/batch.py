"""A batch of reports in one ZIP (issue 14 point 4): the one operation behind
``POST /api/v1/reports/batch`` and the review list's "Download reports (ZIP)" page, and the
one way to look a job up for its asker.

:func:`start_batch` checks the assessments through the policy's visibility (every one must
be the caller's to see: a :class:`RequestError` 404 naming those that are not) and submits
one ``render_batch`` job (:mod:`app.jobs.tasks`); :func:`load_job` shows a job only to whoever
asked for it (a batch) and may view every assessment it reads (404 otherwise, hiding that it
exists).  The callers parse their own input (JSON for the API, a form for people)."""
from __future__ import annotations

import re
import uuid

from flask import abort, current_app
from flask_babel import gettext as _, lazy_gettext as _l

from app import jobs
from app.errors import RequestError

from ..assessments.queries import visible_ids_among
from ..auth.policy import Action, load_assessment
from ..models import User

MAX_BATCH = 200

_JOB_ID = re.compile(rf"\A{jobs.JOB_ID_PATTERN}\Z")

_UNAVAILABLE = _l("the job queue is unavailable; please try again in a minute")


def start_batch(user: User, ids: list[int], kind: str, lang: str) -> jobs.JobState:
    """Starts the job rendering ``kind`` reports of ``ids`` (1 to :data:`MAX_BATCH`, checked
    by the caller) in ``lang`` into one ZIP; 404 when ``user`` may not see some of them, 503
    when the queue does not answer."""
    from .web import cache

    visible = visible_ids_among(user, ids)
    missing = [i for i in ids if i not in visible]
    if missing:
        raise RequestError(404, _("some assessments do not exist or are not ones you may see"),
                           {"ids": missing[:50]})
    queue = jobs.queue()
    job_id = f"batch-{uuid.uuid4().hex}"
    result_file = str(cache().directory / "batches" / f"{job_id}.zip")
    kwargs = {"ids": ids, "kind": kind, "lang": lang, "user_id": user.id, "result_path": result_file,
              "timeout": current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS") or None}
    if queue.name == "embedded":
        kwargs["app_config"] = _worker_settings()
    meta = {"owner": user.id, "kind": kind, "lang": lang, "result_file": result_file,
            "filename": f"readiness-{kind}-{len(ids)}-reports.zip"}
    try:
        return queue.submit(job_id, "render_batch", kwargs, meta=meta, total=len(ids))
    except jobs.QueueUnavailable:
        raise RequestError(503, _UNAVAILABLE, {"queue": "unavailable"}) from None


def load_job(user: User, job_id: str) -> jobs.JobState:
    """Job ``job_id`` as ``user`` may see it: 404 for a malformed or unknown id, someone
    else's batch, or a job reading an assessment ``user`` may not view; 503 when the queue
    does not answer."""
    if not _JOB_ID.match(job_id):
        abort(404, description="There is no such job.")
    try:
        state = jobs.queue().get(job_id)
    except jobs.QueueUnavailable:
        raise RequestError(503, _UNAVAILABLE, {"queue": "unavailable"}) from None
    if state is None:
        abort(404, description="There is no such job.")
    owner = state.meta.get("owner")
    if owner is not None and owner != user.id:
        abort(404, description="There is no such job.")
    for assessment_id in state.meta.get("assessments") or ():
        load_assessment(user, int(assessment_id), Action.VIEW)
    return state


def _worker_settings() -> dict:
    """What an embedded job process needs to make the same app (it has none of its own):
    the configuration's kind and the settings that say where things are."""
    config = current_app.config
    kind = "testing" if config.get("TESTING") else "production" if config.get("PRODUCTION") else "development"
    keys = ("SQLALCHEMY_DATABASE_URI", "QUESTIONNAIRE_DIR", "PDF_CACHE_DIR", "PDF_CACHE_MAX_FILES",
            "LANGUAGES", "BABEL_DEFAULT_LOCALE", "PDF_RENDER_TIMEOUT_SECONDS")
    return {"_config": kind, "REPORT_WARMING": False, "JOB_BACKEND": "embedded",
            **{k: config[k] for k in keys if k in config}}
