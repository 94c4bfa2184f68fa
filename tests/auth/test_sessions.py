"""Sessions that end (issue 11, point 4): logout, a password change, an administrator's
reset and deactivation end every session and remember-me cookie of the user, on every
device; a cookie copied before keeps nothing open.  Through the real stack: the test client
with real signed cookies, on SQLite and PostgreSQL."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.factories import AuthActions, csrf_token

EMAIL, PASSWORD = "ana@gov.example", "correct-horse-battery"
NEW_PASSWORD = "a-fresh-passphrase-77"


def signed_in_client(app, email=EMAIL, password=PASSWORD, remember=False):
    client = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    if remember:
        data["remember"] = "y"
    r = client.post("/login", data=data)
    assert r.status_code == 302 and "/login" not in r.headers["Location"], r.status_code
    return client


def client_with(app, **cookies):
    """A fresh browser holding only the given cookies (as an attacker who copied them)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def signed_in(client) -> bool:
    r = client.get("/account")
    if r.status_code == 302:
        assert "/login" in r.headers["Location"]
        return False
    assert r.status_code == 200
    return True


def token_count(app) -> int:
    from app.extensions import db
    from app.models import ApiToken

    with app.app_context():
        return db.session.scalar(select(func.count(ApiToken.id)))


def test_a_session_cookie_captured_before_logout_opens_nothing_after_it(app, make_user):
    make_user(EMAIL)
    client = signed_in_client(app)
    token = csrf_token(client, "/account")          # the copied cookie's own CSRF token
    captured = client.get_cookie("session").value
    copy = client_with(app, session=captured)
    assert signed_in(copy)                          # the copy works while the session lasts
    AuthActions(client).logout()
    assert not signed_in(client)
    assert not signed_in(client_with(app, session=captured))
    # ... nor can it create an API token (the form posts to /account).
    r = client_with(app, session=captured).post("/account", data={"name": "stolen", "csrf_token": token})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert token_count(app) == 0


def test_a_replayed_remember_me_cookie_no_longer_signs_in_after_logout(app, make_user):
    make_user(EMAIL)
    client = signed_in_client(app, remember=True)
    remember = client.get_cookie("remember_token").value
    assert signed_in(client_with(app, remember_token=remember))   # it signs in on its own...
    AuthActions(client).logout()
    assert not signed_in(client_with(app, remember_token=remember))  # ...but not after logout


def test_logout_ends_the_sessions_on_every_other_device_too(app, make_user):
    make_user(EMAIL)
    office, home = signed_in_client(app), signed_in_client(app, remember=True)
    AuthActions(office).logout()
    assert not signed_in(home)
    assert signed_in(signed_in_client(app))         # signing in again works as usual


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None, **headers):
    return client.post("/account/password", headers=headers, data={
        "current_password": current, "new_password": new, "confirm": new if confirm is None else confirm,
        "csrf_token": csrf_token(client, "/account")})


def test_a_password_change_ends_the_other_sessions_and_keeps_this_browser_signed_in(app, make_user):
    make_user(EMAIL)
    here = signed_in_client(app, remember=True)
    elsewhere = signed_in_client(app, remember=True)
    copied_remember = here.get_cookie("remember_token").value
    r = change_password(here)
    assert r.status_code == 303 and r.headers["Location"].endswith("/account")
    assert "Your password is changed" in here.get(r.headers["Location"]).get_data(as_text=True)
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert not signed_in(client_with(app, remember_token=copied_remember))
    # This browser kept "stay signed in": its new remember-me cookie works on its own.
    assert signed_in(client_with(app, remember_token=here.get_cookie("remember_token").value))
    # The old password no longer signs in; the new one does.
    assert AuthActions(app.test_client()).login(EMAIL, PASSWORD).status_code == 401
    signed_in_client(app, password=NEW_PASSWORD)


def test_a_password_change_is_audited_without_the_password(app, make_user):
    from app.extensions import db
    from app.models import AuditEntry

    uid = make_user(EMAIL)
    assert change_password(signed_in_client(app)).status_code == 303
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_change")).one()
        assert entry.user_id == uid
        assert entry.old_value is None and entry.new_value is None


@pytest.mark.parametrize("current,new,confirm,field,message", [
    ("wrong-password-123", NEW_PASSWORD, None, "current_password", "The current password is not correct."),
    (PASSWORD, NEW_PASSWORD, "a-fresh-passphrase-78", "confirm", "The two new passwords differ."),
    (PASSWORD, "password123", None, "new_password", "one of the most common passwords"),
    (PASSWORD, "short", None, "new_password", "at least 10 characters"),
    (PASSWORD, "ana@gov.example", None, "new_password", "must not be your email address"),
    (PASSWORD, PASSWORD, None, "new_password", "must differ from the current one"),
    (PASSWORD, "", None, "new_password", "Enter a new password."),
])
def test_a_refused_password_change_says_why_at_the_field_and_changes_nothing(
        app, make_user, current, new, confirm, field, message):
    make_user(EMAIL)
    here, elsewhere = signed_in_client(app), signed_in_client(app)
    r = change_password(here, current, new, confirm)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "error-summary" in html and f'href="#{field}"' in html
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html.replace("&#39;", "'")), html
    assert signed_in(here) and signed_in(elsewhere)   # nothing ended
    assert AuthActions(app.test_client()).login(EMAIL, PASSWORD).status_code == 302


def test_password_change_errors_are_in_the_page_language(app, make_user):
    make_user(EMAIL)
    client = signed_in_client(app)
    french = {"Accept-Language": "fr"}
    html = change_password(client, PASSWORD, NEW_PASSWORD, "x" * 12, **french).get_data(as_text=True)
    assert 'lang="fr"' in html and "Les deux nouveaux mots de passe diffèrent." in html
    html = change_password(client, "wrong-password-123", NEW_PASSWORD, **french).get_data(as_text=True)
    assert "Le mot de passe actuel n&#39;est pas correct." in html
    html = change_password(client, PASSWORD, "password123", **french).get_data(as_text=True)
    assert "Ce mot de passe figure parmi les mots de passe les plus courants" in html
    html = change_password(client, PASSWORD, "court", **french).get_data(as_text=True)
    assert "Le mot de passe doit comporter au moins 10 caractères." in html
    assert "Nouveau mot de passe (confirmation)" in html


def test_a_password_change_needs_the_csrf_token(app, make_user):
    make_user(EMAIL)
    client = signed_in_client(app)
    r = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert r.status_code == 400
    assert AuthActions(app.test_client()).login(EMAIL, PASSWORD).status_code == 302  # unchanged


def test_deactivation_ends_the_sessions_for_good_and_refuses_api_tokens(app, make_user):
    from app.auth import operations as ops
    from app.extensions import db
    from app.models import User

    uid = make_user(EMAIL)
    make_user("boss@site.example", role="admin", org="Site", kind="other")
    with app.app_context():
        api_token = ops.issue_token(db.session.get(User, uid), "script")
        db.session.commit()
    bearer = {"Authorization": f"Bearer {api_token}"}
    user = signed_in_client(app, remember=True)
    cookies = {"session": user.get_cookie("session").value,
               "remember_token": user.get_cookie("remember_token").value}
    admin = signed_in_client(app, "boss@site.example")

    def toggle():
        r = admin.post(f"/admin/users/{uid}/toggle", data={"csrf_token": csrf_token(admin, "/admin/users")})
        assert r.status_code == 302

    toggle()                                            # deactivated
    assert not signed_in(user)
    assert app.test_client().get("/api/v1/questionnaires", headers=bearer).status_code == 401
    assert AuthActions(app.test_client()).login(EMAIL).status_code == 401
    toggle()                                            # active again
    # The sessions from before stay ended: activation does not bring them back...
    assert not signed_in(client_with(app, **cookies))
    assert not signed_in(client_with(app, remember_token=cookies["remember_token"]))
    # ...while API tokens, revoked one by one and never by deactivation, work again.
    assert app.test_client().get("/api/v1/questionnaires", headers=bearer).status_code == 200
    assert signed_in(signed_in_client(app))
    with app.app_context():
        from app.models import AuditEntry

        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("user.%"))
                                     .order_by(AuditEntry.id)).all()
        assert actions == ["user.deactivate", "user.activate"]


def test_an_admin_cannot_deactivate_or_reset_themselves(app, make_user):
    admin_id = make_user("boss@site.example", role="admin", org="Site", kind="other")
    admin = signed_in_client(app, "boss@site.example")
    for action, message in (("toggle", "You cannot deactivate your own account."),
                            ("reset-password", "Change your own password on your account page.")):
        r = admin.post(f"/admin/users/{admin_id}/{action}", data={"csrf_token": csrf_token(admin, "/admin/users")})
        assert r.status_code in (302, 303)
        assert message in admin.get(r.headers["Location"]).get_data(as_text=True)
        assert signed_in(admin)


def test_an_admin_reset_shows_a_temporary_password_once_and_ends_the_users_sessions(app, make_user):
    from app.extensions import db
    from app.models import AuditEntry

    uid = make_user(EMAIL)
    admin_id = make_user("boss@site.example", role="admin", org="Site", kind="other")
    user = signed_in_client(app, remember=True)
    remember = user.get_cookie("remember_token").value
    admin = signed_in_client(app, "boss@site.example")
    r = admin.post(f"/admin/users/{uid}/reset-password", data={"csrf_token": csrf_token(admin, "/admin/users")})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    temporary = re.search(r'<code class="token">([^<]+)</code>', html)[1]
    assert len(temporary) >= 16 and EMAIL in html
    assert temporary not in admin.get("/admin/users").get_data(as_text=True)   # shown once
    assert temporary not in str(admin.get_cookie("session").value)              # never in the cookie
    assert not signed_in(user)
    assert not signed_in(client_with(app, remember_token=remember))
    assert AuthActions(app.test_client()).login(EMAIL, PASSWORD).status_code == 401
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_reset")).one()
        assert entry.user_id == admin_id and entry.new_value == {"user_id": uid, "email": EMAIL}
        assert temporary not in str(entry.new_value)

    # The temporary password signs in to choose a new one, and opens nothing else until then.
    fresh = app.test_client()
    r = fresh.post("/login?next=/assessments", data={
        "email": EMAIL, "password": temporary, "csrf_token": csrf_token(fresh, "/login")})
    assert r.status_code == 302 and r.headers["Location"].endswith("/account#password")
    assert "Your password was reset by an administrator" in fresh.get("/account").get_data(as_text=True)
    r = fresh.get("/assessments")
    assert r.status_code == 302 and r.headers["Location"].endswith("/account#password")
    r = fresh.post("/account", data={"name": "x", "csrf_token": csrf_token(fresh, "/account")})
    assert r.status_code == 302 and token_count(app) == 0     # no API token before the change
    r = fresh.get("/api/v1/questionnaires")
    assert r.status_code == 403 and "new password" in r.get_json()["error"]
    assert change_password(fresh, temporary, temporary).status_code == 422   # not the temporary one again
    assert change_password(fresh, temporary, NEW_PASSWORD).status_code == 303
    assert fresh.get("/assessments").status_code == 200
    assert "reset by an administrator" not in fresh.get("/account").get_data(as_text=True)


def test_a_reset_for_an_unknown_or_overflowing_user_id_is_404(app, make_user):
    make_user("boss@site.example", role="admin", org="Site", kind="other")
    admin = signed_in_client(app, "boss@site.example")
    token = csrf_token(admin, "/admin/users")
    for uid in ("999999", "99999999999999999999", "%C2%B2"):
        for action in ("reset-password", "toggle"):
            assert admin.post(f"/admin/users/{uid}/{action}", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("value", [
    "1", "1:", ":0", "²:0", "1:²", "١:0", "-1:0", "+1:0", " 1:0", "1:0 ", "1:0\n", "1 :0", "0x1:0",
    "1:0:0", "0:0", "2147483648:0", "1:2147483648", "99999999999999999999:0", "", "None",
])
def test_session_ids_are_parsed_strictly(value):
    from app.auth.loaders import parse_session_id

    assert parse_session_id(value) is None


def test_session_ids_in_range_are_parsed():
    from app.auth.loaders import parse_session_id

    assert parse_session_id("1:0") == (1, 0)
    assert parse_session_id("2147483647:2147483647") == (2147483647, 2147483647)


@pytest.mark.parametrize("forged", ["{uid}", "{uid}:1", "²:0", "99999999999999999999:0", "{uid}:-0"])
def test_a_signed_session_with_an_old_or_malformed_id_signs_nobody_in(app, make_user, forged):
    """Cookies signed with the right key but holding an id-only value (as issued before
    sessions carried a generation), a wrong generation or garbage: signed out, never a 500."""
    from flask_login.utils import encode_cookie

    uid = make_user(EMAIL)
    value = forged.format(uid=uid)
    session = app.session_interface.get_signing_serializer(app).dumps({"_user_id": value, "_fresh": True})
    with app.test_request_context():
        remember = encode_cookie(value)
    assert not signed_in(client_with(app, session=session))
    assert not signed_in(client_with(app, remember_token=remember))


def test_the_current_session_generation_is_what_cookies_carry(app, make_user):
    from app.auth.loaders import parse_session_id
    from flask_login.utils import decode_cookie

    uid = make_user(EMAIL)
    client = signed_in_client(app, remember=True)
    with app.test_request_context():
        assert parse_session_id(decode_cookie(client.get_cookie("remember_token").value)) == (uid, 0)
    AuthActions(client).logout()
    client = signed_in_client(app, remember=True)
    with app.test_request_context():
        assert parse_session_id(decode_cookie(client.get_cookie("remember_token").value)) == (uid, 1)


def test_upgrade_gives_existing_users_generation_zero_and_no_forced_change(db_url):
    """0003 adds the columns to a database that already holds users: they get generation 0
    and no forced change; their old id-only cookies are refused (tested above)."""
    from datetime import datetime, timezone

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from config import TestConfig

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        upgrade(None, "0002_overall_score")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO organisations (id, name, kind, created_at) "
                                 "VALUES (1, 'Org', 'ngo', :now)"), {"now": now})
            conn.execute(sa.text("INSERT INTO users (id, email, name, password_hash, role, organisation_id, "
                                 "active, created_at) VALUES (7, 'a@b.example', '', 'x', 'respondent', 1, "
                                 ":yes, :now)"), {"now": now, "yes": True})
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT session_generation, password_change_required FROM users")).one()
        assert tuple(row) == (0, False)
        db.session.remove()
        db.engine.dispose()
