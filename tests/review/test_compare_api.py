"""GET /api/v1/compare and the comparison pages over the database: stored scores, the
policy (reviewers never see drafts), bad input, and a fixed number of SQL queries whatever
the number of assessments."""
from __future__ import annotations

import pytest

from tests.factories import clone_submitted, count_queries, login


def _compare(client, world, ids, who="reviewer", **params):
    query = "&".join([f"ids={','.join(str(i) for i in ids)}"] + [f"{k}={v}" for k, v in params.items()])
    return client.get(f"/api/v1/compare?{query}", headers=world.headers(who))


def test_compare_government_and_ngo(app, client, world):
    from app.extensions import db
    from app.models import Assessment

    r = _compare(client, world, [world.gov_submitted, world.ngo_submitted])
    assert r.status_code == 200
    body = r.get_json()
    with app.app_context():
        gov = db.session.get(Assessment, world.gov_submitted).score
        ngo = db.session.get(Assessment, world.ngo_submitted).score
    assert body["ids"] == [world.gov_submitted, world.ngo_submitted]
    assert body["overall"]["scores"] == pytest.approx([gov["overall"]["score"], ngo["overall"]["score"]])
    assert body["overall"]["differences"][1] == pytest.approx(ngo["overall"]["score"] - gov["overall"]["score"])
    for code in "abcdefghi":
        assert body["areas"][code]["scores"] == pytest.approx(
            [gov["areas"][code]["score"], ngo["areas"][code]["score"]])
    assert body["layers"]["primary"]["spread"] == pytest.approx(
        abs(gov["layers"]["primary"]["score"] - ngo["layers"]["primary"]["score"]))
    items = {i["key"]: i for i in body["items"]}
    # government: a1 level 4 with data evidence; NGO: level 1 -> a gap of 3; a2 don't know
    assert items["a1"]["levels"] == [4.0, 1.0] and items["a1"]["gap"] == 3.0
    assert items["a2"]["statuses"] == ["answered", "dont_know"] and items["a2"]["gap"] is None
    assert items["a3"]["levels"] == [2.0, 1.0]
    assert [a["organisation"]["kind"] for a in body["assessments"]] == ["government", "ngo"]
    assert body["assessments"][0]["submission"] == 1
    filtered = _compare(client, world, [world.gov_submitted, world.ngo_submitted], min_gap=2).get_json()
    assert [i["key"] for i in filtered["items"]] == ["a1"]


def test_stored_scores_are_used_not_recomputed(app, client, world):
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        a = db.session.get(Assessment, world.gov_submitted)
        doc = dict(a.score)
        doc["overall"] = dict(doc["overall"], score=11.0)
        doc["areas"] = dict(doc["areas"], a=dict(doc["areas"]["a"], score=22.0))
        a.score = doc
        db.session.commit()
    body = _compare(client, world, [world.gov_submitted, world.ngo_submitted]).get_json()
    assert body["overall"]["scores"][0] == 11.0 and body["areas"]["a"]["scores"][0] == 22.0


def test_a_returned_assessment_is_compared_as_last_submitted(app, client, world):
    """The organisation's edits after a return are a draft in progress: reviewers keep
    seeing the submitted answers until it is resubmitted."""
    from app.assessments import operations as assessments
    from app.extensions import db
    from app.models import Assessment, User

    url = f"/api/v1/assessments/{world.gov_submitted}/review"
    client.post(url, json={"action": "start"}, headers=world.headers("reviewer"))
    client.post(url, json={"action": "return", "reason": "a1 again"}, headers=world.headers("reviewer"))
    with app.app_context():
        a, user = db.session.get(Assessment, world.gov_submitted), db.session.get(User, world.gov)
        assessments.save_answers(a, user, a.revision, {"a1": {"level": 0}})
        db.session.commit()
    items = {i["key"]: i for i in _compare(client, world, [world.gov_submitted, world.ngo_submitted])
             .get_json()["items"]}
    assert items["a1"]["levels"][0] == 4.0


def test_bad_ids(client, world):
    for query in ("ids=", "ids=1", "ids=1,x", "ids=-1,2", "ids=1;2", "ids=99999999999,1", "", "ids=1,1",
                  "ids=%00,1"):
        r = client.get(f"/api/v1/compare?{query}", headers=world.headers("reviewer"))
        assert r.status_code == 422 and r.get_json()["error"], query


def test_bad_options(client, world):
    ids = [world.gov_submitted, world.ngo_submitted]
    assert _compare(client, world, ids, min_gap="x").status_code == 422
    assert _compare(client, world, ids, min_gap="9").status_code == 422
    assert _compare(client, world, ids, reference="sideways").status_code == 422
    assert _compare(client, world, ids, reference="previous").get_json()["reference"] == "previous"
    too_many = ",".join(str(i) for i in range(1, 52))
    assert client.get(f"/api/v1/compare?ids={too_many}", headers=world.headers("reviewer")).status_code == 422


def test_visibility(client, world):
    pair = [world.gov_submitted, world.ngo_submitted]
    with_draft = [world.gov_submitted, world.gov_draft]
    assert _compare(client, world, with_draft).status_code == 404          # reviewers never see drafts
    assert _compare(client, world, with_draft, who="admin").status_code == 404
    assert _compare(client, world, with_draft, who="gov").status_code == 200  # its own draft, rescored
    assert _compare(client, world, pair, who="gov").status_code == 404        # not the NGO's
    assert _compare(client, world, [world.gov_submitted, 424242]).status_code == 404
    assert client.get(f"/api/v1/compare?ids={world.gov_submitted},{world.ngo_submitted}").status_code == 401


def test_compare_5_and_50_take_the_same_number_of_queries(app, client, world):
    ids = [world.gov_submitted, world.ngo_submitted] + clone_submitted(app, world.gov_submitted, 48)
    _compare(client, world, ids[:5])                      # warm-up (token use, first loads)
    counts = {}
    for n in (5, 50):
        with count_queries(app) as statements:
            r = _compare(client, world, ids[:n])
        assert r.status_code == 200 and len(r.get_json()["ids"]) == n
        counts[n] = len(statements)
    assert counts[5] == counts[50], counts
    assert counts[50] <= 8, counts
    # the page too
    login(client, "reviewer@un.example")
    client.get("/review/compare?ids=" + ",".join(map(str, ids[:2])))
    for n in (5, 50):
        with count_queries(app) as statements:
            r = client.get("/review/compare?ids=" + ",".join(map(str, ids[:n])))
        assert r.status_code == 200
        counts[f"page{n}"] = len(statements)
    assert counts["page5"] == counts["page50"], counts


def test_compare_page(client, world):
    login(client, "reviewer@un.example")
    r = client.get(f"/review/compare?ids={world.gov_submitted}&ids={world.ngo_submitted}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Comparing 2 assessments" in html and "<svg" in html and 'role="img"' in html
    assert "Readiness by area, 2 assessments overlaid" in html          # radar with its table
    assert "The radar chart&#39;s data as a table" in html or "radar chart's data" in html
    assert html.count("<caption") >= 6 and 'scope="row"' in html and 'scope="col"' in html
    assert "Where the answers diverge" in html and ">a1<" in html
    assert "style=" not in html.split("<main", 1)[1].split("<svg", 1)[0]  # no inline styles
    assert "<script" not in html
    large = client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}&large_only=y")
    assert "1 item whose levels differ by 2 or more" in large.get_data(as_text=True)
    # one id: back to the list with a message; respondents may not use the review area
    assert client.get(f"/review/compare?ids={world.gov_submitted}").status_code == 302
    assert client.get(f"/review/compare?ids={world.gov_submitted},{world.gov_draft}").status_code == 404


def test_divergence_and_trend_pages(app, client, world):
    login(client, "reviewer@un.example")
    r = client.get("/review/divergence?jurisdiction=KE&period=2025")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Divergence list, largest first" in html
    first_row = html.split('id="divergence-caption"', 1)[1].split("<tbody>", 1)[1]
    assert ">a1<" in first_row.split("</tr>", 1)[0]            # the largest gap (3) first
    assert "Ministry" in html and "Coalition" in html
    only = client.get("/review/divergence?jurisdiction=KE&period=2025&large_only=y").get_data(as_text=True)
    assert "1 item whose levels differ by 2 or more" in only
    r = client.get("/review/divergence?jurisdiction=KE&period=1999")
    assert r.status_code == 200 and "No government and no civil-society assessment" in r.get_data(as_text=True)
    # a trend needs two periods of one organisation: add 2024 and 2026 copies of the ministry's
    clone_submitted(app, world.gov_submitted, 2, period=lambda n: ("2024", "2026")[n])
    r = client.get("/review/trend?jurisdiction=KE")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "From 2024 to 2026" in html and "Areas that improved" in html
    assert "the previous period" in html
    r = client.get("/review/trend?jurisdiction=KE&organisation=999")
    assert "at least two periods" in r.get_data(as_text=True)


def test_responses_match_the_openapi_description(client, world):
    import yaml

    spec = yaml.safe_load(client.get("/api/v1/openapi.yaml", headers=world.headers("reviewer")).get_data(as_text=True))
    compare = spec["paths"]["/compare"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    body = _compare(client, world, [world.gov_submitted, world.ngo_submitted]).get_json()
    # agreement and items[].spread: only when a compared assessment has informant ratings to show
    # (tests/review/test_compare_spread.py checks them against the same description)
    assert set(compare["required"]) <= set(body) and set(compare["properties"]) - {"agreement"} <= set(body)
    row = spec["components"]["schemas"]["CompareRow"]["properties"]
    assert set(body["areas"]["a"]) <= set(row) and set(body["overall"]) <= set(row)
    assert set(body["items"][0]) == set(compare["properties"]["items"]["items"]["properties"]) - {"spread"}
    comments_schema = spec["paths"]["/assessments/{id}/comments"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert comments_schema["type"] == "array"
    client.post(f"/api/v1/assessments/{world.gov_submitted}/comments", json={"text": "x"}, headers=world.headers("reviewer"))
    listed = client.get(f"/api/v1/assessments/{world.gov_submitted}/comments", headers=world.headers("reviewer")).get_json()
    assert isinstance(listed, list) and set(listed[0]) <= set(spec["components"]["schemas"]["Comment"]["properties"])


def test_a_submitted_assessment_without_a_kept_snapshot_keeps_its_stored_score(app, client, world):
    """Older data may lack the Submission row: the stored score still counts, never a rescore."""
    from app.extensions import db
    from app.models import Assessment, Submission

    with app.app_context():
        db.session.query(Submission).filter_by(assessment_id=world.gov_submitted).delete()
        stored = db.session.get(Assessment, world.gov_submitted).score["overall"]["score"]
        db.session.commit()
    body = _compare(client, world, [world.gov_submitted, world.ngo_submitted]).get_json()
    assert body["overall"]["scores"][0] == pytest.approx(stored)
    assert body["assessments"][0]["submission"] is None
    assert {i["key"]: i for i in body["items"]}["a1"]["levels"][0] == 4.0


def test_item_differences_use_the_level_that_counts(app, client, world, make_assessment):
    """QA: a government claim of 4 with only expert judgement counts as 2 (RUBRIC 2).  Against
    civil society's 1 the difference is 1, not 3: the divergence order, the "2 or more"
    filters of the pages and the API all use the levels that count; the claim stays visible."""
    from tests.factories import full_answers
    from tests.factories import questionnaire

    q = questionnaire(app)
    # Questions that are not core: rubric 1.1 caps a core one without documents at 1 anyway.
    k1, k3 = [it.key for it in q.scored_items if it.type == "scale" and it.weight != "core"][:2]
    gov_answers = full_answers(q, 2) | {k1: {"level": 4, "evidence": [
        {"type": "expert_judgement", "reference": "The minister", "note": ""}]}}
    ngo_answers = full_answers(q, 2) | {k1: {"level": 1}, k3: {"level": 0}}
    gov = make_assessment(world.gov, gov_answers, submit=True, period="2027", title="Gov 2027")
    ngo = make_assessment(world.ngo, ngo_answers, submit=True, period="2027", title="NGO 2027")

    body = _compare(client, world, [gov, ngo]).get_json()
    items = {i["key"]: i for i in body["items"]}
    assert items[k1]["levels"] == [4.0, 1.0] and items[k1]["effective_levels"] == [2.0, 1.0]
    assert items[k1]["gap"] == 1.0 and items[k3]["gap"] == 2.0
    filtered = _compare(client, world, [gov, ngo], min_gap=2).get_json()
    assert k3 in [i["key"] for i in filtered["items"]] and k1 not in [i["key"] for i in filtered["items"]]

    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE&period=2027").get_data(as_text=True)
    assert "Difference (levels that count, civil society − government)" in html
    rows = html.split('id="divergence-caption"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    assert f">{k3}<" in rows[0] and f">{k1}<" in rows[1]                 # 2 before 1 (not 3)
    assert "4 (counts as 2)" in rows[1] and "\u22121</bdi></strong>" in rows[1]
    only = client.get("/review/divergence?jurisdiction=KE&period=2027&large_only=y").get_data(as_text=True)
    assert "1 item whose levels differ by 2 or more" in only
    page = client.get(f"/review/compare?ids={gov},{ngo}&large_only=y").get_data(as_text=True)
    assert "1 item whose levels differ by 2 or more" in page and "Largest difference (levels that count)" in page
    table = page.split('id="items-caption"', 1)[1].split("</tbody>", 1)[0]
    assert f">{k3}<" in table and f">{k1}<" not in table
    full = client.get(f"/review/compare?ids={gov},{ngo}").get_data(as_text=True)
    a1_row = full.split('id="items-caption"', 1)[1].split(f">{k1}<", 1)[1].split("</tr>", 1)[0]
    assert "4 (counts as 2)" in a1_row and "<strong>1</strong>" in a1_row
