"""Filling in an assessment in a real browser: autosave, keyboard only, accessibility."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium

OFFICIAL = "official@ministry.example"
SAVED = re.compile(r"^Saved at \d\d:\d\d$")


def start_assessment(page, live_server, title: str) -> str:
    """Start a new assessment through the page; returns its overview URL."""
    page.goto(f"{live_server.url}/assessments/new")
    page.fill("input[name=title]", title)
    page.fill("input[name=jurisdiction]", "KE-30")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert re.search(r"/assessments/\d+$", page.url), page.url
    return page.url


def test_autosave_says_saved_at_and_a_reload_shows_the_value(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser autosave check")
    page.goto(f"{overview}/sections/s_a_knowledge")
    status = page.locator("#save-status")
    assert status.get_attribute("role") == "status"
    page.check("#a1-level-3")
    # Level 3 with no documentary evidence: the page says so at once, before any save. a1 is
    # a core question, so under rubric 1.1 (the new assessment's) it counts as level 1.
    notice = page.locator("#a1-notice")
    assert "counts as level 1" in notice.inner_text()
    expect(status).to_have_text(SAVED, timeout=10_000)
    # Evidence added in place; the notice clears when a documentary entry is there.
    row = page.locator("#item-a1 [data-evidence-row]").last
    row.locator("select").select_option("law")
    row.locator("[data-evidence-reference]").fill("Children Act 2022, s. 13")
    assert notice.is_hidden()
    page.fill("#a1-comment", "Confirmed with the statistics office")
    expect(status).to_have_text(SAVED, timeout=10_000)
    page.wait_for_timeout(1700)  # past the debounce of the last keystroke
    expect(status).to_have_text(SAVED, timeout=10_000)
    page.reload()
    assert page.is_checked("#a1-level-3")
    assert page.input_value("#a1-comment") == "Confirmed with the statistics office"
    assert page.input_value("#a1-evidence-0-reference") == "Children Act 2022, s. 13"
    assert page.locator("#a1-notice").is_hidden()
    assert page.js_errors == []
    screenshot(page, "section-after-autosave")


def test_invalid_value_shows_message_next_to_the_field(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser validation check")
    page.goto(f"{overview}/sections/s_c_basic_services")
    number = page.locator("input.input-number").first
    name = number.get_attribute("name")
    number.fill("lots")
    error = page.locator(f"#{name}-error")
    error.wait_for(state="visible", timeout=10_000)
    assert "Enter a number" in error.inner_text()
    assert number.get_attribute("aria-invalid") == "true"
    assert f"{name}-error" in number.get_attribute("aria-describedby")
    assert page.locator("[data-error-summary]").is_visible()
    assert page.input_value(f"input[name='{name}']") == "lots"   # what was typed stays
    assert page.js_errors == []


def test_keyboard_only_fill_of_one_item(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser keyboard check")
    page.goto(f"{overview}/sections/s_a_knowledge")

    def tab_to(predicate: str, limit: int = 80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
                return
        raise AssertionError(f"never reached: {predicate}")

    tab_to("el.name === 'a2-level'")
    # The focused control is visibly marked (outline from :focus-visible).
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Space")          # choose the focused level
    page.keyboard.press("ArrowDown")      # move to the next described level
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.querySelector('input[name=\"a2-level\"]:checked').value")
    assert chosen in ("2", "3")
    tab_to("el.name === 'a2-confidence'")
    page.keyboard.press("ArrowDown")      # a select changes with the arrow keys
    tab_to("el.name === 'a2-comment'")
    page.keyboard.type("Typed with the keyboard only")
    page.wait_for_timeout(1700)
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    page.reload()
    assert page.is_checked(f"#a2-level-{chosen}")
    assert page.input_value("#a2-comment") == "Typed with the keyboard only"
    assert page.input_value("#a2-confidence") != ""


def test_pages_have_no_serious_accessibility_violations(page, live_server):
    login(page, live_server, OFFICIAL)
    page.goto(f"{live_server.url}/assessments")
    assert axe_violations(page) == [], "list"
    screenshot(page, "assessments-list")
    with page.expect_navigation():
        page.click("text=National prevention readiness self-assessment 2026")
    assert axe_violations(page) == [], "overview"
    screenshot(page, "assessment-overview")
    overview = page.url
    page.goto(f"{overview}/sections/s_b_law_justice")
    assert axe_violations(page) == [], "section"
    screenshot(page, "assessment-section")
    page.goto(f"{live_server.url}/assessments/new")
    assert axe_violations(page) == [], "new"
    page.goto(f"{live_server.url}/assessments")
    with page.expect_navigation():
        page.click("text=National prevention readiness self-assessment 2025")
    with page.expect_navigation():
        page.click("text=View all answers")
    assert "/answers" in page.url
    assert axe_violations(page) == [], "read-only answers"
    screenshot(page, "assessment-answers")
    assert page.js_errors == []


def test_offline_input_is_kept_retried_and_restorable(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser offline check")
    url = f"{overview}/sections/s_a_knowledge"
    page.goto(url)
    status = page.locator("#save-status")
    page.context.set_offline(True)
    page.fill("#a3-comment", "Typed on a weak connection")
    expect(status).to_have_text(re.compile("Not saved"), timeout=10_000)
    page.context.set_offline(False)            # the connection returns: saved without any action
    expect(status).to_have_text(SAVED, timeout=15_000)
    # Offline again, and the tab is closed before the connection returns: this browser kept it.
    page.context.set_offline(True)
    page.fill("#a4-comment", "Kept by this browser")
    expect(status).to_have_text(re.compile("Not saved"), timeout=10_000)
    page.context.set_offline(False)
    page.evaluate("() => { window.onbeforeunload = null; }")
    second = page.context.new_page()
    page.close()
    second.on("dialog", lambda d: d.accept())
    second.goto(url)
    notice = second.locator(".restore-notice")
    if notice.count():                           # unless the retry won the race before closing
        notice.locator("button.primary").click()
        expect(second.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    second.reload()
    assert second.input_value("#a3-comment") == "Typed on a weak connection"
    assert second.input_value("#a4-comment") == "Kept by this browser"


def _assessment_id(overview_url: str) -> int:
    return int(overview_url.rstrip("/").rsplit("/", 1)[1])


def _stored(live_server, aid: int) -> dict:
    """The answers as stored (API shape), read straight from the live server's database."""
    from app.assessments import store
    from app.extensions import db
    from app.models import Assessment

    with live_server.app.app_context():
        a = db.session.get(Assessment, aid)
        answers = store.answers_json(store.questionnaire_of(a), store.answers_of(a))
        db.session.remove()
        return answers


def test_section_counts_follow_each_autosave_without_a_reload(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser progress check")
    page.goto(f"{overview}/sections/s_a_knowledge")
    status = page.locator("#save-status")
    count = page.locator(".section-nav [data-progress-for='s_a_knowledge']")
    other = page.locator(".section-nav [data-progress-for='s_b_law_justice']")
    expect(count).to_have_text("0 of 7 answered")
    page.check("#a1-level-2")
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(count).to_have_text("1 of 7 answered")
    expect(other).to_have_text("0 of 16 answered")   # section (b) of questionnaire 1.1
    # Updated in place: the user's place on the page is where it was.
    assert page.evaluate("document.activeElement.id") == "a1-level-2"
    assert count.get_attribute("role") is None and count.get_attribute("aria-live") is None
    for key in ("a2", "a3", "a4", "a5", "a6"):
        page.check(f"#{key}-level-1")
    page.check("#a7-level-__dont_know" if page.locator("#a7-level-__dont_know").count() else "#a7-level-0")
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(count).to_have_text("✓ 7 of 7 answered")
    assert count.locator(".tick").get_attribute("aria-hidden") == "true"
    # The sidebar now says what a reload would say.
    rendered = count.inner_text()
    page.reload()
    assert page.locator(".section-nav [data-progress-for='s_a_knowledge']").inner_text() == rendered
    assert page.js_errors == []


def test_clear_answer_takes_an_item_back_to_no_answer_and_saves(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser clear check")
    aid = _assessment_id(overview)
    page.goto(f"{overview}/sections/s_a_knowledge")
    status = page.locator("#save-status")
    clear = page.get_by_role("button", name="Clear answer to question a1")
    assert clear.is_hidden()                                 # nothing chosen yet
    page.check("#a1-level-3")
    expect(clear).to_be_visible()
    page.fill("#a1-comment", "Keep this note")
    expect(status).to_have_text(SAVED, timeout=10_000)
    page.wait_for_timeout(1700)
    expect(status).to_have_text(SAVED, timeout=10_000)
    assert _stored(live_server, aid)["a1"] == {"level": 3, "comment": "Keep this note"}
    expect(page.locator("[data-progress-for='s_a_knowledge']")).to_have_text("1 of 7 answered")
    screenshot(page, "section-clear-answer")
    # By keyboard: focus the button, press Enter.
    clear.focus()
    page.keyboard.press("Enter")
    assert page.locator("#item-a1 .radios input:checked").count() == 0
    expect(clear).to_be_hidden()
    # The button went away, so focus moved to the first choice of the same question (not checked).
    assert page.evaluate("document.activeElement.id") == "a1-level-0"
    assert not page.is_checked("#a1-level-0")
    assert page.locator("#a1-notice").is_hidden()
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(page.locator("[data-progress-for='s_a_knowledge']")).to_have_text("0 of 7 answered")
    assert page.url.endswith("/sections/s_a_knowledge")      # no page load
    assert _stored(live_server, aid)["a1"] == {"comment": "Keep this note"}    # unanswered, note kept
    page.reload()
    assert page.locator("#item-a1 .radios input:checked").count() == 0
    assert page.input_value("#a1-comment") == "Keep this note"
    assert page.js_errors == []


def test_enter_in_a_text_field_never_clears_an_answer(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser enter check")
    aid = _assessment_id(overview)
    page.goto(f"{overview}/sections/s_a_knowledge")
    page.check("#a1-level-2")
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    page.select_option("#a1-evidence-0-type", "law")
    page.fill("#a1-evidence-0-reference", "Children Act 2022")
    # Issue 18: Enter saves in place; the page neither submits nor jumps anywhere.
    page.press("#a1-evidence-0-reference", "Enter")
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
    assert page.url.endswith("/sections/s_a_knowledge")
    assert page.evaluate("document.activeElement.id") == "a1-evidence-0-reference"
    assert _stored(live_server, aid)["a1"] == {
        "level": 2, "evidence": [{"type": "law", "reference": "Children Act 2022", "note": ""}]}


def test_clear_answer_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        login(page, live_server, OFFICIAL)
        overview = start_assessment(page, live_server, "Browser no-script clear check")
        aid = _assessment_id(overview)
        page.goto(f"{overview}/sections/s_a_knowledge")
        page.check("#a2-level-4")
        with page.expect_navigation():
            page.click("main .save-actions button[value=save]")
        assert _stored(live_server, aid)["a2"] == {"level": 4}
        with page.expect_navigation():
            page.get_by_role("button", name="Clear answer to question a2").click()
        assert page.url.endswith("/sections/s_a_knowledge#item-a2")
        assert "The answer to question a2 is cleared" in page.locator(".flashes").inner_text()
        assert page.locator("#item-a2 .radios input:checked").count() == 0
        assert "a2" not in _stored(live_server, aid)
    finally:
        context.close()


def test_refused_submit_lands_on_the_overview_and_a_reload_is_harmless(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser refused submit check")
    page.goto(overview)
    with page.expect_navigation():
        page.click("main .submit-form button[type=submit]")
    assert page.url == overview                              # not /submit
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert "You cannot submit yet" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert axe_violations(page) == []
    screenshot(page, "overview-submit-refused")
    # Its link goes to the list of what is missing, which links to each question.
    summary.locator("a[href='#missing']").click()
    first = page.locator("#missing a").first
    assert "/sections/s_a_knowledge#item-a1" in first.get_attribute("href")
    page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError("a reload asked to resend")))
    response = page.reload()
    assert response.status == 200 and response.request.method == "GET"
    assert page.locator("[data-error-summary]").count() == 0
    assert page.locator("#missing").is_visible()
    assert page.js_errors == []


def test_two_tabs_a_colleague_s_answer_is_flagged_at_the_question_and_never_overwritten(browser, live_server):
    """Tab A sets a1; tab B (opened before) saves a2: B is told at a1 itself; B then edits a1:
    a conflict panel, and A's answer stays."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB") for _ in range(2)]
    try:
        tab_a, tab_b = (c.new_page() for c in contexts)
        login(tab_a, live_server, OFFICIAL)
        overview = start_assessment(tab_a, live_server, "Browser two tabs check")
        section = f"{overview}/sections/s_a_knowledge"
        login(tab_b, live_server, OFFICIAL)
        tab_b.goto(section)
        tab_a.goto(section)
        tab_a.check("#a1-level-0")
        expect(tab_a.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
        tab_b.check("#a4-level-2")
        expect(tab_b.locator("#save-status")).to_have_text(SAVED, timeout=10_000)
        note = tab_b.locator("#item-a1 .outdated-notice")
        expect(note).to_be_visible()
        assert "changed question a1" in note.inner_text() and note.get_attribute("role") == "status"
        tab_b.check("#a1-level-3")
        expect(tab_b.locator("[data-conflict-panel]")).to_be_visible(timeout=10_000)
        stored = _stored(live_server, _assessment_id(overview))
        assert stored["a1"]["level"] == 0 and stored["a4"]["level"] == 2
        screenshot(tab_b, "two-tabs-outdated-and-conflict")
    finally:
        for c in contexts:
            c.close()


def test_a_long_unbroken_title_wraps_instead_of_widening_the_pages(page, live_server):
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Nationalpreventionreadiness" * 7)
    width = page.viewport_size["width"]
    for url in (overview, f"{live_server.url}/assessments"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert page.js_errors == []


PARTLY = re.compile(r"^Saved at \d\d:\d\d\. 1 answer not saved: correct the highlighted answer$")


def test_a_reference_without_a_type_is_flagged_beside_the_type_before_any_save(page, live_server):
    """The server refuses an evidence entry with a reference but no type (a default type would
    change what it counts for, so the score).  The page says so beside the row's type before
    saving, never posts it (no 422), saves the other answers, and takes the message back as
    soon as the type is chosen; a message follows its row when a row above is removed."""
    login(page, live_server, OFFICIAL)
    overview = start_assessment(page, live_server, "Browser evidence type check")
    aid = _assessment_id(overview)
    page.goto(f"{overview}/sections/s_a_knowledge")
    refused = []
    page.on("response", lambda r: refused.append(r.url) if r.request.method == "POST" and r.status == 422 else None)
    status = page.locator("#save-status")
    page.check("#a1-level-2")
    page.fill("#a2-comment", "Saved meanwhile")
    page.fill("#a1-evidence-0-reference", "https://example.org/children-act")
    expect(status).to_have_text(PARTLY, timeout=10_000)
    error = page.locator("#a1-evidence-0-type-error")
    expect(error).to_be_visible()
    assert error.text_content() == "Error: Evidence entry 1: choose its type in the list."
    select = page.locator("#a1-evidence-0-type")
    assert select.get_attribute("aria-invalid") == "true"
    assert "a1-evidence-0-type-error" in select.get_attribute("aria-describedby")
    assert "item-has-error" in page.get_attribute("#item-a1", "class")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert summary.locator("a[href='#a1-evidence-0-type']").inner_text() == \
        "Question a1: Evidence entry 1: choose its type in the list."
    assert axe_violations(page) == []
    screenshot(page, "section-evidence-without-type")
    stored = _stored(live_server, aid)
    assert stored["a2"] == {"comment": "Saved meanwhile"} and "a1" not in stored
    # A second row typed the same way, then the first removed: its message moves with it.
    page.select_option("#a1-evidence-0-type", "law")
    expect(error).to_be_hidden()                        # taken back as soon as it is chosen
    assert select.get_attribute("aria-invalid") is None
    expect(status).to_have_text(SAVED, timeout=10_000)
    assert _stored(live_server, aid)["a1"]["evidence"] == [
        {"type": "law", "reference": "https://example.org/children-act", "note": ""}]
    page.locator("#item-a1 [data-add-row]").click()
    page.fill("#a1-evidence-1-reference", "Budget 2026, line 14")
    expect(status).to_have_text(PARTLY, timeout=10_000)
    assert "Evidence entry 2: choose its type in the list." in page.inner_text("#a1-evidence-1-type-error")
    page.locator("#item-a1 [data-evidence-row]").first.locator("[data-remove-row]").click()
    moved = page.locator("#a1-evidence-0-type-error")
    expect(moved).to_contain_text("Evidence entry 1: choose its type in the list.")
    assert page.locator("#a1-evidence-0-reference").input_value() == "Budget 2026, line 14"
    assert page.locator("[name^='a1-evidence-1-']").count() == 0
    page.select_option("#a1-evidence-0-type", "budget")
    expect(moved).to_be_hidden()
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(summary).to_be_hidden()
    assert _stored(live_server, aid)["a1"]["evidence"] == [{"type": "budget", "reference": "Budget 2026, line 14", "note": ""}]
    assert refused == [] and page.js_errors == []


@pytest.mark.parametrize("lang, expected", [("ru", "5 ответов не сохранены"), ("ar", "لم تُحفظ 5 إجابات")])
def test_the_partial_save_message_takes_the_plural_form_of_the_count(browser, live_server, lang, expected):
    """Five answers the page holds back (references without a type): Russian says "5 ответов",
    not the n=2 form "5 ответа"; Arabic the plural, not its dual "إجابتان"."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, live_server, OFFICIAL)
        overview = start_assessment(page, live_server, f"Plural check {lang}")
        page.goto(f"{overview}/sections/s_a_knowledge")
        for key in ("a1", "a2", "a3", "a4", "a5"):
            page.fill(f"#{key}-evidence-0-reference", f"Reference {key}")
        expect(page.locator("#save-status")).to_contain_text(expected, timeout=10_000)
        assert errors == []
    finally:
        context.close()
