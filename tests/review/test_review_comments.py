"""Reviewer comments: on an item or the whole assessment, oldest first, never edited or
deleted, visible to the organisation, refused on drafts and for others."""
from __future__ import annotations

import pytest

from tests.factories import login


def _post(client, world, who, body, assessment=None):
    return client.post(f"/api/v1/assessments/{assessment or world.gov_submitted}/comments", json=body,
                       headers=world.headers(who))


def test_post_and_list_oldest_first(app, client, world):
    r1 = _post(client, world, "reviewer", {"item": None, "text": "Overall: evidence is thin."})
    r2 = _post(client, world, "reviewer", {"item": "b2", "text": "Cite the law."})
    r3 = _post(client, world, "gov", {"text": "The law is the Children Act 2022."})  # a reply
    assert [r.status_code for r in (r1, r2, r3)] == [201, 201, 201]
    body = r2.get_json()
    assert body["item"] == "b2" and body["submission"] == 1 and body["author_role"] == "reviewer"
    assert body["author"] == "reviewer@un.example" and body["author_organisation"] == "UN"
    listed = client.get(f"/api/v1/assessments/{world.gov_submitted}/comments",
                        headers=world.headers("gov")).get_json()
    assert [c["text"] for c in listed] == ["Overall: evidence is thin.", "Cite the law.",
                                           "The law is the Children Act 2022."]
    assert [c["item"] for c in listed] == [None, "b2", None]
    assert listed[0]["id"] < listed[1]["id"] < listed[2]["id"]
    # the reviewer sees the same; another organisation does not even see the assessment
    assert client.get(f"/api/v1/assessments/{world.gov_submitted}/comments",
                      headers=world.headers("reviewer")).get_json() == listed
    assert client.get(f"/api/v1/assessments/{world.gov_submitted}/comments",
                      headers=world.headers("ngo")).status_code == 404


def test_bad_comments_are_422(client, world):
    for body, field in (({"item": "zz9", "text": "x"}, "item"), ({"item": 12, "text": "x"}, "item"),
                        ({"text": "   "}, "text"), ({"text": None}, "text"), ({"item": "b2"}, "text"),
                        ({"text": "x" * 20_001}, "text")):
        r = _post(client, world, "reviewer", body)
        assert r.status_code == 422 and field in r.get_json()["details"], body
    assert client.post(f"/api/v1/assessments/{world.gov_submitted}/comments", data="x",
                       headers=world.headers("reviewer")).status_code == 400


def test_who_may_comment(client, world):
    # another organisation: not visible; reviewers never see drafts; nobody comments on a draft
    assert _post(client, world, "ngo", {"text": "x"}).status_code == 404
    assert _post(client, world, "reviewer", {"text": "x"}, world.gov_draft).status_code == 404
    assert _post(client, world, "gov", {"text": "x"}, world.gov_draft).status_code == 403
    assert client.post(f"/api/v1/assessments/{world.gov_submitted}/comments", json={"text": "x"}).status_code == 401


def test_comments_are_immutable(app, client, world):
    from app.extensions import db
    from app.models import Comment, ImmutableError

    cid = _post(client, world, "reviewer", {"text": "Original"}).get_json()["id"]
    with app.app_context():
        c = db.session.get(Comment, cid)
        c.text = "Edited"
        with pytest.raises(ImmutableError):
            db.session.flush()
        db.session.rollback()
        c = db.session.get(Comment, cid)
        db.session.delete(c)
        with pytest.raises(ImmutableError):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Comment, cid).text == "Original"
    # and the API offers no way to change one
    url = f"/api/v1/assessments/{world.gov_submitted}/comments"
    for method in ("PUT", "PATCH", "DELETE"):
        assert client.open(url, method=method, headers=world.headers("reviewer")).status_code == 405


def test_comment_records_an_audit_entry(app, client, world):
    from app.extensions import db
    from app.models import AuditEntry

    cid = _post(client, world, "reviewer", {"item": "a1", "text": "Source?"}).get_json()["id"]
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="comment.create").one()
        assert (entry.user_id, entry.item_key, entry.new_value["comment"]) == (world.reviewer, "a1", cid)


def test_comment_form_on_the_review_page(client, world):
    from tests.factories import csrf_token

    login(client, "reviewer@un.example")
    url = f"/review/assessments/{world.gov_submitted}"
    token = csrf_token(client, url)
    r = client.post(url + "/comments", data={"item": "", "text": "", "csrf_token": token})
    assert r.status_code == 422 and "aria-invalid" in r.get_data(as_text=True)
    r = client.post(url + "/comments", data={"item": "nope", "text": "x", "csrf_token": token})
    assert r.status_code == 422
    r = client.post(url + "/comments", data={"item": "c3", "text": "Birth registration data?",
                                             "csrf_token": token})
    assert r.status_code == 302 and "#comment-" in r.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Birth registration data?" in page
    # the organisation sees it on its own assessment's review page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, "official@ministry.example")
    assert "Birth registration data?" in client.get(url).get_data(as_text=True)
