"""The contributors page and the tasks page: due dates in the reader's language, and no
duplicate ids (each button's form carries its CSRF token without an id)."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from app.extensions import db
from app.models import Assessment, User
from tests.factories import AuthActions


def _duplicate_ids(html: str) -> list[str]:
    return [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]


@pytest.fixture
def shared(app, make_user, make_assessment):
    from app.assessments import store
    from app.auth import operations as accounts

    owner = make_user("ana@a.example", org="Ministry of Foreign Affairs")
    make_user("ivo@justice.example", org="Ministry of Justice")
    aid = make_assessment(owner, title="National assessment")
    with app.app_context():
        q = store.questionnaire_of(db.session.get(Assessment, aid))
        token = accounts.issue_token(db.session.get(User, owner), "t")
        db.session.commit()
    return aid, q, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("lang, due", [("en", "31 Jan 2027"), ("fr", "31 janv. 2027"), ("zh", "2027年1月31日")])
def test_due_dates_are_localised_and_ids_unique(app, client, shared, lang, due):
    aid, q, owner = shared
    for email, section in (("ivo@justice.example", q.sections[0].key), ("rosa@interior.example", q.sections[1].key)):
        r = client.post(f"/api/v1/assessments/{aid}/contributors", headers=owner, json={
            "email": email, "role": "contributor", "sections": [section], "due_date": "2027-01-31"})
        assert r.status_code == 201, r.get_json()
    with app.app_context():
        for user in db.session.query(User):
            user.locale = lang
        db.session.commit()
    AuthActions(client).login("ana@a.example")
    html = client.get(f"/assessments/{aid}/contributors").get_data(as_text=True)
    assert html.count("Send a reminder" if lang == "en" else "<form") >= 2
    assert f'<time datetime="2027-01-31">{due}</time>' in html and ">2027-01-31<" not in html
    assert _duplicate_ids(html) == []
    AuthActions(client).logout()
    AuthActions(client).login("ivo@justice.example")
    tasks = client.get("/tasks").get_data(as_text=True)
    assert f'<time datetime="2027-01-31">{due}</time>' in tasks


@pytest.mark.parametrize("path, who", [("/account", "ana@a.example"), ("/admin/users", "admin@site.example")])
def test_pages_with_several_forms_have_unique_ids(app, client, make_user, path, who):
    make_user("ana@a.example")
    make_user("admin@site.example", role="admin", org="Site")
    make_user("bo@a.example")
    AuthActions(client).login(who)
    r = client.get(path)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 2 and _duplicate_ids(html) == []


@pytest.mark.parametrize("lang, separator", [("ar", "، "), ("zh", "、"), ("en", ", ")])
def test_people_given_a_section_are_listed_as_the_readers_language_lists(app, client, shared, lang, separator):
    """Two informants of one section read "Ivo (مصدر معلومات), Rosa (مصدر معلومات)" on an Arabic page (a
    Latin comma); the overview's "Given to:" line too."""
    aid, q, owner = shared
    for email in ("ivo@justice.example", "rosa@interior.example"):
        assert client.post(f"/api/v1/assessments/{aid}/contributors", headers=owner, json={
            "email": email, "role": "informant", "sections": [q.sections[0].key]}).status_code == 201
    AuthActions(client).login("ana@a.example")
    for path in (f"/assessments/{aid}/contributors", f"/assessments/{aid}"):
        html = client.get(path, headers={"Accept-Language": lang}).get_data(as_text=True)
        # the role in brackets: "Ivo (informant)", in Chinese "Ivo（…）" (full-width, no space)
        pair = re.search(r"[(（]([^()（）<>]+)[)）]([,،、] ?)(?:[^()（）<>]+?) ?[(（]\1[)）]", html)
        assert pair and pair.group(2) == separator, (path, pair and pair.group(0))
        assert ("（" in pair.group(0)) == (lang == "zh"), pair.group(0)
