"""What a new password must be (issue 11): at least 10 characters, not one of the 20,000
most common passwords (Django's kept list), not the email or its local part, not one
character repeated; applied wherever a password is set: creation (admin page and command
line), the user's own change and an administrator's reset."""
from __future__ import annotations

import re

import pytest

from tests.factories import csrf_token, org_id

EMAIL = "ana.maria@gov.example"


@pytest.fixture
def problem(app_ctx):
    from app.auth.passwords import password_problem

    return password_problem


@pytest.mark.parametrize("password,why", [
    ("short", "at least 10 characters"),
    ("123456789", "at least 10 characters"),
    ("password12", "most common"),          # the example: 10 characters, in the list
    ("Password123", "most common"),         # compared without case
    ("QWERTYUIOP", "most common"),
    ("1234567890", "most common"),
    ("aaaaaaaaaaaa", "one character repeated"),
    ("############", "one character repeated"),
    ("ana.maria@gov.example", "email address"),
    ("ANA.MARIA@GOV.EXAMPLE", "email address"),
    ("ana.maria@", None),                  # not the local part: allowed (the local part is "ana.maria")
])
def test_refused_passwords_say_why(problem, password, why):
    result = problem(password, EMAIL)
    if why is None:
        assert result is None
    else:
        assert result and why in result, result


def test_the_local_part_of_the_email_is_refused(problem):
    assert "email address" in problem("maria.fernandes", "Maria.Fernandes@gov.example")


@pytest.mark.parametrize("password", [
    # every password the suite, the demo and the benchmarks sign in with, and those it sets
    "correct-horse-battery", "demo-password-2026", "long-enough-pw", "bench-password-2026",
    "a-fresh-passphrase-77", "Tr0ub4dor&3-extended",
])
def test_the_passwords_the_suite_and_the_demo_use_are_accepted(problem, password):
    assert problem(password, EMAIL) is None


def test_the_demo_logins_meet_the_rules(problem):
    from app import demo

    for email, password, _what in demo.logins():
        assert problem(password, email) is None, email


def test_the_common_list_is_kept_in_the_repository_and_read_once(app_ctx):
    from app.auth import passwords

    assert passwords.COMMON_PASSWORDS_FILE.is_file()
    notice = passwords.COMMON_PASSWORDS_FILE.with_name("common-passwords.NOTICE.md").read_text()
    assert "Django" in notice and "Redistribution and use" in notice   # origin and BSD licence
    first = passwords.common_passwords()
    assert len(first) > 19_000 and "password12" in first
    assert all(p == p.lower() for p in list(first)[:1000])
    assert passwords.common_passwords() is first    # cached for the process


def test_create_user_refuses_a_common_password(app_ctx):
    from app.auth import operations as ops

    org = ops.get_or_create_organisation("Org", "ngo")
    with pytest.raises(ops.WeakPassword, match="most common"):
        ops.create_user("x@y.example", "password123", org)
    with pytest.raises(ops.WeakPassword, match="email"):
        ops.create_user("someone.long@y.example", "someone.long", org)


def test_the_command_line_refuses_a_common_password(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["users", "create", "new@ngo.example", "--org", "NGO", "--role", "respondent",
                            "--password", "password12"])
    assert r.exit_code != 0 and "most common passwords" in r.output
    r = runner.invoke(args=["users", "create", "new@ngo.example", "--org", "NGO", "--role", "respondent"])
    assert r.exit_code == 0, r.output          # a generated password always meets the rules
    generated = re.search(r"password: (\S+)", r.output)[1]
    assert len(generated) >= 16


def test_the_admin_page_refuses_a_common_password_at_its_field(app, client, make_user, auth):
    make_user("boss@site.example", role="admin", org="Site", kind="other")
    auth.login("boss@site.example")

    r = client.post("/admin/users", data={"email": "x@y.example", "organisation": org_id(app, "Site"),
                                          "role": "respondent", "password": "password123",
                                          "csrf_token": csrf_token(client, "/admin/users")})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'id="password-error">[^<]*most common passwords', html)
    assert 'href="#password"' in html


def test_the_generated_temporary_password_meets_the_rules(problem):
    from app.auth.passwords import generate_password

    for _ in range(50):
        assert problem(generate_password(), EMAIL) is None


def test_the_command_line_resets_a_password_to_a_temporary_one(app, make_user):
    from app.extensions import db
    from app.models import AuditEntry, User

    uid = make_user("boss@site.example", role="admin", org="Site", kind="other")
    runner = app.test_cli_runner()
    r = runner.invoke(args=["users", "reset-password", "Boss@Site.example"])
    assert r.exit_code == 0, r.output
    temporary = r.output.rsplit(": ", 1)[1].strip()
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.check_password(temporary) and user.password_change_required
        assert user.session_generation == 1
        entry = db.session.query(AuditEntry).filter_by(action="user.password_reset").one()
        assert entry.user_id is None and entry.new_value["user_id"] == uid
    r = runner.invoke(args=["users", "reset-password", "nobody@site.example"])
    assert r.exit_code != 0 and "no user" in r.output
