"""The RQ backend against the real Redis (``REDIS_URL`` for tests, default
redis://127.0.0.1:6379/0) with a real worker process (``flask --app app jobs worker``, as the
README and the Procfile run it): a download is rendered by the worker, a job's process killed
with ``kill -9`` is retried once and then fails with a reason.  Each test uses its own queue
name and deletes its keys; without a Redis server the tests skip with a clear line, unless
``CI=true``."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.factories import FIXTURES, MINI_ANSWERS, make_people, new_assessment, pdf_pages, seed_app, wait_for
from tests.servers import REDIS_URL, delete_rq_keys, require_redis, stop_worker

pytestmark = pytest.mark.slow  # RQ worker processes rendering PDFs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(tmp_path):
    require_redis()
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    config = {"JOB_BACKEND": "rq", "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue_name}
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES, **config)
    people = make_people(app)
    with app.app_context():
        from app.auth import operations as ops
        from app.extensions import db
        from app.models import User

        token = ops.issue_token(db.session.get(User, people["R"]), "test")
        db.session.commit()
    env = dict(os.environ, REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name, JOB_BACKEND="rq",
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], QUESTIONNAIRE_DIR=str(FIXTURES),
               PDF_CACHE_DIR=app.config["PDF_CACHE_DIR"], INSTANCE_PATH=str(tmp_path / "instance"),
               REPORT_WARMING="false", APP_ENV="development")
    world = {"app": app, "people": people, "token": token, "queue": queue_name, "env": env,
             "tmp": tmp_path, "workers": []}
    yield world
    for proc in world["workers"]:
        stop_worker(proc)
    delete_rq_keys(app.extensions["jobs"].redis, queue_name)


def start_worker(world) -> subprocess.Popen:
    with open(world["tmp"] / f"worker-{len(world['workers'])}.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
                                cwd=ROOT, env=world["env"], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    world["workers"].append(proc)
    return proc


def api(world, path):
    return world["app"].test_client().get(path, headers={"Authorization": f"Bearer {world['token']}"})


def test_a_download_is_rendered_by_the_rq_worker(world):
    aid = new_assessment(world["app"], world["people"]["R"], MINI_ANSWERS, submit=True, title="Via Redis")
    world["app"].config["PDF_DOWNLOAD_WAIT_SECONDS"] = 0
    r = api(world, f"/api/v1/assessments/{aid}/report.pdf?kind=scorecard")
    assert r.status_code == 202, r.get_data(as_text=True)[:300]
    job = r.get_json()["job"]
    assert r.get_json()["status"] == "queued"                  # no worker yet: nothing renders
    time.sleep(0.5)
    assert api(world, f"/api/v1/jobs/{job}").get_json()["status"] == "queued"
    again = api(world, f"/api/v1/assessments/{aid}/report.pdf?kind=scorecard")
    assert again.status_code == 202 and again.get_json()["job"] == job       # one job for both
    worker = start_worker(world)
    with world["app"].app_context():
        from app.jobs import queue

        state = queue().wait(job, 120)
    assert state.status == "done", (state, worker.poll())
    status = api(world, f"/api/v1/jobs/{job}").get_json()
    assert status["done"] == status["total"] == 1 and status["error"] is None
    result = api(world, status["result"])
    assert result.status_code == 200 and "Via Redis" in "".join(pdf_pages(result.data))
    hit = api(world, f"/api/v1/assessments/{aid}/report.pdf?kind=scorecard")
    assert hit.status_code == 200 and hit.headers["X-Report-Cache"] == "hit"
    assert hit.headers["Cache-Control"] == "no-store"


def test_a_killed_work_horse_is_retried_once_then_the_job_fails_with_a_reason(world):
    from app.jobs import CRASHED, queue

    marker = world["tmp"] / "horse.pid"
    start_worker(world)
    with world["app"].app_context():
        jobs = queue()
        job_id = f"test-{uuid.uuid4().hex[:12]}"
        jobs.submit(job_id, "sleep", {"seconds": 60, "marker": str(marker)}, meta={})
        first = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=60))
        marker.unlink()
        assert jobs.get(job_id).status == "running"
        os.kill(first, signal.SIGKILL)                       # the process running the job
        second = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=60))
        assert second != first                               # retried, in a new process
        os.kill(second, signal.SIGKILL)
        state = wait_for(lambda: (s := jobs.get(job_id)).status == "failed" and s, timeout=60)
    assert state.error == CRASHED
    assert not marker.exists() or int(marker.read_text()) == second    # no third run


def test_the_worker_command_refuses_the_embedded_backend(tmp_path):
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
               JOB_BACKEND="embedded")
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "embedded" in done.stderr


def test_a_batch_runs_in_the_rq_worker(world):
    import io
    import zipfile

    app = world["app"]
    ids = [new_assessment(app, world["people"]["R"], MINI_ANSWERS, submit=True, title=f"Batch {n}") for n in range(3)]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world['token']}"}
    r = client.post("/api/v1/reports/batch", json={"ids": ids, "kind": "scorecard"}, headers=headers)
    assert r.status_code == 202, r.get_data(as_text=True)[:300]
    job = r.get_json()["job"]
    start_worker(world)
    status = wait_for(lambda: (s := api(world, f"/api/v1/jobs/{job}").get_json())["status"] in ("done", "failed") and s,
                      timeout=180, step=0.2)
    assert status["status"] == "done" and status["done"] == status["total"] == 3, status
    archive = zipfile.ZipFile(io.BytesIO(api(world, status["result"]).data))
    assert len(archive.namelist()) == 3
    assert all(archive.read(n)[:5] == b"%PDF-" for n in archive.namelist())
