"""An administrator is asked once more before deactivating an account or resetting its
password (each signs the person out everywhere): the users list links to a page that says
what will happen, and only its button does it. A confirmation that saw an active account
never activates one that another administrator deactivated meanwhile."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import User
from tests.factories import csrf_token

ADMIN = "boss@site.example"


@pytest.fixture
def world(app, make_user, auth):
    uid = make_user("ana@gov.example")
    make_user(ADMIN, role="admin", org="Site", kind="other")
    auth.login(ADMIN)
    return uid


def active(app, uid) -> bool:
    with app.app_context():
        return db.session.get(User, uid).active


def confirm_form(client, path: str) -> tuple[str, dict[str, str]]:
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)" class="actions">(.*?)</form>', html, re.S)
    action = form[1]
    inputs = re.findall(r"<input [^>]*>", form[2])
    fields = {re.search(r'name="([^"]+)"', i)[1]: re.search(r'value="([^"]*)"', i)[1] for i in inputs}
    return action, fields


def test_deactivation_is_asked_for_then_done(app, client, world):
    users = client.get("/admin/users").get_data(as_text=True)
    path = f"/admin/users/{world}/confirm/deactivate"
    assert f'href="{path}"' in users                       # a link, not a one-click button
    assert f'action="/admin/users/{world}/toggle"' not in users
    action, fields = confirm_form(client, path)
    page = client.get(path).get_data(as_text=True)
    assert "Deactivate ana@gov.example?" in page and "signed out everywhere" in page
    assert active(app, world)                                # asking changed nothing
    assert client.post(action, data=fields).status_code == 302
    assert not active(app, world)
    # once deactivated, the list offers Activate (one click: it signs nobody out) and the
    # confirmation page of a deactivation goes back to the list
    users = client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{world}/toggle"' in users
    assert client.get(path).status_code == 303


def test_a_confirmation_never_undoes_another_administrators_change(app, client, world):
    action, fields = confirm_form(client, f"/admin/users/{world}/confirm/deactivate")
    other = app.test_client()   # a second administrator deactivates first
    from tests.factories import AuthActions

    AuthActions(other).login(ADMIN)
    assert other.post(f"/admin/users/{world}/toggle",
                      data={"csrf_token": csrf_token(other, "/admin/users"), "was_active": "1"}).status_code == 302
    assert not active(app, world)
    response = client.post(action, data=fields, follow_redirects=True)
    assert "changed by someone else meanwhile" in response.get_data(as_text=True)
    assert not active(app, world)                             # not activated again


def test_password_reset_is_asked_for_then_shown_once(app, client, world):
    path = f"/admin/users/{world}/confirm/reset-password"
    assert f'href="{path}"' in client.get("/admin/users").get_data(as_text=True)
    action, fields = confirm_form(client, path)
    assert action == f"/admin/users/{world}/reset-password"
    response = client.post(action, data=fields)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "ana@gov.example" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/users/{uid}/confirm/delete", "/admin/users/999999/confirm/deactivate"])
def test_an_unknown_action_or_account_is_not_found(client, world, path):
    assert client.get(path.format(uid=world)).status_code == 404


def test_the_confirmation_speaks_the_readers_language(app, client, world):
    with app.app_context():
        db.session.query(User).filter_by(email=ADMIN).one().locale = "fr"
        db.session.commit()
    page = client.get(f"/admin/users/{world}/confirm/deactivate").get_data(as_text=True)
    assert "Désactiver ana@gov.example" in page
