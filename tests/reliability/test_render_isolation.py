"""Renders cannot stall the server (issue 11, point 5).

* A report is bounded whatever was typed: 87 answers with a 20,000-character comment each
  give a gap report a little longer than a normal one (the comments cut, with their length
  and a pointer to the export), not hundreds of pages; the worst an assessment can hold
  (every text at its limit, 20 evidence entries per answer, hundreds of long comments) stays
  within a few times a normal report.
* Under gunicorn with 2 workers (as the README runs it in production: gthread workers), two
  downloads of such huge reports render in job processes while unrelated requests
  (``GET /healthz``) keep answering at once, and two clients sending a byte a second do
  not freeze the server.  The figures are printed (``pytest -s``).
"""
from __future__ import annotations

import io
import socket
from contextlib import contextmanager
import statistics
import threading
import time

import pytest

from tests.factories import add_comment, full_answers, make_people, new_assessment, render, seed_app

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # gunicorn, RQ workers and huge renders

LONG = ("word " * 4000)[:19999] + "s"       # 20,000 characters (saves strip trailing spaces)


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def reports_world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bounded")
    app = seed_app(tmp)
    people = make_people(app)
    q = app.extensions["catalog"].latest("prevention-readiness")
    normal = full_answers(q, level=2)
    huge = {key: dict(answer, comment=LONG) for key, answer in normal.items()}
    return {"app": app, "people": people, "q": q,
            "normal": new_assessment(app, people["R"], normal, submit=True, title="Normal"),
            "huge": new_assessment(app, people["R"], huge, submit=True, title="Huge")}


def test_87_comments_of_20000_characters_make_a_bounded_report(reports_world):
    app = reports_world["app"]
    started = time.perf_counter()
    normal_pdf, normal_html = render(app, reports_world["normal"], "gap")
    normal_time = time.perf_counter() - started
    started = time.perf_counter()
    huge_pdf, huge_html = render(app, reports_world["huge"], "gap")
    huge_time = time.perf_counter() - started
    n_normal, n_huge = pages(normal_pdf), pages(huge_pdf)
    print(f"\nnormal gap report: {n_normal} pages, {len(normal_html):,} characters of HTML, "
          f"{normal_time:.2f} s; 87 comments of 20,000 characters: {n_huge} pages, "
          f"{len(huge_html):,} characters, {huge_time:.2f} s (x{huge_time / normal_time:.2f})")
    assert n_huge <= 2 * n_normal                            # uncut: some 600 pages more
    assert len(huge_html) <= 2 * len(normal_html)            # uncut: 1.74 M characters more
    assert huge_time < 4 * normal_time
    assert LONG not in huge_html
    assert huge_html.count("the full text (20000 characters) is in the XLSX/CSV export") >= 70


def test_the_worst_an_assessment_can_hold_is_still_a_bounded_report(reports_world, tmp_path):
    """Every text at its limit, 20 evidence entries on every answer, 300 long comments: the
    HTML the PDF engine gets stays within a few times a normal report's (it is the layout of
    that text that takes the time)."""
    from app import reports
    from app.extensions import db
    from app.models import Assessment

    app, q, people = reports_world["app"], reports_world["q"], reports_world["people"]
    evidence = [{"type": "law", "reference": ("ref " * 500)[:2000], "note": LONG}] * 20
    worst = {key: dict(answer, comment=LONG, evidence=evidence)
             for key, answer in full_answers(q, level=2).items()}
    aid = new_assessment(app, people["R"], worst, submit=True, title="Worst")
    for n in range(300):
        add_comment(app, aid, people["R"], LONG, item=q.scored_items[n % len(q.scored_items)].key)
    with app.app_context():
        html = {k: reports.render_html(reports.gather(db.session.get(Assessment, a), "gap").context())
                for k, a in (("normal", reports_world["normal"]), ("worst", aid))}
    stored = 87 * (20000 + 20 * 22000) + 300 * 20000
    print(f"\nworst case: {stored:,} characters stored, {len(html['worst']):,} characters of HTML "
          f"(a normal report: {len(html['normal']):,})")
    assert len(html["worst"]) <= 5 * len(html["normal"])
    assert "more evidence entries" in html["worst"] and "earlier comments are in the XLSX/CSV export" in html["worst"]


# -- under gunicorn ---------------------------------------------------------------------------
def _timed(url: str, token: str | None = None) -> tuple[float, int]:
    from tests.servers import http_json

    started = time.perf_counter()
    status, _ = http_json("GET", url, token=token, timeout=30)
    return time.perf_counter() - started, status


def _slow_client(port: int, stop: threading.Event) -> None:
    """Sends a request one byte a second, as a client on a bad line (or an attacker) does."""
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            for byte in request:
                if stop.is_set():
                    return
                sock.sendall(bytes([byte]))
                stop.wait(1.0)
    except OSError:
        pass


@contextmanager
def job_backend(name: str, tmp_path):
    """The environment of the server for a job backend (and, for RQ, a worker process beside
    it, on a queue of its own that is removed afterwards)."""
    if name == "embedded":
        yield {"JOB_BACKEND": "embedded"}, None
        return
    import uuid

    import redis

    from tests.servers import REDIS_URL, delete_rq_keys, require_redis, stop_worker

    require_redis()
    env = {"JOB_BACKEND": "rq", "REDIS_URL": REDIS_URL, "RQ_QUEUE": f"test-{uuid.uuid4().hex[:12]}"}
    holder = {}
    try:
        yield env, holder
    finally:
        if holder.get("worker") is not None:
            stop_worker(holder["worker"])
        delete_rq_keys(redis.Redis.from_url(REDIS_URL), env["RQ_QUEUE"])


def start_rq_worker(server, holder, tmp_path):
    import subprocess
    import sys

    from tests.servers import ROOT

    with open(tmp_path / "rq-worker.log", "wb") as log:
        holder["worker"] = subprocess.Popen(                  # as the Procfile runs it
            ["nice", "-n", "10", sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"], cwd=ROOT, env=server.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.mark.parametrize("backend", ["embedded", "rq"])
def test_huge_renders_and_slow_clients_do_not_stall_other_requests(tmp_path, backend):
    from tests.servers import dispose, gunicorn_server, http_json, prepared_app, seed_user_with_token

    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    app = prepared_app(db_url, tmp_path)
    uid, token = seed_user_with_token(app, "r@a.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    huge = {key: dict(answer, comment=LONG) for key, answer in full_answers(q, level=2).items()}
    ids = [new_assessment(app, uid, huge, submit=True, title=f"Huge {n}") for n in range(2)]
    dispose(app)

    # As the README runs it: gthread workers with 8 threads, a download waits less than the
    # worker timeout.  (No buffering proxy here: each byte-a-second client holds a thread.)
    with job_backend(backend, tmp_path) as (backend_env, holder), \
            gunicorn_server(db_url, tmp_path, workers=2, threads=8, timeout=30,
                            extra_args=("--worker-class", "gthread"),
                            PDF_DOWNLOAD_WAIT_SECONDS="5",
                            # the renders' own limit well above what a loaded test machine needs
                            PDF_RENDER_TIMEOUT_SECONDS="300", **backend_env) as server:
        if holder is not None:
            start_rq_worker(server, holder, tmp_path)
        health = server.url + "/healthz"
        for _ in range(5):
            _timed(health)                                   # connections, imports, caches
        idle = [_timed(health) for _ in range(40)]
        idle_median = statistics.median(t for t, _ in idle)

        downloads: dict[int, tuple[int, object]] = {}

        def download(aid):
            downloads[aid] = http_json("GET", f"{server.url}/api/v1/assessments/{aid}/report.pdf?kind=gap",
                                       token=token, timeout=60)

        stop = threading.Event()
        threads = [threading.Thread(target=download, args=(aid,)) for aid in ids]
        threads += [threading.Thread(target=_slow_client, args=(server.port, stop)) for _ in range(2)]
        for t in threads:
            t.start()
        busy: list[tuple[float, int]] = []
        jobs: dict[int, str] = {}
        started = time.monotonic()
        deadline = started + 300
        while time.monotonic() < deadline:
            busy.append(_timed(health))
            if len(downloads) == len(ids):
                jobs.update({aid: body["job"] for aid, (status, body) in downloads.items() if status == 202})
                finished = all(status == 200 for status, _ in downloads.values()) or (jobs and all(
                    http_json("GET", f"{server.url}/api/v1/jobs/{job}", token=token)[1]["status"]
                    in ("done", "failed") for job in jobs.values()))
                if finished:
                    break
            time.sleep(0.05)
        render_seconds = time.monotonic() - started
        stop.set()
        for t in threads:
            t.join(60)
        results = {}
        for aid, job in jobs.items():
            status, body = http_json("GET", f"{server.url}/api/v1/jobs/{job}", token=token)
            results[aid] = (body["status"], http_json("GET", server.url + body["result"], token=token)[1][:5]
                            if body["result"] else body["error"])
        log = server.log_text()

    statuses = [status for _, status in busy]
    longest = max(t for t, _ in busy)
    busy_median = statistics.median(t for t, _ in busy)
    p95 = statistics.quantiles([t for t, _ in busy], n=20)[-1]
    print(f"\n[{backend}] /healthz idle: median {idle_median * 1000:.1f} ms over {len(idle)}; while two huge "
          f"reports rendered ({render_seconds:.1f} s) and two clients sent a byte a second: "
          f"{len(busy)} requests, median {busy_median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
          f"longest {longest * 1000:.1f} ms "
          f"(x{longest / idle_median:.1f} the idle median); downloads: "
          f"{sorted(status for status, _ in downloads.values())}")
    assert all(status == 200 for status in statuses), statuses
    assert len(busy) >= 20                                    # the renders took a while
    # Relative to the idle median of the same run.  The test shares two cores with the two
    # renders and whatever else the machine runs, so single requests meet scheduler delays of
    # some hundreds of milliseconds at worst; a stall (the issue: 16-32 s) is far beyond.
    # (10x the idle median + 20 ms failed once at 45 ms with make test's three workers
    # running other tests beside it: scheduler noise, not a stall, so the margin is 50 ms.)
    assert p95 < 10 * idle_median + 0.05, (p95, idle_median)
    assert longest < 1.0                                      # CONTRACTS.md: /healthz within a second
    assert all(status in (200, 202) for status, _ in downloads.values()), downloads
    assert "WORKER TIMEOUT" not in log and "Traceback" not in log, log[-3000:]
    assert all(result == ("done", "%PDF-") for result in results.values()), results


def test_a_render_survives_the_death_of_the_web_worker_that_started_it(tmp_path):
    """kill -9 of the gunicorn worker whose job process renders a report: its job process
    leaves with it, and the next poll, answered by another worker, runs the job again."""
    import json
    import os
    import signal

    from tests.servers import dispose, gunicorn_server, http_json, prepared_app, seed_user_with_token

    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    app = prepared_app(db_url, tmp_path)
    uid, token = seed_user_with_token(app, "r@a.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = new_assessment(app, uid, full_answers(q, level=2), submit=True, title="Orphaned")
    dispose(app)
    with gunicorn_server(db_url, tmp_path, workers=2, threads=4, extra_args=("--worker-class", "gthread"),
                         PDF_DOWNLOAD_WAIT_SECONDS="0", PDF_RENDER_TIMEOUT_SECONDS="300") as server:
        status, body = http_json("GET", f"{server.url}/api/v1/assessments/{aid}/report.pdf?kind=gap", token=token)
        assert status == 202, body
        job = body["job"]
        state_file = tmp_path / "pdf-cache" / "jobs" / f"{job}.json"
        owner = json.loads(state_file.read_text())["owner"]
        assert owner in server.worker_pids()
        deadline = time.monotonic() + 120
        while json.loads(state_file.read_text())["status"] != "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        os.kill(owner, signal.SIGKILL)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status, body = http_json("GET", f"{server.url}/api/v1/jobs/{job}", token=token)
            assert status == 200, body
            if body["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        final = json.loads(state_file.read_text())
        assert body["status"] == "done", body
        assert final["owner"] != owner and final["attempts"] == 1      # adopted: run once more
        status, pdf = http_json("GET", server.url + body["result"], token=token)
        assert status == 200 and pdf.startswith("%PDF-")
