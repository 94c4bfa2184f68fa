"""Shadow assessments (issue 18) through the real stack, on SQLite and PostgreSQL: key
messages through the API and the page (limits, who may, escaped), the marking of NGO
assessments, the government's score beside an NGO's only when it is submitted and the viewer
may see it, and the "how to cite" line.  The PDFs are read back in tests/shadow/test_shadow_reports.py.
Uses the small test questionnaire."""
from __future__ import annotations

from markupsafe import escape

from tests.factories import SCRIPT, call, csrf_token, signed_in, submit


# -- key messages: the API ------------------------------------------------------------------
def test_key_messages_are_replaced_tidied_and_refused_past_the_limits(world):
    path = f"/api/v1/assessments/{world['ngo']}/key-messages"
    r = call(world, "N", "PUT", path, json={"key_messages": [" First  line\nsecond line ", "", SCRIPT]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"key_messages": ["First line second line", SCRIPT], "changed": True,
                            "max_messages": 5, "max_length": 300}
    assert call(world, "N", "PUT", path, json={"key_messages": ["First line second line", SCRIPT]}
                ).get_json()["changed"] is False
    refused = {
        "six": {"key_messages": [f"m{n}" for n in range(6)]},
        "long": {"key_messages": ["ok", "x" * 301]},
        "not a list": {"key_messages": "one text"},
        "not texts": {"key_messages": [1, {"a": 2}]},
        "missing": {"messages": []},
    }
    for name, body in refused.items():
        r = call(world, "N", "PUT", path, json=body)
        assert r.status_code == 422, (name, r.status_code, r.get_json())
        assert r.get_json()["details"], name
    assert call(world, "N", "PUT", path, json={"key_messages": ["x" * 300] * 5}).status_code == 200
    assert call(world, "N", "GET", path).get_json()["key_messages"] == ["x" * 300] * 5
    # Whoever may edit, only: the other organisation does not see it, the reviewer sees no draft.
    for who in ("G", "V"):
        assert call(world, who, "PUT", path, json={"key_messages": []}).status_code == 404
    assert call(world, "N", "PUT", path, json={"key_messages": []}).get_json()["key_messages"] == []


def test_key_messages_are_read_only_once_submitted_and_audited(world):
    from app.extensions import db
    from app.models import AuditEntry

    path = f"/api/v1/assessments/{world['ngo']}/key-messages"
    assert call(world, "N", "PUT", path, json={"key_messages": ["Before submitting"]}).status_code == 200
    submit(world, "N", world["ngo"])
    r = call(world, "N", "PUT", path, json={"key_messages": ["After"]})
    assert r.status_code == 409
    assert call(world, "V", "PUT", path, json={"key_messages": ["After"]}).status_code == 403
    assert call(world, "V", "GET", path).get_json()["key_messages"] == ["Before submitting"]
    with world["app"].app_context():
        rows = db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action == "assessment.key_messages")).all()
        assert [(r.old_value, r.new_value) for r in rows] == [([], ["Before submitting"])]


# -- key messages: the page -----------------------------------------------------------------
def test_the_page_saves_key_messages_and_the_results_page_shows_them_escaped(world):
    client = signed_in(world, "N")
    page = f"/assessments/{world['ngo']}/key-messages"
    token = csrf_token(client, page)
    assert client.post(page, data={"message": [SCRIPT, "", "Second"]}).status_code == 400  # no CSRF
    r = client.post(page, data={"csrf_token": token, "message": ["ok", "y" * 301, ""]})
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert "Message 2: 301 characters: at most 300" in text and 'aria-invalid="true"' in text
    r = client.post(page, data={"csrf_token": token, "message": [SCRIPT, "", "Second"]})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/assessments/{world['ngo']}/results#key-messages")
    results = client.get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert str(escape(SCRIPT)) in results and SCRIPT not in results
    assert "Second" in results and "Edit the key messages" in results
    overview = client.get(f"/assessments/{world['ngo']}").get_data(as_text=True)
    assert f"/assessments/{world['ngo']}/key-messages" in overview


def test_visiting_the_key_messages_of_a_submitted_assessment_shows_them_not_a_409(world):
    """QA pass: a GET of the page of a submitted assessment said "nothing was saved" (409)."""
    page = f"/assessments/{world['ngo']}/key-messages"
    client = signed_in(world, "N")
    token = csrf_token(client, page)
    assert client.post(page, data={"csrf_token": token, "message": ["Kept"]}).status_code == 303
    submit(world, "N", world["ngo"])
    for who in ("N", "V"):   # the NGO and a reviewer: to where the messages are shown
        r = signed_in(world, who).get(page)
        assert r.status_code == 303, who
        assert r.headers["Location"].endswith(f"/assessments/{world['ngo']}/results#key-messages")
    # a change is still refused as before, with nothing saved
    r = client.post(page, data={"csrf_token": token, "message": ["Changed"]})
    assert r.status_code == 409
    assert "Kept" in client.get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    # and whoever may not see it still gets nothing
    assert signed_in(world, "G").get(page).status_code == 404


# -- the marking, the government's score, the citation --------------------------------------
def shadow_of(world, who, assessment_id):
    r = call(world, who, "GET", f"/api/v1/assessments/{assessment_id}/shadow")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_only_ngo_assessments_are_marked_and_compared(world):
    submit(world, "N", world["ngo"])
    submit(world, "G", world["gov"])
    assert shadow_of(world, "N", world["ngo"])["independent"] is True
    gov = shadow_of(world, "V", world["gov"])
    assert gov["independent"] is False and gov["government"] is None
    marking = "Independent civil-society assessment"
    assert marking in signed_in(world, "V").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert marking not in signed_in(world, "V").get(f"/assessments/{world['gov']}/results").get_data(as_text=True)


def test_the_government_score_appears_only_once_submitted_and_only_to_who_may_see_it(world):
    submit(world, "N", world["ngo"])
    # The government's draft: nobody is shown it (the reviewer cannot see drafts).
    assert shadow_of(world, "V", world["ngo"])["government"] is None
    # Change the government's answers so that the difference is not zero, then submit.
    patch = {"a1": {"level": 4, "evidence": [{"type": "evaluation", "reference": "Evaluation 2025"}],
                    "confidence": "high"}}
    r = call(world, "G", "GET", f"/api/v1/assessments/{world['gov']}")
    call(world, "G", "PATCH", f"/api/v1/assessments/{world['gov']}/answers",
         json={"base_revision": r.get_json()["revision"], "answers": patch})
    submit(world, "G", world["gov"])
    seen = shadow_of(world, "V", world["ngo"])["government"]
    assert seen["about"]["id"] == world["gov"] and seen["about"]["organisation"] == "Ministry of Justice"
    own = call(world, "V", "GET", f"/api/v1/assessments/{world['ngo']}/score").get_json()
    theirs = call(world, "V", "GET", f"/api/v1/assessments/{world['gov']}/score").get_json()
    assert seen["overall"]["own"] == f"{own['overall']['score']:.1f}"
    assert seen["overall"]["government"] == f"{theirs['overall']['score']:.1f}"
    assert seen["overall"]["difference"].startswith("\u2212")  # the government rated itself higher
    assert [a["code"] for a in seen["areas"]] == list("abcdefghi")
    area_a = next(a for a in seen["areas"] if a["code"] == "a")
    assert area_a["own"] != area_a["government"]
    # The NGO's own respondent may not see the government's assessment: nothing of it shows.
    assert shadow_of(world, "N", world["ngo"])["government"] is None
    reviewer_page = signed_in(world, "V").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    ngo_page = signed_in(world, "N").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert "Beside the government's own assessment" in reviewer_page
    assert seen["overall"]["government"] in reviewer_page and "Self-assessment 2026" in reviewer_page
    assert "government's own assessment" not in ngo_page and "Self-assessment 2026" not in ngo_page


def test_a_returned_government_assessment_is_not_compared(world):
    from app.extensions import db
    from app.models import Assessment, User
    from app.review import operations as review

    submit(world, "N", world["ngo"])
    submit(world, "G", world["gov"])
    with world["app"].app_context():
        gov, reviewer = db.session.get(Assessment, world["gov"]), db.session.get(User, world["people"]["V"])
        review.apply_review(gov, reviewer, "start")
        assert shadow_of(world, "V", world["ngo"])["government"] is not None  # in review: yes
        review.apply_review(gov, reviewer, "return", reason="Evidence missing")
        db.session.commit()
    assert shadow_of(world, "V", world["ngo"])["government"] is None


def test_the_cite_line_names_organisation_title_place_period_year_and_address(world, monkeypatch):
    submit(world, "N", world["ngo"])
    cite = shadow_of(world, "N", world["ngo"])["cite"]
    from datetime import datetime, timezone

    year = datetime.now(timezone.utc).year
    assert cite == (f"Child Rights Network ({year}). Shadow report 2026. Kenya (KE), period 2026. "
                    f"Prevention readiness assessment no. {world['ngo']}, "
                    f"http://localhost/assessments/{world['ngo']}/results.")
    world["app"].config["PUBLIC_URL"] = "https://readiness.example.org/"
    assert shadow_of(world, "N", world["ngo"])["cite"].endswith(
        f"https://readiness.example.org/assessments/{world['ngo']}/results.")
    page = signed_in(world, "N").get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
    assert "How to cite" in page and f"https://readiness.example.org/assessments/{world['ngo']}/results" in page


# -- the citation's year, in the reader's zone ------------------------------------------------
def _submitted_at(world, assessment_id, moment, zones=None):
    """A submission fixed at ``moment`` (UTC), and the people's own zones (letter: IANA name)."""
    from app.extensions import db
    from app.models import Assessment, User

    with world["app"].app_context():
        db.session.get(Assessment, assessment_id).submitted_at = moment
        for who, zone in (zones or {}).items():
            db.session.get(User, world["people"][who]).time_zone = zone
        db.session.commit()


def test_the_cite_year_is_the_year_in_the_readers_zone_around_new_year(world):
    """A submission at 22:30 UTC on 31 December 2025 is 1 January 2026 in Nairobi (UTC+3); one at
    03:00 UTC on 1 January 2026 is still 31 December 2025 in New York (UTC-5).  The line took
    the year in UTC: a year off beside the submission date the same page shows."""
    from datetime import datetime, timezone

    submit(world, "N", world["ngo"])
    eve = datetime(2025, 12, 31, 22, 30, tzinfo=timezone.utc)
    _submitted_at(world, world["ngo"], eve, {"N": "Africa/Nairobi", "V": "UTC"})
    assert shadow_of(world, "N", world["ngo"])["cite"].startswith("Child Rights Network (2026). ")
    assert shadow_of(world, "V", world["ngo"])["cite"].startswith("Child Rights Network (2025). ")
    # the page, in the browser's zone (no zone on the account): the results page's own line
    _submitted_at(world, world["ngo"], datetime(2026, 1, 1, 3, 0, tzinfo=timezone.utc), {"N": None})
    for zone, year in (("America/New_York", 2025), ("Asia/Tokyo", 2026), ("UTC", 2026)):
        client = signed_in(world, "N")
        client.set_cookie("tz", zone)
        page = client.get(f"/assessments/{world['ngo']}/results").get_data(as_text=True)
        assert f"Child Rights Network ({year}). Shadow report 2026." in page, zone
