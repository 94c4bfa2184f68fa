"""Times in the PDFs (issue 18; the choice is in app/reports/__init__.py): the scorecard, the
gap report and the filled-in printable form write their times in the zone of the person who
downloads them (their account's zone, else their browser's, else UTC), each with its UTC
offset; the zone is in the cache key, so a copy made for one zone is never served in another;
the warm-up renders in the zone of the person whose change it follows.  Real downloads
through the API, the PDFs read back with pdftotext.  Small test questionnaire."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.factories import FIXTURES, issue_tokens, make_people, new_assessment, pdftotext, seed_app

pytestmark = pytest.mark.slow  # downloads rendered PDFs in several zones
ANSWERS = {"a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act 5 of 2019"}]},
           "b1": {"selected": ["crc", "opsc"]}, "c1": {"value": 70}, "d1": {"option": "partly"}}
#: Submitted at 17:25 UTC: 22:55 in Kolkata, 20:25 in Nairobi, still the 4th; 12:25 in New York.
MOMENT = datetime(2026, 12, 4, 17, 25, tzinfo=timezone.utc)
COMMENTED = datetime(2026, 12, 4, 22, 10, tzinfo=timezone.utc)   # the 5th in Nairobi and Kolkata


@pytest.fixture
def world(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    world = {"app": app, "people": people, "tokens": issue_tokens(app, people)}
    world["aid"] = new_assessment(app, people["R"], ANSWERS, submit=True, title="Zoned")
    _set(world, submitted_at=MOMENT)
    with app.app_context():
        from app.extensions import db
        from app.models import Comment

        db.session.add(Comment(assessment_id=world["aid"], author_id=people["V"],
                               text="Where is the budget line?", submission_number=1, created_at=COMMENTED))
        db.session.commit()
    return world


def _set(world, **times):
    from app.extensions import db
    from app.models import Assessment

    with world["app"].app_context():
        assessment = db.session.get(Assessment, world["aid"])
        for name, value in times.items():
            setattr(assessment, name, value)
        db.session.commit()


def _zone(world, who, zone):
    from app.extensions import db
    from app.models import User

    with world["app"].app_context():
        db.session.get(User, world["people"][who]).time_zone = zone
        db.session.commit()


def _get(world, who, path, cookie=None, lang=None):
    client = world["app"].test_client()
    if cookie:
        client.set_cookie("tz", cookie)
    headers = {"Authorization": f"Bearer {world['tokens'][who]}"}
    if lang:
        headers["Accept-Language"] = lang
    r = client.get(path, headers=headers)
    assert r.status_code == 200 and r.mimetype == "application/pdf", r.get_data(as_text=True)[:300]
    return r, " ".join(pdftotext(r.data).split())


def test_each_reader_gets_the_times_in_their_zone_with_the_offset_and_their_own_copy(world):
    scorecard = f"/api/v1/assessments/{world['aid']}/report.pdf?kind=scorecard"
    r, utc = _get(world, "V", scorecard)                                   # nothing known: UTC, said
    assert "Submitted 4 December 2026, 17:25 UTC" in utc and r.headers["X-Report-Cache"] == "miss"
    _zone(world, "V", "Asia/Kolkata")
    r, kolkata = _get(world, "V", scorecard, cookie="America/New_York")   # the account wins
    assert "Submitted 4 December 2026, 22:55 UTC+5:30" in kolkata and r.headers["X-Report-Cache"] == "miss"
    r, new_york = _get(world, "R", scorecard, cookie="America/New_York")  # no account zone: the browser's
    assert "Submitted 4 December 2026, 12:25 UTC-5" in new_york and r.headers["X-Report-Cache"] == "miss"
    r, again = _get(world, "R", scorecard, cookie="America/New_York")
    assert r.headers["X-Report-Cache"] == "hit" and again == new_york       # shared within a zone
    _zone(world, "V", None)
    r, _text = _get(world, "V", scorecard)
    assert r.headers["X-Report-Cache"] == "hit"                             # the UTC copy, kept


def test_the_gap_report_comments_and_a_french_reader(world):
    _zone(world, "V", "Africa/Nairobi")
    _r, text = _get(world, "V", f"/api/v1/assessments/{world['aid']}/report.pdf?kind=gap")
    assert "Submitted 4 December 2026, 20:25 UTC+3" in text
    assert "5 December 2026, 01:10 UTC+3" in text and "Where is the budget line?" in text
    _r, french = _get(world, "V", f"/api/v1/assessments/{world['aid']}/report.pdf?kind=scorecard", lang="fr")
    assert "4 décembre 2026, 20:25 UTC+3" in french


def test_the_filled_in_form_says_when_its_answers_were_saved_in_the_readers_zone(world):
    _set(world, updated_at=MOMENT)
    _zone(world, "R", "Asia/Kolkata")
    _r, text = _get(world, "R", f"/api/v1/assessments/{world['aid']}/form.pdf")
    assert "ANSWERS FILLED IN AS OF 4 December 2026, 22:55 UTC+5:30" in text    # labels in capitals (CSS)
    _zone(world, "R", None)
    r, text = _get(world, "R", f"/api/v1/assessments/{world['aid']}/form.pdf")
    assert r.headers["X-Report-Cache"] == "miss" and "4 December 2026, 17:25 UTC" in text


def test_the_warm_up_renders_in_the_zone_of_the_change(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES, REPORT_WARMING=True)
    people = make_people(app)
    world = {"app": app, "people": people, "tokens": issue_tokens(app, people)}
    world["aid"] = new_assessment(app, people["R"], ANSWERS, submit=True, title="Warm and zoned")
    _zone(world, "V", "Africa/Nairobi")
    r = world["app"].test_client().post(f"/api/v1/assessments/{world['aid']}/review", json={"action": "start"},
                                        headers={"Authorization": f"Bearer {world['tokens']['V']}"})
    assert r.status_code == 200
    app.extensions["report_warmer"].wait(timeout=120)
    r, text = _get(world, "V", f"/api/v1/assessments/{world['aid']}/report.pdf?kind=scorecard")
    assert r.headers["X-Report-Cache"] == "hit" and "UTC+3" in text
