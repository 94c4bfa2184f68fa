"""The job queue's embedded backend (``app.jobs``) and the job routes, through real
processes: a job runs in another process, is shared by everyone who asks for the same id,
survives one crash of its process (``kill -9``) and fails with a reason after a second one;
a download that is not ready in time answers 202 with the job to poll, the job is shown only
to whoever may view its assessment, and its result is the PDF.  Uses the small test
questionnaire, so that renders are quick."""
from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.factories import (
    FIXTURES, MINI_ANSWERS, PASSWORD, issue_tokens, make_people, new_assessment, pdf_pages, seed_app, wait_for,
)

EMAILS = {"R": "r@a.example", "O": "o@b.example", "V": "v@un.example", "A": "admin@site.example"}


@pytest.fixture
def world(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    tokens = issue_tokens(app, people)
    draft = new_assessment(app, people["R"], MINI_ANSWERS, title="A draft")
    submitted = new_assessment(app, people["R"], MINI_ANSWERS, submit=True, title="A submitted")
    return {"app": app, "people": people, "tokens": tokens, "draft": draft, "submitted": submitted,
            "tmp": tmp_path}


def api(world, who, path):
    headers = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
    return world["app"].test_client().get(path, headers=headers)


def wait_done(world, job_id, timeout=120):
    with world["app"].app_context():
        from app.jobs import queue

        return queue().wait(job_id, timeout)


# -- the queue itself -------------------------------------------------------------------------
def test_a_job_runs_in_another_process_with_progress(world, tmp_path):
    from app.jobs import queue

    marker = tmp_path / "pid"
    with world["app"].app_context():
        jobs = queue()
        assert jobs.name == "embedded"
        state = jobs.submit("test-sleep-1", "sleep", {"seconds": 1.0, "marker": str(marker)},
                            meta={"assessments": []}, total=10)
        assert state.status == "queued" and state.total == 10
        running = wait_for(lambda: (s := jobs.get("test-sleep-1")) and s.status == "running" and s)
        assert running.done <= running.total
        done = jobs.wait("test-sleep-1", 60)
    assert done.status == "done" and done.done == done.total == 10 and done.error is None
    assert int(marker.read_text()) != os.getpid()            # not in this (the web) process


def test_the_same_job_id_is_one_job(world, tmp_path):
    from app.jobs import queue

    marker = tmp_path / "runs"
    with world["app"].app_context():
        jobs = queue()
        first = jobs.submit("test-once", "sleep", {"seconds": 1.5, "marker": str(marker)}, meta={})
        wait_for(marker.exists)
        pid = marker.read_text()
        marker.unlink()
        again = jobs.submit("test-once", "sleep", {"seconds": 1.5, "marker": str(marker)}, meta={})
        assert again.id == first.id and again.status == "running"
        assert jobs.wait("test-once", 60).status == "done"
    assert not marker.exists()                                 # it did not run a second time
    assert pid


def test_a_killed_job_process_is_retried_once_then_fails_with_a_reason(world, tmp_path):
    from app.jobs import CRASHED, queue

    marker = tmp_path / "pid"
    with world["app"].app_context():
        jobs = queue()
        jobs.submit("test-crash", "sleep", {"seconds": 30, "marker": str(marker)}, meta={})
        first = int(wait_for(lambda: marker.exists() and marker.read_text()))
        marker.unlink()
        os.kill(first, signal.SIGKILL)
        second = int(wait_for(lambda: marker.exists() and marker.read_text()))
        assert second != first                                 # run again, in a new process
        assert jobs.get("test-crash").status == "running"
        os.kill(second, signal.SIGKILL)
        state = jobs.wait("test-crash", 60)
        assert state.status == "failed" and state.error == CRASHED
        # the queue still works after the crashes
        assert jobs.submit("test-after", "sleep", {"seconds": 0.1}, meta={}) is not None
        assert jobs.wait("test-after", 60).status == "done"


def test_a_job_left_by_a_dead_web_process_is_adopted(world, tmp_path):
    """The web process that started a job died (its job processes with it): the next process
    that looks at the job runs it again."""
    import json

    from app.jobs import queue

    with world["app"].app_context():
        jobs = queue()
        jobs.dir.mkdir(parents=True, exist_ok=True)
        dead = os.fork()
        if dead == 0:
            os._exit(0)
        os.waitpid(dead, 0)
        (jobs.dir / "test-orphan.input.json").write_text(json.dumps({"task": "sleep", "kwargs": {"seconds": 0.1}}))
        (jobs.dir / "test-orphan.json").write_text(json.dumps(
            {"status": "queued", "done": 0, "total": 1, "meta": {}, "attempts": 0, "owner": dead}))
        assert jobs.get("test-orphan").status in ("queued", "running", "done")
        assert jobs.wait("test-orphan", 60).status == "done"


# -- downloads through the queue --------------------------------------------------------------
@pytest.mark.slow  # renders a PDF in a job process
def test_a_download_not_ready_in_time_is_a_job_to_poll(world):
    world["app"].config["PDF_DOWNLOAD_WAIT_SECONDS"] = 0
    r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=gap")
    assert r.status_code == 202 and r.is_json
    body = r.get_json()
    assert set(body) >= {"job", "status", "done", "total", "result", "error"}
    assert body["status"] in ("queued", "running") and body["result"] is None
    assert r.headers["Location"] == f"/api/v1/jobs/{body['job']}"
    assert wait_done(world, body["job"]).status == "done"
    status = api(world, "R", r.headers["Location"])
    assert status.status_code == 200
    job = status.get_json()
    assert job == {"job": body["job"], "status": "done", "done": 1, "total": 1,
                   "result": f"/api/v1/jobs/{body['job']}/result", "error": None}
    result = api(world, "R", job["result"])
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    assert result.headers["Cache-Control"] == "no-store"
    assert "readiness-gap-KE-2026-a" in result.headers["Content-Disposition"]
    assert "A submitted" in "".join(pdf_pages(result.data))
    again = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=gap")
    assert again.status_code == 200 and again.headers["X-Report-Cache"] == "hit"
    assert again.data == result.data


@pytest.mark.slow  # renders a PDF in a job process
def test_a_job_is_shown_only_to_who_may_view_its_assessment(world):
    world["app"].config["PDF_DOWNLOAD_WAIT_SECONDS"] = 0
    r = api(world, "R", f"/api/v1/assessments/{world['draft']}/report.pdf?kind=scorecard")
    assert r.status_code == 202
    job = r.get_json()["job"]
    wait_done(world, job)
    for who, expected in (("R", 200), ("O", 404), ("V", 404), ("A", 404)):   # a draft: its org only
        assert api(world, who, f"/api/v1/jobs/{job}").status_code == expected, who
        assert api(world, who, f"/api/v1/jobs/{job}/result").status_code == expected, who
    anonymous = api(world, None, f"/api/v1/jobs/{job}")
    assert anonymous.status_code == 401 and anonymous.is_json
    for bad in ("nope", "pdf-" + "0" * 40, "../../etc/passwd", "PDF-ABC", "x" * 200):
        r = api(world, "R", f"/api/v1/jobs/{bad}")
        assert r.status_code == 404 and r.is_json, bad


def test_pdfs_are_sent_no_store(world):
    r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=scorecard")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    hit = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=scorecard")
    assert hit.headers["X-Report-Cache"] == "hit" and hit.headers["Cache-Control"] == "no-store"


@pytest.mark.slow  # renders a PDF in a job process
def test_the_page_route_shows_a_waiting_page_that_polls(world):
    app = world["app"]
    app.config.update(WTF_CSRF_ENABLED=False, PDF_DOWNLOAD_WAIT_SECONDS=0)
    client = app.test_client()
    assert client.post("/login", data={"email": EMAILS["R"], "password": PASSWORD}).status_code == 302
    r = client.get(f"/assessments/{world['submitted']}/report.pdf?kind=gap")
    assert r.status_code == 202 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    status = re.search(r'<p[^>]*data-job-status[^>]*>', html).group(0)
    assert 'role="status"' in status and 'aria-live="polite"' in status
    job_url = re.search(r'data-job-url="([^"]+)"', status).group(1)
    assert job_url.startswith("/api/v1/jobs/pdf-")
    assert re.search(r'<script src="/static/js/report-job\.js', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)          # no inline script (CSP)
    assert "Check again" in html and f"/assessments/{world['submitted']}/report.pdf?kind=gap" in html
    assert (Path(app.static_folder) / "js" / "report-job.js").is_file()
    # the page's own session polls the job and fetches the result
    wait_done(world, job_url.rsplit("/", 1)[1])
    job = client.get(job_url).get_json()
    assert job["status"] == "done"
    assert client.get(job["result"]).data[:5] == b"%PDF-"
    assert client.get(f"/assessments/{world['submitted']}/report.pdf?kind=gap").status_code == 200


def test_the_waiting_page_in_french(world):
    app = world["app"]
    app.config.update(WTF_CSRF_ENABLED=False, PDF_DOWNLOAD_WAIT_SECONDS=0)
    client = app.test_client()
    client.post("/login", data={"email": EMAILS["R"], "password": PASSWORD})
    r = client.get(f"/assessments/{world['submitted']}/report.pdf?kind=scorecard",
                   headers={"Accept-Language": "fr"})
    assert r.status_code in (200, 202)
    if r.status_code == 202:
        assert '<html lang="fr"' in r.get_data(as_text=True)


def test_an_unreachable_redis_is_a_503_json_never_a_500(world):
    """The RQ backend with nothing listening: the download and the job status say so, 503."""
    from app import jobs

    app = world["app"]
    app.config.update(REDIS_URL="redis://127.0.0.1:9/0", JOB_BACKEND="rq")
    app.extensions["jobs"] = jobs.BACKENDS["rq"](app)
    started = time.monotonic()
    r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=gap")
    assert r.status_code == 503 and r.is_json, r.get_data(as_text=True)[:300]
    assert "unavailable" in r.get_json()["error"]
    status = api(world, "R", "/api/v1/jobs/pdf-" + "a" * 40)
    assert status.status_code == 503 and status.is_json
    assert time.monotonic() - started < 10                     # no long hang on a dead server


# -- batches ----------------------------------------------------------------------------------
def post(world, who, path, json):
    return world["app"].test_client().post(path, json=json,
                                           headers={"Authorization": f"Bearer {world['tokens'][who]}"})


@pytest.mark.slow  # renders a batch of PDFs
def test_a_batch_of_reports_is_one_zip_with_progress(world):
    import io
    import zipfile

    app = world["app"]
    more = [new_assessment(app, world["people"]["R"], MINI_ANSWERS, submit=True, title=f"Batch {n}")
            for n in range(2)]
    ids = [world["submitted"], *more]
    r = post(world, "V", "/api/v1/reports/batch", {"ids": ids, "kind": "scorecard", "lang": "en"})
    assert r.status_code == 202, r.get_data(as_text=True)[:300]
    job = r.get_json()["job"]
    assert r.headers["Location"] == f"/api/v1/jobs/{job}" and r.get_json()["total"] == 3
    seen = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = api(world, "V", f"/api/v1/jobs/{job}").get_json()
        seen.add((status["status"], status["done"]))
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done" and status["done"] == status["total"] == 3, status
    result = api(world, "V", status["result"])
    assert result.status_code == 200 and result.mimetype == "application/zip"
    assert result.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    names = archive.namelist()
    assert sorted(names) == sorted(f"readiness-scorecard-KE-2026-a{i}.pdf" for i in ids)
    assert all(archive.read(n)[:5] == b"%PDF-" for n in names)
    # the batch is its asker's: nobody else sees it, not even someone who may view its reports
    assert api(world, "A", f"/api/v1/jobs/{job}").status_code == 404
    assert api(world, "A", f"/api/v1/jobs/{job}/result").status_code == 404
    # the PDFs went into the cache: a download of one of them is now a hit
    hit = api(world, "V", f"/api/v1/assessments/{more[0]}/report.pdf?kind=scorecard")
    assert hit.status_code == 200 and hit.headers["X-Report-Cache"] == "hit"


def test_a_batch_is_checked_before_anything_runs(world):
    path = "/api/v1/reports/batch"
    draft, submitted = world["draft"], world["submitted"]
    r = post(world, "V", path, {"ids": [submitted, draft], "kind": "gap"})   # a draft: not theirs to see
    assert r.status_code == 404 and r.get_json()["details"]["ids"] == [draft]
    for body, field in (({"ids": [], "kind": "gap"}, "ids"), ({"ids": list(range(1, 202)), "kind": "gap"}, "ids"),
                        ({"ids": [submitted, "1"], "kind": "gap"}, "ids"), ({"ids": [True], "kind": "gap"}, "ids"),
                        ({"ids": [10**20], "kind": "gap"}, "ids"), ({"ids": [submitted], "kind": "poster"}, "kind"),
                        ({"ids": [submitted], "kind": "gap", "lang": "xx"}, "lang")):
        r = post(world, "V", path, body)
        details = r.get_json()["details"]      # (numbers out of range: refused with the body's path)
        assert r.status_code == 422 and any(k == field or k.startswith(f"body.{field}") for k in details), \
            (body, r.get_json())
    assert post(world, "V", path, ["not", "an", "object"]).status_code == 400
    assert world["app"].test_client().post(path, json={"ids": [submitted], "kind": "gap"}).status_code == 401
