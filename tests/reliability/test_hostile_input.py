"""Hostile input (issue 11, point 6): every bad input is a 4xx with a clear message and
nothing half-saved, never a 500, on SQLite and on PostgreSQL.

The ``app`` fixture propagates unexpected exceptions in tests, so a 500 here fails the test
with its traceback rather than hiding behind a status code.
"""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from app.assessments import store
from app.extensions import db
from app.models import Assessment, Comment, User
from tests.factories import csrf_token, full_answers

HUGE = "99999999999999999999"  # beyond PostgreSQL integer and SQLite's 64-bit INTEGER


@pytest.fixture
def world(app, make_user, make_assessment):
    """A respondent with a draft and a submitted assessment, and a reviewer; bearer tokens."""
    from app.auth import operations as accounts

    ana = make_user("ana@a.example", org="Org A")
    rita = make_user("rita@un.example", role="reviewer", org="UN", kind="other")
    q = app.extensions["catalog"].latest("prevention-readiness")
    draft = make_assessment(ana)
    submitted = make_assessment(ana, answers=full_answers(q), submit=True, title="Submitted")
    with app.app_context():
        tokens = {who: accounts.issue_token(db.session.get(User, uid), "tests")
                  for who, uid in (("ana", ana), ("rita", rita))}
        org_id = db.session.get(User, ana).organisation_id
        db.session.commit()

    class World:
        pass

    w = World()
    w.ana, w.rita, w.q, w.draft, w.submitted, w.org_id = ana, rita, q, draft, submitted, org_id
    w.headers = lambda who="ana": {"Authorization": f"Bearer {tokens[who]}"}
    return w


def state(app, aid):
    with app.app_context():
        a = db.session.get(Assessment, aid)
        comments = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.assessment_id == aid))
        return a.revision, store.answers_json(store.questionnaire_of(a), store.answers_of(a)), comments


def assert_error(r, status, *needles):
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:500])
    body = r.get_json()
    assert body["error"] and isinstance(body["details"], dict)
    text = json.dumps(body)
    for needle in needles:
        assert needle in text, (needle, text)
    return body


def patch(client, w, body, aid=None, raw=False):
    url = f"/api/v1/assessments/{aid or w.draft}/answers"
    data = body if raw else json.dumps(body)
    return client.patch(url, data=data, headers=w.headers() | {"Content-Type": "application/json"})


# -- ids and filters --------------------------------------------------------------------------

@pytest.mark.parametrize("ids", ["1,²", "²,³", "١,٢", f"1,{HUGE}", "1,2147483648", "0,1", "1,-2"])
def test_compare_and_exports_refuse_ids_that_are_not_ascii_ids(client, world, ids):
    for path in ("/api/v1/compare", "/api/v1/export.csv", "/api/v1/export.xlsx"):
        r = client.get(path, query_string={"ids": ids}, headers=world.headers("rita"))
        assert_error(r, 422, "not an assessment id")


def test_organisation_and_page_filters_are_parsed_strictly(client, world):
    def listing(**args):
        return client.get("/api/v1/assessments", query_string=args, headers=world.headers())

    assert len(listing(organisation=str(world.org_id)).get_json()["items"]) == 2
    for name in ("²", "١", HUGE, "0" * 5000):  # not an id: looked up as a name, found nowhere
        r = listing(organisation=name)
        assert r.status_code == 200 and r.get_json()["items"] == [], name
    for args in ({"page": "²"}, {"page": HUGE}, {"per_page": "0" * 5000}, {"page": "-1"}):
        assert_error(listing(**args), 400, "whole number")


def test_ids_beyond_the_integer_column_are_404_on_every_id_route(app, client, world, auth):
    """Every route with an ``<int:...>`` part, pages and API, every method: an id of
    20 digits, 2**31 or non-ASCII digits never reaches the database."""
    auth.login("ana@a.example")
    token = csrf_token(client, "/account")
    rules = [r for r in app.url_map.iter_rules() if "int" in {type(c).__name__ for c in r._converters.values()}
             or any(type(c).__name__ == "StrictIntConverter" for c in r._converters.values())]
    assert len(rules) >= 15
    for rule in rules:
        for bad in (HUGE, str(2**31), "%C2%B2", "0" * 30):
            path = re.sub(r"<int:[^>]+>", bad, rule.rule)
            path = re.sub(r"<[^>]+>", "s_a_knowledge", path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                headers = world.headers() if path.startswith("/api/") else {"X-CSRFToken": token}
                r = client.open(path, method=method, headers=headers, data={"csrf_token": token}
                                if not path.startswith("/api/") else None)
                assert r.status_code == 404, (method, path, r.status_code)
                if path.startswith("/api/"):
                    assert r.get_json()["error"]
    # The largest id the column holds is an ordinary missing row.
    assert client.get(f"/api/v1/assessments/{2**31 - 1}", headers=world.headers()).status_code == 404
    assert client.get(f"/assessments/{2**31 - 1}").status_code == 404


# -- numbers in the answer patch --------------------------------------------------------------

@pytest.mark.parametrize("base_revision", [10**20, 2**31, -1, 2**63])
def test_base_revision_out_of_range_is_422_and_nothing_saved(app, client, world, base_revision):
    r = patch(client, world, {"base_revision": base_revision, "answers": {"a1": {"level": 2}}})
    assert_error(r, 422, "base_revision")
    assert state(app, world.draft) == (0, {}, 0)


@pytest.mark.parametrize("answers, field", [
    ({"a1": {"level": "²"}}, "level"),
    ({"a1": {"level": "٣"}}, "level"),
    ({"a1": {"level": "0" * 5000}}, "level"),
    ({"a1": {"level": "1" * 30}}, "level"),
    ({"a1": {"level": 1e300}}, "level"),
    ({"c1": {"value": "nan"}}, "value"),
    ({"c1": {"value": "inf"}}, "value"),
    ({"c1": {"value": "1e400"}}, "value"),
    ({"c1": {"value": "1_0"}}, "value"),
    ({"c1": {"value": "9" * 5000}}, "value"),
    ({"c1": {"value": 1e300}}, "value"),
])
def test_bad_answer_values_are_422_per_field(app, client, world, answers, field):
    r = patch(client, world, {"base_revision": 0, "answers": answers})
    body = assert_error(r, 422)
    key = next(iter(answers))
    assert field in body["details"][key]
    assert state(app, world.draft) == (0, {}, 0)


@pytest.mark.parametrize("raw, status, needle", [
    ('{"base_revision": 0, "answers": {"a1": {"level": ' + "1" * 400 + "}}}", 422, "answers.a1.level"),
    ('{"base_revision": 0, "answers": {"c1": {"value": 1e400}}}', 422, "answers.c1.value"),
    ('{"base_revision": 0, "answers": {"c1": {"value": -1e400}}}', 422, "out of range"),
    ('{"base_revision": ' + "1" * 5000 + ', "answers": {}}', 422, "base_revision: number out of range"),
    ('{"base_revision": 0, "answers": {"c1": {"value": NaN}}}', 400, "NaN"),
    ('{"base_revision": 0, "answers": {"c1": {"value": Infinity}}}', 400, "Infinity"),
    ('{"base_revision": 0, "answers": {"c1": {"value": -Infinity}}}', 400, "Infinity"),
    ("[" * 100_000 + "]" * 100_000, 400, "nested too deeply"),
    ('{"a": ' * 100_000 + "1" + "}" * 100_000, 400, "nested too deeply"),
    ('{"base_revision": 0, "answers": {"a1": {"evidence": ' + "[" * 70 + "]" * 70 + "}}}", 400,
     "nested too deeply"),
    ('{"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "x\\u0000y"}}}', 422,
     "answers.a1.comment"),
    ('{"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "\\ud800"}}}', 422, "lone surrogate"),
    ('{"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "\\udfff and \\ud83d"}}}', 422,
     "lone surrogate"),
    ('{"base_revision": 0, "answers": {"a1\\u0000": {"level": 2}}}', 422, "NUL"),
    ('{"base_revision": 0, "answers": {"\\ud800": {"level": 2}}}', 422, "surrogate"),
    ('{"base_revision": 0, "answers": {"a1": {"level": 2, "evidence": [{"type": "law", '
     '"reference": "Act\\u0000", "note": ""}]}}}', 422, "answers.a1.evidence[0].reference"),
    ('{"base_revision": 0, "answers": ', 400, "valid JSON"),
    ("", 400, "empty"),
    ('"just a string"', 400, "JSON object"),
])
def test_hostile_json_is_a_4xx_naming_the_path_and_nothing_is_saved(app, client, world, raw, status, needle):
    assert_error(patch(client, world, raw, raw=True), status, needle)
    assert state(app, world.draft) == (0, {}, 0)


@pytest.mark.parametrize("raw, status, needle", [
    ('{"ids": [1], "kind": "gap", "lang": "\\ud800"}', 422, "lang: contains"),
    ('{"ids": [1], "kind": "gap\\u0000"}', 422, "kind: contains"),
    ('{"ids": [' + "1" * 400 + '], "kind": "gap"}', 422, "ids[0]: number out of range"),
    ('{"ids": ' + "[" * 100_000 + "]" * 100_000 + ', "kind": "gap"}', 400, "nested too deeply"),
    ('{"ids": [NaN], "kind": "gap"}', 400, "NaN"),
])
def test_the_batch_request_reads_its_body_strictly(client, world, raw, status, needle):
    r = client.post("/api/v1/reports/batch", data=raw,
                    headers=world.headers() | {"Content-Type": "application/json"})
    assert_error(r, status, needle)


def test_a_paired_surrogate_escape_is_ordinary_text(app, client, world):
    r = patch(client, world, '{"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "\\ud83d\\ude00"}}}',
              raw=True)
    assert r.status_code == 200
    assert state(app, world.draft)[1]["a1"]["comment"] == "\U0001F600"


def test_body_that_is_not_utf8_is_400(app, client, world):
    r = client.patch(f"/api/v1/assessments/{world.draft}/answers", data=b'{"answers": "\xff\xfe"}',
                     headers=world.headers() | {"Content-Type": "application/json"})
    assert_error(r, 400, "UTF-8")


@pytest.mark.parametrize("text", ["\x00", "before\x00after", "\ud800", "x\udc00"])
def test_comments_and_review_reasons_refuse_nul_and_lone_surrogates(app, client, world, text):
    raw = json.dumps({"item": "a1", "text": text})  # json.dumps writes them as \\u escapes
    for who, aid in (("ana", world.submitted), ("rita", world.submitted)):
        r = client.post(f"/api/v1/assessments/{aid}/comments", data=raw,
                        headers=world.headers(who) | {"Content-Type": "application/json"})
        assert_error(r, 422, "text: contains")
        assert state(app, aid)[2] == 0
    r = client.post(f"/api/v1/assessments/{world.submitted}/review",
                    data=json.dumps({"action": "return", "reason": text}),
                    headers=world.headers("rita") | {"Content-Type": "application/json"})
    assert_error(r, 422, "reason: contains")
    with app.app_context():
        assert db.session.get(Assessment, world.submitted).status == "submitted"


def test_nul_and_surrogates_in_a_new_assessment_are_refused(app, client, world):
    base = {"questionnaire": "prevention-readiness", "version": "1.0", "jurisdiction": "KE", "period": "2026"}
    for title in ("a\x00b", "\ud800"):
        r = client.post("/api/v1/assessments", data=json.dumps(base | {"title": title}),
                        headers=world.headers() | {"Content-Type": "application/json"})
        assert_error(r, 422, "title: contains")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2


# -- non-string fields ------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["title", "jurisdiction", "period", "questionnaire", "version"])
@pytest.mark.parametrize("value", [None, [], {}, 5, 2.5, True, ["KE"]])
def test_non_string_fields_of_a_new_assessment_are_422(app, client, world, field, value):
    body = {"questionnaire": "prevention-readiness", "version": "1.0", "jurisdiction": "KE",
            "period": "2026", "title": "A title"} | {field: value}
    r = client.post("/api/v1/assessments", json=body, headers=world.headers())
    assert_error(r, 422, field)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2
        assert not db.session.scalars(select(Assessment.title).where(
            Assessment.title.in_(["None", "[]", "{}", "5", "2.5", "True", "['KE']"]))).all()


@pytest.mark.parametrize("value", [None, [], {}, 5, True])
def test_non_string_comment_review_and_answer_text_fields_are_422(app, client, world, value):
    h = world.headers("rita") | {"Content-Type": "application/json"}
    r = client.post(f"/api/v1/assessments/{world.submitted}/comments", data=json.dumps({"text": value}), headers=h)
    assert_error(r, 422, "text")
    if value is not None:  # a null reason is no reason
        r = client.post(f"/api/v1/assessments/{world.submitted}/review",
                        data=json.dumps({"action": "return", "reason": value}), headers=h)
        assert_error(r, 422, "reason")
    r = client.post(f"/api/v1/assessments/{world.submitted}/review", data=json.dumps({"action": value}), headers=h)
    assert_error(r, 422, "action")
    if value is not None:
        r = patch(client, world, {"base_revision": 0, "answers": {"a1": {"level": 2, "comment": value}}})
        assert_error(r, 422, "comment")
    assert state(app, world.draft) == (0, {}, 0)
    assert state(app, world.submitted)[2] == 0


# -- bodies over the limit --------------------------------------------------------------------

def test_a_chunked_body_over_the_limit_is_413_not_malformed_json(app, client, world):
    """A server that terminates chunked bodies (gunicorn sets ``wsgi.input_terminated``)
    hands the app a stream without a length; the limit applies while reading."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = json.dumps({"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "x" * (limit + 10)}}})
    for url, method in ((f"/api/v1/assessments/{world.draft}/answers", "PATCH"),
                        (f"/api/v1/assessments/{world.draft}/comments", "POST"),
                        ("/api/v1/assessments", "POST")):
        r = client.open(url, method=method, input_stream=io.BytesIO(big.encode()),
                        headers=world.headers() | {"Transfer-Encoding": "chunked",
                                                   "Content-Type": "application/json"},
                        environ_overrides={"wsgi.input_terminated": True})
        body = assert_error(r, 413)
        assert body["details"]["limit_bytes"] == limit
    small = json.dumps({"base_revision": 0, "answers": {"a1": {"level": 2}}}).encode()
    r = client.patch(f"/api/v1/assessments/{world.draft}/answers", input_stream=io.BytesIO(small),
                     headers=world.headers() | {"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                     environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 200 and r.get_json()["revision"] == 1
    assert state(app, world.draft)[0] == 1


def test_a_chunked_form_over_the_limit_is_413_not_cut_between_fields(app, client, world, auth):
    """Werkzeug's limited stream stops at the limit without a word; a url-encoded form was
    parsed as if the fields before the cut were all of it."""
    from urllib.parse import urlencode

    from tests.clients import form_fields, post_data

    auth.login("ana@a.example")
    url = f"/assessments/{world.draft}/sections/s_a_knowledge"
    fields = form_fields(client.get(url).get_data(as_text=True))
    data = post_data(fields, a1__level="3", action="save")
    body = urlencode([(k, v) for k, values in data.items() for v in values] +
                     [("padding", "x" * app.config["MAX_CONTENT_LENGTH"])]).encode()
    r = client.post(url, input_stream=io.BytesIO(body),
                    headers={"Transfer-Encoding": "chunked", "Content-Type": "application/x-www-form-urlencoded"},
                    environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413
    assert state(app, world.draft) == (0, {}, 0)


# -- pages: query strings and forms -----------------------------------------------------------

def test_nul_in_api_query_parameters_is_422(client, world):
    for args in ({"jurisdiction": "K\x00E"}, {"questionnaire": "\x00"}, {"organisation": "Org\x00A"},
                 {"status\x00": "draft"}):
        assert_error(client.get("/api/v1/assessments", query_string=args, headers=world.headers()), 422, "NUL")


def test_pages_ignore_query_parameters_with_nul_or_huge_numbers(client, world, auth):
    auth.login("rita@un.example")
    for url in (f"/review/trend?jurisdiction=KE&organisation={HUGE}", "/review/trend?organisation=%00",
                "/review/trend?jurisdiction=K%00E", f"/review?page={HUGE}", "/review?jurisdiction=%00",
                "/review/divergence?period=%00", f"/review/compare?ids={world.submitted},{HUGE}"):
        r = client.get(url)
        assert r.status_code in (200, 302), (url, r.status_code)


def test_a_form_post_with_nul_is_refused_whole(app, client, world, auth):
    from tests.clients import form_fields, post_data

    auth.login("ana@a.example")
    url = f"/assessments/{world.draft}/sections/s_a_knowledge"
    fields = form_fields(client.get(url).get_data(as_text=True))
    data = post_data(fields, a1__level="3", a1__comment="before\x00after", action="save")
    r = client.post(url, data=data)
    assert r.status_code == 400 and "NUL" in r.get_data(as_text=True)
    r = client.post(url, data=data, headers={"Accept": "application/json"})  # autosave
    assert_error(r, 400, "NUL")
    assert state(app, world.draft) == (0, {}, 0)
    r = client.post("/assessments/new", data={"csrf_token": fields["csrf_token"][0], "title": "x\x00",
                                              "questionnaire": "prevention-readiness@1.0",
                                              "jurisdiction": "KE", "period": "2026"})
    assert r.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2


@pytest.mark.parametrize("revision", [HUGE, str(2**31), "²", "-5", "0" * 5000])
def test_a_section_form_with_an_out_of_range_revision_saves_nothing(app, client, world, auth, revision):
    from tests.clients import form_fields, post_data

    auth.login("ana@a.example")
    url = f"/assessments/{world.draft}/sections/s_a_knowledge"
    fields = form_fields(client.get(url).get_data(as_text=True))
    for level in ("3", "²", "٣", "0" * 5000):
        data = post_data(fields, a1__level=level, base_revision=revision, action="save")
        r = client.post(url, data=data)
        assert 400 <= r.status_code < 500, (revision, level, r.status_code)
    assert state(app, world.draft) == (0, {}, 0)


def test_a_section_form_with_non_ascii_or_long_levels_is_refused_next_to_the_field(app, client, world, auth):
    """The page is shown again with the error (the evidence notice read the posted level
    with int() after isdigit(): "²" was a 500)."""
    from tests.clients import form_fields, post_data

    auth.login("ana@a.example")
    url = f"/assessments/{world.draft}/sections/s_a_knowledge"
    fields = form_fields(client.get(url).get_data(as_text=True))
    for level in ("²", "٣", "0" * 5000, "1" * 30, "-1"):
        r = client.post(url, data=post_data(fields, a1__level=level, action="save"))
        assert 400 <= r.status_code < 500, (level[:10], r.status_code)
    assert state(app, world.draft) == (0, {}, 0)
    r = client.post(url, data=post_data(fields, a1__level="3", action="save"))
    assert r.status_code == 302 and state(app, world.draft)[1] == {"a1": {"level": 3}}


def test_an_svg_logo_nested_900_deep_is_refused_with_the_form_error(app, client, world, auth):
    auth.login("ana@a.example")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 900 + b"</g>" * 900 + b"</svg>"
    r = client.post("/organisation/logo", data={"csrf_token": csrf_token(client, "/organisation/logo"),
                                                "logo": (io.BytesIO(svg), "deep.svg")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "nests its elements too deeply" in r.get_data(as_text=True)
    # Brackets nested deeply in a style are dropped like any other style we cannot vouch for.
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" style="fill:'
           + b"(" * 100_000 + b'"/><style>a{fill:' + b"[" * 50_000 + b"}</style></svg>")
    r = client.post("/organisation/logo", data={"csrf_token": csrf_token(client, "/organisation/logo"),
                                                "logo": (io.BytesIO(svg), "css.svg")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    with app.app_context():
        org = db.session.get(User, world.ana).organisation
        assert b"(" not in org.logo and b"[" not in org.logo


# -- the same over the network, under gunicorn ------------------------------------------------

def _chunked(url: str, method: str, body: bytes, token: str) -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest(method, parts.path)
        for name, value in (("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"),
                            ("Transfer-Encoding", "chunked")):
            conn.putheader(name, value)
        conn.endheaders()
        try:
            for start in range(0, len(body), 65536):
                chunk = body[start:start + 65536]
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer 413 before the whole body is sent
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_under_gunicorn_chunked_bodies_and_hostile_requests_are_4xx(db_url, tmp_path):
    from tests.servers import dispose, gunicorn_server, http_json, prepared_app, seed_user_with_token

    app = prepared_app(db_url, tmp_path)
    _uid, token = seed_user_with_token(app, "ana@a.example")
    limit = app.config["MAX_CONTENT_LENGTH"]
    dispose(app)
    new = {"questionnaire": "prevention-readiness", "version": "1.0", "jurisdiction": "KE",
           "period": "2026", "title": "Over the network"}
    with gunicorn_server(db_url, tmp_path, workers=2) as server:
        status, body = http_json("POST", server.url + "/api/v1/assessments", new, token=token)
        assert status == 201
        answers = f"{server.url}/api/v1/assessments/{body['id']}/answers"
        status, raw = _chunked(answers, "PATCH", json.dumps(
            {"base_revision": 0, "answers": {"a1": {"level": 2, "comment": "x" * (limit + 1)}}}).encode(), token)
        assert status == 413 and json.loads(raw)["details"]["limit_bytes"] == limit
        exactly = b'{"base_revision": 0, "answers": {"a1": {"level": 2}}}'
        status, raw = _chunked(answers, "PATCH", exactly + b" " * (limit - len(exactly)), token)
        assert status == 200 and json.loads(raw)["revision"] == 1  # the limit itself fits
        status, raw = _chunked(answers, "PATCH", exactly + b" " * (limit + 1 - len(exactly)), token)
        assert status == 413
        hostile = [
            ("GET", f"/api/v1/assessments/{HUGE}", None, 404),
            ("GET", "/api/v1/assessments?organisation=%C2%B2", None, 200),
            ("GET", "/api/v1/assessments?jurisdiction=K%00E", None, 422),
            ("GET", "/api/v1/compare?ids=1,%C2%B2", None, 422),
            ("PATCH", f"/api/v1/assessments/{body['id']}/answers", b'{"base_revision": 1, "answers": '
             b'{"a1": {"level": 2, "comment": "\\ud800"}}}', 422),
            ("PATCH", f"/api/v1/assessments/{body['id']}/answers", b'{"base_revision": 1, "answers": '
             b'{"a1": {"level": 2, "comment": "a\\u0000b"}}}', 422),
            ("PATCH", f"/api/v1/assessments/{body['id']}/answers",
             json.dumps({"base_revision": 10**20, "answers": {}}).encode(), 422),
            ("PATCH", f"/api/v1/assessments/{body['id']}/answers", b"[" * 100_000 + b"]" * 100_000, 400),
            ("POST", "/api/v1/assessments", json.dumps(new | {"title": None}).encode(), 422),
        ]
        for method, path, payload, expected in hostile:
            status, answer = http_json(method, server.url + path, payload, token=token)
            assert status == expected, (method, path, status, answer)
        assert "Traceback" not in server.log_text()
