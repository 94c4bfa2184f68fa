"""Independent informants (issue 13): private ratings, the owner's side-by-side view with
agreement figures checked against hand-computed ones, and the consensus through the one save
path (lock, revision, audit), on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.assessments import store
from app.extensions import db
from app.models import Assessment, AuditEntry, User
from tests.factories import AuthActions, csrf_token

INFORMANTS = ("una@health.example", "ben@police.example", "eva@social.example")


@pytest.fixture
def panel(app, client, make_user, make_assessment):
    """Org A's draft; three informants of three ministries given its first section, each with
    a token; the section's first three scale items."""
    from app.auth import operations as accounts

    owner = make_user("ana@a.example", org="Ministry of Foreign Affairs")
    ids = [make_user(email, org=email.split("@")[1]) for email in INFORMANTS]
    aid = make_assessment(owner, title="With informants")
    with app.app_context():
        q = store.questionnaire_of(db.session.get(Assessment, aid))
        tokens = [accounts.issue_token(db.session.get(User, u), "t") for u in [owner, *ids]]
        db.session.commit()
    bearer = [{"Authorization": f"Bearer {t}"} for t in tokens]
    section = q.sections[0]
    for email in INFORMANTS:
        r = client.post(f"/api/v1/assessments/{aid}/contributors", headers=bearer[0],
                        json={"email": email, "role": "informant", "sections": [section.key]})
        assert r.status_code == 201
    keys = [k for k in section.items if q.item_map[k].type == "scale"][:3]
    return {"aid": aid, "owner": bearer[0], "inf": bearer[1:], "section": section, "keys": keys, "q": q}


def _rate(client, panel, n, levels, base=0):
    return client.patch(f"/api/v1/assessments/{panel['aid']}/ratings", headers=panel["inf"][n], json={
        "base_revision": base, "answers": {k: {"level": v, "comment": f"informant {n}"}
                                           for k, v in zip(panel["keys"], levels)}})


def test_ratings_are_private_and_agreement_is_computed(app, client, panel):
    aid, k = panel["aid"], panel["keys"]
    # levels per item (informants 0, 1, 2): k0 (1, 1, 1), k1 (0, 2, 1), k2 (2, 3, 4)
    for n, levels in enumerate([(1, 0, 2), (1, 2, 3), (1, 1, 4)]):
        r = _rate(client, panel, n, levels)
        assert r.status_code == 200 and r.get_json()["revision"] == 1
    assert _rate(client, panel, 0, (2, 2, 2)).status_code == 409  # base 0 is stale: their own count
    # each informant reads their own ratings only, through every route
    own = client.get(f"/api/v1/assessments/{aid}/ratings", headers=panel["inf"][1]).get_json()
    assert {r["informant"] for rs in own["items"].values() for r in rs} == {INFORMANTS[1]}
    assert "agreement" not in own
    assert client.get(f"/api/v1/assessments/{aid}", headers=panel["inf"][1]).get_json()["answers"] == {}
    for path in (f"/api/v1/export.csv?ids={aid}", f"/api/v1/assessments/{aid}/contributors",
                 f"/api/v1/assessments/{aid}/score",
                 f"/api/v1/export.xlsx?ids={aid}"):
        assert client.get(path, headers=panel["inf"][1]).status_code in (403, 404), path
    # outside their section: 403 per key, nothing saved
    other = panel["q"].sections[1].items[0]
    r = client.patch(f"/api/v1/assessments/{aid}/ratings", headers=panel["inf"][0],
                     json={"base_revision": 1, "answers": {k[0]: {"level": 4}, other: {"level": 1}}})
    assert r.status_code == 403 and list(r.get_json()["details"]) == [other]
    # the owner: side by side, and the figures by hand
    body = client.get(f"/api/v1/assessments/{aid}/ratings", headers=panel["owner"]).get_json()
    assert [r["level"] for r in body["items"][k[1]]] == [0, 2, 1]
    figures = body["agreement"][panel["section"].key]
    assert figures["items_rated"] == 3
    assert figures["share_apart_2"] == pytest.approx(2 / 3, abs=1e-4)  # k1 (0..2) and k2 (2..4)
    # coincidences: n0 = 1, n1 = 4, n2 = 2, n3 = 1, n4 = 1 (n = 9); computed by hand in
    # tests/contributors/test_agreement.py's manner: alpha = 1 - 8 * D_o / D_e
    from app.contributors.agreement import krippendorff_alpha_ordinal

    assert figures["alpha_ordinal"] == pytest.approx(
        krippendorff_alpha_ordinal([(1, 1, 1), (0, 2, 1), (2, 3, 4)]), abs=1e-4)
    assert figures["alpha_ordinal"] == pytest.approx(_alpha_by_hand(), abs=1e-4)


def _alpha_by_hand() -> float:
    """Ordinal alpha of units (1,1,1), (0,2,1), (2,3,4), step by step (Krippendorff 2011).

    Each unit has 3 ratings, so each ordered pair weighs 1/2.  Coincidences (c,k)=(k,c):
    (1,1): 3 pairs x 2 orders x 1/2 = 3; (0,2),(0,1),(2,1): 1/2 each way; (2,3),(2,4),(3,4): 1/2.
    Marginals: n0 = 1, n1 = 4, n2 = 2, n3 = 1, n4 = 1; n = 9.
    delta²(c,k) = (sum n_g from c to k - (n_c + n_k)/2)²:
      (0,1) = (5 - 2.5)² = 6.25; (0,2) = (7 - 1.5)² = 30.25; (1,2) = (6 - 3)² = 9;
      (2,3) = (3 - 1.5)² = 2.25; (2,4) = (4 - 1.5)² = 6.25; (3,4) = (2 - 1)² = 1;
      (0,3) = (8 - 1)² = 49; (0,4) = (9 - 1)² = 64; (1,3) = (7 - 2.5)² = 20.25; (1,4) = (8 - 2.5)² = 30.25.
    D_o = 2 x 1/2 x (6.25 + 30.25 + 9 + 2.25 + 6.25 + 1) = 55.
    D_e = 2 x sum over c<k of n_c n_k delta² = 2 x (4 x 6.25 + 2 x 30.25 + 1 x 49 + 1 x 64 + 8 x 9
          + 4 x 20.25 + 4 x 30.25 + 2 x 2.25 + 2 x 6.25 + 1 x 1) = 2 x 490.5 = 981.
    alpha = 1 - (n - 1) x D_o / D_e = 1 - 8 x 55 / 981."""
    return 1 - 8 * 55 / 981


def test_consensus_goes_through_the_save_path(app, client, panel):
    aid, k = panel["aid"], panel["keys"]
    for n, levels in enumerate([(1, 0, 2), (1, 2, 3), (1, 1, 4)]):
        _rate(client, panel, n, levels)
    url = f"/api/v1/assessments/{aid}/consensus"
    r = client.post(url, headers=panel["owner"], json={"base_revision": 0, "answers": {k[1]: {"level": 1}},
                                                       "rationale": {}})
    assert r.status_code == 422 and list(r.get_json()["details"]["rationale"]) == [k[1]]
    r = client.post(url, headers=panel["inf"][0], json={"base_revision": 0, "answers": {k[1]: {"level": 1}},
                                                        "rationale": {k[1]: "x"}})
    assert r.status_code == 403  # informants do not settle it
    body = {"base_revision": 0, "answers": {k[1]: {"level": 1}, k[2]: {"level": 3}},
            "rationale": {k[1]: "The police plan is adopted but not funded.", k[2]: "Budget line 4 confirms it."}}
    r = client.post(url, headers=panel["owner"], json=body)
    assert r.status_code == 200 and r.get_json()["revision"] == 1
    assert client.post(url, headers=panel["owner"], json=body).status_code == 409  # stale revision
    with app.app_context():
        a = db.session.get(Assessment, aid)
        answers = store.answers_json(store.questionnaire_of(a), store.answers_of(a))
        assert answers[k[1]]["level"] == 1 and answers[k[2]]["level"] == 3
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.assessment_id == aid, AuditEntry.action.in_(("answer.update", "answer.consensus")))
            .order_by(AuditEntry.id)).all()
        consensus = {e.item_key: e.new_value for e in entries if e.action == "answer.consensus"}
        assert consensus[k[1]]["rationale"] == "The police plan is adopted but not funded."
        assert [r["level"] for r in consensus[k[1]]["ratings"]] == [0, 2, 1]
        assert {e.item_key for e in entries if e.action == "answer.update"} == {k[1], k[2]}
    # once submitted nobody rates any more
    with app.app_context():
        db.session.get(Assessment, aid).status = "submitted"
        db.session.commit()
    assert _rate(client, panel, 0, (2, 2, 2), base=1).status_code == 403


def test_rating_and_consensus_pages(app, client, panel):
    aid, k, section = panel["aid"], panel["keys"], panel["section"]
    una = app.test_client()
    AuthActions(una).login(INFORMANTS[0])
    r = una.get(f"/assessments/{aid}/sections/{section.key}")
    assert r.status_code == 302 and f"/ratings/{section.key}" in r.headers["Location"]
    page = una.get(f"/assessments/{aid}/ratings/{section.key}")
    assert page.status_code == 200 and "independent informant" in page.get_data(as_text=True)
    token = csrf_token(una, f"/assessments/{aid}/ratings/{section.key}")
    r = una.post(f"/assessments/{aid}/ratings/{section.key}",
                 data={"csrf_token": token, "base_revision": "0", f"{k[0]}-level": "2"})
    assert r.status_code == 303
    r = una.post(f"/assessments/{aid}/ratings/{section.key}",
                 data={"csrf_token": token, "base_revision": "1", f"{k[0]}-level": "9"})
    assert r.status_code == 422
    _rate(client, panel, 1, (4, 1, 1))
    AuthActions(client).login("ana@a.example")
    page = client.get(f"/assessments/{aid}/consensus/{section.key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "spread: 2 levels" in html and "Krippendorff" in html
    token = csrf_token(client, f"/assessments/{aid}/consensus/{section.key}")
    form = {"csrf_token": token, "base_revision": "0", f"{k[0]}-pick": "1", f"{k[0]}-rationale": ""}
    assert client.post(f"/assessments/{aid}/consensus/{section.key}", data=form).status_code == 422
    form[f"{k[0]}-rationale"] = "Two sources agree on level 4."
    assert client.post(f"/assessments/{aid}/consensus/{section.key}", data=form).status_code == 303
    with app.app_context():
        a = db.session.get(Assessment, aid)
        assert store.answers_json(store.questionnaire_of(a), store.answers_of(a))[k[0]]["level"] == 4
    html = client.get(f"/assessments/{aid}/consensus/{section.key}").get_data(as_text=True)
    assert "Two sources agree on level 4." in html


@pytest.mark.slow  # renders the gap report
def test_gap_report_has_the_agreement_annex_without_who_rated_what(app):
    """The demo's draft (one section rated by three informants, a consensus on three items):
    its gap report, read back from the PDF, has the agreement annex with the figures, the
    spreads and the rationales, and names no informant; a report without informants has none."""
    import io

    import pypdf

    from app import reports
    from app.contributors import ratings
    from app.contributors.queries import informants_of

    app.test_cli_runner().invoke(args=["demo", "seed"])
    with app.app_context():
        draft = db.session.scalar(select(Assessment).where(Assessment.status == "draft"))
        figures = ratings.agreement_by_section(draft, ratings.ratings_by_item(draft, informants_of(draft)))
        alpha = figures["s_e_social_norms"]["alpha_ordinal"]
        inputs = reports.gather(draft, "gap", viewer=None)
        annex = inputs.context()["agreement"]
        assert [s["informants"] for s in annex] == [3]
        assert sum(1 for it in annex[0]["rows"] if it["rationale"]) == 3
        text = "".join(p.extract_text() or "" for p in pypdf.PdfReader(
            io.BytesIO(reports.html_to_pdf(reports.render_html(inputs.context())))).pages)
        other = db.session.scalar(select(Assessment).where(Assessment.status != "draft"))
        assert reports.gather(other, "gap", viewer=None).context()["agreement"] == []
    flat = " ".join(text.split())
    assert "Annex: agreement of the informants" in flat and "Informants: 3" in flat
    assert f"Krippendorff's alpha: {alpha:.2f}" in flat
    assert "the median rating, as the evidence supports it" in flat
    assert "health.example" not in flat and "Fatuma" not in flat


def test_consensus_page_writes_the_agreement_figures_as_the_comparisons_do(app, client, panel):
    """The share apart and the alpha in the reader's locale, as on the review comparisons
    ("66,7 %" and "-0,22" in Russian; the page wrote "67%" and "-0.22" in every language)."""
    import re
    from html import unescape

    from app.display import numbers

    aid, section = panel["aid"], panel["section"]
    for n, levels in enumerate([(1, 0, 2), (1, 2, 3), (1, 1, 4)]):
        assert _rate(client, panel, n, levels).status_code == 200
    figures = client.get(f"/api/v1/assessments/{aid}/ratings", headers=panel["owner"]).get_json()["agreement"][section.key]
    AuthActions(client).login("ana@a.example")
    for lang in ("ru", "fr", "ar"):
        html = unescape(client.get(f"/assessments/{aid}/consensus/{section.key}",
                                   headers={"Accept-Language": lang}).get_data(as_text=True))
        facts = re.sub(r"<[^>]+>", "", re.search(r'<dl class="facts summary-facts">(.*?)</dl>', html, re.S).group(1))
        with app.test_request_context(headers={"Accept-Language": lang}):
            share, alpha = numbers.share(figures["share_apart_2"]), numbers.decimal(figures["alpha_ordinal"], 2)
        assert share in facts and alpha in facts, (lang, share, alpha, facts)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_gap_report_annex_writes_the_agreement_figures_in_the_readers_locale(app, lang):
    """The annex wrote "67 %" and "0.55" whatever the language ("67 %" is no English, "0.55"
    no Russian): now the figures read as every other number of the report."""
    import re

    import flask_babel

    from app import reports
    from app.contributors import ratings
    from app.contributors.queries import informants_of
    from app.display import numbers

    app.test_cli_runner().invoke(args=["demo", "seed"])
    with app.app_context():
        draft = db.session.scalar(select(Assessment).where(Assessment.status == "draft"))
        figures = ratings.agreement_by_section(draft, ratings.ratings_by_item(draft, informants_of(draft)))
        stats = figures["s_e_social_norms"]
        with app.test_request_context(), flask_babel.force_locale(lang):
            html = reports.render_html(reports.gather(draft, "gap", lang, viewer=None).context())
            share, alpha = numbers.share(stats["share_apart_2"]), numbers.decimal(stats["alpha_ordinal"], 2)
    group = re.sub(r"<[^>]+>", "", re.search(r'<tr class="group">(.*?)</tr>', html, re.S).group(1))
    assert share in group and alpha in group, (share, alpha, group)
