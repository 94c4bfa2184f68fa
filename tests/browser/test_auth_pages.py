import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium


def test_login_page_is_accessible_and_signs_in(page, live_server):
    page.goto(f"{live_server.url}/login")
    assert axe_violations(page) == []
    screenshot(page, "login")
    # Keyboard only: tab into the fields, type, submit with Enter.
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand link
    page.focus("input[name=email]")
    page.keyboard.type("official@ministry.example")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url
    assert page.js_errors == []


def test_wrong_password_error_is_announced(page, live_server):
    login(page, live_server, "official@ministry.example", "not-the-password")
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "not correct" in summary.inner_text()
    assert axe_violations(page) == []


def test_account_and_admin_pages_are_accessible(page, live_server):
    login(page, live_server, "admin@readiness.example")
    for path in ("/account", "/admin/users"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    screenshot(page, "admin-users")
    # deactivating asks first, in words, and Cancel goes back with nothing done
    page.locator("main a.button", has_text="Deactivate").first.click()
    assert page.locator("h1").inner_text().startswith("Deactivate ")
    assert axe_violations(page) == [], "confirm deactivation"
    screenshot(page, "admin-confirm-deactivation")
    with page.expect_navigation():
        page.locator("main a.button", has_text="Cancel").click()
    assert page.url.endswith("/admin/users")
    # the organisations: reached from the navigation, their rename form, and its refusal
    with page.expect_navigation():
        page.click("nav >> text=Organisations")
    assert page.url.endswith("/admin/organisations")
    assert axe_violations(page) == [], "organisations"
    screenshot(page, "admin-organisations")
    with page.expect_navigation():
        page.locator("main a.button", has_text="Rename").first.click()
    assert axe_violations(page) == [], "rename"
    page.fill("#name", " ")
    with page.expect_navigation():
        page.click("main button[type=submit], main input[type=submit]")
    assert "Enter the organisation's name." in page.locator("#name-error").inner_text()
    assert page.get_attribute("#name", "aria-invalid") == "true"
    assert axe_violations(page) == [], "rename refused"
    screenshot(page, "admin-organisation-rename-refused")
    assert page.js_errors == []
