"""The spread of independent informants' ratings on the comparisons (issue 13): figures
checked against hand-computed ones, on the pages and in the API (both databases), and the
independence rule: a round the owner has not settled by a consensus, or one still open
because the assessment is open for changes, shows in no comparison.  Then signed numbers
isolated left to right on the Arabic comparison pages (issue 18)."""
from __future__ import annotations

import re

import pytest

from app.contributors import spread as sp
from app.contributors.disclosure import settled_sections

from tests.factories import login, questionnaire

ALPHA = 1 - 8 * 55 / 981   # tests/test_informants.py: _alpha_by_hand of the same three units
ONLY_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _api(client, world, ids, who="reviewer"):
    r = client.get(f"/api/v1/compare?ids={','.join(map(str, ids))}", headers=world.headers(who))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _spreads(body):
    return {i["key"]: i.get("spread") for i in body["items"]}


def test_api_gives_the_spread_and_agreement_of_a_settled_round(app, client, world, rated):
    rated["consensus"]()
    rated["submit"]()
    body = _api(client, world, [rated["aid"], world.ngo_submitted])
    k0, k1, k2 = rated["a_keys"]
    spreads = _spreads(body)
    assert spreads[k0] == [{"min": 1, "max": 1, "informants": 3, "rated": 3, "apart": False}, None]
    assert spreads[k1] == [{"min": 0, "max": 2, "informants": 3, "rated": 3, "apart": True}, None]
    assert spreads[k2] == [{"min": 2, "max": 4, "informants": 3, "rated": 3, "apart": True}, None]
    # the unsettled section: not one of its ratings, not even in the figures
    assert all(spreads[k] == [None, None] for k in rated["b_keys"])
    assert body["agreement"][1] is None and list(body["agreement"][0]) == [rated["a"].key]
    figures = body["agreement"][0][rated["a"].key]
    assert figures["informants"] == 3 and figures["items_rated"] == 3
    assert figures["share_apart_2"] == pytest.approx(2 / 3, abs=1e-4)      # k1 and k2 of 3
    assert figures["alpha_ordinal"] == pytest.approx(ALPHA, abs=1e-4)
    assert not any(email in str(body) for email in rated["informants"])              # never who rated what
    _conforms(client, world, body)
    # min_gap keeps the spreads of the items it keeps (k1: a level against a don't know, no gap)
    r = client.get(f"/api/v1/compare?ids={rated['aid']},{world.ngo_submitted}&min_gap=0",
                   headers=world.headers("reviewer")).get_json()
    assert _spreads(r)[k0][0]["min"] == 1 and k1 not in _spreads(r)


def _conforms(client, world, body) -> None:
    """The new fields as the OpenAPI description says."""
    import jsonschema_rs
    import yaml

    spec = yaml.safe_load(client.get("/api/v1/openapi.yaml", headers=world.headers("reviewer")).get_data(as_text=True))
    props = spec["paths"]["/compare"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    for name in ("agreement", "items"):
        jsonschema_rs.Draft202012Validator(props["properties"][name]).validate(body[name])
    item = props["properties"]["items"]["items"]["properties"]["spread"]["items"]["oneOf"][1]
    assert set(item["properties"]) == set(next(s for i in body["items"] for s in i["spread"] if s))


def test_api_leaves_the_fields_out_without_ratings_to_show(app, client, world):
    body = _api(client, world, [world.gov_submitted, world.ngo_submitted])
    assert "agreement" not in body and all("spread" not in i for i in body["items"])


def test_a_closed_round_shows_nowhere(app, client, world, rated):
    """Not settled by a consensus; or settled but the assessment open for changes (a draft to
    its owner, returned to a reviewer): no spread, no figures, in the API and on the page."""
    aid = rated["aid"]
    # the owner compares their own draft (settled, but informants may still rate): nothing
    rated["consensus"]()
    assert "agreement" not in _api(client, world, [aid, world.gov_submitted], who="gov")
    rated["submit"]()
    assert "agreement" in _api(client, world, [aid, world.ngo_submitted])
    # returned for changes: the informants may rate again, the round is open again
    reviewer = world.headers("reviewer")
    for action in ({"action": "start"}, {"action": "return", "reason": "Check section (a)."}):
        assert client.post(f"/api/v1/assessments/{aid}/review", headers=reviewer, json=action).status_code == 200
    body = _api(client, world, [aid, world.ngo_submitted])
    assert "agreement" not in body and all("spread" not in i for i in body["items"])
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={aid},{world.ngo_submitted}").get_data(as_text=True)
    assert "rv-spread" not in html and "Agreement of independent informants" not in html


def test_an_unsettled_round_shows_nowhere(app, client, world, rated):
    rated["submit"]()                                   # submitted with no consensus at all
    body = _api(client, world, [rated["aid"], world.ngo_submitted])
    assert "agreement" not in body and all("spread" not in i for i in body["items"])


@ONLY_SQLITE
def test_compare_page_shows_the_spread_beside_the_answers(app, client, world, rated):
    rated["consensus"]()
    rated["submit"]()
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={rated['aid']},{world.ngo_submitted}").get_data(as_text=True)
    k0, k1, k2 = rated["a_keys"]
    rows = _item_rows(html)
    assert '3 informants: <bdi dir="ltr">1</bdi></span>' in rows[k0]       # all gave 1: no disagreement
    assert "disagreement" not in rows[k0]
    assert '3 informants: <bdi dir="ltr">0\u20132</bdi> <strong class="rv-spread-apart">disagreement' in rows[k1]
    assert '3 informants: <bdi dir="ltr">2\u20134</bdi>' in rows[k2] and "disagreement" in rows[k2]
    assert all("rv-spread" not in rows[k] for k in rated["b_keys"] if k in rows)
    assert rows[k1].count("rv-spread\"") == 1                              # the NGO's answer has none
    table = html.split('id="agreement-caption"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 2                                         # head + section A only
    assert "66.7%" in table and '<bdi dir="ltr">0.55</bdi>' in table     # 2/3; 1 - 440/981 = 0.5515
    assert ">3</td>" in table
    assert not any(email in html for email in rated["informants"])
    assert "Below an answer settled by independent informants" in html


def _item_rows(html: str) -> dict[str, str]:
    body = html.split('id="items-caption"', 1)[1].split("</tbody>", 1)[0]
    return {m.group(1): row for row in body.split("</tr>")
            if (m := re.search(r'class="rv-item-key">([^<]+)<', row))}


@ONLY_SQLITE
def test_divergence_page_shows_the_spread(app, client, world, rated):
    """The divergence list takes the latest government assessment of the period: this one."""
    rated["consensus"]()
    rated["submit"]()
    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE&period=2025").get_data(as_text=True)
    listing = html.split('id="divergence-caption"', 1)[1].split("</tbody>", 1)[0]
    assert '3 informants: <bdi dir="ltr">2\u20134</bdi> <strong class="rv-spread-apart">disagreement' in listing
    assert "Agreement of independent informants" in html


# -- Arabic: signed numbers and ranges isolated left to right --------------------------------------
SIGNED = re.compile(r"(.{0,16})[+\u2212]\d")


def _arabic(client, path: str) -> str:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    r = client.get(path)
    assert r.status_code == 200, path
    html = r.get_data(as_text=True)
    assert 'dir="rtl"' in html
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _signed_outside_bdi(main: str) -> list[str]:
    return [m.group(0) for m in SIGNED.finditer(main) if not m.group(1).endswith('<bdi dir="ltr">')]


@ONLY_SQLITE
def test_arabic_comparison_pages_isolate_signed_numbers(app, client, world, rated):
    rated["consensus"]()
    rated["submit"]()
    login(client, "reviewer@un.example")
    compare = _arabic(client, f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}")
    # the score tables' differences (NGO against the ministry: lower, so a minus)
    # (the reference "#1 Ministry (KE 2025)" in its own <bdi> in the visually hidden text)
    assert re.search(r'<span class="rv-diff rv-diff-down"><span class="visually-hidden">(?:[^<]|<bdi>[^<]*</bdi>)*</span>'
                     r'<bdi dir="ltr">\u2212\d+\.\d</bdi>', compare)
    divergence = _arabic(client, "/review/divergence?jurisdiction=KE&period=2025")
    listing = divergence.split('id="divergence-caption"', 1)[1].split("</tbody>", 1)[0]
    assert re.search(r'<strong><bdi dir="ltr">[+\u2212]\d</bdi></strong>', listing)
    areas = divergence.split('id="area-div-caption"', 1)[1].split("</tbody>", 1)[0]
    assert re.search(r'<span class="rv-diff rv-diff-(up|down)"><bdi dir="ltr">[+\u2212]\d+\.\d</bdi>', areas)
    assert re.search(r'<bdi dir="ltr">2\u20134</bdi>', listing)               # a range too
    for page in (compare, divergence):
        assert SIGNED.search(page) and _signed_outside_bdi(page) == []


# -- pure parts -----------------------------------------------------------------------------------------
def test_item_spread_and_the_disagreement_mark():
    assert sp.item_spread([None, None]) is None
    one = sp.item_spread([3, None])
    assert (one.low, one.high, one.informants, one.rated, one.apart) == (3, 3, 1, 2, False)
    assert sp.item_spread([0, 1]).apart is False and sp.item_spread([0, 2, 1]).apart is True
    assert sp.item_spread([4, 2]).low == 2 and sp.item_spread([4, 2]).high == 4


@ONLY_SQLITE
def test_settled_sections_are_those_with_a_consensus(app):
    q = questionnaire(app)
    first, second = q.sections[0], q.sections[1]
    assert settled_sections(q, [first.items[-1]]) == {first.key}
    assert settled_sections(q, []) == set() and settled_sections(q, [second.items[0], "zz"]) == {second.key}
