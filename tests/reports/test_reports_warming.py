"""Reports rendered ahead of their first download (``app.reports.warming``): a submit, a review
decision and a comment, made through the real API, fill the PDF cache in the background so
that the next download is a hit; draft saves and refused changes warm nothing; a download
of a report being rendered shares that render job instead of starting another.  Uses the small
test questionnaire, so that each render is quick."""
from __future__ import annotations

import pytest

from tests.factories import FIXTURES, issue_tokens, make_people, new_assessment, pdf_pages, seed_app

pytestmark = pytest.mark.slow  # renders reports ahead of downloads

ANSWERS = {"a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act 5 of 2019"}]},
           "b1": {"selected": ["crc", "opsc"]}, "c1": {"value": 70}, "d1": {"option": "partly"}}


@pytest.fixture
def world(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES, REPORT_WARMING=True)
    people = make_people(app)
    tokens = issue_tokens(app, people)
    return {"app": app, "people": people, "tokens": tokens, "cache": tmp_path / "pdf-cache"}


def call(world, who, method, path, json=None):
    client = world["app"].test_client()
    return client.open(path, method=method, json=json,
                       headers={"Authorization": f"Bearer {world['tokens'][who]}"})


def settle(world) -> set[str]:
    """Waits for the warm-up to finish; the names of the cached PDFs."""
    world["app"].extensions["report_warmer"].wait(timeout=120)
    return {p.name for p in world["cache"].glob("*.pdf")} if world["cache"].is_dir() else set()


def download(world, who, assessment_id, kind):
    r = call(world, who, "GET", f"/api/v1/assessments/{assessment_id}/report.pdf?kind={kind}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r


def test_submit_warms_both_reports_and_the_download_is_a_hit(world):
    aid = new_assessment(world["app"], world["people"]["R"], ANSWERS, title="Warm me")
    assert settle(world) == set()                      # created and answered: a draft, not warmed
    r = call(world, "R", "POST", f"/api/v1/assessments/{aid}/submit")
    assert r.status_code == 200, r.get_data(as_text=True)
    cached = settle(world)
    assert len(cached) == 2                            # the gap report and the scorecard
    for kind in ("gap", "scorecard"):
        r = download(world, "R", aid, kind)
        assert r.headers["X-Report-Cache"] == "hit"
        assert "Warm me" in "".join(pdf_pages(r.data))
    assert settle(world) == cached                     # downloading rendered nothing new


def test_review_decision_and_comment_warm_the_changed_report(world):
    aid = new_assessment(world["app"], world["people"]["R"], ANSWERS, submit=True, title="Under review")
    assert settle(world) == set()                      # submitted outside a request: not warmed
    r = call(world, "V", "POST", f"/api/v1/assessments/{aid}/review", json={"action": "start"})
    assert r.status_code == 200, r.get_data(as_text=True)
    after_start = settle(world)
    assert len(after_start) == 2
    assert download(world, "V", aid, "gap").headers["X-Report-Cache"] == "hit"

    r = call(world, "V", "POST", f"/api/v1/assessments/{aid}/comments",
             json={"item": None, "text": "Please add the 2025 budget figures."})
    assert r.status_code == 201, r.get_data(as_text=True)
    after_comment = settle(world)
    assert len(after_comment - after_start) == 2       # the comment is in the reports: new PDFs
    r = download(world, "V", aid, "gap")
    assert r.headers["X-Report-Cache"] == "hit"
    assert "Please add the 2025 budget figures." in "".join(pdf_pages(r.data))


def test_draft_saves_and_refused_changes_warm_nothing(world):
    aid = new_assessment(world["app"], world["people"]["R"], {"a1": {"level": 1}}, title="Half done")
    r = call(world, "R", "PATCH", f"/api/v1/assessments/{aid}/answers",
             json={"base_revision": 1, "answers": {"a1": {"level": 3}}})
    assert r.status_code == 200, r.get_data(as_text=True)
    r = call(world, "R", "POST", f"/api/v1/assessments/{aid}/submit")  # incomplete: refused
    assert r.status_code == 422
    assert settle(world) == set()
    assert download(world, "R", aid, "scorecard").headers["X-Report-Cache"] == "miss"


def test_warming_off_renders_on_download(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)      # TestConfig: REPORT_WARMING off
    assert "report_warmer" not in app.extensions


def test_two_downloads_of_one_report_share_one_render_job(world, monkeypatch):
    """Two requests for the same uncached report: one render job, both are told to wait for
    it (202, same job), and the download after it is a cache hit."""
    from app.jobs.embedded import EmbeddedQueue

    aid = new_assessment(world["app"], world["people"]["R"], ANSWERS, submit=True, title="Shared")
    started = []
    real_start = EmbeddedQueue._start
    monkeypatch.setattr(EmbeddedQueue, "_start",
                        lambda self, job_id, *a: (started.append(job_id), real_start(self, job_id, *a)))
    world["app"].config["PDF_DOWNLOAD_WAIT_SECONDS"] = 0
    path = f"/api/v1/assessments/{aid}/report.pdf?kind=scorecard"
    first, second = call(world, "R", "GET", path), call(world, "V", "GET", path)
    assert first.status_code == second.status_code == 202
    assert first.get_json()["job"] == second.get_json()["job"]
    assert started == [first.get_json()["job"]]                # rendered once
    with world["app"].app_context():
        from app.jobs import queue

        assert queue().wait(started[0], 120).status == "done"
    assert download(world, "R", aid, "scorecard").headers["X-Report-Cache"] == "hit"
    assert started == [first.get_json()["job"]]


def test_the_owner_s_language_is_warmed_too(world):
    """A reviewer working in English comments; the organisation works in French: both
    languages' reports are ready, and the owner's download (in French) is a hit."""
    from app.extensions import db
    from app.models import User

    app = world["app"]
    app.extensions["report_warmer"].kinds = ("scorecard",)
    with app.app_context():
        db.session.get(User, world["people"]["R"]).locale = "fr"
        db.session.commit()
    aid = new_assessment(app, world["people"]["R"], ANSWERS, submit=True, title="Bilingual")
    r = call(world, "V", "POST", f"/api/v1/assessments/{aid}/comments", json={"item": None, "text": "Noted."})
    assert r.status_code == 201
    assert len(settle(world)) == 2                     # the scorecard in English and in French
    assert download(world, "V", aid, "scorecard").headers["X-Report-Cache"] == "hit"
    owner = download(world, "R", aid, "scorecard")
    assert owner.headers["X-Report-Cache"] == "hit"


def test_a_new_logo_warms_the_organisation_s_finished_reports(world):
    """The logo is on every cover: uploading one renders the organisation's submitted
    assessments again (not its drafts), and their next download is a hit showing it."""
    import io

    from PIL import Image

    app = world["app"]
    app.extensions["report_warmer"].kinds = ("scorecard",)
    done = new_assessment(app, world["people"]["R"], ANSWERS, submit=True, title="With logo")
    new_assessment(app, world["people"]["R"], ANSWERS, title="Still a draft")
    before = download(world, "R", done, "scorecard").data
    assert settle(world) == {p.name for p in world["cache"].glob("*.pdf")} and len(settle(world)) == 1
    png = io.BytesIO()
    Image.new("RGB", (600, 150), "navy").save(png, "PNG")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    assert client.post("/login", data={"email": "r@a.example", "password": "correct-horse-battery"}).status_code == 302
    r = client.post("/organisation/logo", data={"logo": (io.BytesIO(png.getvalue()), "logo.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    assert len(settle(world)) == 2                     # the submitted one again, with the logo
    after = download(world, "R", done, "scorecard")
    assert after.headers["X-Report-Cache"] == "hit" and after.data != before
    assert b"/Subtype /Image" in after.data or b"/Subtype/Image" in after.data
