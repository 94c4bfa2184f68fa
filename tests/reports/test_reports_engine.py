"""The engine's speed-ups change nothing in the PDF (issue 14): the HTML parsed by libxml2
gives tinyhtml5's tree, and the PDF our engine writes (libxml2, the trimmed user-agent
stylesheet, the glyph writer of app.reports.glyphs) is byte for byte, uncompressed, the one
WeasyPrint writes its own way.  The slow half renders the demo's reports in English and
Arabic; the fast half checks each piece on small documents."""
from __future__ import annotations

import re
import zlib

import pydyf
import pytest
import tinyhtml5
import weasyprint
from weasyprint.draw import text as weasy_text
from weasyprint.layout import inline as weasy_inline
from weasyprint.text.fonts import FontConfiguration

from app.reports import document, engine, glyphs, speedups


def tree(element) -> list[str]:
    """Every element, attribute, text and tail of a tree, in order (comments left out)."""
    out = [f"<{element.tag} {sorted(element.attrib.items())}> {element.text!r}"]
    for child in element:
        if isinstance(child.tag, str):
            out += tree(child)
        out.append(f"tail {child.tail!r}")
    return out


def same_tree(html: str) -> bool:
    return tree(document.parse_html(html)) == tree(tinyhtml5.parse(html, namespace_html_elements=False))


SMALL = """<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8"><title>T</title>
<style>p { color: red }</style>
</head>
<body class="gap">
<!-- a comment --><section class="chapter"><h1 id="a">Title &amp; more&nbsp;x</h1>
<p class="user" dir="ltr">Line one\r\nline two\rthree \x01 \ufeff &#39;q&#39; &lt;b&gt;</p>
<table class="zones"><tr><td style="width: 20%">A</td><td>B</td></tr></table>
<table><thead><tr><th>H</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
<p>Bands: <span class="band">X</span> <bdi dir="ltr">0–20</bdi><br>next</p>
<ol class="toc"><li><a href="#a">A</a></li></ol>
</section>
</body>
</html>
"""


# -- fast: each piece ---------------------------------------------------------------------------
def test_libxml2_gives_the_html5_tree_of_our_markup():
    assert same_tree(SMALL)
    assert document.parse_html(SMALL).find("body/section/table/tbody/tr") is not None


def test_text_libxml2_would_cut_goes_to_tinyhtml5():
    html = SMALL.replace("three", "three \ud800 four")
    assert "four" in "".join(document.parse_html(html).itertext())


def test_user_agent_stylesheet_leaves_out_only_footnotes_and_notes():
    from weasyprint.html import UA

    text = document._UA_MARKER.sub("li::marker {", document._UA_RULES_LEFT_OUT.sub("", UA))
    assert "::footnote-call" in UA and "::footnote-call" not in text and "::note-callback" not in text
    assert "li::marker {" in text and "\n::marker" not in text
    assert document.ReportHTML(tinyhtml5.parse(SMALL, namespace_html_elements=False), None) \
        ._ua_stylesheets() == [document.ua_stylesheet()]


def test_speedups_are_installed_on_this_weasyprint():
    assert weasyprint.__version__.startswith(glyphs.SUPPORTED), (
        f"WeasyPrint {weasyprint.__version__}: check app/reports/glyphs.py against its "
        "draw_first_line, then add the version to SUPPORTED")
    assert speedups.installed()
    assert weasy_text.draw_first_line is glyphs.draw_first_line
    assert weasy_inline.resolve_percentages is speedups._resolve_percentages
    with speedups.as_shipped():
        assert not speedups.installed() and pydyf.zlib is zlib
    assert speedups.installed()


def test_streams_are_compressed_at_level_6():
    data = b"BT /F1 9 Tf [<0041>-12<0042>] TJ ET\n" * 500
    compressor = pydyf.zlib.compressobj(level=9)
    assert compressor.compress(data) + compressor.flush() == zlib.compress(data, 6)
    assert pydyf.zlib.compress is zlib.compress   # the rest of zlib as it is


def small_pdfs(html: str) -> tuple[bytes, bytes]:
    fonts = FontConfiguration()
    return engine.write_pdf(html, fonts, uncompressed_pdf=True), weasyprint_pdf(html, fonts)


def weasyprint_pdf(html: str, fonts) -> bytes:
    """What engine.write_pdf wrote before the speed-ups: tinyhtml5, WeasyPrint's user-agent
    stylesheet, WeasyPrint and pydyf as they come (uncompressed)."""
    stylesheets = []
    style = engine._STYLE.search(html)
    if style and style.group(1).startswith(str(engine.stylesheet())):
        stylesheets.append(engine._parsed_style(style.group(1), fonts))
        html = html[:style.start()] + html[style.end():]
    with speedups.as_shipped():
        assert weasy_text.draw_first_line is glyphs._weasyprint_draw_first_line
        return weasyprint.HTML(string=html, url_fetcher=engine.SafeFetcher(), base_url=None).write_pdf(
            font_config=fonts, stylesheets=stylesheets, uncompressed_pdf=True, **engine.PDF_OPTIONS)


def comparable(pdf: bytes) -> bytes:
    return re.sub(rb"/(ID|CreationDate|ModDate) *(\[[^\]]*\]|\([^)]*\))", b"", pdf)


def test_a_small_document_prints_the_same_both_ways():
    html = SMALL.replace("<style>p { color: red }</style>", f"<style>{engine.stylesheet()}</style>")
    html = html.replace("next</p>", "next مرحبا بالعالم</p><ul><li>one</li><li>two</li></ul>")
    ours, theirs = small_pdfs(html)
    assert comparable(ours) == comparable(theirs)


# -- slow: the demo's reports -------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_html(tmp_path_factory):
    """The HTML of the demo's draft gap report and submitted scorecard, and the printable
    questionnaire, in English and Arabic."""
    import flask_babel

    from app import demo, reports
    from app.extensions import db
    from app.models import Assessment
    from app.reports.form import form_context
    from tests.servers import prepared_app

    tmp = tmp_path_factory.mktemp("engine")
    app = prepared_app(f"sqlite:///{tmp / 'db.sqlite3'}", tmp)
    pages = {}
    with app.app_context():
        demo.seed()
        db.session.commit()
        draft = db.session.query(Assessment).filter_by(status="draft").order_by(Assessment.id).first()
        submitted = db.session.query(Assessment).filter_by(status="submitted").order_by(Assessment.id).first()
        q = app.extensions["catalog"].latest("prevention-readiness")
        for lang in ("en", "ar"):
            with app.test_request_context(), flask_babel.force_locale(lang):
                for name, assessment, kind in (("gap", draft, "gap"), ("scorecard", submitted, "scorecard")):
                    pages[name, lang] = reports.render_html(reports.gather(assessment, kind, lang).context())
                pages["form", lang] = reports.render_html(form_context(q, lang))
        db.session.remove()
        db.engine.dispose()
    return pages


@pytest.mark.slow
def test_libxml2_gives_the_html5_tree_of_every_report(demo_html):
    for key, html in demo_html.items():
        assert same_tree(html), key


@pytest.mark.slow
@pytest.mark.parametrize("key", [("gap", "en"), ("gap", "ar"), ("scorecard", "ar")])
def test_reports_print_the_same_as_weasyprint_alone(demo_html, key):
    ours, theirs = small_pdfs(demo_html[key])
    assert len(ours) > 50_000
    assert comparable(ours) == comparable(theirs), key
