"""Browser tests: a live server on SQLite with the demo data, Debian's chromium
driven by Playwright, and axe-core (vendored, MPL-2.0) for accessibility.

Like PostgreSQL, a missing chromium skips these tests with a clear line, except
when CI=true, where it is a failure.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from config import TestConfig
from tests.conftest import IN_CI

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
DEMO_PASSWORD = "demo-password-2026"


def _require_chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        msg = f"chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail("CI=true but " + msg)
        pytest.skip(msg)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


def demo_app(tmp: Path):
    """An app on a fresh SQLite file under ``tmp``, seeded with the demo data."""
    from app import create_app, demo
    from app.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'live.sqlite3'}",
                     PDF_CACHE_DIR=str(tmp / "pdf-cache"), PROPAGATE_UNEXPECTED=False,
                     LOGIN_MAX_FAILURES=1000)
    with app.app_context():
        db.create_all()
        app.extensions["catalog"].publish(db.session)
        demo.seed()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One server for the session, seeded with the demo data."""
    server = LiveServer(demo_app(tmp_path_factory.mktemp("live"))).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    server_errors: list[str] = []
    pg.on("response", lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    pg.js_errors = errors
    yield pg
    context.close()
    assert server_errors == [], f"the server answered with errors: {server_errors}"


def login(page, live_server, email: str, password: str = DEMO_PASSWORD):
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit], main input[type=submit]")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A/AA rules) on the current page."""
    # evaluate() runs through the DevTools protocol, which the page's CSP does not block
    # (add_script_tag would be, rightly, refused by script-src 'self').
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
