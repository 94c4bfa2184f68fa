"""Mail and the signed links it carries (issue 13): invitations and password resets are sent
through a real SMTP server started here (aiosmtpd); the test reads the mail, follows the link,
sets a password and signs in.  Expired, reused and tampered links are refused with a page
that says which."""
from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, User
from tests.clients import Inbox
from tests.factories import AuthActions, csrf_token, make_app

NEW_PASSWORD = "a-brand-new-passphrase-31"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def mail_app(db_url, tmp_path, inbox):
    controller, _handler = inbox
    app = make_app(db_url, tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                   SERVER_NAME="readiness.test")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _last_link(handler) -> tuple[str, str]:
    message = message_from_bytes(handler.messages[-1].as_bytes(), policy=policy.default)
    body = message.get_body().get_content()
    link = re.search(r"http://readiness\.test(/\S+)", body).group(1)
    return message["To"], link


def _set_password(client, link, password=NEW_PASSWORD):
    token = csrf_token(client, link)
    return client.post(link, data={"csrf_token": token, "new_password": password, "confirm": password})


def _owner_with_draft(app):
    from app.assessments import operations as ops
    from app.auth import operations as accounts

    with app.app_context():
        org = accounts.get_or_create_organisation("Ministry of Foreign Affairs", "government", "KE")
        owner = accounts.create_user("ana@a.example", "correct-horse-battery", org)
        q = app.extensions["catalog"].latest("prevention-readiness")
        a = ops.create_assessment(owner, {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE",
                                          "period": "2026", "title": "National assessment"})
        token = accounts.issue_token(owner, "t")
        db.session.commit()
        return a.id, {"Authorization": f"Bearer {token}"}, q.sections[0].key


def test_invitation_by_mail_sets_a_password_once(mail_app, inbox):
    _controller, handler = inbox
    client = mail_app.test_client()
    aid, owner, section = _owner_with_draft(mail_app)
    r = client.post(f"/api/v1/assessments/{aid}/contributors", headers=owner, json={
        "email": "newcomer@justice.example", "role": "contributor", "sections": [section],
        "organisation": "Ministry of Justice"})
    assert r.status_code == 201
    to, link = _last_link(handler)
    assert to == "newcomer@justice.example" and link.startswith("/invitation/")
    page = client.get(link)
    assert page.status_code == 200 and "newcomer@justice.example" in page.get_data(as_text=True)
    assert _set_password(client, link, "short").status_code == 422  # the password rules apply
    r = _set_password(client, link)
    assert r.status_code == 303 and r.headers["Location"].endswith("/tasks")
    assert "National assessment" in client.get("/tasks").get_data(as_text=True)  # signed in
    # the link works once
    fresh = mail_app.test_client()
    used = fresh.get(link)
    assert used.status_code == 410 and "already used" in used.get_data(as_text=True)
    # tampered: refused as invalid
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    r = fresh.get(tampered)
    assert r.status_code == 400 and "not valid" in r.get_data(as_text=True)
    assert AuthActions(fresh).login("newcomer@justice.example", NEW_PASSWORD).status_code == 302
    # an existing user invited: a mail pointing to their tasks, no password link
    r = mail_app.test_client().post(f"/api/v1/assessments/{aid}/contributors", headers=owner, json={
        "email": "newcomer@justice.example", "role": "reader", "sections": [section]})
    assert r.status_code == 200
    _to, link = _last_link(handler)
    assert link == "/tasks"


def test_password_reset_by_mail(mail_app, inbox):
    _controller, handler = inbox
    client = mail_app.test_client()
    _owner_with_draft(mail_app)
    token = csrf_token(client, "/password/forgot")
    r = client.post("/password/forgot", data={"csrf_token": token, "email": "nobody@else.example"})
    assert r.status_code == 303 and handler.messages == []  # same answer, nothing sent
    r = client.post("/password/forgot", data={"csrf_token": token, "email": "ANA@a.example"})
    assert r.status_code == 303 and len(handler.messages) == 1
    to, link = _last_link(handler)
    assert to == "ana@a.example" and link.startswith("/password/reset/")
    # a session open elsewhere ends with the reset
    elsewhere = mail_app.test_client()
    AuthActions(elsewhere).login("ana@a.example")
    assert elsewhere.get("/tasks").status_code == 200
    assert _set_password(client, link).status_code == 303
    assert elsewhere.get("/tasks").status_code == 302
    assert mail_app.test_client().get(link).status_code == 410  # used
    # the invitation link kind does not open a reset, nor the other way round
    assert mail_app.test_client().get(link.replace("/password/reset/", "/invitation/")).status_code == 400
    fresh = mail_app.test_client()
    assert AuthActions(fresh).login("ana@a.example", NEW_PASSWORD).status_code == 302
    # at most three reset links an hour to one address: then asking sends nothing
    for _n in range(3):
        client.post("/password/forgot", data={"csrf_token": token, "email": "ana@a.example"})
    assert len(handler.messages) == 3


def test_expired_link_refused(mail_app, inbox):
    _controller, handler = inbox
    mail_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] = 0
    client = mail_app.test_client()
    _owner_with_draft(mail_app)
    token = csrf_token(client, "/password/forgot")
    client.post("/password/forgot", data={"csrf_token": token, "email": "ana@a.example"})
    _to, link = _last_link(handler)
    time.sleep(1.1)  # the signature's timestamp is in whole seconds
    r = client.get(link)
    assert r.status_code == 410 and "expired" in r.get_data(as_text=True)
    with mail_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ana@a.example")).check_password(
            "correct-horse-battery")


def test_without_smtp_the_mail_is_logged_with_its_link(app, client, caplog):
    aid, owner, section = _owner_with_draft(app)
    with caplog.at_level("INFO"):
        r = client.post(f"/api/v1/assessments/{aid}/contributors", headers=owner, json={
            "email": "someone@police.example", "role": "informant", "sections": [section]})
    assert r.status_code == 201
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "someone@police.example" in logged and "/invitation/" in logged
    with app.app_context():
        assert db.session.get(Assessment, aid) is not None


def test_a_return_is_mailed_with_its_reason(mail_app, inbox):
    """The organisation's author and the contributors learn by mail why a reviewer returned
    the assessment."""
    from app.assessments import operations as ops
    from app.auth import operations as accounts
    from app.contributors import operations as contributors
    from tests.factories import full_answers

    _controller, handler = inbox
    aid, owner, section = _owner_with_draft(mail_app)
    with mail_app.app_context():
        ana = db.session.scalar(select(User).where(User.email == "ana@a.example"))
        a = db.session.get(Assessment, aid)
        justice = accounts.get_or_create_organisation("Ministry of Justice", "government", "KE")
        accounts.create_user("ivo@justice.example", "correct-horse-battery", justice)
        contributors.invite(ana, a, {"email": "ivo@justice.example", "role": "contributor", "sections": [section]})
        ops.save_answers(a, ana, a.revision, full_answers(mail_app.extensions["catalog"].latest("prevention-readiness")))
        ops.submit(a, ana)
        un = accounts.get_or_create_organisation("UN", "other")
        rita = accounts.create_user("rita@un.example", "correct-horse-battery", un, "reviewer")
        token = accounts.issue_token(rita, "t")
        db.session.commit()
    client = mail_app.test_client()
    # A reviewer working in French: the recipients have no language of their own, so the mail
    # is in the reason's language (it was English around a French reason).
    reviewer = {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}
    assert client.post(f"/api/v1/assessments/{aid}/review", headers=reviewer, json={"action": "start"}).status_code == 200
    before = len(handler.messages)
    r = client.post(f"/api/v1/assessments/{aid}/review", headers=reviewer,
                    json={"action": "return", "reason": "Section (b) : citez la loi de 2022."})
    assert r.status_code == 200
    sent = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in handler.messages[before:]]
    assert sorted(m["To"] for m in sent) == ["ana@a.example", "ivo@justice.example"]
    assert all("citez la loi de 2022" in m.get_body().get_content() for m in sent)
    assert all(m["Subject"].startswith("Renvoyée pour modifications") for m in sent), [m["Subject"] for m in sent]


_DEV_SERVER = r'''
import sys
from pathlib import Path
from tests.factories import csrf_token, make_app, make_people
tmp = Path(sys.argv[1])
app = make_app(f"sqlite:///{tmp / 'dev.sqlite3'}", tmp)
make_people(app)
client = app.test_client()
r = client.post("/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"),
                                          "email": "r@a.example"})
print("status", r.status_code)
'''


def test_without_smtp_the_mail_and_its_link_reach_the_server_log(tmp_path):
    """As under ``make run`` (debug off, no logging configured, no pytest log capture): the
    password reset mail is written to stderr with its link."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _DEV_SERVER, str(tmp_path)], cwd=root, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert "status 303" in done.stdout or "status 302" in done.stdout, done.stdout + done.stderr
    assert "r@a.example" in done.stderr and re.search(r"https?://\S+/password/reset/\S+", done.stderr), done.stderr


def test_a_refused_link_says_what_to_do_for_its_kind(client):
    """A broken password reset link told its reader to "ask whoever invited you to invite
    you again"; that advice is for invitation links only."""
    reset = client.get("/password/reset/not-a-token").get_data(as_text=True)
    invitation = client.get("/invitation/not-a-token").get_data(as_text=True)
    assert "invite you again" not in reset and "Ask for a new link below." in reset
    assert "invite you again" in invitation


def test_an_invitation_and_a_reminder_are_written_in_the_senders_language(app, client, caplog):
    """Someone invited has no language of their own yet (nor has a colleague who never chose
    one): a Russian ministry's invitation went out in English.  It is written in the language
    the sender works in; a recipient's own choice still wins."""
    from app.auth import operations as accounts

    aid, owner, section = _owner_with_draft(app)
    with app.app_context():
        org = accounts.get_or_create_organisation("Ministry of Justice", "government", "KE")
        accounts.create_user("chooser@justice.example", "correct-horse-battery", org).locale = "fr"
        db.session.commit()
    russian = owner | {"Accept-Language": "ru"}
    with caplog.at_level("INFO"):
        for email in ("newcomer@police.example", "chooser@justice.example"):
            assert client.post(f"/api/v1/assessments/{aid}/contributors", headers=russian, json={
                "email": email, "role": "informant", "sections": [section]}).status_code == 201
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    newcomer = logged[logged.index("newcomer@police.example"):]
    assert "Приглашение" in newcomer or "просит" in newcomer, newcomer[:400]
    chooser = logged[logged.index("chooser@justice.example"):]
    assert "vous demande" in chooser or "Invitation" in chooser, chooser[:400]
    assert "Приглашение" not in chooser[:300] and "просит" not in chooser[:300]


@pytest.mark.parametrize("lang, words", [("fr", "Choisir un nouveau mot de passe"), ("es", "contraseña")])
def test_a_reset_link_asked_for_from_a_page_in_a_language_is_written_in_it(app, client, caplog, lang, words):
    """An account without a language of its own asked for a reset link from the French sign-in
    page (the language chosen there) and got an English mail."""
    from app.auth import operations as accounts

    with app.app_context():
        org = accounts.get_or_create_organisation("Ministry of Justice", "government", "KE")
        accounts.create_user("nolang@justice.example", "correct-horse-battery", org)
        db.session.commit()
    client.get(f"/login?lang={lang}")
    token = csrf_token(client, "/password/forgot")
    with caplog.at_level("INFO"):
        r = client.post("/password/forgot", data={"csrf_token": token, "email": "nolang@justice.example"})
    assert r.status_code == 303
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    mailed = logged[logged.index("nolang@justice.example"):]
    assert words in mailed and "Choose a new password" not in mailed, mailed[:300]
