"""The review area in a real browser, on its own live server with the demo data (so that
returning and accepting do not change what other browser tests see).

Accessible (axe-core, WCAG 2.x A/AA: no serious or critical violation) with every
disclosure open; usable from the keyboard; and the issue's "done" scenario end to end:
the demo reviewer compares the government and NGO assessments, returns one with comments,
sees it resubmitted, accepts it and exports the lot."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import LiveServer, axe_violations, demo_app, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

REVIEWER = "reviewer@un.example"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    from app.extensions import db

    # Its own server: the workflow test changes statuses that other browser tests read.
    app = demo_app(tmp_path_factory.mktemp("review-live"))
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


def _demo_ids(server) -> dict[str, int]:
    from app.extensions import db
    from app.models import Assessment, Organisation

    with server.app.app_context():
        rows = db.session.query(Assessment.id, Organisation.kind, Assessment.status).join(
            Organisation, Organisation.id == Assessment.organisation_id).all()
        return {kind: i for i, kind, status in rows if status != "draft"}


def _open_all_details(page):
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")


def test_comparison_page_is_accessible(page, review_server):
    login(page, review_server, REVIEWER)
    page.goto(f"{review_server.url}/review")
    ids = _demo_ids(review_server)
    page.check(f"#select-{ids['government']}")
    page.check(f"#select-{ids['ngo']}")
    with page.expect_navigation():
        page.get_by_role("button", name="Compare selected").click()
    assert page.locator("h1").inner_text() == "Comparing 2 assessments"
    assert page.locator(".rv-radar svg[role=img]").is_visible()
    _open_all_details(page)
    assert page.locator("#cells-caption").is_visible()
    # the 2025 self-assessment's informant round (demo): its spread below the answers, its agreement
    assert page.locator(".rv-items-table .rv-spread").first.is_visible()
    assert page.locator("#agreement-caption").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "review-compare")
    rows_all = page.locator(".rv-items-table tbody tr").count()
    page.get_by_label("Only where levels differ by 2 or more").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    rows_large = page.locator(".rv-items-table tbody tr").count()
    assert 0 < rows_large < rows_all
    assert page.get_by_label("Only where levels differ by 2 or more").is_checked()
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_wide_tables_scroll_from_the_keyboard_with_visible_focus(page, review_server):
    login(page, review_server, REVIEWER)
    ids = _demo_ids(review_server)
    page.goto(f"{review_server.url}/review/compare?ids={ids['government']},{ids['ngo']}")
    region = page.locator(".rv-table-scroll").first
    region.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('rv-table-scroll')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    # links and buttons show focus too
    page.keyboard.press("Tab")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") not in ("none", "")


@pytest.mark.parametrize("path", ["/review", "/review/divergence", "/review/trend",
                                  "/review/assessments/{government}",
                                  "/review/assessments/{government}/submissions/1"])
def test_review_pages_are_accessible(page, review_server, path):
    login(page, review_server, REVIEWER)
    response = page.goto(review_server.url + path.format(**_demo_ids(review_server)))
    assert response.status == 200
    _open_all_details(page)
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_trend_organisation_names_are_not_cut_off(page, review_server):
    """QA: the organisation select showed "Ministry of Social Protectio"."""
    login(page, review_server, REVIEWER)
    page.goto(f"{review_server.url}/review/trend")
    select = page.get_by_label("Organisation", exact=True)
    assert "Ministry of Social Protection (demo) (2 periods)" in select.inner_text()
    assert "(1 period)" in select.inner_text() and "(1 periods)" not in select.inner_text()
    widest, room = select.evaluate("""(sel) => {
        const cs = getComputedStyle(sel);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = cs.font;
        const widest = Math.max(...Array.from(sel.options, o => ctx.measureText(o.text).width));
        return [widest, sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)];
    }""")
    assert widest + 24 <= room, (widest, room)          # 24px: the drop-down arrow
    improved = page.locator("details", has=page.locator("summary", has_text="Items that improved"))
    improved.locator("summary").click()                  # folded: dozens of lines (issue 18)
    items = improved.locator("ul li").first.inner_text()
    assert len(items.split(" \u2014 ")[0]) > 10           # the key and a short question text
    screenshot(page, "review-trend")
    assert axe_violations(page) == []


def test_a_blank_comment_is_reported_at_the_top_and_focused(page, review_server):
    """QA: a whitespace-only comment reloaded with the error far down, nothing at the top."""
    ngo = _demo_ids(review_server)["ngo"]
    login(page, review_server, REVIEWER)
    page.goto(f"{review_server.url}/review/assessments/{ngo}")
    page.get_by_label("Comment", exact=True).fill("   ")
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert summary.bounding_box()["y"] < 400                 # where the reader is: the top
    screenshot(page, "review-comment-error")
    summary.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.id") == "text"
    assert page.get_by_label("Comment", exact=True).input_value() == "   "
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_demo_reviewer_compares_returns_sees_resubmission_accepts_and_exports(page, review_server):
    from app.assessments import operations as assessments
    from app.extensions import db
    from app.models import Assessment, User

    ids = _demo_ids(review_server)
    gov = ids["government"]
    login(page, review_server, REVIEWER)
    # government against civil society, largest divergence first
    page.goto(f"{review_server.url}/review")
    with page.expect_navigation():
        page.get_by_role("link", name="Government and civil society compared").click()
    assert page.locator("#divergence-caption").is_visible()
    first_item = page.locator(".rv-divergence-table tbody tr").first.locator(".rv-item-key").inner_text()
    screenshot(page, "review-divergence")
    # the review page: start, comment on that item, return with a reason
    page.goto(f"{review_server.url}/review/assessments/{gov}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start review").click()
    assert "The review has started" in page.locator(".flashes").inner_text()
    page.get_by_label("About").select_option(first_item)
    page.get_by_label("Comment", exact=True).fill("The civil-society assessment differs most here: "
                                                  "cite the evidence for your level.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()
    # no reason: the browser would stop it (required); without that, the server refuses it too
    page.evaluate("() => document.getElementById('reason').removeAttribute('required')")
    with page.expect_navigation():
        page.get_by_role("button", name="Return to the organisation").click()
    assert page.get_by_label("Reason for returning").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.get_by_label("Reason for returning").fill("Evidence is missing for the items commented on.")
    with page.expect_navigation():
        page.get_by_role("button", name="Return to the organisation").click()
    assert "returned to the organisation" in page.locator(".flashes").inner_text()
    screenshot(page, "review-returned")
    # the organisation edits and resubmits (its own pages are another area's)
    with review_server.app.app_context():
        a = db.session.get(Assessment, gov)
        official = db.session.query(User).filter_by(email="official@ministry.example").one()
        assessments.save_answers(a, official, a.revision, {first_item: {"dont_know": True}})
        assessments.submit(a, official)
        db.session.commit()
    page.goto(f"{review_server.url}/review/assessments/{gov}")
    assert "Resubmitted" in page.locator(".rv-timeline").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Submission 2").click()
    changes = page.locator("section[aria-labelledby=changes-title]").inner_text()
    assert first_item in changes and "cite the evidence" in changes
    page.goto(f"{review_server.url}/review/assessments/{gov}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start review").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the assessment").click()
    assert "accepted" in page.locator(".flashes").inner_text()
    # export the lot from the comparison page
    page.goto(f"{review_server.url}/review/compare?ids={gov},{ids['ngo']}")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX workbook (answers, scores, comments, history)").click()
    with open(download.value.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    comments = list(wb["comments"].iter_rows(values_only=True))
    assert any("cite the evidence" in str(row[-1]) for row in comments[1:])
    history = [row[2] for row in wb["history"].iter_rows(values_only=True)][1:]
    assert history.count("start") == 2 and "return" in history and "resubmit" in history and "accept" in history
    scores = list(wb["scores"].iter_rows(values_only=True))
    status = scores[0].index("review_status")
    statuses = {row[0]: row[status] for row in scores[1:]}
    assert statuses == {gov: "accepted", ids["ngo"]: "submitted"}
    assert page.js_errors == []


def test_batch_reports_show_progress_then_download_one_zip(page, review_server):
    """Issue 14, point 4 in the browser: the list's "Download reports (ZIP)" for two
    assessments, confirmed, runs as a job whose page says how it goes; the ZIP downloads by
    itself, and once it has, the page stops saying "you can leave this page open" and no
    longer offers "Check again"."""
    import zipfile

    ids = _demo_ids(review_server)
    login(page, review_server, REVIEWER)
    page.goto(f"{review_server.url}/review")
    for assessment_id in (ids["government"], ids["ngo"]):
        page.locator(f"tbody input[type=checkbox][value='{assessment_id}']").check()
    page.get_by_label("Report", exact=True).select_option("scorecard")
    with page.expect_navigation():
        page.get_by_role("button", name="Download reports (ZIP)").click()
    with page.expect_download(timeout=120_000) as download:
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Download reports (ZIP)").click()
        assert page.locator("[data-job-status]").get_attribute("role") == "status"
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(archive.read(n)[:5] == b"%PDF-" for n in names)
    page.wait_for_function("() => document.querySelector('[data-job-status]').textContent.includes('ZIP is ready')")
    assert page.locator("[data-job-download]").is_visible()
    assert not page.get_by_text("you can leave this page open").is_visible()
    assert page.get_by_role("link", name="Check again").count() == 0 or \
        not page.get_by_role("link", name="Check again").is_visible()
    assert page.locator("h1").inner_text() == "Download reports (ZIP)"   # not "Preparing…" once done
    screenshot(page, "review-batch-done")
    assert axe_violations(page) == []
    assert page.js_errors == []
