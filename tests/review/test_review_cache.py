"""What the review pages keep per stored score and language.

The comparison pages' bodies (app/review/cache.py): the page built from them is the page
built without them, in English and Arabic; a score stored again shows at once; the
disclosure rules of informants' ratings hold with a warm cache (an informant removed, an
assessment returned); the policy answers before any look-up; a draft's live score is never
kept; the kept templates use nothing of the viewer.

The review page's answers table (app/review/answers_table.py): the page built from it is the
page built without it, for the organisation and for a reviewer, in English and Arabic, with
comments, documents and answers written in another language; what differs between them (a
returned assessment's documents and languages: the organisation sees its working copy's)
stays theirs with a warm cache; a resubmission shows at once; a draft is never kept."""
from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Assessment, Organisation
from app.review import cache
from tests.factories import AuthActions, full_answers, login, questionnaire, set_scores
from tests.servers import seed_user_with_token


def kept(app) -> dict:
    return app.extensions.get("review_bodies", {})


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return re.sub(r'(csrf_token" (?:type="hidden" )?value=")[^"]+', r"\1", response.get_data(as_text=True))


@pytest.fixture
def paths(app, world, make_assessment):
    """The ministry also submitted a 2024 assessment: a trend of two periods."""
    make_assessment(world.gov, full_answers(questionnaire(app), 3), submit=True, period="2024",
                    title="Government self-assessment 2024")
    with app.app_context():
        ministry = db.session.query(Organisation).filter_by(name="Ministry").one().id
    pair = f"ids={world.gov_submitted}&ids={world.ngo_submitted}"
    return [f"/review/compare?{pair}", f"/review/compare?{pair}&large_only=y",
            "/review/divergence?jurisdiction=KE&period=2025", "/review/divergence?jurisdiction=KE&period=2025&large_only=y",
            f"/review/trend?jurisdiction=KE&organisation={ministry}",
            f"/review/trend?jurisdiction=KE&organisation={ministry}&large_only=y"]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_kept_bodies_make_the_very_page_built_without_them(app, client, world, paths, locale):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    login(client, "reviewer@un.example")
    for path in paths:
        app.config["PAGE_FRAGMENT_CACHE"] = False
        reference = page(client, path)
        app.config["PAGE_FRAGMENT_CACHE"] = True
        assert page(client, path) == reference and page(client, path) == reference, path
        assert 'id="scores-title"' in reference, path
    assert len(kept(app)) == len(paths)          # one per page and options, in one language
    admin = app.test_client()                    # another viewer: the same bodies
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    login(admin, "admin@site.example")
    before = len(kept(app))
    for path in paths:
        page(admin, path)
    assert len(kept(app)) == before


def test_a_score_stored_again_shows_at_once(app, client, world, paths):
    login(client, "reviewer@un.example")
    assert "12.3" not in page(client, paths[0])
    set_scores(app, world.gov_submitted, overall=12.3)      # stored again: a new scored_at
    assert "12.3" in page(client, paths[0])
    assert "12.3" in page(client, paths[2])


def _informant_rows(html: str) -> set[str]:
    return set(re.findall(r"(\d) informants: ", html))


def test_disclosure_holds_with_a_warm_cache(app, client, world, rated):
    """The figures shown are those the disclosure rules let in on this request: an informant
    removed from a submitted assessment leaves them at once, and so does every figure when
    the assessment is returned (open for changes: the round is open again)."""
    aid, owner = rated["aid"], world.headers("gov")
    rated["consensus"]()
    rated["submit"]()
    login(client, "reviewer@un.example")
    path = f"/review/compare?ids={aid}&ids={world.ngo_submitted}"
    assert _informant_rows(page(client, path)) == {"3"}
    assert kept(app)
    # The owner removes an informant, the assessment still submitted: their ratings go.
    api = app.test_client()                      # bearer tokens, no session
    listed = api.get(f"/api/v1/assessments/{aid}/contributors", headers=owner)
    assert listed.status_code == 200, listed.get_json()
    rows = listed.get_json()["items"]
    una = next(r["id"] for r in rows if r["email"] == "una@health.example")
    assert api.delete(f"/api/v1/assessments/{aid}/contributors/{una}", headers=owner).status_code == 204
    html = page(client, path)
    assert _informant_rows(html) == {"2"} and "Agreement of independent informants" in html
    # Returned for changes: no figure at all.
    reviewer = world.headers("reviewer")
    for action in ({"action": "start"}, {"action": "return", "reason": "Check section (a)."}):
        assert api.post(f"/api/v1/assessments/{aid}/review", headers=reviewer, json=action).status_code == 200
    html = page(client, path)
    assert "rv-spread" not in html and "Agreement of independent informants" not in html


def test_the_policy_answers_before_any_look_up(app, client, world, paths, make_user):
    login(client, "reviewer@un.example")
    for path in paths:
        page(client, path)
    assert len(kept(app)) == len(paths)
    # Someone outside the review area: refused, whatever is kept.
    outsider = app.test_client()
    login(outsider, "analyst@ngo.example")
    page(outsider, paths[0], 403)
    # An assessment the reviewer may no longer see (back to a draft, behind the app's back):
    # not found, though its comparison is kept.
    with app.app_context():
        db.session.get(Assessment, world.gov_submitted).status = "draft"
        db.session.commit()
    page(client, paths[0], 404)


def test_a_live_score_is_never_kept(app, client, world, make_user):
    """The ministry's admin compares its draft (a live score): nothing is kept, and the reviewer,
    who may not see the draft, gets a 404 for the same comparison."""
    make_user("chief@ministry.example", role="admin", org="Ministry", kind="government")
    login(client, "chief@ministry.example")
    path = f"/review/compare?ids={world.gov_draft}&ids={world.ngo_submitted}"
    assert "Draft 2026" in page(client, path)
    assert not kept(app)
    reviewer = app.test_client()
    login(reviewer, "reviewer@un.example")
    page(reviewer, path, 404)


VIEWER = re.compile(r"\b(current_user|session|request|csrf_token|g|form|config|current_locale)\b")


def _code(source: str) -> list[str]:
    """The expressions and statements of a template, without its comments."""
    return re.findall(r"\{[{%]-?(.*?)-?[}%]\}", re.sub(r"\{#.*?#\}", "", source, flags=re.S), flags=re.S)


def test_kept_templates_use_nothing_of_the_viewer(app):
    """What a kept body shows is the same for every viewer: its templates, those they include
    and the macros they import name nothing of the viewer, the session or the request."""
    root = Path(app.root_path) / "review" / "templates"
    seen, todo = set(), list(cache.TEMPLATES)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        code = _code((root / name).read_text())
        assert not any(VIEWER.search(c) for c in code), name
        todo += [m[1] for c in code if (m := re.match(r'\s*include "(review/[^"]+)"', c))]
        for m in filter(None, (re.match(r'\s*from "(review/[^"]+)" import (.+?)(?:\s+with context)?\s*$', c) for c in code)):
            other, names = m.groups()
            source = (root / other).read_text()
            for macro in (n.strip() for n in names.split(",")):
                body = re.search(r"\{% macro " + macro + r"\(.*?\{%-? endmacro", source, flags=re.S)
                assert body and not any(VIEWER.search(c) for c in _code(body.group(0))), (other, macro)
                seen.add(f"{other}:{macro}")
    assert {"review/_comparison.html", "review/_macros.html:scroll_open", "review/_macros.html:band"} <= seen


# -- the review page's answers table ------------------------------------------------------------
PASSWORD = "a-long-test-passphrase-9"


def tables(app) -> dict:
    return app.extensions.get("review_answer_tables", {})


def review_page(client, aid: int) -> str:
    return page(client, f"/review/assessments/{aid}")


NOTE = "Le plan national est en cours de révision"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _h(token, lang="en"):
    return {"Authorization": f"Bearer {token}", "Accept-Language": lang}


def _submitted_in_french(app, client):
    """Answered in full in English, one note in French, submitted (as in tests/i18n)."""
    _, org = seed_user_with_token(app, "official@gov.example", "respondent", "Ministry")
    _, reviewer = seed_user_with_token(app, "reviewer@un.example", "reviewer", "UN")
    q = questionnaire(app)
    answers = full_answers(q)
    key = next(k for k, v in answers.items() if "level" in v)
    aid = client.post("/api/v1/assessments", headers=_h(org), json={
        "questionnaire": q.id, "version": q.version, "jurisdiction": "BJ", "period": "2026",
        "title": "Auto-évaluation"}).get_json()["id"]
    revision = 0
    for lang, patch in (("en", answers), ("fr", {key: {"level": 2, "comment": NOTE}})):
        r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org, lang),
                         json={"base_revision": revision, "answers": patch})
        assert r.status_code == 200, r.get_json()
        revision = r.get_json()["revision"]
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=_h(org)).status_code == 200
    return aid, key, org, reviewer


def _attach(client, aid: int, key: str, token: str, name: str) -> None:
    boundary, body = encode_multipart({"item": key, "file": FileStorage(BytesIO(PDF), name)})
    r = client.post(f"/api/v1/assessments/{aid}/attachments", headers=_h(token), data=body,
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 201, r.get_json()


@pytest.fixture
def returned(app, client):
    """Submitted with a French note on one item, returned, commented on by the reviewer; then
    the organisation attaches a document and rewrites the note in English (its working copy)."""
    aid, key, org, reviewer = _submitted_in_french(app, client)
    for action, body in (("start", {}), ("return", {"reason": "Please add evidence."})):
        assert client.post(f"/api/v1/assessments/{aid}/review", headers=_h(reviewer),
                           json={"action": action} | body).status_code == 200
    assert client.post(f"/api/v1/assessments/{aid}/comments", headers=_h(reviewer),
                       json={"item": key, "text": "Which act?"}).status_code == 201
    _attach(client, aid, key, org, "working-copy.pdf")
    revision = client.get(f"/api/v1/assessments/{aid}", headers=_h(org)).get_json()["revision"]
    assert client.patch(f"/api/v1/assessments/{aid}/answers", headers=_h(org, "en"), json={
        "base_revision": revision, "answers": {key: {"level": 3, "comment": "Revised"}}}).status_code == 200
    return {"aid": aid, "key": key, "org": org, "reviewer": reviewer}


def _signed_in(app, email: str, locale: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    AuthActions(client).login(email, PASSWORD)
    return client


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_kept_table_makes_the_very_page_built_without_it(app, returned, locale):
    aid = returned["aid"]
    viewers = {email: _signed_in(app, email, locale) for email in ("official@gov.example", "reviewer@un.example")}
    references = {}
    for email, client in viewers.items():
        app.config["PAGE_FRAGMENT_CACHE"] = False
        references[email] = review_page(client, aid)
        app.config["PAGE_FRAGMENT_CACHE"] = True
    # The organisation warms the table; the reviewer's page is still the reviewer's.
    for email in ("official@gov.example", "reviewer@un.example", "official@gov.example"):
        assert review_page(viewers[email], aid) == references[email], email
    assert len(tables(app)) == 1
    org, reviewer = references["official@gov.example"], references["reviewer@un.example"]
    assert "working-copy.pdf" in org and "working-copy.pdf" not in reviewer
    assert f'<span lang="fr">{NOTE}</span>' in reviewer and f'<span lang="en">{NOTE}</span>' in org
    assert "Which act?" in org and "Which act?" in reviewer
    if locale == "en":
        assert "Written in French" in reviewer and "Written in" not in org


def test_a_resubmission_shows_at_once_and_a_draft_is_never_kept(app, client, returned):
    aid, org = returned["aid"], returned["org"]
    reviewer = _signed_in(app, "reviewer@un.example", "en")
    assert f"{NOTE}</span>" in review_page(reviewer, aid) and tables(app)
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=_h(org)).status_code == 200
    html = review_page(reviewer, aid)
    assert "Revised</span>" in html and NOTE not in html and "Answers as submitted (submission 2)" in html
    # The organisation's draft: its live answers, rendered per request.
    with app.app_context():
        db.session.get(Assessment, aid).status = "draft"
        db.session.commit()
    before = len(tables(app))
    html = review_page(_signed_in(app, "official@gov.example", "en"), aid)
    assert "Current answers" in html and len(tables(app)) == before


def test_the_kept_rows_use_nothing_of_the_viewer(app):
    """The rows' macros (and the answer they include) name nothing of the viewer: what does
    is a hole, filled per request."""
    root = Path(app.root_path) / "review" / "templates" / "review"
    macros = (root / "_macros.html").read_text()
    for name in ("answer_rows", "answer_cells"):
        body = re.search(r"\{% macro " + name + r"\(.*?\{%-? endmacro", macros, flags=re.S).group(0)
        assert not any(VIEWER.search(c) for c in _code(body)), name
    code = _code((root / "_answer.html").read_text())
    assert not any(VIEWER.search(c) or re.search(r"row\.(language|attachments|comments)", c) for c in code)
