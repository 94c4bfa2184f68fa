"""CPU time of the results page of a draft (a live score), in process, against a submitted one.

    .venv/bin/python tests/perf/bench_results.py [--runs 15] [--lang en]

Seeds the demo data in a temporary SQLite database, signs in as the demo's official and
requests the results page of the 2026 draft through Flask's test client:

- cold: each request right after a save (a comment changed, so the answers' revision moves
  and nothing kept of the previous revision applies): the first view after an edit;
- warm: the same page again, nothing saved in between;

and, for reference, the results page of the submitted 2025 assessment (warm). Prints the
median CPU time of the process per request (``time.process_time``: what a machine busy with
other work distorts least) and the page's size. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OFFICIAL = "official@ministry.example"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()

    from app import demo
    from app.extensions import db
    from app.models import Assessment, User
    from tests.factories import make_app

    tmp = Path(tempfile.mkdtemp())
    app = make_app(f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
    with app.app_context():
        demo.seed()
        db.session.scalars(db.select(User).filter_by(email=OFFICIAL)).one().locale = args.lang
        db.session.commit()
        mine = db.session.scalars(db.select(Assessment).join(User, User.id == Assessment.created_by_id)
                                  .where(User.email == OFFICIAL).order_by(Assessment.id)).all()
        draft = next(a.id for a in mine if a.status == "draft")
        submitted = [a.id for a in mine if a.status != "draft"][-1]

    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', form)[1]
    assert client.post("/login", data={"csrf_token": token, "email": OFFICIAL,
                                       "password": demo.DEMO_PASSWORD}).status_code == 302

    def timed(url: str) -> tuple[float, int]:
        started = time.process_time()
        response = client.get(url)
        spent = time.process_time() - started
        assert response.status_code == 200, (url, response.status_code)
        return spent * 1000, len(response.data)

    def measure(url: str, before=None) -> tuple[float, int]:
        for _ in range(3):  # templates compiled, per-process caches filled
            timed(url)
        times, size = [], 0
        for _ in range(args.runs):
            if before:
                before()
            spent, size = timed(url)
            times.append(spent)
        return statistics.median(times), size

    saves = iter(range(10**6))

    def save_a_comment() -> None:
        from app.assessments import operations as ops, store

        with app.app_context():
            assessment = db.session.get(Assessment, draft)
            user = db.session.scalars(db.select(User).filter_by(email=OFFICIAL)).one()
            questionnaire = store.questionnaire_of(assessment)
            key, answer = next((k, a) for k, a in store.answers_of(assessment).items() if a.has_answer)
            entry = answer.to_json(questionnaire.item_map[key].value_key)
            entry["comment"] = f"benchmark edit {next(saves)}"
            ops.save_answers(assessment, user, assessment.revision, {key: entry})
            db.session.commit()

    print(f"language {args.lang}, median of {args.runs} requests, CPU ms of this process per request")
    rows = (("draft results, cold (after a save)", f"/assessments/{draft}/results", save_a_comment),
            ("draft results, warm", f"/assessments/{draft}/results", None),
            ("submitted results, warm", f"/assessments/{submitted}/results", None))
    for label, url, before in rows:
        ms, size = measure(url, before)
        print(f"{label:38} {ms:7.1f} ms {size / 1024:7.0f} KB  {url}")


if __name__ == "__main__":
    main()
