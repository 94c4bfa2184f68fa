"""The reports from the review area (QA pass), through the real stack (test client, the
embedded job queue): the review pages link the results, the answers and the PDFs (and the
list links each row's results), only for whoever may open them; "Download reports (ZIP)"
starts one batch job through the same operation as ``POST /api/v1/reports/batch``, shows its
progress on a page that works without JavaScript and ends with the ZIP of the right PDFs;
nothing selected, or an assessment the reviewer may not see, goes back to the list saying so."""
from __future__ import annotations

import html as html_lib
import io
import re
import zipfile

import pytest

from tests.factories import MINI_ANSWERS, csrf_token, login, mini_world, new_assessment

EMAILS = {"R": "r@a.example", "O": "o@b.example", "V": "v@un.example", "A": "admin@site.example"}


@pytest.fixture
def world(tmp_path):
    world = mini_world(tmp_path)
    return world | {"other": new_assessment(world["app"], world["people"]["O"], MINI_ANSWERS, submit=True,
                                            title="Another submitted")}


def client_of(world, who):
    client = world["app"].test_client()
    login(client, EMAILS[who])
    return client


def hrefs(page: str) -> set[str]:
    return {html_lib.unescape(h) for h in re.findall(r'href="([^"]*)"', page)}


def flashes(page: str) -> list[str]:
    return [html_lib.unescape(m) for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page, re.S)]


# -- 1. links from the review pages ------------------------------------------------------------
def test_review_pages_link_the_results_answers_and_pdfs_and_each_link_opens(world):
    client, a = client_of(world, "V"), world["submitted"]
    wanted = {f"/assessments/{a}/results", f"/assessments/{a}/answers",
              f"/assessments/{a}/report.pdf?kind=gap", f"/assessments/{a}/report.pdf?kind=scorecard"}
    for page in (f"/review/assessments/{a}", f"/review/assessments/{a}/submissions/1"):
        r = client.get(page)
        assert r.status_code == 200, page
        assert wanted <= hrefs(r.get_data(as_text=True)), page
    for url in sorted(wanted):
        assert client.get(url).status_code in (200, 202), url       # a PDF may still be rendering
    listing = client.get("/review").get_data(as_text=True)
    assert f"/assessments/{a}/results" in hrefs(listing)
    assert f"/assessments/{world['other']}/results" in hrefs(listing)


def test_the_links_are_offered_only_where_they_open(world):
    a = world["submitted"]
    # another organisation's respondent: no review page of it at all
    assert client_of(world, "O").get(f"/review/assessments/{a}").status_code == 404
    # a respondent has no review list, hence no batch action, and may not start one
    respondent = client_of(world, "R")
    assert respondent.get("/review").status_code == 403
    token = csrf_token(respondent, "/account")
    assert respondent.post("/review/reports", data={"ids": [a], "csrf_token": token}).status_code == 403
    # the reviewer's list offers the batch; the respondent's own review page links her results
    assert "Download reports (ZIP)" in client_of(world, "V").get("/review").get_data(as_text=True)
    page = respondent.get(f"/review/assessments/{a}").get_data(as_text=True)
    assert f"/assessments/{a}/results" in hrefs(page)


# -- 2. a batch of reports from the list ---------------------------------------------------------
def start(client, ids, **fields):
    token = csrf_token(client, "/account")
    return client.post("/review/reports", data={"ids": [str(i) for i in ids], "csrf_token": token,
                                                "report_kind": "scorecard", "report_lang": "fr"} | fields)


@pytest.mark.slow  # renders two PDFs
def test_a_batch_from_the_list_shows_progress_then_the_zip_of_the_right_pdfs(world):
    app, client = world["app"], client_of(world, "V")
    ids = [world["submitted"], world["other"]]
    r = start(client, ids, status="submitted")
    assert r.status_code == 303, r.get_data(as_text=True)[:300]
    page_url = r.headers["Location"]
    job = re.fullmatch(r"/review/reports/(batch-[0-9a-f]+)", page_url).group(1)
    page = client.get(page_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    if "The ZIP is ready" not in text:      # still running: reloads itself without JavaScript
        assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', text)
        assert re.search(r"of 2 done", text) and f"/api/v1/jobs/{job}" in text  # polled with it
    with app.app_context():
        from app.jobs import queue

        state = queue().wait(job, 180)
        assert state.status == "done", state.error
        assert state.meta["lang"] == "fr" and state.meta["kind"] == "scorecard"
    text = client.get(page_url).get_data(as_text=True)
    assert "The ZIP is ready" in text and "http-equiv" not in text
    assert f"/api/v1/jobs/{job}/result" in hrefs(text)
    result = client.get(f"/api/v1/jobs/{job}/result")
    assert result.status_code == 200 and result.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert sorted(archive.namelist()) == sorted(f"readiness-scorecard-KE-2026-a{i}.pdf" for i in ids)
    assert all(archive.read(n)[:5] == b"%PDF-" for n in archive.namelist())
    # the batch is its asker's: another reviewer-area user does not see its page
    assert client_of(world, "A").get(page_url).status_code == 404


def test_nothing_selected_goes_back_to_the_list_saying_so(world):
    client = client_of(world, "V")
    for ids in ([], ["abc"], list(range(1, 202))):
        r = start(client, ids, status="submitted")
        assert r.status_code == 302 and r.headers["Location"].startswith("/review?"), ids
        assert "status=submitted" in r.headers["Location"]         # the filters kept
        shown = flashes(client.get(r.headers["Location"]).get_data(as_text=True))
        assert shown == ["Select from 1 to 200 assessments to download their reports."], ids


def test_assessments_the_reviewer_may_not_see_are_refused_before_anything_runs(world):
    client = client_of(world, "V")
    for ids in ([world["submitted"], world["draft"]], [world["submitted"], 999999]):
        r = start(client, ids)
        assert r.status_code == 302 and r.headers["Location"].startswith("/review"), ids
        shown = flashes(client.get(r.headers["Location"]).get_data(as_text=True))
        assert shown == ["Some of the selected assessments are not ones you may see. Select again from the list."]
    # a job id that is not a batch of theirs, or not a job at all: no page
    for job in ("batch-0123456789abcdef", "Robert'); DROP", "x"):
        assert client.get(f"/review/reports/{job}").status_code == 404
    # hostile fields are refused with a page, never a 500; no token, no job
    assert start(client, [world["submitted"]], report_kind="poster").status_code == 400
    assert start(client, [world["submitted"]], report_lang="xx").status_code == 400
    assert client.post("/review/reports", data={"ids": [world["submitted"]]}).status_code == 400


def test_the_list_starts_a_batch_through_a_page_that_posts_with_the_token(world):
    """The list's form is a GET form (compare, export): it carries no CSRF token, which would
    travel in every compare and export address; its batch button opens a page that does."""
    client = client_of(world, "V")
    listing = client.get("/review").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="selection-form"[^>]*>.*?</form>', listing, re.S)
    assert form and "Download reports (ZIP)" in form.group(0)
    assert "csrf_token" not in form.group(0)
    assert 'formaction="/review/reports/confirm"' in form.group(0)
    a, b = world["submitted"], world["other"]
    r = client.get("/review/reports/confirm", query_string={"ids": [a, b], "report_kind": "scorecard",
                                                            "report_lang": "fr", "status": "submitted"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    post = re.search(r'<form method="post" action="/review/reports">.*?</form>', page, re.S)
    assert post, page[:500]
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', post.group(0))
    assert ("ids", str(a)) in fields and ("ids", str(b)) in fields
    assert ("report_kind", "scorecard") in fields and ("report_lang", "fr") in fields
    assert ("status", "submitted") in fields and any(k == "csrf_token" and v for k, v in fields)
    assert "Scorecards of 2 assessments, in one ZIP." in page
    # nothing selected: back to the list, saying so, before any page
    r = client.get("/review/reports/confirm", query_string={"status": "submitted"})
    assert r.status_code == 302 and "status=submitted" in r.headers["Location"]
    assert flashes(client.get(r.headers["Location"]).get_data(as_text=True)) == [
        "Select from 1 to 200 assessments to download their reports."]
    assert client.get("/review/reports/confirm", query_string={"ids": [a], "report_kind": "poster"}).status_code == 400


@pytest.mark.parametrize("lang, line", [("zh", "语言：中文"), ("fr", "Langue : Français"), ("en", "Language: English")])
def test_the_batch_page_names_the_language_with_the_punctuation_of_the_readers_language(world, lang, line):
    """The label and its colon were written apart ("语言: 中文", a Latin colon in Chinese,
    none of the no-break space French puts before it)."""
    client = client_of(world, "V")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    page = client.get("/review/reports/confirm", query_string={
        "ids": [world["submitted"]], "report_kind": "gap", "report_lang": lang}).get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", "", html_lib.unescape(page)).replace("\u00a0", " ").split())
    assert line in text, text[text.find("ZIP."):text.find("ZIP.") + 120]
