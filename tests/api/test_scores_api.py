"""Score storage, the score API and explicit recomputation."""
import json

import pytest

from app.extensions import db
from app.models import Assessment, AuditEntry
from tests.factories import full_answers


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


def _token(app, email):
    return app.test_cli_runner().invoke(args=["users", "token", email]).output.strip()


def test_draft_is_scored_live_and_agrees_with_the_engine(app, client, make_user, make_assessment, q):
    from app.questionnaire.patch import parse_patch
    from app.scoring import score_assessment

    uid = make_user("ana@gov.example")
    answers = full_answers(q, level=3)
    aid = make_assessment(uid, answers=answers)
    headers = {"Authorization": f"Bearer {_token(app, 'ana@gov.example')}"}
    doc = client.get(f"/api/v1/assessments/{aid}/score", headers=headers).get_json()
    changes, errors = parse_patch(q, answers)
    assert not errors
    expected = json.loads(json.dumps(score_assessment(q, changes)))
    assert doc["overall"] == expected["overall"]
    assert doc["areas"] == expected["areas"] and doc["cells"] == expected["cells"]
    assert doc["stored"] is None
    assert doc["questionnaire"] == {"id": q.id, "version": q.version}
    assert {"overall", "areas", "layers", "cells", "knowledge_coverage", "completeness", "gaps",
            "rubric_version"} <= set(doc)


def test_submitted_score_is_stored_and_not_silently_rewritten(app, client, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    aid = make_assessment(uid, answers=full_answers(q, level=2), submit=True)
    headers = {"Authorization": f"Bearer {_token(app, 'ana@gov.example')}"}
    with app.app_context():
        a = db.session.get(Assessment, aid)
        stored_overall = a.score["overall"]
        assert a.score_rubric_version == q.rubric.rubric_version
        # Tamper with the stored score: the API must serve what is stored, not rescore.
        a.score = {**a.score, "overall": {**stored_overall, "score": 1.0}}
        db.session.commit()
    doc = client.get(f"/api/v1/assessments/{aid}/score", headers=headers).get_json()
    assert doc["overall"]["score"] == 1.0
    assert doc["stored"]["rubric_version"] == q.rubric.rubric_version
    # Explicit recomputation restores the engine's number and is recorded.
    result = app.test_cli_runner().invoke(args=["score", "recompute", "--assessment", str(aid)])
    assert result.exit_code == 0, result.output
    assert "1.0 ->" in result.output
    doc = client.get(f"/api/v1/assessments/{aid}/score", headers=headers).get_json()
    assert doc["overall"]["score"] == pytest.approx(stored_overall["score"])
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="score.recompute").one()
        assert entry.assessment_id == aid
        assert entry.old_value["overall"]["score"] == 1.0
        assert entry.new_value["overall"]["score"] == pytest.approx(stored_overall["score"])


def test_recompute_all_and_usage_errors(app, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    make_assessment(uid, answers=full_answers(q), submit=True)
    make_assessment(uid, answers=full_answers(q), submit=True, title="Second")
    make_assessment(uid)  # a draft: nothing stored, not touched
    runner = app.test_cli_runner()
    result = runner.invoke(args=["score", "recompute", "--all"])
    assert result.exit_code == 0 and "2 score(s) recomputed" in result.output
    assert runner.invoke(args=["score", "recompute"]).exit_code != 0
    assert runner.invoke(args=["score", "recompute", "--assessment", "9999"]).exit_code != 0


def test_score_of_another_organisations_draft_is_hidden(app, client, make_user, make_assessment):
    uid = make_user("ana@gov.example")
    make_user("bo@ngo.example", org="Org B", kind="ngo")
    aid = make_assessment(uid)
    headers = {"Authorization": f"Bearer {_token(app, 'bo@ngo.example')}"}
    r = client.get(f"/api/v1/assessments/{aid}/score", headers=headers)
    assert r.status_code == 404 and r.get_json()["error"]
