"""A write the database refuses is a clear 4xx/503 with nothing saved, never a 500: a unique-key
race, a value the column cannot hold, a lock not had in time.  The operations guard against
each first; these handlers are the last line, tested by making the database refuse."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from tests.servers import seed_user_with_token


class _Orig(Exception):
    pass


@pytest.mark.parametrize("exc,status", [
    (IntegrityError("INSERT", {}, _Orig("UNIQUE constraint failed: answers.assessment_id")), 409),
    (DataError("INSERT", {}, _Orig("integer out of range")), 400),
    (OperationalError("UPDATE", {}, _Orig("database is locked")), 503),
])
def test_refused_write_is_a_clear_error_and_nothing_is_saved(app, client, make_assessment, monkeypatch,
                                                            exc, status):
    app.config["PROPAGATE_UNEXPECTED"] = False
    user_id, token = seed_user_with_token(app, "ana@gov.example")
    aid = make_assessment(user_id)
    from app.assessments import operations

    real = operations.save_answers

    def save_then_refuse(*args, **kwargs):
        real(*args, **kwargs)            # the rows are written (flushed) ...
        raise exc                        # ... then the database refuses

    monkeypatch.setattr(operations, "save_answers", save_then_refuse)
    headers = {"Authorization": f"Bearer {token}"}
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers,
                     json={"base_revision": 0, "answers": {"a1": {"level": 2}}})
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.is_json and r.get_json()["error"]
    if status == 503:
        assert r.headers["Retry-After"] == "2"
    monkeypatch.setattr(operations, "save_answers", real)
    after = client.get(f"/api/v1/assessments/{aid}", headers=headers).get_json()
    assert after["revision"] == 0 and after["answers"] == {}


def test_other_operational_errors_stay_server_errors(app, client, make_assessment, monkeypatch):
    app.config["PROPAGATE_UNEXPECTED"] = False
    user_id, token = seed_user_with_token(app, "ana@gov.example")
    aid = make_assessment(user_id)
    from app.assessments import operations

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, _Orig("no such table: answers"))

    monkeypatch.setattr(operations, "save_answers", broken)
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers={"Authorization": f"Bearer {token}"},
                     json={"base_revision": 0, "answers": {"a1": {"level": 2}}})
    assert r.status_code == 500 and r.get_json()["error"].startswith("internal error")
