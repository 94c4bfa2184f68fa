"""Apps and their database: an app on a fresh database with the questionnaires published, the
latest questionnaire, the SQL a block sends, and waiting on what runs beside the test."""
from __future__ import annotations

import contextlib
import time
from pathlib import Path

from sqlalchemy import event

from config import TestConfig

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
#: The version new assessments start on by default (the latest installed), as tests create them.
LATEST = "1.1"


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


def seed_app(tmp_path: Path, questionnaire_dir: Path | None = None, **overrides):
    if questionnaire_dir is not None:
        overrides["QUESTIONNAIRE_DIR"] = str(questionnaire_dir)
    return make_app(f"sqlite:///{tmp_path / 'reports.sqlite3'}", tmp_path, **overrides)


def questionnaire(app):
    return app.extensions["catalog"].latest("prevention-readiness")


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


def wait_for(predicate, timeout=60.0, step=0.05):
    """``predicate()``'s first true value, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")
