"""The reviewer's list: filters, sorting, pagination, the policy, bad input, markup
rules, and a fixed number of SQL queries whatever the number of assessments."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories import LATEST, clone_submitted, count_queries, csrf_token, login


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)]


def test_reviewers_list_never_shows_drafts(client, world):
    login(client, "reviewer@un.example")
    r = client.get("/review")
    assert r.status_code == 200
    assert sorted(_ids(r.get_data(as_text=True))) == sorted([world.gov_submitted, world.ngo_submitted])
    assert "Draft 2026" not in r.get_data(as_text=True)


def test_respondents_cannot_use_the_review_area(client, world):
    login(client, "official@ministry.example")
    for url in ("/review", f"/review/compare?ids={world.gov_submitted},{world.gov_draft}",
                "/review/divergence", "/review/trend"):
        assert client.get(url).status_code == 403, url
    assert client.get("/review", follow_redirects=False).status_code == 403


def test_exports_from_the_list_say_what_to_select_and_can_take_everything_filtered(app, client, world):
    """Issue 18: "Export selected" with nothing selected showed a raw JSON error page;
    it now goes back to the list (its filters kept) with a message, as "Compare selected"
    does.  "Export all matching the filters" exports the filtered list, not only a page."""
    login(client, "reviewer@un.example")
    html = client.get("/review?organisation_kind=government").get_data(as_text=True)
    assert 'formaction="/review/export" name="format" value="xlsx"' in html
    assert '<input type="hidden" name="organisation_kind" value="government">' in html
    for fmt in ("xlsx", "csv"):
        r = client.get(f"/review/export?format={fmt}&organisation_kind=government")
        assert r.status_code == 302 and r.headers["Location"].endswith("/review?organisation_kind=government")
        page = client.get(r.headers["Location"]).get_data(as_text=True)
        assert "Select from 1 to 200 assessments to export" in page and "{" not in page.split("<main", 1)[1][:200]
    assert client.get("/review/export?format=csv&ids=abc").status_code == 302
    r = client.get(f"/review/export?format=csv&ids={world.gov_submitted}")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/api/v1/export.csv?ids={world.gov_submitted}")
    # everything matching the filters: the link on the list, then the file
    all_url = re.search(r'href="(/review/export\?[^"]*all=1[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "organisation_kind=government" in all_url
    r = client.get(all_url)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"ids={world.gov_submitted}")
    assert client.get(r.headers["Location"]).status_code == 200
    r = client.get("/review/export?format=csv&all=1&organisation_kind=other")  # matches none
    assert r.status_code == 302


def test_filters_sorting_and_pagination(app, client, world):
    from app.extensions import db
    from app.models import Assessment

    clone_submitted(app, world.ngo_submitted, 30, period=lambda n: str(2000 + n % 3),
                    status=lambda n: ("submitted", "in_review", "accepted")[n % 3])
    with app.app_context():
        db.session.get(Assessment, world.gov_submitted).jurisdiction = "UG"
        db.session.commit()
    login(client, "reviewer@un.example")
    page1 = client.get("/review").get_data(as_text=True)
    assert "32 assessments" in page1 and "page 1 of 2" in page1 and len(_ids(page1)) == 25
    page2 = client.get("/review?page=2").get_data(as_text=True)
    assert len(_ids(page2)) == 7 and not set(_ids(page1)) & set(_ids(page2))
    assert 'rel="prev"' in page2 and 'rel="next"' not in page2
    assert len(_ids(client.get("/review?per_page=50").get_data(as_text=True))) == 32
    # filters
    assert _ids(client.get("/review?jurisdiction=UG").get_data(as_text=True)) == [world.gov_submitted]
    assert len(_ids(client.get("/review?period=2001").get_data(as_text=True))) == 10
    kinds = client.get("/review?organisation_kind=government").get_data(as_text=True)
    assert _ids(kinds) == [world.gov_submitted]
    accepted = client.get("/review?status=accepted&per_page=100").get_data(as_text=True)
    assert len(_ids(accepted)) == 10
    both = client.get("/review?status=accepted&status=in_review&per_page=100").get_data(as_text=True)
    assert len(_ids(both)) == 20
    v = client.get(f"/review?questionnaire=prevention-readiness@{LATEST}&per_page=100").get_data(as_text=True)
    assert len(_ids(v)) == 32
    # a version that is not offered is ignored (as any value not in the choices)
    assert len(_ids(client.get("/review?questionnaire=prevention-readiness@9.9&per_page=100")
                    .get_data(as_text=True))) == 32
    # sorting: by period ascending, by score both ways (the stored overall score)
    asc = _ids(client.get("/review?sort=period&direction=asc&per_page=100").get_data(as_text=True))
    assert asc[-2:] == [world.gov_submitted, world.ngo_submitted]  # 2025 last; ties by id, ascending
    high = _ids(client.get("/review?sort=score&direction=desc&per_page=100").get_data(as_text=True))
    low = _ids(client.get("/review?sort=score&direction=asc&per_page=100").get_data(as_text=True))
    assert high[0] == world.gov_submitted and low[-1] == world.gov_submitted
    title = _ids(client.get("/review?sort=title&direction=asc&per_page=100").get_data(as_text=True))
    assert title[0] == world.gov_submitted  # "Government ..." before "Shadow ..."


def test_bad_list_parameters_are_ignored(client, world):
    login(client, "reviewer@un.example")
    for query in ("page=abc", "page=-4", "page=999999999999", "per_page=7", "sort=password", "direction=up",
                  "status=draft", "organisation_kind=alien", "jurisdiction=%00", "questionnaire=x"):
        r = client.get(f"/review?{query}")
        assert r.status_code == 200, query
    assert "Draft 2026" not in client.get("/review?status=draft").get_data(as_text=True)


def test_list_queries_do_not_grow_with_the_number_of_assessments(app, client, world):
    login(client, "reviewer@un.example")
    client.get("/review")
    counts = []
    for extra in (0, 60):
        if extra:
            clone_submitted(app, world.ngo_submitted, extra, period=lambda n: str(1990 + n))
        with count_queries(app) as statements:
            r = client.get("/review?sort=score")
        assert r.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts


def test_list_markup(client, world):
    login(client, "reviewer@un.example")
    html = client.get("/review").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    # every form control has a label; grouped checkboxes are in a fieldset with a legend
    for control_id in re.findall(r'<(?:select|input|textarea)[^>]*\bid="([^"]+)"', main):
        assert f'for="{control_id}"' in main, control_id
    assert "<fieldset" in main and "<legend>Review status</legend>" in main
    assert "<caption" in main and 'scope="col"' in main and 'scope="row"' in main
    assert " style=" not in main and "<script" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_the_review_page_for_each_role(client, world):
    url = f"/review/assessments/{world.gov_submitted}"
    login(client, "reviewer@un.example")
    html = client.get(url).get_data(as_text=True)
    assert "Start review" in html and "Post comment" in html and "Answers as submitted (submission 1)" in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, "analyst@ngo.example")
    assert client.get(url).status_code == 404
    assert client.get(f"/review/assessments/{world.gov_submitted}/submissions/1").status_code == 404


def test_sorting_by_score_uses_the_indexed_column_whatever_the_total(app, client, world):
    """Sorted by the stored overall score in the database (no limit on the rows), highest
    or lowest first, assessments without a score last either way."""
    from app.extensions import db
    from app.models import Assessment

    copies = clone_submitted(app, world.ngo_submitted, 3)
    with app.app_context():
        for assessment_id, value in zip(copies, (90.5, 5.25, None)):
            a = db.session.get(Assessment, assessment_id)
            overall = dict(a.score["overall"], score=value)
            a.score = dict(a.score, overall=overall)
        db.session.commit()
        scores = dict(db.session.execute(db.select(Assessment.id, Assessment.overall_score)).all())
    login(client, "reviewer@un.example")
    high = _ids(client.get("/review?sort=score&direction=desc&per_page=100").get_data(as_text=True))
    low = _ids(client.get("/review?sort=score&direction=asc&per_page=100").get_data(as_text=True))
    scored = sorted((i for i in high if scores.get(i) is not None), key=lambda i: (-scores[i], -i))
    assert high[0] == copies[0] and high[-1] == copies[2]
    assert [i for i in high if scores.get(i) is not None] == scored
    assert low[0] == copies[1] and low[-1] == copies[2]


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_the_questionnaire_filter_names_each_version_in_the_readers_language(app, client, world, lang):
    """The filter's versions were the questionnaire's English title on an Arabic page."""
    login(client, "reviewer@un.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    html = unescape(client.get("/review", headers={"Accept-Language": lang}).get_data(as_text=True))
    option = re.search(rf'<option value="{q.id}@{q.version}"[^>]*>([^<]*)</option>', html).group(1)
    assert q.title[lang] in option and q.title["en"] not in option, option
