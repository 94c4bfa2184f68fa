"""The administrator's list of organisations (a new user's leftover: an administrator had no
list of them, only the users form's select): each organisation with its kind, its number of
users and of the assessments the policy lets the administrator see, linked from the admin
navigation; and renaming one (CSRF, audited, a clear message on an empty, too long or
another organisation's name).  Through the Flask test client, on SQLite and PostgreSQL."""
from __future__ import annotations

import re

from app.extensions import db
from app.models import AuditEntry, Organisation
from tests.factories import csrf_token, login


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.query(Organisation).filter_by(name=name).one().id


def rows_of(html: str) -> dict[str, list[str]]:
    """Organisation name -> its cells (kind, users, assessments), from the table's body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = {}
    for row in body.split("</tr>")[:-1]:
        name = re.search(r'<th scope="row">([^<]*)</th>', row).group(1)
        out[name] = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    return out


def test_admins_see_every_organisation_with_kind_users_and_the_assessments_they_may_see(
        app, client, world, make_user, make_assessment):
    make_user("second@ministry.example", org="Ministry", kind="government")
    make_assessment(world.admin, period="2026", title="The site's own draft")
    login(client, "admin@site.example")
    # linked from the admin navigation, on every page
    nav = client.get("/admin/users").get_data(as_text=True).split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/admin/organisations"' in nav and ">Organisations</a>" in nav
    r = client.get("/admin/organisations")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<caption>All organisations</caption>" in html
    assert html.count('<th scope="col"') == 5 and '<th scope="row">' in html
    # Ministry: two users; its submitted assessment, not its draft (the policy hides another
    # organisation's drafts from an administrator, counts included); the admin's own draft counts.
    assert rows_of(html) == {"Coalition": ["Non-governmental organisation", "1", "1"],
                             "Ministry": ["Government", "2", "1"],
                             "Site": ["Other", "1", "1"],
                             "UN": ["Other", "1", "0"]}
    assert f'href="/admin/organisations/{org_id(app, "Ministry")}/rename"' in html
    # nobody else has the page, nor the rename
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    for email in ("official@ministry.example", "reviewer@un.example"):
        login(client, email)
        assert client.get("/admin/organisations").status_code == 403, email
        assert client.get(f"/admin/organisations/{org_id(app, 'UN')}/rename").status_code == 403, email
        assert 'href="/admin/organisations"' not in client.get("/account").get_data(as_text=True)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})


def test_an_organisation_is_renamed_with_csrf_audited_and_refused_names_say_why(app, client, world):
    login(client, "admin@site.example")
    ministry = org_id(app, "Ministry")
    page = f"/admin/organisations/{ministry}/rename"
    form = client.get(page).get_data(as_text=True)
    assert 'value="Ministry"' in form and '<label for="name">New name</label>' in form
    assert client.post(page, data={"name": "Ministry of Health"}).status_code == 400    # no CSRF token
    token = csrf_token(client, page)
    refused = {
        "   ": "Enter the organisation&#39;s name.",
        "x" * 201: "Keep the name to 200 characters or fewer.",
        "  coalition ": "Another organisation is already called Coalition: choose another name.",
    }
    for name, message in refused.items():
        r = client.post(page, data={"name": name, "csrf_token": token})
        html = r.get_data(as_text=True)
        assert r.status_code == 422, name
        assert f'<p class="error-message" id="name-error">{message}</p>' in html, name
        field = re.search(r'<input[^>]*id="name"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field and re.search(r'aria-describedby="[^"]*name-error', field)
        assert 'class="error-summary"' in html and 'href="#name"' in html
    with app.app_context():
        assert db.session.get(Organisation, ministry).name == "Ministry"
        assert db.session.query(AuditEntry).filter_by(action="organisation.rename").count() == 0
    r = client.post(page, data={"name": "  Ministry of   Health ", "csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/organisations")
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Ministry is now called Ministry of Health." in listing and "Ministry of Health" in rows_of(listing)
    assert 'data-label="Organisation">Ministry of Health</td>' in client.get("/admin/users").get_data(as_text=True)
    # its own name in another case is no clash; the same name again changes nothing
    assert client.post(page, data={"name": "MINISTRY OF HEALTH", "csrf_token": token}).status_code == 303
    assert client.post(page, data={"name": "MINISTRY OF HEALTH", "csrf_token": token}).status_code == 303
    with app.app_context():
        entries = db.session.query(AuditEntry).filter_by(action="organisation.rename").order_by(AuditEntry.id).all()
        assert [(e.user_id, e.old_value["name"], e.new_value["name"]) for e in entries] == [
            (world.admin, "Ministry", "Ministry of Health"), (world.admin, "Ministry of Health", "MINISTRY OF HEALTH")]
        assert {e.new_value["organisation_id"] for e in entries} == {ministry}
    assert client.get("/admin/organisations/2147483647/rename").status_code == 404
