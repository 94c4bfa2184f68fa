"""Fixtures and helpers shared by the review tests (imported explicitly by them).

``world``: a ministry (government) and an NGO of Kenya, each with a submitted 2025
assessment, the ministry with a draft; a reviewer; an admin of a third organisation; an
API token for each.  ``clone_submitted`` copies a submitted assessment many times with
two bulk inserts, so that tests over many assessments stay fast.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from sqlalchemy import event, insert, select

from tests.conftest import full_answers


@dataclass
class World:
    gov: int            # user ids
    ngo: int
    reviewer: int
    admin: int
    gov_submitted: int  # assessment ids
    ngo_submitted: int
    gov_draft: int
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def questionnaire(app):
    return app.extensions["catalog"].latest("prevention-readiness")


@pytest.fixture
def world(app, make_user, make_assessment) -> World:
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import User

    q = questionnaire(app)
    gov = make_user("official@ministry.example", org="Ministry", kind="government")
    ngo = make_user("analyst@ngo.example", org="Coalition", kind="ngo")
    reviewer = make_user("reviewer@un.example", role="reviewer", org="UN", kind="other")
    admin = make_user("admin@site.example", role="admin", org="Site", kind="other")
    gov_answers = full_answers(q, 2) | {"a1": {"level": 4, "evidence": [
        {"type": "data", "reference": "CPIMS report 2025", "note": ""}]}}
    ngo_answers = full_answers(q, 1) | {"a2": {"dont_know": True}}
    gov_submitted = make_assessment(gov, gov_answers, submit=True, period="2025",
                                    title="Government self-assessment 2025")
    ngo_submitted = make_assessment(ngo, ngo_answers, submit=True, period="2025",
                                    title="Shadow assessment 2025")
    gov_draft = make_assessment(gov, {"a1": {"level": 1}}, period="2026", title="Draft 2026")
    tokens = {}
    with app.app_context():
        for name, uid in (("gov", gov), ("ngo", ngo), ("reviewer", reviewer), ("admin", admin)):
            tokens[name] = accounts.issue_token(db.session.get(User, uid), "tests")
        db.session.commit()
    return World(gov, ngo, reviewer, admin, gov_submitted, ngo_submitted, gov_draft, tokens)


def clone_submitted(app, source_id: int, count: int, **overrides) -> list[int]:
    """``count`` copies of a submitted assessment (its stored score and its latest
    submission), each with the metadata ``overrides`` (values may be callables of the copy's
    index).  Two bulk inserts."""
    from app.extensions import db
    from app.models import Assessment, Submission
    from app.models.assessments import overall_of

    with app.app_context():
        a = db.session.get(Assessment, source_id)
        snap = db.session.scalar(select(Submission).where(Submission.assessment_id == source_id)
                                 .order_by(Submission.number.desc()))
        first = (db.session.scalar(select(Assessment.id).order_by(Assessment.id.desc())) or 0) + 1
        rows = []
        for n in range(count):
            row = {"id": first + n, "organisation_id": a.organisation_id,
                   "questionnaire_version_id": a.questionnaire_version_id,
                   "jurisdiction": a.jurisdiction, "period": a.period, "title": f"{a.title} copy {n}",
                   "status": a.status, "revision": a.revision, "submitted_at": a.submitted_at,
                   "created_at": a.created_at, "updated_at": a.updated_at, "score": a.score,
                   "score_rubric_version": a.score_rubric_version, "scored_at": a.scored_at}
            row.update({k: (v(n) if callable(v) else v) for k, v in overrides.items()})
            # A bulk insert runs no validator: the indexed overall score is set here.
            row["overall_score"] = overall_of(row["score"])
            rows.append(row)
        db.session.execute(insert(Assessment), rows)
        db.session.execute(insert(Submission), [
            {"assessment_id": first + n, "number": 1, "revision": snap.revision,
             "submitted_by_id": snap.submitted_by_id, "submitted_at": snap.submitted_at,
             "answers": snap.answers, "score": snap.score} for n in range(count)])
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequence on
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('assessments', 'id'), "
                                       "(SELECT max(id) FROM assessments))"))
        db.session.commit()
        return [first + n for n in range(count)]


@contextlib.contextmanager
def count_queries(app):
    """Count the SQL statements sent while the block runs."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def login(client, email: str) -> None:
    from tests.conftest import csrf_token

    token = csrf_token(client, "/login")
    r = client.post("/login", data={"email": email, "password": "correct-horse-battery",
                                    "csrf_token": token})
    assert r.status_code == 302, r.status_code
