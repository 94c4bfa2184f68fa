"""The results page agrees with the engine: headline, areas, layers, gap list order, gating
items; empty cells are shown as empty; drafts say their score is live, submitted
assessments say when and with which rubric their score was stored; authorization."""
from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path


from app.extensions import db
from app.models import Assessment
from app.questionnaire.patch import parse_patch
from app.scoring import format_score, score_assessment
from tests.factories import full_answers, make_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BANDS = {"absent": "Absent", "initiating": "Initiating", "developing": "Developing",
         "established": "Established", "sustained": "Sustained"}


def hand_built(q) -> dict:
    """A varied set of answers: evidenced 4s, uncapped and capped 3s, a gating core item at
    level 1, don't knows (one of them core), and the choice/checklist/number defaults."""
    answers = full_answers(q, level=2)
    scale = [it for it in q.scored_items if it.type == "scale"]
    for n, it in enumerate(scale):
        if n % 4 == 0:
            answers[it.key] = {"level": 4, "evidence": [
                {"type": "data", "reference": "National survey 2025", "note": ""}]}
        elif n % 4 == 1:
            answers[it.key] = {"level": 3}          # no evidence: counts as 2
        elif n % 4 == 2:
            answers[it.key] = {"level": 3, "evidence": [
                {"type": "law", "reference": "Children Act 2022", "note": ""}]}
    core = [it for it in scale if it.weight == "core"]
    answers[core[0].key] = {"level": 1}
    answers[core[1].key] = {"dont_know": True}
    for it in scale[10:14]:
        answers[it.key] = {"dont_know": True}
    return answers


def expected_doc(q, answers) -> dict:
    changes, errors = parse_patch(q, answers)
    assert not errors
    return json.loads(json.dumps(score_assessment(q, changes)))


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def element(page: str, tag: str, ident: str) -> str:
    """The HTML of the (non-nested) element ``<tag id="ident">...</tag>``."""
    match = re.search(rf'<{tag}[^>]*\bid="{re.escape(ident)}"[^>]*>(.*?)</{tag}>', page, re.S)
    assert match, f"no <{tag} id={ident}> on the page"
    return match.group(1)


def login_page(client, auth, email, aid):
    auth.login(email)
    response = client.get(f"/assessments/{aid}/results")
    return response


# -- agreement with the engine --------------------------------------------------------------------
def test_submitted_page_agrees_with_the_engine(app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    answers = hand_built(q)
    aid = make_assessment(uid, answers=answers, submit=True)
    doc = expected_doc(q, answers)
    response = login_page(client, auth, "ana@gov.example", aid)
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    # the headline and the known-only score beside it
    assert f'<span class="kpi-number">{format_score(doc["overall"]["score"])}</span>' in page
    assert f'<strong class="kpi-known">{format_score(doc["overall"]["known_only"])}</strong>' in page
    headline = text(page.split('class="kpi kpi-main"', 1)[1].split("</div>", 1)[0])
    assert BANDS[doc["overall"]["band"]] in headline

    # every area: score to one decimal, band as a word, known-only, title from the definition
    for area in q.areas:
        row = text(element(page, "tr", f"area-{area.code}"))
        entry = doc["areas"][area.code]
        assert area.title["en"] in row
        assert f" {format_score(entry['score'])} " in f" {row} "
        assert BANDS[entry["band"]] in row
        assert format_score(entry["known_only"]) in row
        assert ("Gated" in row) == bool(entry["gated_by"])
        assert ("Insufficient information" in row) == entry["insufficient_information"]
    for layer in q.layers:
        row = text(element(page, "tr", f"layer-{layer.code}"))
        entry = doc["layers"][layer.code]
        assert layer.title["en"] in row and format_score(entry["score"]) in row
        assert BANDS[entry["band"]] in row

    # the gap list, in the engine's priority order, unknowns marked
    assert re.findall(r'<li class="gap[^"]*" id="gap-([a-z0-9_]+)"', page) == [
        g["key"] for g in doc["gaps"]]
    unknown = re.findall(r'<li class="gap gap-unknown" id="gap-([a-z0-9_]+)"', page)
    assert unknown == [g["key"] for g in doc["gaps"] if g["unknown"]] and unknown
    first = doc["gaps"][0]
    entry = text(element(page, "li", f"gap-{first['key']}"))
    assert first["action"]["en"] in entry
    source = first["sources"][0]
    assert f"{source['document']}, para" in entry and str(source["paragraphs"][-1]) in entry

    # gating: each gated area and layer lists exactly the items that gate it
    gated = {("area", c): v["gated_by"] for c, v in doc["areas"].items() if v["gated_by"]}
    gated |= {("layer", c): v["gated_by"] for c, v in doc["layers"].items() if v["gated_by"]}
    assert gated
    for (kind, code), keys in gated.items():
        card = page.split(f'id="gated-{kind}-{code}"', 1)[1].split("</ul>", 1)[0]
        assert re.findall(r'<span class="item-key">([a-z0-9_]+)</span>', card) == keys
        for key in keys:
            assert f'href="/assessments/{aid}/answers#item-{key}"' in card or \
                "assessments.answers" not in app.view_functions
    assert page.count('class="gated-card"') == len(gated)

    # the stored notice, with the rubric version and when
    assert "Stored score." in page and "Live and provisional" not in page
    with app.app_context():
        stored = db.session.get(Assessment, aid)
        assert stored.scored_at.strftime("%b %Y") in page
        assert f"with rubric version {stored.score_rubric_version}" in page


def test_why_this_score_explains_every_aggregate(app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    answers = hand_built(q)
    aid = make_assessment(uid, answers=answers)
    doc = expected_doc(q, answers)
    page = login_page(client, auth, "ana@gov.example", aid).get_data(as_text=True)
    why = page.split('id="why-title"', 1)[1]
    assert why.count("<details") == 1 + 9 + 9 * 3 + 3
    assert why.count("<summary") == why.count("<details")
    for area in q.areas:
        body = why.split(f'id="why-area-{area.code}"', 1)[1].split('id="why-cell-', 1)[0]
        keys = re.findall(r'<span class="item-key">([a-z0-9_]+)</span>', body)
        entered = doc["explanations"]["areas"][area.code]["items"]
        gating = doc["areas"][area.code]["gated_by"]
        assert keys == gating + entered          # gating items first, then every item that entered
    # a layer and a cell name the items that entered them by key, each leading to the item's
    # row in its area's table: every row written out once, and no key leads nowhere
    rows = re.findall(r'<tr id="why-item-([a-z0-9_]+)"', why)
    assert sorted(rows) == sorted(k for a in q.areas for k in doc["explanations"]["areas"][a.code]["items"])
    for layer, explained in doc["explanations"]["layers"].items():
        body = why.split(f'id="why-layer-{layer}"', 1)[1].split("</details>", 1)[0]
        assert "<table" not in body
        assert re.findall(r'<a href="#why-item-([a-z0-9_]+)" class="item-key">', body) == explained["items"]
    for area in q.areas:
        for layer in doc["explanations"]["layers"]:
            cell = why.split(f'id="why-cell-{area.code}-{layer}"', 1)[1].split("</details>", 1)[0]
            linked = re.findall(r'<a href="#why-item-([a-z0-9_]+)" class="item-key">', cell)
            assert linked == doc["explanations"]["cells"][area.code][layer].get("items", [])
            assert set(linked) <= set(rows)
    # the overall explanation lists all nine areas with their scores
    overall = text(why.split('id="why-overall"', 1)[1].split("</details>", 1)[0])
    for area in q.areas:
        assert format_score(doc["areas"][area.code]["score"]) in overall
    # a claimed level 3 without evidence shows as effective 2, capped
    capped = next(k for k, v in doc["items"].items() if v["capped_by"] == "documentary")
    assert capped in why and "capped: no documentary evidence" in why


def test_draft_says_the_score_is_live_and_provisional(app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    some = dict(list(full_answers(q, level=3).items())[:20])
    aid = make_assessment(uid, answers=some)
    page = login_page(client, auth, "ana@gov.example", aid).get_data(as_text=True)
    assert "Live and provisional." in page and "Stored score." not in page
    assert f"{len(q.scored_items) - 20} scored questions have no answer yet" in page
    doc = expected_doc(q, some)
    assert f'<span class="kpi-number">{format_score(doc["overall"]["score"])}</span>' in page
    # a half-filled draft is flagged for insufficient information, and says which areas
    flagged = [c for c, v in doc["areas"].items() if v["insufficient_information"]]
    assert flagged
    coverage = element(page, "section", "coverage")
    for code in flagged:
        assert f'href="#why-area-{code}"' in coverage


def test_page_has_no_inline_style_or_script_and_all_charts(app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    aid = make_assessment(uid, answers=hand_built(q), submit=True)
    page = login_page(client, auth, "ana@gov.example", aid).get_data(as_text=True)
    assert not re.search(r"\sstyle=", page) and "<style" not in page
    # Scripts only as files of our own (the CSP allows no inline script), no handlers inline.
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(re.fullmatch(r'<script src="/static/js/[a-z-]+\.js\?v=[0-9a-f]{12}" defer>', s) for s in scripts)
    assert "</script>" in page and not re.search(r"<script[^>]*>[^<]+</script>", page)
    assert not re.search(r"\son[a-z]+=", page)
    for chart in ("chart-radar", "chart-heatmap", "chart-layers"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
    # each chart's data table (the heat map's stacks into cards on a phone, issue 18)
    assert page.count('<table class="chart-data">') == 2
    assert page.count('<table class="table chart-data stack-table">') == 1


def test_pdf_links(app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    aid = make_assessment(uid, answers=hand_built(q), submit=True)
    page = login_page(client, auth, "ana@gov.example", aid).get_data(as_text=True)
    assert f'href="/assessments/{aid}/report.pdf?kind=gap"' in page
    assert f'href="/assessments/{aid}/report.pdf?kind=scorecard"' in page


# -- empty cells --------------------------------------------------------------------------------
def test_empty_cells_and_areas_are_shown_as_empty(sqlite_url, tmp_path):
    """The mini definition leaves most cells and areas e to h without items."""
    from app.assessments import operations as ops
    from app.auth import operations as accounts

    app = make_app(sqlite_url, tmp_path, QUESTIONNAIRE_DIR=str(FIXTURES))
    with app.app_context():
        org = accounts.get_or_create_organisation("Org A", "government", "KE")
        user = accounts.create_user("ana@gov.example", "correct-horse-battery", org, "respondent")
        q = app.extensions["catalog"].all()[-1]
        a = ops.create_assessment(user, {"questionnaire": q.id, "version": q.version,
                                         "jurisdiction": "KE", "period": "2026", "title": "Mini"})
        ops.save_answers(a, user, 0, {"a1": {"level": 2}, "c1": {"value": 95}})
        db.session.commit()
        aid = a.id
        doc = expected_doc(q, {"a1": {"level": 2}, "c1": {"value": 95}})
    client = app.test_client()
    from tests.factories import AuthActions

    AuthActions(client).login("ana@gov.example")
    page = client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert doc["cells"]["a"]["secondary"] is None
    # the heat map's data table and the chart itself say "no items", never 0
    heat_table = page.split('id="chart-heatmap-title"', 1)[1].split("</table>", 1)[0]
    row_a = re.search(r'<tr><th scope="row">\(a\) Knowledge and data</th>(.*?)</tr>', heat_table).group(1)
    assert text(row_a) == f"{format_score(doc['cells']['a']['primary'])} no items no items"
    # the cell's explanation says it is empty, not zero
    cell = page.split('id="why-cell-a-secondary"', 1)[1].split("</details>", 1)[0]
    assert "no items" in page.split('id="why-cell-a-secondary"', 1)[0].rsplit("<summary", 1)[1]
    assert "is not a zero" in text(cell)
    # an area without items has no score and no band
    row_e = text(element(page, "tr", "area-e"))
    assert row_e.startswith("(e) Social norms \u2013 No band")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# -- authorization ---------------------------------------------------------------------------
def test_other_organisations_draft_is_not_found(app, client, auth, make_user, make_assessment):
    owner = make_user("ana@gov.example")
    make_user("ben@ngo.example", org="Org B", kind="ngo")
    aid = make_assessment(owner)
    assert login_page(client, auth, "ben@ngo.example", aid).status_code == 404


def test_reviewer_sees_submitted_but_not_drafts(app, client, auth, make_user, make_assessment, q):
    owner = make_user("ana@gov.example")
    make_user("rev@un.example", role="reviewer", org="UN", kind="other")
    submitted = make_assessment(owner, answers=full_answers(q), submit=True)
    draft = make_assessment(owner, title="Draft")
    auth.login("rev@un.example")
    response = client.get(f"/assessments/{submitted}/results")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Stored score." in page and 'href="/review"' in page
    assert client.get(f"/assessments/{draft}/results").status_code == 404


def test_anonymous_is_sent_to_login(app, client, make_user, make_assessment):
    aid = make_assessment(make_user("ana@gov.example"))
    response = client.get(f"/assessments/{aid}/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_gap_links_open_the_section_while_editable_else_the_answers(
        app, client, auth, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    draft = make_assessment(uid, answers=hand_built(q))
    submitted = make_assessment(uid, answers=full_answers(q, level=1), submit=True, title="Done")
    key = q.sections[0].items[0]
    auth.login("ana@gov.example")
    page = client.get(f"/assessments/{draft}/results").get_data(as_text=True)
    assert f"/assessments/{draft}/sections/{q.sections[0].key}#item-{key}" in page
    page = client.get(f"/assessments/{submitted}/results").get_data(as_text=True)
    assert f"/assessments/{submitted}/answers#item-{key}" in page
    assert "/sections/" not in page
