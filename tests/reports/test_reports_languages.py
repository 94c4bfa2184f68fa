"""Reports in the six UN languages, read back: the document language (/Lang), the text in the
report's language with every character of a sample present (no missing glyph), the fonts
embedded (subset) and, for Arabic, the page laid out right to left.  Renders the scorecard in
every language and the gap report in Arabic and Chinese (the scripts most likely to miss)."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.factories import full_answers
from tests.reports.support import render, submitted_report

pytestmark = pytest.mark.slow
LANGS = ("en", "fr", "es", "ru", "zh", "ar")


def _with_a_comment_in_three_scripts(q):
    answers = full_answers(q, level=3)
    key = next(iter(answers))
    answers[key] = dict(answers[key], comment="تعليق بالعربية · 中文意见 · комментарий")
    return answers


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("langs"), answers=_with_a_comment_in_three_scripts) as made:
        yield made


def fonts_of(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font.get("/BaseFont")))
    return names


def sample_characters(q, lang: str) -> str:
    """Characters of the report's own texts in ``lang``: an area title as the questionnaire's
    translation gives it (every letter must come out of the PDF)."""
    title = q.areas[1].title.get(lang, q.areas[1].title["en"])
    return "".join(ch for ch in title if ch.isalpha())


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_in_each_language_reads_back(submitted, lang):
    app, aid, q = submitted
    html, pdf = render(app, aid, "scorecard", lang)
    assert f'lang="{lang}"' in html and f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html
    reader = PdfReader(io.BytesIO(pdf))
    assert str(reader.trailer["/Root"].get("/Lang")) == lang
    assert len(reader.pages) <= 2, f"{lang}: the scorecard runs to {len(reader.pages)} pages"
    text = "".join(page.extract_text() for page in reader.pages)
    assert fonts_of(reader), "no embedded font"
    # Subset fonts: their names carry the six-letter subset tag.
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in fonts_of(reader)), fonts_of(reader)
    # A draft translation says so in the report (every language but English here).
    assert ('class="draft-translation"' in html) == (lang != "en")
    missing = {ch for ch in sample_characters(q, lang) if ch not in text}
    assert not missing, f"{lang}: characters missing from the PDF text: {''.join(sorted(missing))}"


@pytest.mark.parametrize("lang", ("ar", "zh"))
def test_gap_report_in_arabic_and_chinese_has_every_glyph(submitted, lang):
    app, aid, q = submitted
    html, pdf = render(app, aid, "gap", lang)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages[:6])
    assert str(reader.trailer["/Root"].get("/Lang")) == lang
    fonts = " ".join(fonts_of(reader))
    if lang == "zh":
        assert "WenQuanYi" in fonts or "Noto" in fonts, fonts      # a CJK font, embedded
        assert "预防" in text or "儿童" in text
    else:
        assert re.search(r"[\u0600-\u06FF]{4,}", text), "no Arabic text extracted"
        # Arabic script from Amiri (fonts-hosny-amiri), Latin and digits still from DejaVu.
        assert "Report-Arabic" in fonts and "DejaVu-Sans" in fonts, fonts
    # The charts are labelled in the report's language (their text is HTML, shaped by Pango in
    # its own direction; WeasyPrint draws SVG text left to right only).
    from app.reports.context import short_area_label

    name = short_area_label(q.areas[1].title[lang])
    assert f"(b) {name}</p>" in html and "<text" not in html and "%3Ctext" not in html
    heading = re.search(r'<h1 id="glance">(.*?)</h1>', html).group(1)
    entry = next(e for e in reader.outline if not isinstance(e, list) and e.title == heading)
    glance = reader.pages[reader.get_destination_page_number(entry)].extract_text()
    assert set(name.replace(" ", "")) <= set(glance)
    # The respondent's own text is kept as typed, whatever the report's language.
    full = "".join(page.extract_text() for page in reader.pages)
    assert "中文意见" in full


def test_the_gap_line_arrow_points_the_way_the_language_reads(world):
    """Issue 18 follow-up: in Arabic the gap line "Level 2 → Level 3" kept the arrow pointing
    right, so in a right-to-left line it pointed from the target back to the level now.  Real
    downloads (gap report and scorecard), read back with pdftotext; the results page shows
    the two levels as separate facts, with no arrow to turn."""
    from tests.factories import login, pdftotext

    client = world["app"].test_client()
    headers = {"Authorization": f"Bearer {world['tokens']['R']}"}
    for kind in ("gap", "scorecard"):
        lines = {}
        for lang in ("ar", "en", "fr"):
            r = client.get(f"/api/v1/assessments/{world['submitted']}/report.pdf?kind={kind}&lang={lang}",
                           headers=headers | {"Accept-Language": lang})
            assert r.status_code == 200 and r.mimetype == "application/pdf", (kind, lang)
            lines[lang] = [line for line in pdftotext(r.data).splitlines() if "a1" in line and ("→" in line or "←" in line)]
            assert lines[lang], (kind, lang)           # a1 is a gap: its line is there
        assert all("←" in line and "→" not in line for line in lines["ar"]), lines["ar"]
        assert all("→" in line and "←" not in line for line in lines["en"] + lines["fr"])
        assert "Level 2 → Level 3" in lines["en"][0]
    page = world["app"].test_client()
    login(page, "r@a.example")
    html = page.get(f"/assessments/{world['submitted']}/results", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    gaps = html.split('id="gap-a1"', 1)[1].split("</li>", 1)[0]
    assert 'dir="rtl"' in html and "→" not in gaps and "←" not in gaps
