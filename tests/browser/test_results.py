"""The results page in a real browser: accessible (axe-core, WCAG 2.x A/AA), and "why this
score" opens from the keyboard and from a link (Chromium opens the closed explanations on the
way itself; app/static/js/reveal.js does it in browsers that do not)."""
import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

OFFICIAL = "official@ministry.example"


def _assessment_id(live_server, status: str) -> int:
    """The demo official's assessment with this status (the 2025 one is submitted)."""
    from app.extensions import db
    from app.models import Assessment, User

    with live_server.app.app_context():
        user = db.session.query(User).filter_by(email=OFFICIAL).one()
        assessment = db.session.query(Assessment).filter_by(
            organisation_id=user.organisation_id, status=status).order_by(Assessment.id).first()
        assert assessment is not None, f"no {status} demo assessment"
        return assessment.id


def test_submitted_results_page_is_accessible(page, live_server):
    login(page, live_server, OFFICIAL)
    aid = _assessment_id(live_server, "submitted")
    response = page.goto(f"{live_server.url}/assessments/{aid}/results")
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith("Results:")
    assert page.locator(".score-notice-stored").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "results-submitted")
    # explanations open (overall, an area with its cells, a layer) and the rest of the gap
    # list: the tables inside are checked too (each kind once keeps axe fast)
    page.evaluate("""() => {
        const open = el => { if (el) el.open = true; };
        open(document.querySelector('details.more-gaps'));
        document.querySelectorAll('#why > details.why').forEach((d, n) => { if (n < 2) open(d); });
        open(document.getElementById('why-layer-primary').closest('details'));
        document.querySelectorAll('#why-area-a details').forEach(open);
    }""")
    assert page.locator("#why-cell-a-primary").is_visible()
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_draft_results_page_is_accessible(page, live_server):
    login(page, live_server, OFFICIAL)
    aid = _assessment_id(live_server, "draft")
    page.goto(f"{live_server.url}/assessments/{aid}/results")
    assert "Live and provisional" in page.locator(".score-notice-live").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "results-draft")


def test_why_this_score_opens_by_keyboard(page, live_server):
    login(page, live_server, OFFICIAL)
    aid = _assessment_id(live_server, "submitted")
    page.goto(f"{live_server.url}/assessments/{aid}/results")
    details = page.locator("#why details.why").first
    summary = details.locator("summary").first
    assert not details.evaluate("d => d.open")
    summary.focus()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open")
    assert page.locator("#why-overall").is_visible()
    page.keyboard.press("Space")
    assert not details.evaluate("d => d.open")
    # Tab moves from one explanation to the next, and Space opens it
    summary.focus()
    page.keyboard.press("Tab")
    area_a = page.locator("#why-area-a")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Space")
    assert area_a.is_visible()
    # following a score's link opens its explanation, without script
    page.locator("#area-b a[href='#why-area-b']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('why-area-b').closest('details').open")
    assert page.locator("#why-area-b").is_visible()
    assert page.js_errors == []


def test_a_layer_names_its_items_once_each_leading_to_its_row(page, live_server):
    """A layer's explanation names its items by key (their rows are written out once, in their
    areas' tables); a key opens its area's explanation at the item's row, by keyboard. The
    page's script does it too where the browser does not (Chromium does: the script is tried
    alone with a hash change the browser does not act on)."""
    login(page, live_server, OFFICIAL)
    aid = _assessment_id(live_server, "submitted")
    page.goto(f"{live_server.url}/assessments/{aid}/results")
    layer = page.locator("#why-layer-primary")
    page.locator("#why-layer-primary").evaluate("el => el.closest('details').open = true")
    assert layer.locator("table").count() == 0
    first = layer.locator("a.item-key").first
    key = first.inner_text()
    row = page.locator(f"#why-item-{key}")
    assert not row.is_visible()
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.getElementById('why-item-{key}').closest('details').open")
    assert row.is_visible() and key in row.locator("th").inner_text()
    # the script alone: every explanation closed, the hash set without a navigation
    other = page.locator("#why-area-c tr[id^='why-item-']").first.get_attribute("id")
    page.evaluate("""id => {
        document.querySelectorAll('details').forEach(d => { d.open = false; });
        history.pushState(null, '', '#' + id);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
    }""", other)
    assert page.locator(f"#{other}").is_visible()
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_report_download_says_the_pdf_is_being_prepared(page, live_server):
    """Following a report link puts a message in the status region (the first download of
    a long report takes seconds, and the browser shows nothing meanwhile); the PDF arrives."""
    login(page, live_server, OFFICIAL)
    aid = _assessment_id(live_server, "submitted")
    page.goto(f"{live_server.url}/assessments/{aid}/results")
    status = page.locator("[data-download-status]")
    assert status.get_attribute("role") == "status" and status.inner_text() == ""
    link = page.locator("a[data-report-download]", has_text="Scorecard")
    with page.expect_download() as download:
        link.click()
    assert "Preparing the PDF" in status.inner_text()
    assert download.value.suggested_filename.startswith("readiness-scorecard-")
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert axe_violations(page) == []
    assert page.js_errors == []
