"""A returned assessment being re-edited: reviewers keep seeing what was submitted, in the
API, on the pages and in the reports; the organisation sees its working copy; a resubmit
shows reviewers the new submission.  Both databases, real HTTP through the test client."""
from __future__ import annotations

from tests.factories import full_answers
from tests.servers import seed_user_with_token

EDIT = "EDITED-AFTER-RETURN-not-yet-resubmitted"


def _h(token):
    return {"Authorization": f"Bearer {token}"}


def _returned_and_reedited(app, client):
    _, org_token = seed_user_with_token(app, "official@gov.example", "respondent", "Ministry")
    _, reviewer_token = seed_user_with_token(app, "reviewer@un.example", "reviewer", "UN")
    questionnaire = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(questionnaire)
    key = next(k for k, v in answers.items() if "level" in v)
    answers[key] = {"level": 1, "comment": "as submitted"}
    r = client.post("/api/v1/assessments", headers=_h(org_token), json={
        "questionnaire": questionnaire.id, "version": questionnaire.version, "jurisdiction": "KE",
        "period": "2026", "title": "Returned one"})
    aid = r.get_json()["id"]
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org_token),
                     json={"base_revision": 0, "answers": answers})
    assert r.status_code == 200, r.get_json()
    submitted_revision = r.get_json()["revision"]
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=_h(org_token)).status_code == 200
    submitted_score = client.get(f"/api/v1/assessments/{aid}/score", headers=_h(reviewer_token)).get_json()
    for action, body in (("start", {}), ("return", {"reason": "Evidence for (b) is missing."})):
        r = client.post(f"/api/v1/assessments/{aid}/review", headers=_h(reviewer_token),
                        json={"action": action} | body)
        assert r.status_code == 200, r.get_json()
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org_token),
                     json={"base_revision": submitted_revision, "answers": {key: {"level": 4, "comment": EDIT}}})
    assert r.status_code == 200, r.get_json()
    return aid, key, org_token, reviewer_token, submitted_revision, submitted_score


def test_reviewer_sees_the_submission_while_the_organisation_reedits(app, client):
    aid, key, org_token, reviewer_token, submitted_revision, submitted_score = \
        _returned_and_reedited(app, client)

    # The organisation: its working copy.
    mine = client.get(f"/api/v1/assessments/{aid}", headers=_h(org_token)).get_json()
    assert mine["status"] == "returned"
    assert mine["answers"][key] == {"level": 4, "comment": EDIT}
    assert mine["revision"] == submitted_revision + 1
    assert client.get(f"/api/v1/assessments/{aid}/score", headers=_h(org_token)).get_json()["stored"] is None

    # The reviewer: the submission, its revision and its stored score.
    theirs = client.get(f"/api/v1/assessments/{aid}", headers=_h(reviewer_token)).get_json()
    assert theirs["status"] == "returned"
    assert theirs["answers"][key] == {"level": 1, "comment": "as submitted"}
    assert theirs["revision"] == submitted_revision
    assert theirs["missing"] == [] and theirs["completeness"] == 1.0
    score = client.get(f"/api/v1/assessments/{aid}/score", headers=_h(reviewer_token)).get_json()
    assert score["overall"] == submitted_score["overall"]
    assert score["items"][key] == submitted_score["items"][key]
    assert score["stored"] is not None

    # The reviewer's pages (signed in with a session).
    from tests.factories import AuthActions

    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@un.example", "a-long-test-passphrase-9")
    for path in (f"/assessments/{aid}/answers", f"/assessments/{aid}/results"):
        page = reviewer.get(path)
        assert page.status_code == 200, path
        assert EDIT not in page.get_data(as_text=True), path
    org = app.test_client()
    AuthActions(org).login("official@gov.example", "a-long-test-passphrase-9")
    assert EDIT in org.get(f"/assessments/{aid}/answers").get_data(as_text=True)


def test_reports_of_a_returned_assessment_follow_the_viewer(app, client):
    """The gap report's HTML (exactly what WeasyPrint gets) and its cache key: the reviewer's
    is the submission's, the organisation's the working copy's."""
    aid, key, *_ = _returned_and_reedited(app, client)
    from app.extensions import db
    from app.models import Assessment, User
    from app.reports import gather, render_html, report_key
    from sqlalchemy import select

    with app.test_request_context():
        assessment = db.session.get(Assessment, aid)
        reviewer = db.session.scalar(select(User).where(User.email == "reviewer@un.example"))
        official = db.session.scalar(select(User).where(User.email == "official@gov.example"))
        as_reviewer = render_html(gather(assessment, "gap", "en", viewer=reviewer).context())
        as_org = render_html(gather(assessment, "gap", "en", viewer=official).context())
        assert EDIT not in as_reviewer and "as submitted" in as_reviewer
        assert EDIT in as_org
        assert report_key(assessment, "gap", "en", viewer=reviewer) != \
            report_key(assessment, "gap", "en", viewer=official)


def test_resubmission_is_what_reviewers_see_next(app, client):
    aid, key, org_token, reviewer_token, *_ = _returned_and_reedited(app, client)
    r = client.post(f"/api/v1/assessments/{aid}/submit", headers=_h(org_token))
    assert r.status_code == 200, r.get_json()
    theirs = client.get(f"/api/v1/assessments/{aid}", headers=_h(reviewer_token)).get_json()
    assert theirs["answers"][key] == {"level": 4, "comment": EDIT}
    assert theirs["revision"] == r.get_json()["revision"]


def test_every_reader_takes_the_score_from_current_score(app, client):
    """The score API, the report inputs and the comparison read one rule
    (app.assessments.seen.current_score): for the reviewer the stored score of the returned
    assessment, for the organisation the live one of its working copy; and a stored score
    from before per-item levels were kept keeps its headline everywhere."""
    aid, key, _org_token, reviewer_token, _revision, submitted_score = _returned_and_reedited(app, client)
    from app.extensions import db
    from app.models import Assessment, User
    from app.reports.inputs import gather
    from app.results.scores import score_document
    from app.review.subjects import load_subjects

    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        reviewer = db.session.scalar(db.select(User).where(User.email == "reviewer@un.example"))
        official = db.session.scalar(db.select(User).where(User.email == "official@gov.example"))
        assert score_document(assessment, official)["items"][key]["claimed_level"] == 4   # live
        old = {k: v for k, v in assessment.score.items() if k != "items"}
        old["overall"] = dict(old["overall"], score=0.5)      # a headline only storage can give
        assessment.score = old
        db.session.commit()
        seen = [score_document(assessment, reviewer), gather(assessment, "gap", viewer=reviewer).score,
                load_subjects(reviewer, [aid], with_answers=False)[0].score]
        for score in seen:
            assert score["overall"]["score"] == 0.5
            assert score["items"][key]["claimed_level"] == submitted_score["items"][key]["claimed_level"] == 1
