"""Times in the reader's time zone (issue 18: UTC only): the account's zone, else the
browser's (the cookie static/js/timezone.js sets), else UTC; the zone is named after
every time; the choice is audited."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.factories import csrf_token

MOMENT = datetime(2026, 12, 4, 17, 25, tzinfo=timezone.utc)


def test_times_follow_the_browser_then_the_account(app, client, make_user, auth):
    from app.extensions import db
    from app.i18n import when
    from app.models import AuditEntry, User

    uid = make_user("ana@gov.example")
    with app.test_request_context():
        assert when(MOMENT) == "4 Dec 2026, 17:25 UTC"          # nothing known: UTC, said
    with app.test_request_context(headers={"Cookie": "tz=Africa/Nairobi"}):
        assert when(MOMENT) == "4 Dec 2026, 20:25 UTC+3"
    with app.test_request_context(headers={"Cookie": "tz=Asia/Kolkata"}):
        assert when(MOMENT) == "4 Dec 2026, 22:55 UTC+5:30"
    with app.test_request_context(headers={"Cookie": "tz=Not/A_Zone"}):
        assert when(MOMENT) == "4 Dec 2026, 17:25 UTC"           # a bad cookie is ignored
    auth.login("ana@gov.example")
    client.set_cookie("tz", "America/New_York")
    html = client.get("/account").get_data(as_text=True)
    assert "Times on the pages are shown in America/New_York." in html
    assert "time zone (now: America/New_York)</option>" in html
    token = csrf_token(client, "/account")
    r = client.post("/account/time-zone", data={"time_zone": "Africa/Nairobi", "csrf_token": token})
    assert r.status_code == 303
    html = client.get("/account").get_data(as_text=True)
    assert "Time zone saved: times are now shown in Africa/Nairobi." in html
    assert '<option selected value="Africa/Nairobi">' in html
    with app.app_context():
        assert db.session.get(User, uid).time_zone == "Africa/Nairobi"
        entry = db.session.query(AuditEntry).filter_by(action="user.time_zone").one()
        assert entry.new_value == "Africa/Nairobi" and entry.old_value is None
    # the account's zone wins over the browser's; refused values change nothing
    r = client.post("/account/time-zone", data={"time_zone": "Mars/Olympus", "csrf_token": token})
    assert r.status_code == 303
    assert "Choose one of the time zones offered." in client.get("/account").get_data(as_text=True)
    client.post("/account/time-zone", data={"time_zone": "", "csrf_token": token})
    with app.app_context():
        assert db.session.get(User, uid).time_zone is None       # back to the browser's


def test_pages_load_the_zone_script_and_show_times_in_the_zone(app, client, make_user, make_assessment, auth):
    uid = make_user("ana@gov.example")
    make_assessment(uid)
    auth.login("ana@gov.example")
    client.set_cookie("tz", "Africa/Nairobi")
    html = client.get("/assessments").get_data(as_text=True)
    assert "UTC+3" in html and " UTC<" not in html
    assert "/static/js/timezone.js" in client.get("/account").get_data(as_text=True)
