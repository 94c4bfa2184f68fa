"""The review workflow: every transition, allowed and refused, as a pure table and
through the API (200 / 409 / 422 / 403), with its ReviewEvent and AuditEntry; the full
return -> resubmit -> accept cycle with every submission kept."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import lifecycle as workflow

STATUSES = ("draft", "submitted", "in_review", "returned", "accepted")
ACTIONS = ("submit", "resubmit", "start", "return", "accept")
ALLOWED = {("submit", "draft"): "submitted", ("resubmit", "returned"): "submitted",
           ("start", "submitted"): "in_review", ("return", "in_review"): "returned",
           ("accept", "in_review"): "accepted"}


# -- the pure table ------------------------------------------------------------------------
@pytest.mark.parametrize("status,action", list(itertools.product(STATUSES, ACTIONS)))
def test_every_pair_of_status_and_action(status, action):
    if (action, status) in ALLOWED:
        assert workflow.transition(status, action).target == ALLOWED[(action, status)]
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.transition(status, action)


def test_the_table_is_the_whole_machine():
    assert {(t.action, t.source): t.target for t in workflow.TRANSITIONS.values()} == ALLOWED
    assert workflow.REVIEWER_ACTIONS == ("start", "return", "accept")
    assert workflow.requires_reason("return") and not workflow.requires_reason("accept")
    assert workflow.allowed_actions("in_review") == ["return", "accept"]
    assert workflow.allowed_actions("submitted") == ["start"]
    assert workflow.allowed_actions("returned") == []
    assert workflow.allowed_actions("returned", workflow.ORGANISATION) == ["resubmit"]


def test_the_sets_of_statuses_follow_from_the_table():
    """Every question the application asks about a status is answered by app.lifecycle,
    derived from the transitions (one table, no copies to drift)."""
    assert workflow.STATUSES == STATUSES
    assert workflow.EDITABLE == ("draft", "returned") == workflow.LIVE_SCORE
    assert workflow.REVIEWABLE == ("submitted", "in_review", "returned", "accepted")
    assert workflow.COPYABLE == ("submitted", "in_review", "accepted")
    assert workflow.FEEDBACK == ("in_review", "returned", "accepted")
    assert workflow.REEDITED == ("returned",)
    assert set(workflow.ACTIONS) == set(ACTIONS)


def test_no_module_spells_a_set_of_statuses_itself():
    """The inline copies the lifecycle module replaced stay gone."""
    import pathlib
    import re

    root = pathlib.Path(workflow.__file__).resolve().parent.parent
    copy = re.compile(r"""\(\s*["']draft["']\s*,\s*["']returned["']\s*\)|_STATUSES\s*=\s*\(""")
    found = [str(path.relative_to(root)) for folder in ("app", "reports") if (root / folder).is_dir()
             for path in (root / folder).rglob("*.py") if copy.search(path.read_text(encoding="utf-8"))]
    assert found == []


# -- through the API -----------------------------------------------------------------------
def _set_status(app, assessment_id, status):
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        db.session.get(Assessment, assessment_id).status = status
        db.session.commit()


def test_api_every_reviewer_transition_allowed_or_409(app, client, world):
    """Each reviewer action from each status past draft: 200 with the event and audit entry
    recorded, or 409 with nothing recorded."""
    from app.extensions import db
    from app.models import Assessment, AuditEntry, ReviewEvent

    a_id = world.gov_submitted
    for status in ("submitted", "in_review", "returned", "accepted"):
        for action in workflow.REVIEWER_ACTIONS:
            _set_status(app, a_id, status)
            with app.app_context():
                before = (db.session.query(ReviewEvent).filter_by(assessment_id=a_id).count(),
                          db.session.query(AuditEntry).filter_by(assessment_id=a_id).count())
            r = client.post(f"/api/v1/assessments/{a_id}/review",
                            json={"action": action, "reason": "Please add the 2025 budget evidence."},
                            headers=world.headers("reviewer"))
            expected = ALLOWED.get((action, status))
            with app.app_context():
                now = db.session.get(Assessment, a_id).status
                events = db.session.scalars(select(ReviewEvent).where(ReviewEvent.assessment_id == a_id)
                                            .order_by(ReviewEvent.id)).all()
                audit = db.session.scalars(select(AuditEntry).where(AuditEntry.assessment_id == a_id)
                                           .order_by(AuditEntry.id)).all()
            label = f"{action} from {status}"
            if expected:
                assert r.status_code == 200, (label, r.get_json())
                assert r.get_json()["status"] == expected == now, label
                e = events[-1]
                assert (e.action, e.from_status, e.to_status, e.user_id) == (action, status, expected, world.reviewer)
                assert (len(events), len(audit)) == (before[0] + 1, before[1] + 1), label
                assert audit[-1].action == f"review.{action}" and audit[-1].new_value["status"] == expected
            else:
                assert r.status_code == 409, label
                body = r.get_json()
                assert body["details"]["status"] == status and now == status, label
                assert body["details"]["allowed"] == workflow.allowed_actions(status)
                assert (len(events), len(audit)) == before, label


def test_return_needs_a_reason(app, client, world):
    _set_status(app, world.gov_submitted, "in_review")
    for body in ({"action": "return"}, {"action": "return", "reason": "   "}, {"action": "return", "reason": None}):
        r = client.post(f"/api/v1/assessments/{world.gov_submitted}/review", json=body,
                        headers=world.headers("reviewer"))
        assert r.status_code == 422 and "reason" in r.get_json()["details"]
    r = client.post(f"/api/v1/assessments/{world.gov_submitted}/review",
                    json={"action": "return", "reason": "Evidence for a1 is missing."},
                    headers=world.headers("reviewer"))
    assert r.status_code == 200 and r.get_json()["reason"] == "Evidence for a1 is missing."


def test_bad_bodies_are_422(client, world):
    for body in ({"action": "approve"}, {"action": None}, {"action": ["start"]}, {},
                 {"action": "start", "reason": 12}, {"action": "submit"}, {"action": "resubmit"},
                 {"action": "return", "reason": "x" * 20_001}):
        r = client.post(f"/api/v1/assessments/{world.gov_submitted}/review", json=body,
                        headers=world.headers("reviewer"))
        assert r.status_code == 422 and r.get_json()["error"], body


def test_not_json_is_400(client, world):
    r = client.post(f"/api/v1/assessments/{world.gov_submitted}/review", data="start",
                    headers=world.headers("reviewer") | {"Content-Type": "text/plain"})
    assert r.status_code == 400 and r.get_json()["error"]


def test_who_may_review(client, world):
    url = f"/api/v1/assessments/{world.gov_submitted}/review"
    # the organisation itself and another respondent may not; a reviewer never sees a draft
    assert client.post(url, json={"action": "start"}, headers=world.headers("gov")).status_code == 403
    assert client.post(url, json={"action": "start"}, headers=world.headers("ngo")).status_code == 404
    draft = f"/api/v1/assessments/{world.gov_draft}/review"
    assert client.post(draft, json={"action": "start"}, headers=world.headers("reviewer")).status_code == 404
    assert client.post(url, json={"action": "start"}).status_code == 401
    assert client.post(url, json={"action": "start"}, headers=world.headers("admin")).status_code == 200


def test_return_resubmit_accept_keeps_every_submission(app, client, world):
    from app.assessments import operations as assessments
    from app.extensions import db
    from app.models import Assessment, ReviewEvent, Submission, User

    url = f"/api/v1/assessments/{world.gov_submitted}/review"
    h = world.headers("reviewer")
    assert client.post(url, json={"action": "start"}, headers=h).get_json()["status"] == "in_review"
    assert client.post(f"/api/v1/assessments/{world.gov_submitted}/comments",
                       json={"item": "b2", "text": "Which law? Cite it."}, headers=h).status_code == 201
    r = client.post(url, json={"action": "return", "reason": "See the comment on b2."}, headers=h)
    assert r.get_json()["status"] == "returned"
    with app.app_context():  # the organisation edits and resubmits
        a, user = db.session.get(Assessment, world.gov_submitted), db.session.get(User, world.gov)
        assessments.save_answers(a, user, a.revision, {"b2": {"level": 3, "evidence": [
            {"type": "law", "reference": "Children Act 2022 s. 13", "note": ""}]}})
        assessments.submit(a, user)
        db.session.commit()
    assert client.post(url, json={"action": "accept"}, headers=h).status_code == 409  # start first
    assert client.post(url, json={"action": "start"}, headers=h).status_code == 200
    assert client.post(url, json={"action": "accept"}, headers=h).get_json()["status"] == "accepted"
    with app.app_context():
        subs = db.session.scalars(select(Submission).where(Submission.assessment_id == world.gov_submitted)
                                  .order_by(Submission.number)).all()
        assert [s.number for s in subs] == [1, 2]
        assert subs[0].answers["b2"] == {"level": 2} and subs[1].answers["b2"]["level"] == 3
        events = db.session.scalars(select(ReviewEvent).where(ReviewEvent.assessment_id == world.gov_submitted)
                                    .order_by(ReviewEvent.id)).all()
        assert [e.action for e in events] == ["submit", "start", "return", "resubmit", "start", "accept"]
        assert events[2].reason == "See the comment on b2."
    # both revisions can be viewed, by the reviewer and by the organisation
    from tests.factories import login

    login(client, "reviewer@un.example")
    for n in (1, 2):
        assert client.get(f"/review/assessments/{world.gov_submitted}/submissions/{n}").status_code == 200
    page = client.get(f"/review/assessments/{world.gov_submitted}/submissions/2").get_data(as_text=True)
    assert "Changed since submission 1" in page and "Which law? Cite it." in page and ">b2<" in page
    assert client.get(f"/review/assessments/{world.gov_submitted}/submissions/3").status_code == 404


def test_page_transition_forms(app, client, world):
    from tests.factories import csrf_token
    from tests.factories import login

    login(client, "reviewer@un.example")
    url = f"/review/assessments/{world.gov_submitted}"
    page = client.get(url).get_data(as_text=True)
    assert "Start review" in page and "Return to the organisation" not in page
    token = csrf_token(client, url)
    r = client.post(url + "/transition", data={"action": "start", "csrf_token": token})
    assert r.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Return to the organisation" in page and "Accept the assessment" in page
    r = client.post(url + "/transition", data={"action": "return", "reason": "", "csrf_token": token})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "Say why you return the assessment" in html
    r = client.post(url + "/transition", data={"action": "start", "csrf_token": token})
    assert r.status_code == 409 and "This step is not possible now" in r.get_data(as_text=True)
    r = client.post(url + "/transition", data={"action": "return", "reason": "Add budget lines.",
                                               "csrf_token": token})
    assert r.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Add budget lines." in page and "Returned" in page
    # the organisation sees the reason, and gets no review buttons
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, "official@ministry.example")
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Add budget lines." in html and "Start review" not in html
    assert client.post(url + "/transition", data={"action": "accept", "csrf_token": csrf_token(client, url)}).status_code == 403
