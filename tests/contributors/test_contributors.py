"""Contributors and readers (issue 13): people of other organisations given chosen sections
of one assessment, through pages and API, on both databases.  Their access is exactly those
sections (other items 403 with per-key details and nothing saved, other assessments 404),
and it ends at once when they are removed, in a session already open too."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.assessments import store
from app.extensions import db
from app.models import Assessment, AuditEntry, Contributor, Organisation, User
from tests.factories import AuthActions, csrf_token


@pytest.fixture
def world(app, make_user, make_assessment):
    """Org A owns a draft (and another one); Ivo of the Ministry of Justice is given its
    first section as contributor, Rosa of the Ministry of Interior its second as reader."""
    from app.auth import operations as accounts

    owner = make_user("ana@a.example", org="Ministry of Foreign Affairs")
    ivo = make_user("ivo@justice.example", org="Ministry of Justice")
    rosa = make_user("rosa@interior.example", org="Ministry of Interior")
    draft = make_assessment(owner, title="National assessment")
    other = make_assessment(owner, title="Another one")
    with app.app_context():
        q = store.questionnaire_of(db.session.get(Assessment, draft))
        tokens = {name: accounts.issue_token(db.session.get(User, u), "t")
                  for name, u in (("owner", owner), ("ivo", ivo), ("rosa", rosa))}
        db.session.commit()
    return {"draft": draft, "other": other, "q": q, "s1": q.sections[0], "s2": q.sections[1],
            "bearer": {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}}


def _scale_key(section, q):
    return next(k for k in section.items if q.item_map[k].type == "scale")


def _invite(client, world, email, role, sections, **extra):
    return client.post(f"/api/v1/assessments/{world['draft']}/contributors", headers=world["bearer"]["owner"],
                       json={"email": email, "role": role, "sections": sections} | extra)


def test_contributor_answers_only_their_sections(app, client, world):
    q, s1, s2 = world["q"], world["s1"], world["s2"]
    r = _invite(client, world, "IVO@justice.example", "contributor", [s1.key], due_date="2027-03-31")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["email"] == "ivo@justice.example" and body["sections"] == [s1.key]
    assert body["progress"]["left"] == body["progress"]["total"] > 0
    ivo, aid = world["bearer"]["ivo"], world["draft"]
    mine, theirs = _scale_key(s1, q), _scale_key(s2, q)
    # a patch touching another section's item: 403 with that key, nothing saved
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=ivo,
                     json={"base_revision": 0, "answers": {mine: {"level": 2}, theirs: {"level": 3}}})
    assert r.status_code == 403 and list(r.get_json()["details"]) == [theirs]
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=ivo,
                     json={"base_revision": 0, "answers": {mine: {"level": 2}}})
    assert r.status_code == 200 and r.get_json()["revision"] == 1
    # reading: only their section's answers; other routes of the assessment refused
    r = client.get(f"/api/v1/assessments/{aid}", headers=ivo)
    assert r.status_code == 200 and set(r.get_json()["answers"]) == {mine}
    for path in (f"/api/v1/assessments/{aid}/score", f"/api/v1/export.csv?ids={aid}",
                 f"/api/v1/assessments/{aid}/contributors", f"/api/v1/assessments/{aid}/ratings"):
        assert client.get(path, headers=ivo).status_code in (403, 404), path
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=ivo).status_code == 403
    # every other assessment: 404
    assert client.get(f"/api/v1/assessments/{world['other']}", headers=ivo).status_code == 404
    # lists, comparisons and exports are of whole assessments: theirs is not in them
    assert client.get("/api/v1/assessments", headers=ivo).get_json()["items"] == []
    with app.app_context():
        a = db.session.get(Assessment, aid)
        assert a.answers[0].updated_by_id == db.session.scalar(
            select(User.id).where(User.email == "ivo@justice.example"))
    # the owner's export says who gave each answer
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/export.csv?ids={aid}",
                                                      headers=world["bearer"]["owner"]).get_data(as_text=True))))
    by_key = {r["item_key"]: r["answered_by"] for r in rows}
    assert by_key[mine] == "ivo@justice.example (Ministry of Justice)" and by_key[theirs] == ""


def test_contributor_pages(app, client, world):
    q, s1, s2, aid = world["q"], world["s1"], world["s2"], world["draft"]
    _invite(client, world, "ivo@justice.example", "contributor", [s1.key])
    client.patch(f"/api/v1/assessments/{aid}/answers", headers=world["bearer"]["ivo"],
                 json={"base_revision": 0, "answers": {_scale_key(s1, q): {"level": 1}}})
    AuthActions(client).login("ivo@justice.example")
    page = client.get(f"/assessments/{aid}/sections/{s1.key}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Answered by ivo@justice.example, Ministry of Justice" in html
    assert f"/sections/{s2.key}" not in html  # the section list shows only theirs
    assert client.get(f"/assessments/{aid}/sections/{s2.key}").status_code == 403
    assert client.get(f"/assessments/{aid}/results").status_code == 403
    assert client.get(f"/assessments/{world['other']}").status_code == 404
    overview = client.get(f"/assessments/{aid}")
    assert overview.status_code == 302 and "/tasks" in overview.headers["Location"]
    tasks = client.get("/tasks").get_data(as_text=True)
    assert "National assessment" in tasks and f"/assessments/{aid}/sections/{s1.key}" in tasks
    # posting the other section's page is refused, nothing saved
    from tests.factories import csrf_token

    token = csrf_token(client, f"/assessments/{aid}/sections/{s1.key}")
    r = client.post(f"/assessments/{aid}/sections/{s2.key}",
                    data={"csrf_token": token, "base_revision": "1", _scale_key(s2, q) + "-level": "3"})
    assert r.status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, aid).revision == 1


def test_reader_reads_their_sections_and_edits_nothing(app, client, world):
    q, s1, s2, aid = world["q"], world["s1"], world["s2"], world["draft"]
    client.patch(f"/api/v1/assessments/{aid}/answers", headers=world["bearer"]["owner"],
                 json={"base_revision": 0, "answers": {_scale_key(s1, q): {"level": 1}, _scale_key(s2, q): {"level": 2}}})
    assert _invite(client, world, "rosa@interior.example", "reader", [s2.key]).status_code == 201
    rosa = world["bearer"]["rosa"]
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=rosa,
                     json={"base_revision": 1, "answers": {_scale_key(s2, q): {"level": 0}}})
    assert r.status_code == 403
    assert set(client.get(f"/api/v1/assessments/{aid}", headers=rosa).get_json()["answers"]) == {_scale_key(s2, q)}
    AuthActions(client).login("rosa@interior.example")
    r = client.get(f"/assessments/{aid}/sections/{s2.key}")
    assert r.status_code == 302 and "/answers" in r.headers["Location"]
    html = client.get(f"/assessments/{aid}/answers").get_data(as_text=True)
    assert f'id="section-{s2.key}"' in html and f'id="section-{s1.key}"' not in html


def test_removal_ends_access_at_once(app, client, world):
    s1, aid = world["s1"], world["draft"]
    cid = _invite(client, world, "ivo@justice.example", "contributor", [s1.key]).get_json()["id"]
    ivo_browser = app.test_client()
    AuthActions(ivo_browser).login("ivo@justice.example")
    assert ivo_browser.get(f"/assessments/{aid}/sections/{s1.key}").status_code == 200
    r = client.delete(f"/api/v1/assessments/{aid}/contributors/{cid}", headers=world["bearer"]["ivo"])
    assert r.status_code == 403  # only the owner removes
    assert client.delete(f"/api/v1/assessments/{aid}/contributors/{cid}",
                         headers=world["bearer"]["owner"]).status_code == 204
    # the session that was open, and the token: the assessment is gone for them
    assert ivo_browser.get(f"/assessments/{aid}/sections/{s1.key}").status_code == 404
    assert client.get(f"/api/v1/assessments/{aid}", headers=world["bearer"]["ivo"]).status_code == 404
    assert client.delete(f"/api/v1/assessments/{aid}/contributors/{cid}",
                         headers=world["bearer"]["owner"]).status_code == 404
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == aid)).all()
        assert "contributor.add" in actions and "contributor.remove" in actions


def test_invitations_checked_and_new_accounts_kept_apart(app, client, world):
    s1 = world["s1"]
    r = _invite(client, world, "not-an-email", "boss", ["nope"], due_date="31/03/2027")
    assert r.status_code == 422 and set(r.get_json()["details"]) == {"email", "role", "sections", "due_date"}
    r = _invite(client, world, "ana@a.example", "reader", [s1.key])
    assert r.status_code == 422 and "email" in r.get_json()["details"]  # already has the whole
    # a stranger to the assessment may not invite (404), nor may a contributor (403)
    r = client.post(f"/api/v1/assessments/{world['draft']}/contributors", headers=world["bearer"]["ivo"],
                    json={"email": "x@y.example", "role": "reader", "sections": [s1.key]})
    assert r.status_code == 404
    _invite(client, world, "ivo@justice.example", "contributor", [s1.key])
    r = client.post(f"/api/v1/assessments/{world['draft']}/contributors", headers=world["bearer"]["ivo"],
                    json={"email": "x@y.example", "role": "reader", "sections": [s1.key]})
    assert r.status_code == 403
    # an address with no account: a new account in a new organisation, never an existing one
    r = _invite(client, world, "new@justice.example", "contributor", [s1.key], organisation="Ministry of Justice")
    assert r.status_code == 201
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@justice.example"))
        assert user.organisation.name == "Ministry of Justice (new@justice.example)"
        assert db.session.scalar(select(Organisation).where(Organisation.name == "Ministry of Justice")).id \
            != user.organisation_id
    # inviting again changes the role and sections (200), one row
    r = _invite(client, world, "ivo@justice.example", "reader", [world["s2"].key])
    assert r.status_code == 200 and r.get_json()["role"] == "reader"
    listed = client.get(f"/api/v1/assessments/{world['draft']}/contributors", headers=world["bearer"]["owner"])
    assert sorted(c["email"] for c in listed.get_json()["items"]) == ["ivo@justice.example", "new@justice.example"]
    with app.app_context():
        assert db.session.query(Contributor).count() == 2


def test_owner_pages_show_who_answers_what(app, client, world):
    s1, aid = world["s1"], world["draft"]
    _invite(client, world, "ivo@justice.example", "contributor", [s1.key])
    AuthActions(client).login("ana@a.example")
    html = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert "ivo@justice.example (contributor)" in html and f"/assessments/{aid}/contributors" in html
    page = client.get(f"/assessments/{aid}/contributors")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ministry of Justice" in html and "Send a reminder" in html
    # the form says what happens to a new address's organisation (QA pass: it looked silent)
    assert "gets an organisation of its own by this name, never an existing one" in html
    from tests.factories import csrf_token

    token = csrf_token(client, f"/assessments/{aid}/contributors")
    r = client.post(f"/assessments/{aid}/contributors", data={
        "csrf_token": token, "email": "rosa@interior.example", "role": "reader", "sections": [world["s2"].key]})
    assert r.status_code == 303
    r = client.post(f"/assessments/{aid}/contributors", data={"csrf_token": token, "email": "", "role": "reader"})
    assert r.status_code == 422
    with app.app_context():
        cid = db.session.scalar(select(Contributor.id).join(User, User.id == Contributor.user_id)
                                .where(User.email == "rosa@interior.example"))
    r = client.post(f"/assessments/{aid}/contributors/{cid}/remove", data={"csrf_token": token})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.get(Contributor, cid) is None


def test_contributor_workbook_is_of_their_sections_only(app, client, world):
    """A contributor downloads and uploads the workbook of exactly their sections; a workbook
    touching another section's item is refused (403 naming it), nothing saved."""
    import io

    import openpyxl

    from tests.clients import fill, upload

    q, s1, s2 = world["q"], world["s1"], world["s2"]
    assert _invite(client, world, "ivo@justice.example", "contributor", [s1.key]).status_code == 201
    assert _invite(client, world, "rosa@interior.example", "reader", [s2.key]).status_code == 201
    ivo, aid = world["bearer"]["ivo"], world["draft"]
    url = f"/api/v1/assessments/{aid}/workbook.xlsx"
    r = client.get(url, headers=ivo)
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    keys = {row[0].value for row in wb["answers"].iter_rows(min_row=2)}
    assert keys == set(s1.items)
    assert client.get(url, headers=ivo, query_string={"section": s2.key}).status_code == 403
    assert client.get(url, headers=world["bearer"]["rosa"]).status_code == 403   # a reader changes nothing
    mine, theirs = _scale_key(s1, q), _scale_key(s2, q)
    fill(wb, mine, level=2)
    r = upload(client, aid, ivo, wb)
    assert r.status_code == 200 and r.get_json()["saved"] == [mine]
    # the owner's whole workbook, filled in for another section and sent by the contributor
    owner = openpyxl.load_workbook(io.BytesIO(client.get(url, headers=world["bearer"]["owner"]).data))
    fill(owner, mine, level=3)
    fill(owner, theirs, level=3)
    r = upload(client, aid, ivo, owner)
    assert r.status_code == 403 and list(r.get_json()["details"]) == [theirs]
    answers = client.get(f"/api/v1/assessments/{aid}", headers=world["bearer"]["owner"]).get_json()["answers"]
    assert set(answers) == {mine} and answers[mine]["level"] == 2
    # the page offers their sections only
    AuthActions(client).login("ivo@justice.example")
    page = client.get(f"/assessments/{aid}/workbook").get_data(as_text=True)
    assert f'value="{s1.key}"' in page and f'value="{s2.key}"' not in page


def test_someone_with_only_tasks_lands_on_them_after_sign_in(client, world):
    _invite(client, world, "ivo@justice.example", "contributor", [world["s1"].key])
    r = client.post("/login", data={"email": "ivo@justice.example", "password": "correct-horse-battery",
                                    "csrf_token": csrf_token(client)})
    assert r.status_code == 302
    landing = client.get(r.headers["Location"])
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/tasks")
    page = client.get("/assessments").get_data(as_text=True)
    assert "no assessments yet" not in page and 'href="/tasks"' in page


def test_an_informant_task_has_no_rating_link_once_ratings_are_closed(app, client, world):
    aid, s1 = world["draft"], world["s1"]
    _invite(client, world, "ivo@justice.example", "informant", [s1.key])
    AuthActions(client).login("ivo@justice.example")
    rate_url = f"/assessments/{aid}/ratings/{s1.key}"
    html = client.get("/tasks").get_data(as_text=True)
    assert rate_url in html and "You are an informant" in html and "You are a informant" not in html
    with app.app_context():
        db.session.get(Assessment, aid).status = "submitted"
        db.session.commit()
    html = client.get("/tasks").get_data(as_text=True)
    assert rate_url not in html and "Ratings are closed" in html
