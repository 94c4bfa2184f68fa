"""The review pages as a reviewer reads them (QA findings), through real HTTP requests:
the government-and-civil-society view opens on a period that has both; every difference
shown agrees with the rounded numbers beside it; the trend names the items that changed and
counts periods with correct plurals; a refused comment is reported at the top of the page."""
from __future__ import annotations

import re

import pytest

from tests.factories import login, org_of, questionnaire, set_scores


def _select_value(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    match = re.search(r'<option selected value="([^"]*)"', select) or \
        re.search(r'<option value="([^"]*)" selected', select)
    return match.group(1) if match else None


def _row(html: str, caption_id: str, label: str) -> str:
    """The text of the row whose header contains ``label`` in the table captioned ``caption_id``."""
    table = html.split(f'id="{caption_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    row = next(r for r in table.split("</tr>") if label in r)
    return re.sub(r"<[^>]+>", " ", row)


# -- 1. government against civil society: the period shown -------------------------------------
def test_divergence_opens_on_the_latest_period_with_both(app, client, world, make_assessment):
    """QA: the view opened on 2026 ("No civil-society assessment…") although 2025 has a pair."""
    from tests.factories import full_answers

    q = questionnaire(app)
    make_assessment(world.gov, full_answers(q, 3), submit=True, period="2026", title="Gov 2026")
    make_assessment(world.gov, full_answers(q, 1), submit=True, period="2024", title="Gov 2024")
    login(client, "reviewer@un.example")
    r = client.get("/review/divergence")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert _select_value(html, "period") == "2025"
    assert "Divergence list, largest first" in html and "No civil-society assessment" not in html
    assert ("Showing 2025, the most recent period with both a government and a civil-society "
            "assessment of Kenya") in html
    # a period chosen is kept, and says where both exist
    html = client.get("/review/divergence?jurisdiction=KE&period=2026").get_data(as_text=True)
    assert _select_value(html, "period") == "2026" and "Showing 2025" not in html
    assert "No civil-society assessment for this jurisdiction and period yet." in html
    assert 'href="/review/divergence?jurisdiction=KE&amp;period=2025"' in html


def test_divergence_falls_back_to_the_latest_period_when_none_has_both(app, client, world, make_assessment):
    from tests.factories import full_answers

    q = questionnaire(app)
    make_assessment(world.gov, full_answers(q, 2), submit=True, jurisdiction="KE-30", period="2023")
    make_assessment(world.gov, full_answers(q, 2), submit=True, jurisdiction="KE-30", period="2024")
    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE-30").get_data(as_text=True)
    assert _select_value(html, "period") == "2024"
    assert "No period has both a government and a civil-society assessment" in html
    assert "Showing the latest period, 2024." in html
    assert "No civil-society assessment for this jurisdiction and period yet." in html


# -- 2. differences agree with the numbers shown ---------------------------------------------------
def test_compare_differences_are_those_of_the_rounded_scores(app, client, world):
    """QA: 35.3 against 49.5 was shown with +14.3 (the unrounded difference).  Here the
    unrounded difference, 14.11, would show as +14.1 beside 35.3 and 49.5."""
    set_scores(app, world.gov_submitted, overall=35.34, areas={"a": 35.34, "b": 60.04},
                levels={"a4": 2.66})
    set_scores(app, world.ngo_submitted, overall=49.45, areas={"a": 49.45, "b": 60.0},
                levels={"a4": 1.34})
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}").get_data(as_text=True)
    overall = _row(html, "overall-caption", "Overall readiness")
    assert "35.3" in overall and "49.5" in overall
    assert "+14.2" in overall and "14.1" not in overall          # difference and spread alike
    assert overall.count("14.2") == 2
    area_a = _row(html, "areas-caption", "(a)")
    assert "+14.2" in area_a and "14.1" not in area_a
    area_b = _row(html, "areas-caption", "(b)")                   # 60.04 and 60.0: no difference shown
    assert "60.0" in area_b and "0.0" in area_b and "\u22120.0" not in area_b
    # item levels: 2.66 and 1.34 are shown as 2.7 and 1.3, so the gap is 1.4 (not 1.3)
    a4 = _row(html, "items-caption", ">a4<")
    assert "2.7" in a4 and "1.3" in a4 and "1.4" in a4.rsplit("1.3", 1)[1]
    # the API keeps the raw values
    body = client.get(f"/api/v1/compare?ids={world.gov_submitted},{world.ngo_submitted}",
                      headers=world.headers("reviewer")).get_json()
    assert body["overall"]["differences"][1] == pytest.approx(14.11)


def test_divergence_differences_are_those_of_the_rounded_values(app, client, world):
    set_scores(app, world.gov_submitted, areas={"a": 35.34}, levels={"a4": 2.66})
    set_scores(app, world.ngo_submitted, areas={"a": 49.45}, levels={"a4": 1.34})
    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE&period=2025").get_data(as_text=True)
    area_a = _row(html, "area-div-caption", "(a)")
    assert "35.3" in area_a and "49.5" in area_a and "+14.2" in area_a and "14.1" not in area_a
    a4 = _row(html, "divergence-caption", ">a4<")
    assert "2.7" in a4 and "1.3" in a4 and "\u22121.4" in a4


def test_trend_differences_are_those_of_the_rounded_scores(app, client, world, make_assessment):
    """QA: 34.4 → 45.8 was shown with +11.5 (the unrounded 11.48)."""
    from tests.factories import full_answers

    q = questionnaire(app)
    old = make_assessment(world.gov, full_answers(q, 1), submit=True, period="2024", title="Gov 2024")
    set_scores(app, old, overall=34.36, areas={"a": 34.36, "b": 50.01, "c": 40.0})
    set_scores(app, world.gov_submitted, overall=45.84, areas={"a": 45.84, "b": 50.04, "c": 40.06})
    login(client, "reviewer@un.example")
    html = client.get(f"/review/trend?jurisdiction=KE&organisation={org_of(app, world.gov)}").get_data(as_text=True)
    headline = re.sub(r"<[^>]+>", " ", html.split('class="rv-trend-headline"', 1)[1].split("</p>", 1)[0])
    assert "34.4" in headline and "45.8" in headline and "+11.4" in headline and "11.5" not in headline
    improved = re.sub(r"<[^>]+>", " ", html.split("Areas that improved", 1)[1].split("</ul>", 1)[0])
    assert "34.4 → 45.8 ( +11.4 )" in " ".join(improved.split())
    # 50.01 → 50.04 shows as 50.0 → 50.0: not an improvement; 40.0 → 40.06 shows as +0.1
    assert "(b)" not in improved and "40.0 → 40.1" in improved
    # the comparison tables below: against the previous period, from the rounded scores
    overall = _row(html, "overall-caption", "Overall readiness")
    assert "+11.4" in overall and "11.5" not in overall


def test_trend_compares_each_period_with_the_previous_and_draws_lines(app, client, world, make_assessment):
    """Issue 18: "Areas that regressed: None" (first against last) while (d) fell from 62.0
    to 45.0 between the last two periods.  Each step is now listed with its periods, and the
    scores over all periods are drawn, one line chart per score, with a data table."""
    from tests.factories import full_answers

    q = questionnaire(app)
    old = make_assessment(world.gov, full_answers(q, 1), submit=True, period="2024", title="Gov 2024")
    new = make_assessment(world.gov, full_answers(q, 2), submit=True, period="2026", title="Gov 2026")
    set_scores(app, old, overall=40.0, areas={"d": 40.0})
    set_scores(app, world.gov_submitted, overall=50.0, areas={"d": 62.0})
    set_scores(app, new, overall=55.0, areas={"d": 45.0})
    login(client, "reviewer@un.example")
    html = client.get(f"/review/trend?jurisdiction=KE&organisation={org_of(app, world.gov)}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    step = text.split("2025 to 2026", 1)[1].split("Areas that improved", 1)[0]
    assert "Areas that regressed" in step and "(d)" in step and "62.0 → 45.0 ( −17.0 )" in step
    earlier = text.split("2024 to 2025", 1)[1].split("2025 to 2026", 1)[0]
    assert "40.0 → 62.0 ( +22.0 )" in earlier.split("Areas that improved", 1)[1]
    # first against last: (d) rose 40.0 -> 45.0, so it is an improvement there
    first_last = text.split("First period against the last (2024 to 2026)", 1)[1]
    assert "40.0 → 45.0 ( +5.0 )" in first_last.split("Areas that improved", 1)[1].split("Layers", 1)[0]
    # the line charts: the overall score and each area, accessible, with their table
    charts = html.split('id="trend-charts-title"', 1)[1].split("</section>", 1)[0]
    assert charts.count('role="img"') == 1 + len(q.areas)
    assert "Line chart of Overall readiness from 0 to 100 over the periods: 2024 40.0; 2025 50.0; 2026 55.0." in charts
    table = charts.split('id="trend-data-caption"', 1)[1]
    assert re.search(r'<th scope="col">2024</th><th scope="col">2025</th><th scope="col">2026</th>', table)
    row_d = _row(charts, "trend-data-caption", "(d)")
    assert row_d.split()[-3:] == ["40.0", "62.0", "45.0"]


# -- 3. the trend page: organisations, items ----------------------------------------------------
def test_trend_names_changed_items_with_their_question_and_counts_periods(app, client, world, make_assessment):
    from app.i18n import localize
    from app.results.presenter import shorten
    from tests.factories import full_answers

    q = questionnaire(app)
    make_assessment(world.gov, full_answers(q, 2) | {"a3": {"level": 0}}, submit=True, period="2024",
                    title="Gov 2024")
    login(client, "reviewer@un.example")
    html = client.get(f"/review/trend?jurisdiction=KE&organisation={org_of(app, world.gov)}").get_data(as_text=True)
    improved = html.split("Items that improved", 1)[1].split("</ul>", 1)[0]
    prompt = shorten(localize(q.item_map["a3"].prompt), 90)
    assert '<span class="rv-item-key">a3</span>' in improved
    with app.test_request_context():
        from markupsafe import escape
        assert str(escape(prompt)) in improved and "level 0 to 2" in improved
    assert len(prompt) <= 90
    # the organisations, with their number of periods in correct English
    select = re.search(r'<select[^>]*name="organisation"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert "Ministry (2 periods)" in select and "Coalition (1 period)" in select
    assert "(1 periods)" not in select
    # the select is not squeezed into a column of the filter grid
    form = html.split('aria-labelledby="trend-choose"', 1)[1].split("</form>", 1)[0]
    grid = re.search(r'<div class="rv-filter-grid">(.*?)</div>\s*</div>', form, re.S)
    assert grid is None or 'name="organisation"' not in grid.group(0)


def test_count_strings_of_a_comparison_use_plurals(app, client, world):
    """One more assessment than the radar overlays: "1 more is in the tables"."""
    from app.charts import MAX_SERIES
    from tests.factories import clone_submitted

    ids = [world.gov_submitted, world.ngo_submitted] + clone_submitted(app, world.gov_submitted, MAX_SERIES - 1)
    login(client, "reviewer@un.example")
    html = client.get("/review/compare?ids=" + ",".join(map(str, ids))).get_data(as_text=True)
    assert f"The chart overlays the first {MAX_SERIES} assessments." in html
    assert "1 more is in the tables." in html and "1 more are" not in html


# -- 4. a refused comment ----------------------------------------------------------------------
def test_a_blank_comment_is_reported_at_the_top_with_a_link_to_the_field(client, world):
    """QA: a whitespace-only comment came back with "This field is required." far down a
    long page, nothing at the top."""
    from tests.factories import csrf_token

    login(client, "reviewer@un.example")
    url = f"/review/assessments/{world.gov_submitted}"
    r = client.post(url + "/comments", data={"item": "b2", "text": "   \n  ",
                                             "csrf_token": csrf_token(client, url)})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert summary, "no error summary"
    tag = summary.group(0).split(">", 1)[0]
    assert 'role="alert"' in tag and 'tabindex="-1"' in tag and "data-error-summary" in tag
    assert '<a href="#text">Write the comment (at most 20,000 characters).</a>' in summary.group(0)
    # at the top: before the workflow, the history and the comments
    assert html.index("error-summary") < html.index('id="history-title"') < html.index('id="comment-form"')
    assert "js/error-summary.js" in html                     # focus moves to the summary
    # the field says so too, and keeps what was chosen and typed
    textarea = re.search(r'<textarea[^>]*id="text"[^>]*>(.*?)</textarea>', html, re.S)
    assert 'aria-invalid="true"' in textarea.group(0) and "text-error" in textarea.group(0)
    assert textarea.group(1).strip("\r\n") == "   \n  "
    assert _select_value(html, "item") == "b2"
    assert "This field is required." not in html


def test_a_refused_return_is_reported_at_the_top_with_a_link_to_the_reason(client, world):
    from tests.factories import csrf_token

    login(client, "reviewer@un.example")
    url = f"/review/assessments/{world.gov_submitted}"
    token = csrf_token(client, url)
    assert client.post(url + "/transition", data={"action": "start", "csrf_token": token}).status_code == 302
    r = client.post(url + "/transition", data={"action": "return", "reason": " ", "csrf_token": token})
    assert r.status_code == 422
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', r.get_data(as_text=True), re.S).group(0)
    assert '<a href="#reason">Say why you return the assessment' in summary


def test_evidence_web_addresses_are_links_on_the_review_page_and_nothing_else_is(app, client, world, make_assessment):
    """Issue 18: evidence URLs were plain text on the review page (links only on the answers
    page); http and https only: a ``javascript:`` reference stays text."""
    from tests.factories import full_answers

    q = questionnaire(app)
    evidence = [{"type": "law", "reference": "https://example.org/children-act", "note": ""},
                {"type": "policy", "reference": "javascript:alert(1)", "note": ""},
                {"type": "data", "reference": "Statistics Office, 2024", "note": ""}]
    answers = full_answers(q, 2)
    answers["a1"] = dict(answers["a1"], evidence=evidence)
    aid = make_assessment(world.gov, answers, submit=True, period="2024", title="Gov 2024")
    login(client, "reviewer@un.example")
    html = client.get(f"/review/assessments/{aid}").get_data(as_text=True)
    assert '<a href="https://example.org/children-act" rel="noopener noreferrer">' in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html
    assert "Statistics Office, 2024</span>" in html
