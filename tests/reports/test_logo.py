"""Organisation logos: the checks and the cleaning (pure), and the upload page."""
from __future__ import annotations

import io
import re
import zlib

import pytest

from app.reports.logo import PNG, SVG, LogoError, clean_svg, sanitise_logo
from tests.factories import FIXTURES, PASSWORD, make_people, png_logo, seed_app

LIMIT = 512 * 1024


def _png_with_text_chunk() -> bytes:
    """A PNG carrying a tEXt chunk (metadata that must not survive re-encoding)."""
    data = png_logo()
    chunk_type, body = b"tEXt", b"Comment\x00secret internal note"
    chunk = (len(body).to_bytes(4, "big") + chunk_type + body
             + zlib.crc32(chunk_type + body).to_bytes(4, "big"))
    return data[:33] + chunk + data[33:]          # after the IHDR chunk


# -- PNG ---------------------------------------------------------------------------------------
def test_png_is_recognised_by_magic_bytes_and_re_encoded():
    from PIL import Image

    raw = _png_with_text_chunk()
    data, mime = sanitise_logo(raw, LIMIT)
    assert mime == PNG and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"secret internal note" in raw and b"secret internal note" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (120, 60)


@pytest.mark.parametrize("raw,message", [
    (b"", "empty"),
    (b"GIF89a" + b"\x00" * 20, "PNG or an SVG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "could not be read"),
    (b"<html><script>alert(1)</script></html>", "PNG or an SVG"),
])
def test_other_files_are_refused(raw, message):
    with pytest.raises(LogoError, match=message):
        sanitise_logo(raw, LIMIT)


def test_size_limits():
    with pytest.raises(LogoError, match="too large"):
        sanitise_logo(png_logo(), 10)
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (5000, 5000)).save(out, format="PNG")     # small file, 25 million pixels
    with pytest.raises(LogoError, match="too large"):
        sanitise_logo(out.getvalue(), LIMIT)


def test_large_images_are_scaled_down():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (2400, 600), (0, 0, 0, 0)).save(out, format="PNG")
    data, _ = sanitise_logo(out.getvalue(), LIMIT)
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == 1024 and image.mode == "RGBA"


# -- SVG ---------------------------------------------------------------------------------------
HOSTILE = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="40" onload="alert(1)">
  <script>alert(1)</script>
  <style>@import url(http://evil.example/a.css); .c { fill: url(http://evil.example/p.png); stroke: #123456 } .d { fill: url(#g) }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#08306b"/></linearGradient></defs>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <use xlink:href="http://evil.example/sprite.svg#x"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>
  <rect class="c d" width="100" height="40" fill="url(#g)" style="stroke: url(http://evil.example/s); opacity: 0.9"/>
  <path d="M0 0 L10 10" filter="url(http://evil.example/f)"/>
  <text x="5" y="30" font-family="DejaVu Sans">Ministry <tspan fill="red">of</tspan> Justice</text>
</svg>"""


def test_svg_is_rebuilt_from_an_allow_list():
    data, mime = sanitise_logo(HOSTILE, LIMIT)
    assert mime == SVG
    text = data.decode()
    for bad in ("script", "onload", "@import", "evil.example", "file:", "javascript:", "<image",
                "<use", "foreignObject", "<a ", "filter"):
        assert bad not in text, bad
    assert 'fill="url(#g)"' in text and "stroke:#123456" in text and ".d{fill:url(#g)}" in text
    assert "opacity:0.9" in text and "Ministry" in text and "Justice" in text and "<tspan" in text
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert clean_svg(data) == data               # cleaning is stable


@pytest.mark.parametrize("raw", [
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    b'<!DOCTYPE lolz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
    b'<svg><rect/></svg>',                                    # not in the SVG namespace
    b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
])
def test_dangerous_or_broken_svg_is_refused(raw):
    with pytest.raises(LogoError):
        sanitise_logo(raw, LIMIT)


def test_svg_gets_a_viewbox_so_it_scales():
    data, _ = sanitise_logo(b'<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="40px">'
                            b'<rect width="120" height="40"/></svg>', LIMIT)
    assert 'viewBox="0 0 120 40"' in data.decode()


# -- the page ----------------------------------------------------------------------------------
@pytest.fixture
def site(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    return app, people


def _login(app, email):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    return client


def _csrf(client, path="/organisation/logo"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _stored(app, email):
    from app.extensions import db
    from app.models import AuditEntry, User

    with app.app_context():
        user = db.session.query(User).filter_by(email=email).one()
        audit = db.session.query(AuditEntry).filter_by(action="organisation.logo").count()
        return user.organisation.logo, user.organisation.logo_mime, audit


def test_respondent_uploads_replaces_and_removes_the_logo(site):
    app, _ = site
    client = _login(app, "r@a.example")
    page = client.get("/organisation/logo")
    assert page.status_code == 200 and b"Upload a new logo" in page.data
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client),
                                                 "logo": (io.BytesIO(png_logo()), "logo.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    data, mime, audits = _stored(app, "r@a.example")
    assert mime == PNG and data.startswith(b"\x89PNG") and audits == 1
    shown = client.get("/organisation/logo").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in shown
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client),
                                                 "logo": (io.BytesIO(HOSTILE), "logo.svg")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    data, mime, audits = _stored(app, "r@a.example")
    assert mime == SVG and b"script" not in data and audits == 2
    r = client.post("/organisation/logo/remove", data={"csrf_token": _csrf(client)})
    assert r.status_code == 302
    assert _stored(app, "r@a.example")[:2] == (None, None)


def test_bad_and_oversized_files_are_refused_and_nothing_is_saved(site):
    app, _ = site
    app.config["MAX_LOGO_BYTES"] = 2048
    client = _login(app, "r@a.example")
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client),
                                                 "logo": (io.BytesIO(b"GIF89a" + b"\0" * 64), "x.gif")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and b"PNG or an SVG" in r.data
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 4096)
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client), "logo": (big, "big.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 413 and b"too large" in r.data
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client)},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    r = client.post("/organisation/logo", data={"logo": (io.BytesIO(png_logo()), "logo.png")},
                    content_type="multipart/form-data")           # no CSRF token
    assert r.status_code == 400
    assert _stored(app, "r@a.example")[:2] == (None, None)


def test_reviewers_do_not_manage_logos(site):
    app, _ = site
    client = _login(app, "v@un.example")
    assert client.get("/organisation/logo").status_code == 403
    anonymous = app.test_client().get("/organisation/logo")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def _error_summary(html: str) -> str | None:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    return match.group(0) if match else None


@pytest.mark.parametrize("upload,status,message", [
    ((b"GIF89a" + b"\0" * 64, "x.gif"), 422, "PNG or an SVG"),
    ((b"\x89PNG\r\n\x1a\n" + b"\0" * 4096, "big.png"), 413, "too large"),
    (None, 400, "Choose a file."),
])
def test_a_refused_upload_shows_an_error_summary_linking_to_the_field(site, upload, status, message):
    app, _ = site
    app.config["MAX_LOGO_BYTES"] = 2048
    client = _login(app, "r@a.example")
    assert _error_summary(client.get("/organisation/logo").get_data(as_text=True)) is None
    data = {"csrf_token": _csrf(client)}
    if upload:
        data["logo"] = (io.BytesIO(upload[0]), upload[1])
    r = client.post("/organisation/logo", data=data, content_type="multipart/form-data")
    assert r.status_code == status
    html = r.get_data(as_text=True)
    summary = _error_summary(html)
    assert summary is not None, html
    # the same summary as the other forms: an alert, focusable (error-summary.js focuses it),
    # above the heading, a link per error to its field
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert "<h2>There is a problem</h2>" in summary
    assert html.index(summary) < html.index("<h1>")
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert len(links) == 1 and links[0][0] == "logo" and message in links[0][1]
    field = re.search(r'<input[^>]*\bid="logo"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="logo-error"' in field
    assert 'id="logo-error"' in html                     # the error stays at the field too
    assert "js/error-summary.js" in html
    assert _stored(app, "r@a.example")[:2] == (None, None)


def test_the_error_summary_in_french(site):
    app, _ = site
    client = _login(app, "r@a.example")
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client)},
                    content_type="multipart/form-data",
                    headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert r.status_code == 400
    summary = _error_summary(r.get_data(as_text=True))
    assert "Il y a un problème" in summary and "Choisissez un fichier." in summary


def test_a_file_over_the_request_limit_goes_back_to_the_logo_page_with_the_reason(site):
    """Bigger than any request may be (MAX_CONTENT_LENGTH): refused before the form is read,
    yet the user lands on the logo page again with the logo limit stated, not on a dead end."""
    app, _ = site
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client = _login(app, "r@a.example")
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (128 * 1024))
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client), "logo": (big, "huge.png")},
                    content_type="multipart/form-data", headers={"Referer": "http://localhost/organisation/logo"})
    assert r.status_code == 303 and r.headers["Location"] == "http://localhost/organisation/logo"
    html = client.get("/organisation/logo").get_data(as_text=True)
    kb = app.config["MAX_LOGO_BYTES"] // 1024
    assert f"The logo is too large: at most {kb} KB. Nothing was saved." in html
    # From elsewhere (no referrer of ours), the error page, still with the reason.
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client), "logo": (io.BytesIO(b"\0" * (128 * 1024)), "x.png")},
                    content_type="multipart/form-data", headers={"Referer": "https://evil.example/"})
    assert r.status_code == 413 and b"The logo is too large" in r.data


def test_logo_page_ids_are_unique_with_a_logo(site):
    """With a logo there are two forms (remove, upload): no id twice; removing still works."""
    app, _ = site
    client = _login(app, "r@a.example")
    r = client.post("/organisation/logo", data={"csrf_token": _csrf(client), "logo": (io.BytesIO(png_logo()), "logo.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    html = client.get("/organisation/logo").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'class="logo-preview"' in html
    r = client.post("/organisation/logo/remove", data={"csrf_token": _csrf(client)})
    assert r.status_code == 302 and _stored(app, "r@a.example")[:2] == (None, None)
