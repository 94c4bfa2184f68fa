"""What travels on the wire (app/wire.py): text compressed with brotli or gzip as the client
accepts, never when it does not, files that are compressed already left alone; static URLs
fingerprinted by content and cached for a year only under their current fingerprint."""
from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest

from app import wire


def decoded(response) -> bytes:
    body = response.get_data()
    return {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[
        response.headers.get("Content-Encoding")](body)


def without_token(html: bytes) -> bytes:
    """The page less its CSRF tokens (their signature carries the time, to the second)."""
    return re.sub(rb'name="csrf_token" value="[^"]+"', b"", html)


@pytest.fixture
def section_page(app, client, make_user, make_assessment, auth):
    uid = make_user("ana@a.example")
    aid = make_assessment(uid, {"a1": {"level": 2, "comment": "Our note"}})
    auth.login("ana@a.example")
    return f"/assessments/{aid}/sections/s_a_knowledge"


def test_section_page_is_compressed_as_the_client_accepts(client, section_page):
    plain = client.get(section_page, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    html = plain.get_data()
    assert b"Our note" in html and b'name="csrf_token"' in html
    for accept, expected in (("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br"),
                             ("gzip;q=1.0, br;q=0.1", "gzip")):
        r = client.get(section_page, headers={"Accept-Encoding": accept})
        assert r.headers["Content-Encoding"] == expected, accept
        assert int(r.headers["Content-Length"]) == len(r.get_data()) < len(html) / 4
        assert without_token(decoded(r)) == without_token(html)
    assert "Content-Encoding" not in client.get(section_page).headers  # no Accept-Encoding at all


def test_json_and_csv_are_compressed_but_xlsx_is_left_alone(client, world):
    h = world.headers("reviewer")
    ids = f"{world.gov_submitted},{world.ngo_submitted}"
    for url in (f"/api/v1/assessments/{world.gov_submitted}", f"/api/v1/export.csv?ids={ids}"):
        r = client.get(url, headers=h | {"Accept-Encoding": "br"})
        assert r.status_code == 200 and r.headers["Content-Encoding"] == "br", url
    r = client.get(f"/api/v1/export.xlsx?ids={ids}", headers=h | {"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and "Content-Encoding" not in r.headers
    assert r.get_data()[:2] == b"PK"


def test_small_responses_are_not_compressed(client, section_page):
    r = client.get("/healthz", headers={"Accept-Encoding": "br"})
    assert len(r.get_data()) < wire.MIN_SIZE and "Content-Encoding" not in r.headers


def test_static_urls_are_fingerprinted_and_cached_for_a_year(app, client, section_page):
    html = client.get(section_page).get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(u.startswith("/static/js/section-form.js?v=") for u in urls)
    for url in urls:
        path, _, stamp = url.partition("?v=")
        assert re.fullmatch(r"[0-9a-f]{12}", stamp), url
        with client.get(url, headers={"Accept-Encoding": "br"}) as r:
            assert r.status_code == 200 and r.headers["Cache-Control"] == wire.IMMUTABLE
            assert r.headers["Content-Encoding"] == "br" and int(r.headers["Content-Length"]) == len(r.get_data())
            assert decoded(r) == (Path(app.static_folder) / path.removeprefix("/static/")).read_bytes()
        # Without the fingerprint, or with an old one: the file, revalidated every time.
        for stale in (path, path + "?v=000000000000"):
            with client.get(stale) as r:
                assert r.status_code == 200 and r.headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_a_new_fingerprint(tmp_path):
    css = tmp_path / "a.css"
    css.write_text("body { color: red }")
    first = wire.fingerprint(str(tmp_path), "a.css")
    css.write_text("body { color: blue }")
    os.utime(css, (1, 1))  # a different modification time, whatever the clock's resolution
    assert wire.fingerprint(str(tmp_path), "a.css") not in (None, first)
    assert wire.fingerprint(str(tmp_path), "missing.css") is None
