"""Key messages in the submission snapshot (issue 18): an NGO's key messages are kept with
each submission, so that while a returned shadow assessment is re-edited its reviewers (API,
results page, scorecard PDF and its cache key) keep reading the key messages as submitted,
the organisation its working copy; a resubmission shows the new ones.  On SQLite and
PostgreSQL, through the real stack; the PDF read back with pdftotext."""
from __future__ import annotations

import pytest

from tests.factories import call, pdftotext, signed_in, submit

SUBMITTED = "Birth registration lags in rural counties."
EDITED = "EDITED after the return, not resubmitted"


def _returned_with_edited_messages(world):
    path = f"/api/v1/assessments/{world['ngo']}/key-messages"
    assert call(world, "N", "PUT", path, json={"key_messages": [SUBMITTED]}).status_code == 200
    submit(world, "N", world["ngo"])
    for action, body in (("start", {}), ("return", {"reason": "Say where the figures come from."})):
        r = call(world, "V", "POST", f"/api/v1/assessments/{world['ngo']}/review", json={"action": action} | body)
        assert r.status_code == 200, r.get_json()


def _scorecard_text(world, who) -> str:
    from app import reports
    from app.extensions import db
    from app.models import Assessment, User

    with world["app"].test_request_context():
        viewer = db.session.get(User, world["people"][who])
        inputs = reports.gather(db.session.get(Assessment, world["ngo"]), "scorecard", viewer=viewer)
        return pdftotext(reports.html_to_pdf(reports.render_html(inputs.context())))


def _key(world, who) -> str:
    from app.extensions import db
    from app.models import Assessment, User
    from app.reports import report_key

    with world["app"].test_request_context():
        return report_key(db.session.get(Assessment, world["ngo"]), "scorecard",
                          viewer=db.session.get(User, world["people"][who]))


@pytest.mark.slow  # renders the scorecard for each viewer
def test_reviewers_keep_the_submitted_key_messages_while_a_returned_assessment_is_reedited(world):
    from app.extensions import db
    from app.models import Submission

    _returned_with_edited_messages(world)
    reviewer_key = _key(world, "V")
    path = f"/api/v1/assessments/{world['ngo']}/key-messages"
    r = call(world, "N", "PUT", path, json={"key_messages": [EDITED]})
    assert r.status_code == 200 and r.get_json()["key_messages"] == [EDITED]

    # The reviewer: the submitted texts, in the API, on the page, in the PDF; the same PDF key.
    assert call(world, "V", "GET", path).get_json()["key_messages"] == [SUBMITTED]
    shadow = call(world, "V", "GET", f"/api/v1/assessments/{world['ngo']}/shadow").get_json()
    assert shadow["key_messages"] == [SUBMITTED]
    page = signed_in(world, "V").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert SUBMITTED in page and EDITED not in page
    text = " ".join(_scorecard_text(world, "V").split())
    assert SUBMITTED in text and "EDITED" not in text
    assert _key(world, "V") == reviewer_key

    # The organisation: its working copy.
    assert call(world, "N", "GET", path).get_json()["key_messages"] == [EDITED]
    page = signed_in(world, "N").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert EDITED in page and SUBMITTED not in page
    assert "EDITED" in _scorecard_text(world, "N")

    # The resubmission is what reviewers read next, and is kept with it.
    submit(world, "N", world["ngo"])
    assert call(world, "V", "GET", path).get_json()["key_messages"] == [EDITED]
    assert _key(world, "V") != reviewer_key
    with world["app"].app_context():
        kept = db.session.scalars(db.select(Submission).where(Submission.assessment_id == world["ngo"])
                                  .order_by(Submission.number)).all()
        assert [s.key_messages for s in kept] == [[SUBMITTED], [EDITED]]
    # Each kept submission's page shows its own key messages, the second says they changed.
    reviewer = signed_in(world, "V")
    first = reviewer.get(f"/review/assessments/{world['ngo']}/submissions/1").get_data(as_text=True)
    second = reviewer.get(f"/review/assessments/{world['ngo']}/submissions/2").get_data(as_text=True)
    assert "Key messages as submitted" in first and SUBMITTED in first and EDITED not in first
    assert EDITED in second and SUBMITTED not in second and "The key messages changed." in second


def test_the_upgrade_gives_earlier_submissions_the_key_messages_known(db_url):
    """0011 adds ``submissions.key_messages`` and fills it with the assessment's key messages
    (the best known for a submission made before it existed)."""
    from datetime import datetime, timezone

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from config import TestConfig

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        upgrade(None, "0010_user_time_zone")
        meta = sa.MetaData()
        with db.engine.begin() as conn:
            meta.reflect(conn, only=["organisations", "questionnaire_versions", "assessments", "submissions"])
            orgs, versions, assessments, submissions = (meta.tables[n] for n in (
                "organisations", "questionnaire_versions", "assessments", "submissions"))
            conn.execute(orgs.insert().values(id=1, name="NGO", kind="ngo", created_at=now))
            conn.execute(versions.insert().values(id=1, questionnaire_id="q", version="1.0", title="Q",
                                                  content_hash="0" * 64, rubric_version="1.0",
                                                  item_count=1, published_at=now))
            base = dict(organisation_id=1, questionnaire_version_id=1, jurisdiction="KE", period="2025",
                        title="A", status="submitted", revision=1, created_at=now, updated_at=now)
            conn.execute(assessments.insert(), [base | {"id": 1, "key_messages": [SUBMITTED]},
                                                base | {"id": 2, "key_messages": None}])
            conn.execute(submissions.insert(), [
                {"id": 1, "assessment_id": 1, "number": 1, "revision": 1, "submitted_at": now, "answers": {}},
                {"id": 2, "assessment_id": 2, "number": 1, "revision": 1, "submitted_at": now, "answers": {}}])
        upgrade()
        from app.models import Submission

        assert [db.session.get(Submission, i).key_messages for i in (1, 2)] == [[SUBMITTED], None]
        db.session.remove()
        db.engine.dispose()
