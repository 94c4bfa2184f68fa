"""Who sees the government's score beside an NGO's shadow assessment (issue 18; the policy's
``SHOW_BESIDE``, README "NGOs publishing a shadow assessment"): reviewers and admins, once
the government's assessment is submitted (or in review, or accepted); never the NGO's own
respondents, whatever the government did, on the results page, in the API and in the PDF
(downloaded through the API, read back with pdftotext).  The NGO's respondents are told so
whether or not a government assessment exists.  SQLite and PostgreSQL, the real stack."""
from __future__ import annotations

import pytest

from tests.factories import call, pdftotext, signed_in, submit

pytestmark = pytest.mark.slow  # downloads the scorecard for each viewer
BESIDE = "Beside the government's own assessment"
GOV_TITLE = "Self-assessment 2026"
NOTE = "It is not shown to civil-society respondents"


def _policy(world, who, assessment_id):
    from app.auth.policy import Action, can
    from app.extensions import db
    from app.models import Assessment, User

    with world["app"].app_context():
        user, assessment = db.session.get(User, world["people"][who]), db.session.get(Assessment, assessment_id)
        return can(user, Action.SHOW_BESIDE, assessment)


def _scorecard(world, who) -> str:
    r = call(world, who, "GET", f"/api/v1/assessments/{world['ngo']}/report.pdf?kind=scorecard")
    assert r.status_code == 200 and r.mimetype == "application/pdf", r.status_code
    return " ".join(pdftotext(r.data).split())


def _page(world, who) -> str:
    r = signed_in(world, who).get(f"/assessments/{world['ngo']}/results")
    assert r.status_code == 200
    return r.get_data(as_text=True)


@pytest.mark.parametrize("government_submitted", [False, True], ids=["government-draft", "government-submitted"])
def test_the_government_score_is_for_reviewers_once_submitted_never_for_the_ngo(world, government_submitted):
    submit(world, "N", world["ngo"])
    if government_submitted:
        submit(world, "G", world["gov"])
    assert _policy(world, "V", world["gov"]) is government_submitted
    assert _policy(world, "N", world["gov"]) is False and _policy(world, "G", world["gov"]) is False

    # The reviewer: the comparison on the page, in the API and in the PDF, only once submitted.
    page, pdf = _page(world, "V"), _scorecard(world, "V")
    government = call(world, "V", "GET", f"/api/v1/assessments/{world['ngo']}/shadow").get_json()["government"]
    assert (government is not None) is government_submitted
    for text in (page, pdf):
        assert (BESIDE in text) is government_submitted and (GOV_TITLE in text) is government_submitted
    assert NOTE not in page

    # The NGO's respondent: never, and told why, with or without a government assessment.
    page, pdf = _page(world, "N"), _scorecard(world, "N")
    assert call(world, "N", "GET", f"/api/v1/assessments/{world['ngo']}/shadow").get_json()["government"] is None
    for text in (page, pdf):
        assert BESIDE not in text and GOV_TITLE not in text
    assert NOTE in page and NOTE not in pdf


def test_an_admin_sees_it_and_a_returned_or_draft_government_assessment_is_shown_to_nobody(world):
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import Assessment, User
    from app.review import operations as review

    with world["app"].app_context():
        org = accounts.get_or_create_organisation("Platform operator", "other", "KE")
        admin = accounts.create_user("admin@platform.example", "a-long-test-passphrase-9", org, "admin", "Admin")
        world["people"]["A"], world["tokens"]["A"] = admin.id, accounts.issue_token(admin, "test")
        db.session.commit()
    assert _policy(world, "A", world["gov"]) is False                          # a draft
    submit(world, "N", world["ngo"])
    submit(world, "G", world["gov"])
    assert _policy(world, "A", world["gov"]) is True
    assert BESIDE in _scorecard(world, "A")
    with world["app"].app_context():
        gov, reviewer = db.session.get(Assessment, world["gov"]), db.session.get(User, world["people"]["V"])
        review.apply_review(gov, reviewer, "start")
        review.apply_review(gov, reviewer, "return", reason="Evidence missing")
        db.session.commit()
    for who in ("A", "V"):
        assert _policy(world, who, world["gov"]) is False
        assert BESIDE not in _scorecard(world, who)
