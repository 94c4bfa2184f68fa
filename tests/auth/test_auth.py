"""Sign-in, CSRF, the login limit, API tokens and security headers."""
import re

from tests.factories import csrf_token, org_id


def test_login_and_logout(client, make_user, auth):
    make_user("ana@gov.example")
    r = auth.login("ana@gov.example")
    assert r.status_code == 302
    assert client.get("/account").status_code == 200
    r = auth.logout()
    assert r.status_code == 302
    assert client.get("/account").status_code == 302  # back to the login page


def test_passwords_are_hashed(app_ctx, make_user):
    from app.extensions import db
    from app.models import User

    uid = make_user("ana@gov.example", password="correct-horse-battery")
    user = db.session.get(User, uid)
    assert "correct-horse-battery" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:")) and "$" in user.password_hash  # salted
    assert user.check_password("correct-horse-battery")


def test_wrong_password_is_refused_with_a_message(client, make_user, auth):
    make_user("ana@gov.example")
    r = auth.login("ana@gov.example", "wrong-password-123")
    assert r.status_code == 401
    assert "Email or password is not correct" in r.get_data(as_text=True)


def test_form_post_without_csrf_token_is_rejected(client, make_user):
    make_user("ana@gov.example")
    r = client.post("/login", data={"email": "ana@gov.example", "password": "correct-horse-battery"})
    assert r.status_code == 400
    assert client.get("/account").status_code == 302  # not signed in


def test_login_limit_locks_out_after_repeated_failures(app, client, make_user, auth):
    make_user("ana@gov.example")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert auth.login("ana@gov.example", "wrong-password-123").status_code == 401
    # Even the right password is refused while locked.
    r = auth.login("ana@gov.example")
    assert r.status_code == 429
    assert "Too many failed attempts" in r.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_success_resets_the_failure_count(app, client, make_user, auth):
    make_user("ana@gov.example")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login("ana@gov.example", "wrong-password-123")
    assert auth.login("ana@gov.example").status_code == 302
    auth.logout()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login("ana@gov.example", "wrong-password-123")
    assert auth.login("ana@gov.example").status_code == 302


def test_open_redirect_is_refused(client, make_user):
    make_user("ana@gov.example")
    token = csrf_token(client)
    r = client.post("/login?next=//evil.example/x", data={
        "email": "ana@gov.example", "password": "correct-horse-battery", "csrf_token": token})
    assert r.status_code == 302
    assert "evil.example" not in r.headers["Location"]


def test_security_headers(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_script_in_pages(client, make_user, auth):
    make_user("ana@gov.example")
    auth.login("ana@gov.example")
    for path in ("/login", "/account"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path


def test_session_cookie_is_httponly(client, make_user, auth):
    make_user("ana@gov.example")
    r = auth.login("ana@gov.example")
    cookie = [c for c in r.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_api_token_authenticates_and_can_be_revoked(app, client, make_user, auth):
    from app.auth import operations as ops
    from app.extensions import db
    from app.models import ApiToken, User

    uid = make_user("ana@gov.example")
    with app.app_context():
        token = ops.issue_token(db.session.get(User, uid), "script")
        db.session.commit()
        row = db.session.query(ApiToken).one()
        assert row.token_hash != token and token not in row.token_hash  # stored hashed
        token_id = row.id
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 200
    assert client.get("/api/v1/questionnaires", headers={"Authorization": "Bearer nope"}).status_code == 401
    # Revoke from the account page (a CSRF-protected form).
    auth.login("ana@gov.example")
    r = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")})
    assert r.status_code == 302
    auth.logout()
    r = client.get("/api/v1/questionnaires", headers=headers)
    assert r.status_code == 401
    assert r.get_json()["error"]


def test_token_last_used_is_kept_to_the_minute(app, client, make_user):
    """Each API request does not write: "last used" moves only when a minute has passed."""
    from datetime import timedelta

    from app.auth import operations as ops
    from app.extensions import db
    from app.models import ApiToken, User

    uid = make_user("ana@gov.example")
    with app.app_context():
        token = ops.issue_token(db.session.get(User, uid), "script")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    def last_used():
        with app.app_context():
            return db.session.query(ApiToken).one().last_used_at

    assert last_used() is None
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 200
    first = last_used()
    assert first is not None
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 200
    assert last_used() == first                      # within the minute: no write
    with app.app_context():
        row = db.session.query(ApiToken).one()
        row.last_used_at = first - timedelta(minutes=5)
        db.session.commit()
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 200
    assert last_used() > first - timedelta(minutes=5)  # a minute on: noted again


def test_token_cli_prints_a_working_token(app, client, make_user):
    make_user("ana@gov.example")
    result = app.test_cli_runner().invoke(args=["users", "token", "ana@gov.example"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert client.get("/api/v1/questionnaires", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_cookie_authenticated_api_write_needs_csrf(client, make_user, auth):
    make_user("ana@gov.example")
    auth.login("ana@gov.example")
    r = client.post("/api/v1/assessments", json={"questionnaire": "x"})
    assert r.status_code == 400
    assert "CSRF" in r.get_json()["error"]


def test_users_cli_creates_user_and_organisation(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["users", "create", "new@ngo.example", "--org", "New NGO", "--org-kind", "ngo",
                            "--role", "respondent", "--password", "long-enough-pw"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["users", "create", "new@ngo.example", "--org", "New NGO", "--role", "respondent"])
    assert r.exit_code != 0 and "already exists" in r.output
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(email="new@ngo.example").one()
        assert user.organisation.kind == "ngo" and user.role == "respondent"


def test_inactive_user_cannot_sign_in(app, client, make_user, auth):
    from app.extensions import db
    from app.models import User

    uid = make_user("ana@gov.example")
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert auth.login("ana@gov.example").status_code == 401


def test_admin_creates_a_user_in_an_organisation_chosen_from_the_list(app, client, make_user, auth):
    """Issue 18: a typed organisation name ("ministry of social protection (DEMO)") made a
    second organisation silently; the organisation is now chosen among the existing ones."""
    from app.extensions import db
    from app.models import Organisation, User

    make_user("boss@site.example", role="admin", org="Site", kind="other")
    make_user("ana@gov.example", org="Ministry", kind="government")
    auth.login("boss@site.example")
    html = client.get("/admin/users").get_data(as_text=True)
    select = html.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    assert "Ministry (Government)" in select and "Site (Other)" in select
    token = csrf_token(client, "/admin/users")
    base = {"email": "new@x.example", "name": "New", "role": "respondent",
            "password": "long-enough-pw", "csrf_token": token}
    for typed in ("ministry", "0", ""):  # a name, the placeholder, nothing: refused, nothing made
        r = client.post("/admin/users", data=base | {"organisation": typed})
        assert r.status_code == 422 and "error-summary" in r.get_data(as_text=True)
    r = client.post("/admin/users", data=base | {"organisation": "999999"})
    assert r.status_code == 422
    with app.app_context():
        assert db.session.query(User).filter_by(email="new@x.example").first() is None
        assert db.session.query(Organisation).count() == 2
    r = client.post("/admin/users", data=base | {"organisation": str(org_id(app, "Ministry"))})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.query(User).filter_by(email="new@x.example").one().organisation.name == "Ministry"
        assert db.session.query(Organisation).count() == 2


def test_a_new_organisation_is_created_only_after_a_confirmation(app, client, make_user, auth):
    from app.extensions import db
    from app.models import AuditEntry, Organisation

    make_user("boss@site.example", role="admin", org="Site", kind="other")
    make_user("ana@gov.example", org="Ministry of Social Protection (DEMO)", kind="government")
    auth.login("boss@site.example")
    token = csrf_token(client, "/admin/users")
    # a variant in case and spacing of an existing name: refused, the existing one named
    r = client.post("/admin/organisations", data={"org_name": "ministry of  social protection (demo)",
                                                  "org_kind": "government", "csrf_token": token})
    assert r.status_code == 422
    assert "Ministry of Social Protection (DEMO) already exists" in r.get_data(as_text=True)
    # a new name: a confirmation page listing the similar ones; nothing created yet
    data = {"org_name": "Ministry of Social Protection", "org_kind": "government", "csrf_token": token}
    r = client.post("/admin/organisations", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Yes, create this organisation" in html
    assert "Ministry of Social Protection (DEMO) (Government)" in html
    with app.app_context():
        assert db.session.query(Organisation).count() == 2
    r = client.post("/admin/organisations", data=data | {"confirmed": "yes"})
    assert r.status_code == 303
    with app.app_context():
        org = db.session.query(Organisation).filter_by(name="Ministry of Social Protection").one()
        assert org.kind == "government"
        entry = db.session.query(AuditEntry).filter_by(action="organisation.create").one()
        assert entry.new_value["organisation_id"] == org.id
    assert "Ministry of Social Protection (Government)" in client.get("/admin/users").get_data(as_text=True)


def test_admin_changes_a_users_role_and_organisation_audited(app, client, make_user, auth):
    from app.extensions import db
    from app.models import AuditEntry, User

    boss = make_user("boss@site.example", role="admin", org="Site", kind="other")
    ana = make_user("ana@gov.example", org="Ministry", kind="government")
    make_user("bo@ngo.example", org="Coalition", kind="ngo")
    auth.login("boss@site.example")
    assert f"/admin/users/{ana}/edit" in client.get("/admin/users").get_data(as_text=True)
    html = client.get(f"/admin/users/{ana}/edit").get_data(as_text=True)
    assert '<option selected value="respondent">' in html
    token = csrf_token(client, f"/admin/users/{ana}/edit")
    r = client.post(f"/admin/users/{ana}/edit", data={"role": "reviewer", "organisation": org_id(app, "Coalition"),
                                                      "csrf_token": token})
    assert r.status_code == 303
    with app.app_context():
        user = db.session.get(User, ana)
        assert user.role == "reviewer" and user.organisation.name == "Coalition"
        entry = db.session.query(AuditEntry).filter_by(action="user.update").one()
        assert entry.user_id == boss and entry.old_value["role"] == "respondent"
        assert entry.old_value["organisation"] == "Ministry" and entry.new_value["organisation"] == "Coalition"
    # an administrator cannot change their own role (nor may anyone else reach the page)
    r = client.post(f"/admin/users/{boss}/edit", data={"role": "respondent", "organisation": org_id(app, "Site"),
                                                       "csrf_token": token})
    assert r.status_code == 422 and "cannot change your own role" in r.get_data(as_text=True)
    assert client.post("/admin/users/2147483647/edit", data={"csrf_token": token}).status_code == 404
    auth.logout()
    auth.login("bo@ngo.example")
    assert client.get(f"/admin/users/{ana}/edit").status_code == 403


def test_users_table_labels_organisation_kinds_with_one_translated_set(client, make_user, auth):
    """QA: the table mixed "(NGO)" with "(government)" and "(other)"; the kinds now read as
    in the form that chooses them (and as in the review area)."""
    from app.auth.forms import ORG_KIND_LABELS
    from app.review.forms import KIND_LABELS

    make_user("boss@site.example", role="admin", org="Site", kind="other")
    make_user("ana@gov.example", org="Ministry", kind="government")
    make_user("bo@ngo.example", org="Coalition", kind="ngo")
    auth.login("boss@site.example")
    html = client.get("/admin/users").get_data(as_text=True)
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = {email: re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("</tr>")
             for email in re.findall(r"<td>([^<@]+@[^<]+)</td>", row)}
    assert cells["ana@gov.example"][2:4] == ["Ministry", "Government"]
    assert cells["bo@ngo.example"][2:4] == ["Coalition", "Non-governmental organisation"]
    assert cells["boss@site.example"][2:4] == ["Site", "Other"]
    assert "(NGO)" not in html and "(government)" not in html and "(other)" not in html
    assert '<th scope="col">Organisation kind</th>' in html
    options = re.findall(r'<option[^>]*value="(\w+)"[^>]*>([^<]+)</option>',
                         html.split('name="org_kind"', 1)[1].split("</select>", 1)[0])
    assert options == [(k, str(v)) for k, v in ORG_KIND_LABELS.items()] and KIND_LABELS is ORG_KIND_LABELS


def test_admin_short_password_is_reported_in_a_summary(app, client, make_user, auth):
    make_user("boss@site.example", role="admin", org="Site", kind="other")
    auth.login("boss@site.example")
    r = client.post("/admin/users", data={"email": "x@y.example", "organisation": org_id(app, "Site"),
                                          "role": "respondent", "password": "short",
                                          "csrf_token": csrf_token(client, "/admin/users")})
    assert r.status_code == 422
    assert "error-summary" in r.get_data(as_text=True)


def test_admin_lands_on_the_users_page(client, make_user, auth):
    make_user("boss@site.example", role="admin", org="Site", kind="other")
    auth.login("boss@site.example")
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/users")


def test_failures_from_another_address_do_not_lock_the_user_out(app, client, make_user, auth):
    """Wrong passwords typed from elsewhere lock that address out, not the user at theirs;
    failures from many addresses together still lock the account (distributed guessing)."""
    make_user("ana@gov.example")
    limit = app.config["LOGIN_MAX_FAILURES"]
    stranger = app.test_client()
    token = csrf_token(stranger, "/login")
    for _ in range(limit):
        r = stranger.post("/login", data={"email": "ana@gov.example", "password": "wrong-password-123",
                                          "csrf_token": token}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert r.status_code == 401
    r = stranger.post("/login", data={"email": "ana@gov.example", "password": "correct-horse-battery",
                                      "csrf_token": token}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert r.status_code == 429                       # that address is locked out
    assert auth.login("ana@gov.example").status_code == 302   # Ana, at hers, is not
    auth.logout()
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = limit + 2  # (her success did not clear them)
    for n in range(2):
        stranger.post("/login", data={"email": "ana@gov.example", "password": "wrong-password-123",
                                      "csrf_token": token}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    assert auth.login("ana@gov.example").status_code == 429   # account-wide limit reached


def test_a_success_clears_only_the_failures_from_its_own_address(app, client, make_user, auth):
    """Issue 11: a success from one address cleared every failure for the email, so a guesser
    elsewhere got a fresh allowance each time the owner signed in.  Now only the owner's
    own typos (same email, same address) are forgotten."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import LoginFailure

    make_user("ana@gov.example")
    limit = app.config["LOGIN_MAX_FAILURES"]
    stranger = app.test_client()
    token = csrf_token(stranger, "/login")

    def guess(n=1):
        for _ in range(n):
            r = stranger.post("/login", data={"email": "ana@gov.example", "password": "wrong-password-123",
                                              "csrf_token": token}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        return r.status_code

    assert guess(limit - 1) == 401
    assert auth.login("ana@gov.example", "wrong-password-123").status_code == 401   # her own typo
    assert auth.login("ana@gov.example").status_code == 302                        # she signs in
    with app.app_context():
        left = db.session.scalars(select(LoginFailure.ip).where(LoginFailure.email == "ana@gov.example")).all()
    assert left == ["203.0.113.9"] * (limit - 1)        # hers are gone, the guesser's are kept
    assert guess() == 401 and guess() == 429             # the guesser is locked at the same count


def _count_key_derivations(monkeypatch):
    """Every password hash check (werkzeug calls hashlib's key derivation at call time),
    with its parameters, so a test can say "the same work" without timing anything."""
    import hashlib

    calls = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, *args, **kwargs):
        calls.append((name, iterations))
        return real(name, password, salt, iterations, *args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


def test_unknown_inactive_and_known_emails_do_the_same_password_work(app, client, make_user, monkeypatch):
    """Login time told which emails exist (114 ms vs 9 ms): an unknown email skipped the hash
    check.  Now each failed sign-in checks exactly one hash made with the same method."""
    from app.extensions import db
    from app.models import User

    make_user("ana@gov.example")
    inactive = make_user("old@gov.example")
    with app.app_context():
        db.session.get(User, inactive).active = False
        db.session.commit()
    token = csrf_token(client, "/login")
    calls = _count_key_derivations(monkeypatch)
    seen = {}
    for email in ("ana@gov.example", "nobody@gov.example", "old@gov.example", "ana@gov.example"):
        calls.clear()
        r = client.post("/login", data={"email": email, "password": "wrong-password-123", "csrf_token": token})
        assert r.status_code == 401
        assert "Email or password is not correct" in r.get_data(as_text=True)
        assert len(calls) == 1, (email, calls)
        seen[email] = calls[0]
    assert len(set(seen.values())) == 1, seen          # same algorithm, same cost
    assert seen["ana@gov.example"][1] == 1000          # TestConfig's method, as real hashes use


def test_unknown_and_known_emails_take_about_as_long(app, client, make_user):
    """The same, measured: the median time of a failed sign-in for an unknown email and for
    a known one, with a hash costly enough to dominate, are within a factor of two (before:
    a factor of twelve).  Distinct addresses keep the login limit out of the way."""
    import statistics
    import time

    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:150000"
    make_user("ana@gov.example")
    token = csrf_token(client, "/login")
    times = {"ana@gov.example": [], "nobody@gov.example": []}
    for n in range(9):
        for email, samples in times.items():
            started = time.perf_counter()
            r = client.post("/login", data={"email": email, "password": "wrong-password-123", "csrf_token": token},
                            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
            samples.append(time.perf_counter() - started)
            assert r.status_code == 401
    ratio = statistics.median(times["nobody@gov.example"]) / statistics.median(times["ana@gov.example"])
    assert 0.5 < ratio < 2, ratio
