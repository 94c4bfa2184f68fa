"""Test fixtures: a fresh database per test on SQLite and PostgreSQL (the builders they call
are plain functions in tests/factories/).

Storage tests take the ``app`` fixture, which is parametrised over both
backends. PostgreSQL tests use ``TEST_DATABASE_URL`` and a fresh schema per
test; they skip with a clear line when no server answers, except when
``CI=true``, where a missing server fails the run.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from tests.factories import AuthActions, World, create_assessment, full_answers, make_app, questionnaire

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"

_pg_checked: dict[str, str | None] = {}


def postgres_available() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    if "reason" not in _pg_checked:
        try:
            engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
            _pg_checked["reason"] = None
        except Exception as exc:
            _pg_checked["reason"] = f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"
    return _pg_checked["reason"]


def require_postgres() -> None:
    reason = postgres_available()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


class PgSchema:
    """A throw-away PostgreSQL schema; the URL pins search_path to it."""

    def __init__(self):
        self.name = "t_" + uuid.uuid4().hex[:16]
        self.admin = sa.create_engine(PG_URL)
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        sep = "&" if "?" in PG_URL else "?"
        self.url = f"{PG_URL}{sep}options=-csearch_path%3D{self.name}"

    def drop(self):
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    require_postgres()
    schema = PgSchema()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(db_url, tmp_path):
    app = make_app(db_url, tmp_path)
    yield app
    with app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


# -- factories ----------------------------------------------------------------

@pytest.fixture
def make_user(app):
    """make_user(email, role='respondent', org='Org A', kind='government') -> user id."""
    from app.auth import operations as ops
    from app.extensions import db

    def _make(email, role="respondent", org="Org A", kind="government", password="correct-horse-battery"):
        with app.app_context():
            organisation = ops.get_or_create_organisation(org, kind, "KE")
            user = ops.create_user(email, password, organisation, role)
            db.session.commit()
            return user.id

    return _make


@pytest.fixture
def make_assessment(app):
    """make_assessment(user_id, answers=None, submit=False, **meta) -> assessment id."""

    def _make(user_id, answers=None, submit=False, **meta):
        return create_assessment(app, user_id, answers, submit, **meta)

    return _make


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def ana(app, make_user, auth):
    """Ana Wanjiru, a respondent of Org A, signed in on ``client``; her user id."""
    from app.extensions import db
    from app.models import User

    uid = make_user("ana@a.example", org="Org A")
    with app.app_context():
        db.session.get(User, uid).name = "Ana Wanjiru"
        db.session.commit()
    auth.login("ana@a.example")
    return uid


@pytest.fixture
def world(app, make_user, make_assessment) -> World:
    """A ministry (government) and an NGO of Kenya, each with a submitted 2025 assessment, the
    ministry with a draft; a reviewer; an admin of a third organisation; an API token for each."""
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
