"""The tasks a job can run, by name (:data:`TASKS`): plain functions of JSON-able keyword
arguments, run in a worker process (never a web worker).  A single report's render needs no
app: the web process hands it the HTML and the cache directory.  A batch of up to 200
reports gathers its inputs in the worker (building 200 reports' HTML would hold a web worker
for a minute), so it runs in an app context: the RQ worker's, or one it makes."""
from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable

from . import JobFailed, progress


def render_pdf(*, html: str, key: str, cache_dir: str, max_files: int = 500,
               timeout: float | None = None, shared_url: str | None = None) -> dict[str, Any]:
    """The PDF of ``html`` into the PDF cache under ``key`` (and the shared store, if any)."""
    from app.reports.render import RenderTimeout, html_to_pdf
    from app.reports.store import pdf_cache

    cache = pdf_cache(cache_dir, max_files, shared_url)
    hit = cache.get(key)
    if hit is None:   # a job retried after its first run stored the PDF needs no second render
        try:
            pdf = html_to_pdf(html, timeout=timeout)
        except RenderTimeout as exc:
            raise JobFailed(str(exc)) from None
        hit = cache.put(key, pdf)
    progress(1, 1)
    return {"path": str(hit)}


def render_batch(*, ids: list[int], kind: str, lang: str, user_id: int, result_path: str,
                 timeout: float | None = None, app_config: dict[str, Any] | None = None) -> dict[str, Any]:
    """A batch of reports in one ZIP at ``result_path``: each assessment of ``ids`` that
    ``user_id`` may still view, from the PDF cache or rendered here (in the worker) and
    cached; progress counts the assessments.  Needs the database: it runs in the worker's app
    (``flask --app app jobs worker``), or in one made from ``app_config`` (the embedded
    backend's job processes, which have none)."""
    from flask import has_app_context

    if has_app_context():
        return _batch(ids, kind, lang, user_id, result_path, timeout)
    with _worker_app(app_config or {}).app_context():
        return _batch(ids, kind, lang, user_id, result_path, timeout)


def _batch(ids, kind, lang, user_id, result_path, timeout) -> dict[str, Any]:
    import flask_babel

    from app import reports
    from app.assessments.queries import visible_assessments_among
    from app.auth.queries import user_by_id
    from app.extensions import db
    from app.reports.render import RenderTimeout
    from app.reports.web import cache as pdf_cache

    # An RQ job runs in a process forked from the worker: connections it may have inherited
    # are left to the parent (a new pool here), never shared across the fork.
    db.engine.dispose(close=False)
    try:
        user = user_by_id(user_id)
        if user is None or not user.active:
            raise JobFailed("the account that asked for this batch is no longer active")
        store = pdf_cache()
        allowed = visible_assessments_among(user, ids)
        files: list[tuple[str, Path]] = []
        with flask_babel.force_locale(lang):
            for n, assessment_id in enumerate(ids):
                assessment = allowed.get(assessment_id)
                if assessment is not None:
                    key = reports.report_key(assessment, kind, lang, viewer=user)
                    path = store.get(key)
                    if path is None:
                        inputs = reports.gather(assessment, kind, lang, viewer=user)
                        html = reports.render_html(inputs.context())
                        try:
                            path = store.put(key, reports.html_to_pdf(html, timeout=timeout))
                        except RenderTimeout as exc:
                            raise JobFailed(f"assessment {assessment_id}: {exc}") from None
                    name = reports.filename_for(kind, {"jurisdiction": assessment.jurisdiction,
                                                       "period": assessment.period, "id": assessment.id})
                    files.append((name, path))
                progress(n + 1, len(ids))
    finally:
        db.session.remove()
    _write_zip(files, Path(result_path))
    return {"path": result_path, "files": len(files)}


def _write_zip(files: list[tuple[str, Path]], target: Path) -> None:
    """The ZIP written atomically: a poll never finds half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as archive:
            for name, path in files:   # PDFs are compressed already
                archive.write(path, name)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_apps: dict[str, Any] = {}


def _worker_app(config: dict[str, Any]):
    """An app for a job process without one (embedded backend), made once per process from
    the web process's settings."""
    import json

    from config import CONFIGS

    marker = json.dumps(config, sort_keys=True, default=str)
    if marker not in _apps:
        from app import create_app

        settings = dict(config)
        base = CONFIGS.get(settings.pop("_config", "development"))
        _apps[marker] = create_app(base, **settings)
    return _apps[marker]


def sleep(*, seconds: float, marker: str | None = None) -> dict[str, Any]:
    """A job that only waits (tests of the queue itself: crashes, retries, progress)."""
    import time

    if marker:
        Path(marker).write_text(str(os.getpid()))
    steps = max(int(seconds * 10), 1)
    for n in range(steps):
        time.sleep(seconds / steps)
        progress(n + 1, steps)
    return {"slept": seconds}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "render_pdf": render_pdf,
    "render_batch": render_batch,
    "sleep": sleep,
}
