"""Test fixtures: a fresh database per test on SQLite and PostgreSQL.

Storage tests take the ``app`` fixture, which is parametrised over both
backends. PostgreSQL tests use ``TEST_DATABASE_URL`` and a fresh schema per
test; they skip with a clear line when no server answers, except when
``CI=true``, where a missing server fails the run.
"""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The version new assessments start on by default (the latest installed), as tests create them.
LATEST = "1.1"
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


def make_app(url: str, tmp_path: Path, **overrides):
    from app import create_app
    from app.extensions import db

    overrides.setdefault("PDF_CACHE_DIR", str(tmp_path / "pdf-cache"))
    overrides.setdefault("ATTACHMENT_DIR", str(tmp_path / "attachments"))
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, **overrides)
    with app.app_context():
        db.create_all()
        app.extensions["catalog"].publish(db.session)
        db.session.commit()
    return app


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


def create_assessment(app, user_id, answers=None, submit=False, **meta) -> int:
    """Create (and optionally answer and submit) an assessment through the real operations."""
    from app.assessments import operations as ops
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        q = app.extensions["catalog"].latest("prevention-readiness") or app.extensions["catalog"].all()[-1]
        data = {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE",
                "period": "2026", "title": "Test assessment"} | meta
        a = ops.create_assessment(user, data)
        if answers:
            ops.save_answers(a, user, a.revision, answers)
        if submit:
            ops.submit(a, user)
        db.session.commit()
        return a.id


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email, password="correct-horse-battery"):
        token = csrf_token(self.client, "/login")
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": token})

    def logout(self):
        token = csrf_token(self.client, "/account")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


def full_answers(questionnaire, level=2) -> dict:
    """A complete, valid answer patch for every scored item (a helper for tests)."""
    from app.questionnaire.answers import AnswerData

    return {item.key: AnswerData(value=item.example_value(level)).to_json(item.value_key)
            for item in questionnaire.scored_items}


def na_for_a_country(questionnaire, item) -> bool:
    """Whether a national assessment (the tests' KE) may answer ``item`` "not applicable":
    the item allows it, and not only for province assessments (rubric 1.1)."""
    only = questionnaire.rubric.na_subnational_only if questionnaire.rubric else ()
    return item.allow_na and item.key not in only
