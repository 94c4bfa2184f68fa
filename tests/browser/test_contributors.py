"""Issue 13 in a real browser, on its own live server with the demo data: the owner invites
an informant from another ministry (the invitation arrives by SMTP, at a server started
here), the informant chooses a password from the mailed link and rates their section
privately, and the owner records the consensus.  Every page passes axe-core (WCAG 2.x
A/AA: no serious or critical violation)."""
from __future__ import annotations

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import LiveServer, axe_violations, demo_app, login, screenshot
from tests.clients import Inbox

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

OWNER = "official@ministry.example"
NEWCOMER = "newcomer@social.example"
SECTION = "s_e_social_norms"


@pytest.fixture(scope="module")
def smtp():
    handler = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp):
    from app.extensions import db

    app = demo_app(tmp_path_factory.mktemp("contributors-live"))
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[0].port)
    live = LiveServer(app).start()
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


def _draft_id(server) -> int:
    from app.extensions import db
    from app.models import Assessment

    with server.app.app_context():
        return db.session.query(Assessment.id).filter(Assessment.status == "draft").scalar()


def _scale_keys(server) -> list[str]:
    from app.questionnaire.catalog import catalog

    with server.app.app_context():
        q = catalog().latest("prevention-readiness")
        section = next(s for s in q.sections if s.key == SECTION)
        return [k for k in section.items if q.item_map[k].type == "scale"]


def test_invite_rate_and_reach_consensus(browser, server, smtp):
    _controller, inbox = smtp
    aid = _draft_id(server)
    owner = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    login(owner, server, OWNER)
    owner.goto(f"{server.url}/assessments/{aid}")
    with owner.expect_navigation():
        owner.get_by_role("link", name="Contributors, informants and readers: who works on which section").click()
    assert "Ministry of Justice (demo)" in owner.content()
    assert axe_violations(owner) == []
    owner.fill("#email", NEWCOMER)
    owner.fill("#organisation", "Ministry of Labour and Social Protection")
    owner.select_option("#role", "informant")
    owner.check(f"input[name=sections][value={SECTION}]")
    with owner.expect_navigation():
        owner.get_by_role("button", name="Invite").click()
    assert f"{NEWCOMER} was given the sections and told by mail." in owner.content()
    screenshot(owner, "contributors-manage")

    mail = message_from_bytes(inbox.messages[-1].as_bytes(), policy=policy.default)
    link = re.search(r"(http://\S+/invitation/\S+)", mail.get_body().get_content()).group(1)
    informant = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    informant.goto(link)
    assert axe_violations(informant) == []
    informant.fill("#new_password", "informant-passphrase-2026")
    informant.fill("#confirm", "informant-passphrase-2026")
    with informant.expect_navigation():
        informant.get_by_role("button", name="Set password").click()
    assert informant.locator("h1").inner_text() == "My tasks"
    assert axe_violations(informant) == []
    with informant.expect_navigation():
        informant.locator(f"a[href$='/ratings/{SECTION}']").first.click()
    assert "independent informant" in informant.content()
    assert axe_violations(informant) == []
    keys = _scale_keys(server)
    for key, level in zip(keys[:2], ("4", "0")):
        informant.check(f"input[name='{key}-level'][value='{level}']")
    with informant.expect_navigation():
        informant.get_by_role("button", name="Save my ratings").click()
    assert "Your ratings are saved." in informant.content()
    screenshot(informant, "contributors-rate")

    owner.goto(f"{server.url}/assessments/{aid}/consensus/{SECTION}")
    assert axe_violations(owner) == []
    table = owner.locator(f"#item-{keys[0]} table")
    assert table.locator("tbody tr").count() == 4  # the demo's three informants and the newcomer
    owner.locator(f"#item-{keys[0]} input[type=radio]").last.check()
    owner.fill(f"#{keys[0]}-rationale", "The newcomer's ministry runs the programme; its evidence decides.")
    with owner.expect_navigation():
        owner.get_by_role("button", name="Record the consensus").click()
    assert "The consensus is recorded as the assessment's answers." in owner.content()
    assert "its evidence decides" in owner.content()
    assert axe_violations(owner) == []
    screenshot(owner, "contributors-consensus")
