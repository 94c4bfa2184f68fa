"""One transaction per request (app.transaction): a view's writes are kept when it returns
and dropped when it raises, whatever was flushed; a refusal a view answers with a page keeps
nothing of the refused operation; and no request code commits or rolls back by itself.
Both databases, real requests through the test client."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import ApiError
from app.extensions import db
from app.models import AuditEntry
from app.transaction import attempt

APP = Path(__file__).resolve().parents[2] / "app"


def _audited(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def _write(action: str) -> None:
    db.session.add(AuditEntry(action=action))
    db.session.flush()   # in the database, inside the request's transaction


@pytest.fixture
def routes(app):
    @app.post("/_test/kept")
    def kept():
        _write("test.kept")
        return "", 204

    @app.post("/_test/refused")
    def refused():
        _write("test.refused")
        raise ApiError(409, "refused after a flush")

    @app.post("/_test/crashed")
    def crashed():
        _write("test.crashed")
        raise RuntimeError("a bug after a flush")

    @app.post("/_test/attempted")
    def attempted():
        _write("test.before")
        with attempt(ApiError) as outcome:
            _write("test.attempted")
            raise ApiError(422, "refused")
        _write("test.after")
        return {"refused": outcome.refused.message}

    app.config.update(WTF_CSRF_ENABLED=False, PROPAGATE_UNEXPECTED=False)
    return app


def test_a_view_that_returns_is_committed(routes, client):
    assert client.post("/_test/kept").status_code == 204
    assert _audited(routes, "test.kept") == 1


@pytest.mark.parametrize("path,status", [("/_test/refused", 409), ("/_test/crashed", 500)])
def test_a_view_that_raises_after_a_flush_leaves_nothing(routes, client, path, status):
    assert client.post(path).status_code == status
    assert _audited(routes, "test.refused") == _audited(routes, "test.crashed") == 0


def test_a_refusal_shown_on_the_page_drops_what_came_before_it(routes, client):
    """attempt() rolls back at once: the refused operation's writes (and anything earlier in
    the request) are gone; what the view writes after is committed with the request."""
    response = client.post("/_test/attempted")
    assert response.get_json() == {"refused": "refused"}
    assert [_audited(routes, a) for a in ("test.before", "test.attempted", "test.after")] == [0, 0, 1]


def test_only_the_request_transaction_commits():
    """Views, loaders and operations flush; only app/transaction.py ends a request's
    transaction.  Commands and jobs are not requests: they commit themselves."""
    allowed = {APP / "transaction.py"}
    own_transactions = (APP / "cli", APP / "jobs")
    call = re.compile(r"\.(commit|rollback)\(\)")
    found = [str(path.relative_to(APP.parent)) for path in APP.rglob("*.py")
             if path not in allowed and not any(folder in path.parents for folder in own_transactions)
             and call.search(path.read_text(encoding="utf-8"))]
    assert found == []
