"""Load test: Locust (tests/perf/locustfile.py) against gunicorn + PostgreSQL + Redis + one RQ
worker, as production runs them. Run: ``python tests/perf/loadtest.py`` (or ``make loadtest``);
``--officials`` (default 100), ``--reviewers`` (10), ``--seconds`` (60), ``--workers 1,2``.

Seeds a fresh PostgreSQL schema (``TEST_DATABASE_URL``) with the demo data and one draft
assessment per simulated official, starts one ``jobs worker`` on a queue of its own, then for
each web worker count: gunicorn (gthread, 8 threads, as the Procfile) and Locust headless with
every user at once; when the time is up, each user finishes the task it is in (a request
cut off by the stop would count as an error that no user would see). Reports p50/p95 per request type, errors, throughput, and lost answers:
every comment value the server acknowledged must be the one stored after the run (each
official has an assessment of their own, so the last acknowledged value is the truth).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers import dispose, gunicorn_server, prepared_app  # noqa: E402  (after sys.path names the project root)

HERE = Path(__file__).resolve().parent
LOCUST = Path(sys.executable).with_name("locust")
PASSWORD = "load-test-password-2026"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def seed(db_url: str, tmp: Path, officials: int, reviewers: int) -> dict:
    from sqlalchemy import select

    from app import demo
    from app.assessments import operations as ops
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import Assessment

    app = prepared_app(db_url, tmp)
    with app.app_context():
        demo.seed()
        q = app.extensions["catalog"].latest(demo.QUESTIONNAIRE)
        plan = {"password": PASSWORD, "officials": [], "reviewers": [], "sections": [s.key for s in q.sections]}
        for n in range(officials):
            org = accounts.get_or_create_organisation(f"Ministry {n} (load test)", "government", "KE")
            user = accounts.create_user(f"official{n}@load.example", PASSWORD, org, "respondent")
            a = ops.create_assessment(user, {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE",
                                             "period": "2026", "title": f"Load test {n}"})
            ops.save_answers(a, user, a.revision, demo.demo_answers(q, demo.GOVERNMENT_DRAFT, share=0.6))
            plan["officials"].append({"email": user.email, "assessment": a.id})
        un = accounts.get_or_create_organisation("UN (load test)", "other")
        for n in range(reviewers):
            plan["reviewers"].append(accounts.create_user(f"reviewer{n}@load.example", PASSWORD, un, "reviewer").email)
        db.session.commit()
        plan["submitted"] = [a.id for a in db.session.scalars(select(Assessment)) if a.status != "draft"]
    dispose(app)
    return plan


def lost_answers(db_url: str, tmp: Path, acks: dict[str, str]) -> list[str]:
    """The acknowledged comments that are not what is stored."""
    from app.assessments import store
    from app.extensions import db
    from app.models import Assessment

    app = prepared_app(db_url, tmp)
    lost = []
    with app.app_context():
        for key, value in acks.items():
            aid, field = key.split(":", 1)
            item = field.removesuffix("-comment")
            stored = store.answers_of(db.session.get(Assessment, int(aid))).get(item)
            if stored is None or stored.comment != value:
                lost.append(f"{key}: acknowledged {value!r}, stored {stored.comment if stored else None!r}")
    dispose(app)
    return lost


def run_locust(url: str, tmp: Path, plan_path: Path, users: int, seconds: int, tag: str) -> tuple[list[dict], dict]:
    acks = tmp / f"acks-{tag}.json"
    prefix = tmp / f"locust-{tag}"
    env = dict(os.environ, LOADTEST_PLAN=str(plan_path), LOADTEST_ACKS=str(acks))
    subprocess.run([str(LOCUST), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
                    "-r", str(users), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix),
                    "--only-summary", "--stop-timeout", "120"], env=env, cwd=HERE, check=False,
                   stdout=subprocess.DEVNULL, stderr=open(tmp / f"locust-{tag}.log", "wb"))
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    return rows, json.loads(acks.read_text()) if acks.exists() else {}


def start_queue_worker(env: dict, tmp: Path) -> subprocess.Popen:
    with open(tmp / "queue-worker.log", "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def report(tag: str, rows: list[dict], lost: list[str]) -> None:
    print(f"-- {tag}")
    print(f"{'request':16s} {'count':>7s} {'errors':>7s} {'p50 ms':>8s} {'p95 ms':>8s} {'req/s':>7s}")
    for r in rows:
        print(f"{r['Name']:16s} {r['Request Count']:>7s} {r['Failure Count']:>7s} {r['50%']:>8s} {r['95%']:>8s} "
              f"{float(r['Requests/s']):7.1f}")
    print(f"lost answers: {len(lost)}" + "".join(f"\n  {line}" for line in lost[:10]))


def main(argv=None) -> int:
    from tests.conftest import PgSchema, postgres_available

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--officials", type=int, default=100)
    p.add_argument("--reviewers", type=int, default=10)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--workers", default="1,2", help="web worker counts to run, comma-separated")
    args = p.parse_args(argv)
    if postgres_available():
        sys.exit(postgres_available())
    tmp = Path(tempfile.mkdtemp(prefix="loadtest-"))
    schema, queue = PgSchema(), f"loadtest-{uuid.uuid4().hex[:8]}"
    status = 0
    try:
        plan = seed(schema.url, tmp, args.officials, args.reviewers)
        plan_path = tmp / "plan.json"
        plan_path.write_text(json.dumps(plan))
        jobs = {"JOB_BACKEND": "rq", "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue}
        worker = start_queue_worker(dict(os.environ, DATABASE_URL=schema.url, APP_ENV="development",
                                         PDF_CACHE_DIR=str(tmp / "pdf-cache"), INSTANCE_PATH=str(tmp / "instance"),
                                         REPORT_WARMING="false", PYTHONPATH=str(ROOT), **jobs), tmp)
        try:
            for count in [int(n) for n in args.workers.split(",")]:
                with gunicorn_server(schema.url, tmp, workers=count, threads=8, extra_args=("--worker-class", "gthread"),
                                     **jobs) as server:
                    rows, acks = run_locust(server.url, tmp, plan_path, args.officials + args.reviewers,
                                            args.seconds, f"{count}w")
                lost = lost_answers(schema.url, tmp, acks)
                report(f"{count} web worker(s), {args.officials} officials + {args.reviewers} reviewers, "
                       f"{args.seconds} s", rows, lost)
                total = next((r for r in rows if r["Name"] == "Aggregated"), {})
                status |= bool(lost) or int(total.get("Failure Count", 0)) > 0
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
    finally:
        schema.drop()
    return status


if __name__ == "__main__":
    sys.exit(main())
