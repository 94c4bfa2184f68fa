"""The product in Arabic and Chinese, in a real browser: the section page of a 1.1 draft, the
results page and the reviewers' comparison, each axe-clean (WCAG 2.x A/AA), in the page's
language (Arabic mirrored: dir="rtl"), with the questionnaire's own texts translated and the
draft-translation note shown.  Screenshots land in test-artifacts/ (looked at, not diffed)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

OFFICIAL = "official@ministry.example"
REVIEWER = "reviewer@un.example"
#: A text the page must show in each language: section (a)'s title from the questionnaire's
#: translation, and the interface's word for "Save".
EXPECTED = {"ar": {"dir": "rtl"}, "zh": {"dir": "ltr"}}


@pytest.fixture
def lang_page(browser, request):
    lang = request.param
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    pg.lang = lang
    yield pg
    context.close()


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit], main input[type=submit]")


def ids(live_server):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Assessment

    with live_server.app.app_context():
        rows = db.session.execute(select(Assessment.id, Assessment.status)).all()
    return [i for i, s in rows if s == "draft"][0], [i for i, s in rows if s == "submitted"]


def section_title(live_server, lang: str, key: str = "s_a_knowledge") -> str:
    q = live_server.app.extensions["catalog"].latest("prevention-readiness")
    section = next(s for s in q.sections if s.key == key)
    assert lang in section.title, f"section {key} has no {lang} title"
    return section.title[lang]


def check_page(page, name):
    # Nothing sticks out of the viewport sideways (a right-to-left page scrolls to the left).
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    html = page.locator("html")
    assert html.get_attribute("lang") == page.lang
    assert html.get_attribute("dir") == EXPECTED[page.lang]["dir"]
    assert page.locator(".draft-translation").is_visible()
    violations = axe_violations(page)
    assert violations == [], violations
    screenshot(page, f"{name}-{page.lang}")
    assert page.js_errors == []


@pytest.mark.parametrize("lang_page", ["ar", "zh"], indirect=True)
def test_section_and_results_pages(lang_page, live_server):
    page = lang_page
    draft, submitted = ids(live_server)
    sign_in(page, live_server, OFFICIAL)
    page.goto(f"{live_server.url}/assessments/{draft}/sections/s_a_knowledge")
    assert section_title(live_server, page.lang) in page.locator("h1").inner_text()
    check_page(page, "section")
    page.goto(f"{live_server.url}/assessments/{submitted[0]}/results")
    check_page(page, "results")


@pytest.mark.parametrize("lang_page", ["ar", "zh"], indirect=True)
def test_comparison_page(lang_page, live_server):
    page = lang_page
    _draft, submitted = ids(live_server)
    sign_in(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/review/compare?ids={','.join(map(str, submitted[:3]))}")
    assert page.locator("table").count() > 0
    check_page(page, "compare")
