"""Downloads: the results page route, the API route, the command line; the kind parameter,
authorization, the cache (a repeat download renders nothing) and the time limit.  Uses the
small test questionnaire, so that each render is quick."""
from __future__ import annotations

import io

import pytest

from tests.factories import PASSWORD, api, pdf_pages

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # downloads rendered PDFs

EMAILS = {"R": "r@a.example", "O": "o@b.example", "V": "v@un.example", "A": "admin@site.example"}


def page_client(world, who):
    app = world["app"]
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    r = client.post("/login", data={"email": EMAILS[who], "password": PASSWORD})
    assert r.status_code == 302
    return client


def test_api_downloads_both_kinds(world):
    for kind in ("gap", "scorecard"):
        r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind={kind}")
        assert r.status_code == 200, r.get_data(as_text=True)[:300]
        assert r.mimetype == "application/pdf" and r.data[:5] == b"%PDF-"
        disposition = r.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and f"readiness-{kind}-KE-2026-a" in disposition
        text = "".join(pdf_pages(r.data))
        assert "A submitted" in text


def test_scorecard_keeps_to_two_pages_with_the_longest_title_and_a_logo(world):
    from tests.factories import new_assessment, png_logo, set_logo

    title = ("National assessment of prevention readiness on the sale and sexual exploitation of "
             "children, covering all provinces and counties, prepared with civil society and the "
             "national statistics office, year 2026")[:200]
    assert len(title) == 200
    set_logo(world["app"], world["people"]["R"], png_logo(), "image/png")
    draft = new_assessment(world["app"], world["people"]["R"], {"a1": {"dont_know": True}}, title=title)
    r = api(world, "R", f"/api/v1/assessments/{draft}/report.pdf?kind=scorecard")
    assert r.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(r.data)).pages) <= 2


def test_api_refuses_an_unknown_kind_with_400_json(world):
    r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=poster")
    assert r.status_code == 400 and r.is_json
    assert "kind" in r.get_json()["error"] and r.get_json()["details"]["allowed"] == ["gap", "scorecard"]
    missing = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf")
    assert missing.status_code == 400 and missing.get_json()["details"]["kind"] == "required"


def test_authorization(world):
    draft, submitted = world["draft"], world["submitted"]
    path = "/api/v1/assessments/{}/report.pdf?kind=scorecard"
    assert api(world, "R", path.format(draft)).status_code == 200          # own draft
    assert api(world, "V", path.format(draft)).status_code == 404          # reviewers: no drafts
    assert api(world, "O", path.format(draft)).status_code == 404          # other organisation
    assert api(world, "O", path.format(submitted)).status_code == 404
    assert api(world, "V", path.format(submitted)).status_code == 200
    assert api(world, "A", path.format(submitted)).status_code == 200
    anonymous = world["app"].test_client().get(path.format(submitted))
    assert anonymous.status_code == 401 and anonymous.is_json
    assert api(world, "R", path.format(999999)).status_code == 404


def test_page_route(world):
    client = page_client(world, "R")
    r = client.get(f"/assessments/{world['draft']}/report.pdf?kind=scorecard")
    assert r.status_code == 200 and r.data[:5] == b"%PDF-"
    assert all("DRAFT" in p for p in pdf_pages(r.data))
    assert client.get(f"/assessments/{world['draft']}/report.pdf?kind=nope").status_code == 400
    reviewer = page_client(world, "V")
    assert reviewer.get(f"/assessments/{world['draft']}/report.pdf").status_code == 404
    anonymous = world["app"].test_client().get(f"/assessments/{world['submitted']}/report.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_repeat_download_comes_from_the_cache_without_rendering(world, monkeypatch):
    from app import reports

    path = f"/api/v1/assessments/{world['draft']}/report.pdf?kind=gap"
    first = api(world, "R", path)
    assert first.status_code == 200 and first.headers["X-Report-Cache"] == "miss"
    assert list((world["tmp"] / "pdf-cache").glob("*.pdf"))

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached report was rendered again")

    monkeypatch.setattr(reports, "submit_render", no_rendering)    # no job, no HTML either
    monkeypatch.setattr(reports, "gather", no_rendering)
    again = api(world, "R", path)
    assert again.status_code == 200 and again.headers["X-Report-Cache"] == "hit"
    assert again.data == first.data
    # a changed answer is a new document
    with world["app"].app_context():
        from app.assessments import operations as ops
        from app.extensions import db
        from app.models import Assessment, User

        assessment = db.session.get(Assessment, world["draft"])
        ops.save_answers(assessment, db.session.get(User, world["people"]["R"]), assessment.revision,
                         {"c1": {"value": 95}})
        db.session.commit()
    monkeypatch.undo()
    changed = api(world, "R", path)
    assert changed.headers["X-Report-Cache"] == "miss" and changed.data != first.data


def test_a_render_over_its_time_limit_fails_with_503(world):
    """The render job fails with its reason (the time limit), which the download gives as a
    JSON 503 (a page for people); the next download starts a new job."""
    world["app"].config["PDF_RENDER_TIMEOUT_SECONDS"] = 0.001
    r = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=gap")
    assert r.status_code == 503 and r.is_json
    assert "took too long" in r.get_json()["error"]
    client = page_client(world, "R")
    page = client.get(f"/assessments/{world['submitted']}/report.pdf?kind=gap",
                      headers={"Accept": "text/html"})
    assert page.status_code == 503 and b"took too long" in page.data
    world["app"].config["PDF_RENDER_TIMEOUT_SECONDS"] = 60
    assert api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=gap").status_code == 200


def test_command_line(world):
    app = world["app"]
    out, html = world["tmp"] / "out.pdf", world["tmp"] / "out.html"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "pdf", str(world["submitted"]), "--kind", "scorecard",
                                 "-o", str(out), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    source = html.read_text(encoding="utf-8")
    assert source.startswith("<!doctype html>") and "A submitted" in source and "@font-face" in source
    assert len(pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages) <= 2
    missing = runner.invoke(args=["report", "pdf", "999999", "-o", str(out)])
    assert missing.exit_code != 0 and "no assessment" in missing.output
    bad = runner.invoke(args=["report", "pdf", str(world["submitted"]), "--kind", "poster", "-o", str(out)])
    assert bad.exit_code == 2
    warmed = runner.invoke(args=["report", "warm", "--kind", "scorecard"])
    assert warmed.exit_code == 0 and f"assessment {world['submitted']} scorecard: rendered" in warmed.output
    assert f"assessment {world['draft']} " not in warmed.output          # drafts change: not warmed
    again = runner.invoke(args=["report", "warm", str(world["submitted"]), "--kind", "scorecard"])
    assert "already cached" in again.output
    hit = api(world, "R", f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=scorecard")
    assert hit.headers["X-Report-Cache"] == "hit"
    cleared = runner.invoke(args=["report", "clear-cache"])
    assert cleared.exit_code == 0 and "removed" in cleared.output


def test_cache_key_follows_every_input_on_each_backend(app, make_user, make_assessment):
    """The key of a repeat download (no rendering here): stable while nothing changes, new
    when an answer, its evidence, a comment, the title or the logo changes."""
    from app.assessments import operations as ops
    from app.extensions import db
    from app.models import Assessment, Comment, User
    from app.reports import report_key
    from tests.factories import full_answers

    uid = make_user("r@a.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = make_assessment(uid, answers=full_answers(q))
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        user = db.session.get(User, uid)
        keys = [report_key(assessment, "gap")]
        assert report_key(assessment, "gap") == keys[0]
        assert report_key(assessment, "scorecard") != keys[0]
        key = q.scored_items[0].key
        ops.save_answers(assessment, user, assessment.revision, {key: {"level": 3}})
        keys.append(report_key(assessment, "gap"))
        ops.save_answers(assessment, user, assessment.revision, {key: {
            "level": 3, "evidence": [{"type": "law", "reference": "Act 1"}]}})
        keys.append(report_key(assessment, "gap"))
        db.session.add(Comment(assessment_id=aid, author_id=uid, text="A comment"))
        db.session.flush()
        keys.append(report_key(assessment, "gap"))
        assessment.title = "Another title"
        keys.append(report_key(assessment, "gap"))
        user.organisation.logo, user.organisation.logo_mime = b"\x89PNG...", "image/png"
        db.session.flush()
        keys.append(report_key(assessment, "gap"))
        db.session.rollback()
    assert len(set(keys)) == len(keys)
