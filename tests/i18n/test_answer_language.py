"""Free text stays as typed, and a reviewer is told which language it is in (issue 12).

Each answer records the interface language of whoever last saved it; a submission keeps those
languages with its snapshot; the review page marks the text with ``lang`` and, when it is not
the reader's language, says "Written in French" (in the reader's language).  Both databases,
real requests through the test client."""
from __future__ import annotations

from sqlalchemy import select

from tests.factories import AuthActions, full_answers
from tests.servers import seed_user_with_token

NOTE = "Le plan national est en cours de révision"


def _h(token, lang="en"):
    return {"Authorization": f"Bearer {token}", "Accept-Language": lang}


def _submitted_in_french(app, client):
    _, org_token = seed_user_with_token(app, "official@gov.example", "respondent", "Ministry")
    _, reviewer_token = seed_user_with_token(app, "reviewer@un.example", "reviewer", "UN")
    questionnaire = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(questionnaire)
    key = next(k for k, v in answers.items() if "level" in v)
    r = client.post("/api/v1/assessments", headers=_h(org_token), json={
        "questionnaire": questionnaire.id, "version": questionnaire.version, "jurisdiction": "BJ",
        "period": "2026", "title": "Auto-évaluation"})
    aid = r.get_json()["id"]
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org_token, "en"),
                     json={"base_revision": 0, "answers": answers})
    assert r.status_code == 200, r.get_json()
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org_token, "fr"),
                     json={"base_revision": r.get_json()["revision"],
                           "answers": {key: {"level": 2, "comment": NOTE}}})
    assert r.status_code == 200, r.get_json()
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=_h(org_token)).status_code == 200
    return aid, key, org_token, reviewer_token


def test_each_answer_and_the_submission_keep_the_language_it_was_written_in(app, client):
    aid, key, *_ = _submitted_in_french(app, client)
    from app.extensions import db
    from app.models import Answer, Submission

    with app.app_context():
        languages = dict(db.session.execute(select(Answer.item_key, Answer.language)
                                            .where(Answer.assessment_id == aid)).all())
        submission = db.session.scalar(select(Submission).where(Submission.assessment_id == aid))
        assert languages[key] == "fr"
        assert {v for k, v in languages.items() if k != key} == {"en"}
        assert submission.languages[key] == "fr"


def test_the_reviewer_is_told_which_language_the_text_is_in(app, client):
    aid, key, org_token, reviewer_token = _submitted_in_french(app, client)
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@un.example", "a-long-test-passphrase-9")
    page = reviewer.get(f"/review/assessments/{aid}").get_data(as_text=True)
    assert f'<span lang="fr">{NOTE}</span>' in page
    assert page.count("Written in French") == 1          # only the answer with free text in French

    # In the reviewer's own language the same note is named in that language.
    page = reviewer.get(f"/review/assessments/{aid}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "francés" in page.lower()

    # Returned and re-edited in English: the reviewer still sees the submission's language.
    for action, body in (("start", {}), ("return", {"reason": "Please add evidence."})):
        assert client.post(f"/api/v1/assessments/{aid}/review", headers=_h(reviewer_token),
                           json={"action": action} | body).status_code == 200
    revision = client.get(f"/api/v1/assessments/{aid}", headers=_h(org_token)).get_json()["revision"]
    assert client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org_token, "en"),
                        json={"base_revision": revision,
                              "answers": {key: {"level": 3, "comment": "Revised in English"}}}).status_code == 200
    page = reviewer.get(f"/review/assessments/{aid}").get_data(as_text=True)
    assert f'<span lang="fr">{NOTE}</span>' in page and "Written in French" in page
