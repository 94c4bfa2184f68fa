"""GET /healthz: the database and the job queue checked, 200 when both answer, a clear 503
naming what does not (and in time: a Redis that does not answer is given about a second)."""
from __future__ import annotations

import time

from tests.factories import make_app


def test_healthy(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "database": "ok", "jobs": "ok"}


def test_a_job_queue_that_does_not_answer_is_named(sqlite_url, tmp_path):
    from tests.servers import free_port

    app = make_app(sqlite_url, tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", JOB_BACKEND="rq")
    started = time.monotonic()
    r = app.test_client().get("/healthz")
    assert time.monotonic() - started < 5
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "unavailable" and body["database"] == "ok"
    assert body["jobs"].startswith("unavailable")


def test_real_redis_answers(sqlite_url, tmp_path):
    app = make_app(sqlite_url, tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", JOB_BACKEND="rq")
    assert app.test_client().get("/healthz").get_json()["jobs"] == "ok"
