"""Hostile texts in an assessment never reach the network or the file system through a PDF.

Titles, answers, evidence, reasons, comments and the organisation's name and logo carry
markup that would fetch URLs, read files or attach them if it were interpreted.  A local
HTTP server counts requests: there must be none; ``pdfdetach -list`` (and pypdf) must find no
attachment; and the texts must appear literally in the extracted text."""
from __future__ import annotations

import io
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import (
    FIXTURES, add_comment, make_people, new_assessment, pdf_pages, render, seed_app, set_logo, squash,
)
pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # renders PDFs of hostile texts


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Counting.hits.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Counting.hits.clear()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def hostile_texts(base: str) -> dict[str, str]:
    return {
        "attach": "<link rel=attachment href=file:///etc/passwd>",
        "img": f"<img src={base}/img.png>",
        "import": f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>",
        "style_attr": f'<p style="background-image: url({base}/style-attr.png)">styled</p>',
        "svg": f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg-image.png" width="9" height="9"/></svg>',
        "object": "<object data=file:///etc/hostname></object><iframe src=file:///etc/hosts></iframe>",
    }


HOSTILE_SVG_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="40" height="20"><image xlink:href="{base}/logo-image.png" width="40" height="20"/>'
    '<style>@import url({base}/logo-import.css); rect {{ fill: url({base}/logo-fill.png) }}</style>'
    '<rect width="40" height="20" fill="#08306b"/><script>alert(1)</script></svg>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, server):
    tmp = tmp_path_factory.mktemp("hostile")
    app = seed_app(tmp, questionnaire_dir=FIXTURES)
    people = make_people(app)
    texts = hostile_texts(server)
    title = texts["attach"] + texts["img"]
    answers = {
        "a1": {"level": 3, "evidence": [{"type": "law", "reference": texts["img"], "note": texts["import"]},
                                        {"type": "data", "reference": f"{server}/plain-url-in-text"}],
               "comment": texts["svg"]},
        "b1": {"selected": ["crc"], "comment": texts["style_attr"]},
        "c1": {"value": 95},
        "d1": {"not_applicable": True, "reason": texts["object"]},
        "x1": {"text": texts["attach"] + " " + texts["svg"]},
    }
    assessment = new_assessment(app, people["R"], answers, submit=True, title=title[:200])
    add_comment(app, assessment, people["V"], texts["import"] + texts["attach"], item="a1")
    add_comment(app, assessment, people["V"], texts["object"])
    set_logo(app, people["R"], HOSTILE_SVG_LOGO.format(base=server).encode(), "image/svg+xml")
    gap, gap_html = render(app, assessment, "gap")
    card, card_html = render(app, assessment, "scorecard")
    return {"texts": texts, "title": title, "gap": gap, "card": card, "gap_html": gap_html,
            "card_html": card_html, "tmp": tmp}


def test_nothing_is_fetched(hostile):
    assert _Counting.hits == [], _Counting.hits


def test_nothing_is_attached(hostile):
    for name in ("gap", "card"):
        reader = pypdf.PdfReader(io.BytesIO(hostile[name]))
        assert not reader.attachments
        assert b"/EmbeddedFile" not in hostile[name]
        if shutil.which("pdfdetach"):
            path = hostile["tmp"] / f"{name}.pdf"
            path.write_bytes(hostile[name])
            out = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True,
                                 check=True).stdout
            assert out.strip().startswith("0 embedded files"), out


def test_hostile_texts_appear_literally(hostile):
    flat = squash("".join(pdf_pages(hostile["gap"])))
    for key, text in hostile["texts"].items():
        assert squash(text) in flat, key
    assert squash(hostile["title"]) in squash("".join(pdf_pages(hostile["card"])))
    # and the HTML given to the engine has them escaped, never as markup
    for html in (hostile["gap_html"], hostile["card_html"]):
        assert "<link rel=attachment" not in html and "<img src=http" not in html
        assert "<image " not in html and "<object" not in html


def test_the_logo_is_sanitised_before_it_enters_the_pdf(hostile):
    import base64
    import re

    html = hostile["card_html"]
    match = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert match, "the logo goes in as a data: URL"
    svg = base64.b64decode(match.group(1))
    assert b"<image" not in svg and b"<script" not in svg and b"@import" not in svg
    assert b"http://" not in svg.replace(b"http://www.w3.org/2000/svg", b"")
    assert b"<rect" in svg


def test_the_fetcher_blocks_even_unescaped_markup(server):
    """Defence in depth: were a text ever inserted unescaped, the fetcher still refuses."""
    from app.reports.render import html_to_pdf

    texts = hostile_texts(server)
    html = "<html><body><p>x</p>" + "".join(texts.values()) + "</body></html>"
    before = len(_Counting.hits)
    pdf = html_to_pdf(html)
    assert len(_Counting.hits) == before, _Counting.hits[before:]
    assert not pypdf.PdfReader(io.BytesIO(pdf)).attachments


def test_a_render_has_a_time_limit():
    from app.reports.render import RenderTimeout, html_to_pdf

    html = "<html><body>" + "<p>prevention</p>" * 1000 + "</body></html>"
    with pytest.raises(RenderTimeout):
        html_to_pdf(html, timeout=0.05)
    assert html_to_pdf("<p>again</p>", timeout=30)[:5] == b"%PDF-"   # the render thread recovers
