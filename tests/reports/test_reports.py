"""The PDFs read back: pages, headings, scores, gap texts, bookmarks, metadata, embedded fonts,
long texts that flow across pages, an annex table's header repeated on every page, the draft watermark
and the logo.  Each PDF is rendered once for the module (rendering is the slow part)."""
from __future__ import annotations

import html as html_lib
import io
import re
import shutil
import subprocess

import pytest

from tests.factories import (
    add_comment, full_answers, make_people, na_for_a_country, new_assessment, pdf_pages, png_logo,
    render, seed_app, set_logo, squash,
)

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # renders every PDF in full

LONG_TOKENS = [f"segment{n:04d}" for n in range(1, 460)]   # 459 x 11 = 5,049 characters
LONG_NOTE = " ".join(LONG_TOKENS)
ARABIC = "قانون حماية الطفل لسنة 2022، المادة 13"


# -- the documents under test -----------------------------------------------------------------
@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """A submitted assessment with capped levels, don't know, N/A, a 5,000-character evidence
    note, Arabic text and reviewer comments (gap report), and a draft of another organisation
    with a logo (scorecard)."""
    tmp = tmp_path_factory.mktemp("reports")
    app = seed_app(tmp)
    people = make_people(app)
    q = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(q, level=2)
    # Not core questions: their caps are the documentary and outcome rules (rubric 1.1 caps a
    # core question without documentary evidence at 1, tested in test_rubric_1_1).
    scale = [it for it in q.scored_items if it.type == "scale" and it.weight != "core"]
    answers[scale[0].key] = {"level": 4, "evidence": [{"type": "policy", "reference": "Plan 2025"}]}
    answers[scale[1].key] = {"level": 3, "evidence": [{"type": "expert_judgement", "reference": "Panel"}],
                             "comment": ARABIC}
    answers[scale[2].key] = {"level": 2, "confidence": "high", "evidence": [
        {"type": "law", "reference": "Children Act 2022", "note": LONG_NOTE}]}
    dk = next(it for it in q.scored_items if it.allow_dont_know and it.key not in
              {s.key for s in scale[:3]})
    answers[dk.key] = {"dont_know": True}
    na = next(it for it in q.scored_items if na_for_a_country(q, it))
    answers[na.key] = {"not_applicable": True, "reason": "No tourism sector of any size."}
    submitted = new_assessment(app, people["R"], answers, submit=True,
                               title="Assessment of the Ministry of Justice 2026")
    add_comment(app, submitted, people["V"], "Please attach the budget document for b2.", item="b2")
    add_comment(app, submitted, people["V"], "Overall a careful self-assessment.")
    draft = new_assessment(app, people["O"], full_answers(q, level=1), title="Shadow report 2026")
    set_logo(app, people["O"], png_logo(), "image/png")
    gap_pdf, gap_html = render(app, submitted, "gap")
    card_pdf, card_html = render(app, draft, "scorecard")
    with app.app_context():
        from app.extensions import db
        from app.models import Assessment

        score = db.session.get(Assessment, submitted).score
    yield {"app": app, "q": q, "score": score, "keys": (scale[0].key, scale[1].key, scale[2].key),
           "dk": dk.key, "gap": gap_pdf, "gap_html": gap_html, "gap_text": pdf_pages(gap_pdf),
           "card": card_pdf, "card_text": pdf_pages(card_pdf), "tmp": tmp}


# -- the gap report -----------------------------------------------------------------------------
def test_gap_report_pages_headings_scores_and_gaps(documents):
    from app.scoring import format_score

    pages = documents["gap_text"]
    text = "\n".join(pages)
    flat = squash(text)
    assert len(pages) >= 10
    for heading in ("Contents", "Executive summary", "How the assessment works", "Readiness at a glance",
                    "Findings by area", "Action plan", "Review comments"):
        assert heading in text, heading
    # Nothing said twice (issue 14): no annex reprinting the answers the area chapters show,
    # and each gap's action once (the first ten in the summary, the others in the plan).
    assert "Annex: all answers" not in text
    score = documents["score"]
    assert format_score(score["overall"]["score"]) in text
    for _code, area in score["areas"].items():
        assert squash(format_score(area["score"])) in flat
    q = documents["q"]
    for gap in score["gaps"]:                       # the whole action plan, every action, once
        assert flat.count(squash(gap["action"]["en"])) == 1, gap["key"]
    assert squash("Assessment of the Ministry of Justice 2026") in squash(pages[0])
    assert "Please attach the budget document for b2." in text
    a4, a3, _ = documents["keys"]
    assert squash(q.item_map[a4].levels[3].descriptor["en"]) in flat   # effective level 4 -> 3
    assert squash(q.item_map[a3].levels[2].descriptor["en"]) in flat   # expert judgement: 3 -> 2


def test_gap_report_toc_page_numbers_and_running_headers(documents):
    pages = documents["gap_text"]
    toc = pages[1]
    # Each entry's number ends its line (beside the title's last line), the footer's aside.
    numbers = [int(n) for line in toc.splitlines() if "Page " not in line
               for n in re.findall(r"(?:^| )(\d+)$", line)]
    chapters = ["Executive summary", "How the assessment works", "Readiness at a glance",
                "Findings by area"] + [f"area {c}" for c in "abcdefghi"] + [
                "Action plan", "Review comments"]
    assert len(numbers) == len(chapters), toc
    for title, number in zip(chapters, numbers):
        if title.startswith("area "):
            continue
        first = next(n for n, p in enumerate(pages, start=1) if n > 2 and title in p)
        assert number == first, (title, number, first)
    assert numbers == sorted(numbers)
    assert f"Page 3 of {len(pages)}" in pages[2]
    assert squash("Assessment of the Ministry of Justice 2026") in squash(pages[5])  # running header
    # The footer line (organisation, jurisdiction, period, kind), set by the cover, on every page
    # after it (it was blank: a string-set inside the absolutely placed cover foot).
    footer = html_lib.unescape(re.search(r'data-docfoot="([^"]*)"', documents["gap_html"]).group(1))
    assert "Gap report" in footer
    assert all(squash(footer) in squash(page) for page in pages[1:]), footer


def test_gap_report_bookmarks(documents):
    reader = pypdf.PdfReader(io.BytesIO(documents["gap"]))

    def titles(outline, depth=0):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry, depth + 1)
            else:
                yield depth, entry.title

    found = list(titles(reader.outline))
    top = [t for d, t in found if d == 0]
    for heading in ("Executive summary", "Findings by area", "Action plan"):
        assert heading in top
    subs = [t for d, t in found if d == 1]
    assert any(t.startswith("(a) ") for t in subs) and any(t.startswith("(i) ") for t in subs)


def test_gap_report_metadata(documents):
    reader = pypdf.PdfReader(io.BytesIO(documents["gap"]))
    meta = reader.metadata
    assert meta.title == "Gap report: Assessment of the Ministry of Justice 2026"
    assert meta.author == "Ministry of Justice (A)"
    assert "Kenya" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_all_embedded(documents, tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) not installed")
    for name in ("gap", "card"):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(documents[name])
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, out
        for row in rows:
            assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row
            emb = row.split()[-5]
            assert emb == "yes", row
        # DejaVu, and Amiri for the Arabic code points (the gap report holds an Arabic comment).
        assert all("DejaVu" in row or "Report-Arabic" in row for row in rows), out
        assert any("DejaVu" in row for row in rows), out


def test_long_evidence_flows_across_pages_uncut(documents):
    pages = documents["gap_text"]
    holding = [n for n, p in enumerate(pages) if any(t in p for t in LONG_TOKENS)]
    assert len(holding) >= 1
    flat = squash("".join(pages[n] for n in holding))
    positions = [flat.find(t) for t in LONG_TOKENS]
    assert all(p >= 0 for p in positions), [t for t, p in zip(LONG_TOKENS, positions) if p < 0][:5]
    assert positions == sorted(positions)           # in order: nothing lost, nothing repeated


def test_long_annex_table_repeats_its_header():
    """The annexes' tables (informants' agreement, evidence documents) can run over pages:
    with the reports' stylesheet their header is repeated on each one."""
    from app.reports.engine import stylesheet
    from app.reports.render import html_to_pdf

    rows = "".join(f"<tr><td>k{n}</td><td>file-{n}.pdf</td></tr>" for n in range(400))
    html = (f"<!doctype html><html lang=\"en\"><head><title>t</title><style>{stylesheet()}</style></head><body>"
            f"<table class=\"annex\"><thead><tr><th>Item</th><th>Document</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></body></html>")
    pages = pdf_pages(html_to_pdf(html))
    assert len(pages) >= 3
    assert all(re.search(r"ITEM\s*DOCUMENT", p) for p in pages), [p[:80] for p in pages]


def test_right_to_left_text_is_kept(documents):
    html = documents["gap_html"]
    assert 'dir="rtl"' in html and ARABIC in html
    text = "".join(documents["gap_text"])
    assert "2022" in text and any("\u0600" <= ch <= "\u06ff" for ch in text)


def test_reports_are_tagged_pdf_ua(documents):
    """PDF/UA-1 (issue 14): a structure tree a screen reader follows, marked content, the
    language, the title shown, the charts' text as text and their picture with an alternative."""
    for key in ("gap", "card"):
        reader = pypdf.PdfReader(io.BytesIO(documents[key]))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"]), key
        assert str(root["/Lang"]) == "en" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()
        kinds, alts = set(), []
        stack = [root["/StructTreeRoot"]]
        while stack:
            node = stack.pop().get_object()
            if isinstance(node, pypdf.generic.ArrayObject):
                stack.extend(node)
            elif isinstance(node, pypdf.generic.DictionaryObject):
                kinds.add(node.get("/S"))
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt") or ""))
                if "/K" in node:
                    stack.append(node["/K"])
        assert {"/H1", "/P", "/Table", "/TH", "/TD", "/Figure"} <= kinds, (key, kinds)
        assert any(alt.startswith("Radar chart of the area scores") for alt in alts), alts


def test_the_stylesheet_parsed_once_prints_as_the_inline_one(documents):
    """The engine gets our <style> parsed once per process (issue 14) rather than inline in
    the HTML: the same pages with the same text as WeasyPrint makes of the HTML as it is,
    the cover without a page number (an @page rule of our stylesheet)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from app.reports import engine

    html, fonts = documents["gap_html"], FontConfiguration()
    as_is = weasyprint.HTML(string=html, url_fetcher=engine.SafeFetcher(), base_url=None).write_pdf(
        font_config=fonts, **engine.PDF_OPTIONS)
    pages, expected = pdf_pages(engine.write_pdf(html, fonts)), pdf_pages(as_is)
    assert pages == expected
    assert "Page 1 of" not in pages[0] and f"Page 2 of {len(pages)}" in pages[1]


def test_link_targets_are_headings_not_the_blocks_around_them(documents):
    """An id on a chapter, an area or a question's block kept WeasyPrint from sharing the
    computed styles of everything inside it (issue 14): ids sit on headings."""
    tags = re.findall(r"<(\w+)\b[^>]*\sid=\"", documents["gap_html"])
    assert {"h1", "h2", "h3"} <= set(tags) <= {"h1", "h2", "h3"}, set(tags)


def test_submitted_report_has_no_watermark(documents):
    assert not any("DRAFT" in p for p in documents["gap_text"])


# -- the scorecard ------------------------------------------------------------------------------
def test_scorecard_is_one_or_two_pages_with_headline_charts_gaps_and_logo(documents):
    pages = documents["card_text"]
    text = "\n".join(pages)
    assert 1 <= len(pages) <= 2
    assert "Shadow report 2026" in text and "Child Rights Network (B)" in text
    assert "Readiness by area" in text and "highest-priority gaps" in text
    reader = pypdf.PdfReader(io.BytesIO(documents["card"]))
    images = [img for page in reader.pages for img in page.images]
    assert images, "the logo is embedded as an image"


def test_draft_scorecard_carries_the_watermark(documents):
    pages = documents["card_text"]
    assert all("DRAFT" in p for p in pages)
    meta = pypdf.PdfReader(io.BytesIO(documents["card"])).metadata
    assert meta.title == "Scorecard: Shadow report 2026"


# -- the cache key and the locale -----------------------------------------------------------
def test_report_key_differs_by_locale(tmp_path):
    from flask_babel import force_locale

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    app = seed_app(tmp_path)
    people = make_people(app)
    aid = new_assessment(app, people["R"])
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        with force_locale("en"):
            en = reports.report_key(assessment, "gap")
            assert reports.report_key(assessment, "gap") == en
            assert reports.render_locale() == "en"
        with force_locale("fr"):
            fr = reports.report_key(assessment, "gap")
            assert reports.render_locale() == "fr"
    assert en != fr
