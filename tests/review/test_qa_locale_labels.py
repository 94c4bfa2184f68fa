"""QA findings in French and Arabic: the area code is written once ("(a) Connaissances", never
"(a) a) Connaissances" nor "(b) (ب) الإطار"), on the review pages and in the gap report;
the PDF charts' numbers use the reader's decimal separator."""
from __future__ import annotations

import re

import pytest

from tests.factories import login, org_of, questionnaire, set_scores

DOUBLED = re.compile(r"\([a-z]\)\s*(?:\(?[a-z]\)|\((?:أ|ب|ج|د|هـ|و)\))")


def _get(client, path: str, lang: str) -> str:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    r = client.get(path)
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


def _report_html(app, assessment_id: int, kind: str, lang: str) -> str:
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.test_request_context(), flask_babel.force_locale(lang):
        return reports.render_html(
            reports.gather(db.session.get(Assessment, assessment_id), kind, lang).context())


@pytest.mark.parametrize("lang, expected", [("fr", "(a) Connaissances"), ("ar", "(b) الإطار القانوني")])
def test_review_pages_write_the_area_code_once(app, client, world, lang, expected):
    login(client, "reviewer@un.example")
    pages = [f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}",
             "/review/divergence?jurisdiction=KE&period=2025"]
    for path in pages:
        html = _get(client, path, lang)
        assert f'lang="{lang}"' in html, path
        assert not DOUBLED.search(html), (path, DOUBLED.search(html).group(0))
    assert expected in _get(client, pages[0], lang)


def test_results_radar_text_writes_the_area_code_once(app, client, world):
    login(client, "official@ministry.example")
    html = _get(client, f"/assessments/{world.gov_submitted}/results", "ar")
    assert not DOUBLED.search(html), DOUBLED.search(html).group(0)


def test_french_gap_report_writes_the_area_code_once(app, world):
    html = _report_html(app, world.gov_submitted, "gap", "fr")
    assert "(a) Connaissances" in html
    assert not DOUBLED.search(html), DOUBLED.search(html).group(0)


def _table(html: str, css_class: str) -> str:
    return html.split(f'class="{css_class}"', 1)[1].split("</figure>", 1)[0]


@pytest.mark.parametrize("kind", ["gap", "scorecard"])
def test_french_report_charts_write_decimals_with_a_comma(app, world, kind):
    """QA: the heat map read "37.5" and the layer bars "45.1" beside a headline "42,3"."""
    html = _report_html(app, world.gov_submitted, kind, "fr")
    for css_class in ("heatmap", "lbars"):
        if f'class="{css_class}"' not in html:
            continue
        table = _table(html, css_class)
        assert re.search(r">\s*\d+,\d\s*<", table), css_class
        assert not re.search(r"\d+\.\d", re.sub(r'style="[^"]*"', "", table)), css_class


@pytest.mark.slow  # renders the Arabic gap report
def test_arabic_gap_report_contents_show_their_page_numbers(app, world):
    """QA: in Arabic the contents' page numbers fell off the page (only "3" and a clipped "6")."""
    import io

    from pypdf import PdfReader

    from app import reports

    pdf = reports.html_to_pdf(_report_html(app, world.gov_submitted, "gap", "ar"))
    reader = PdfReader(io.BytesIO(pdf))
    toc = reader.pages[reader.get_destination_page_number(reader.named_destinations["contents"])]
    text = toc.extract_text()
    for name in ("summary", "method", "glance", "areas", "area-a", "plan"):
        page = reader.get_destination_page_number(reader.named_destinations[name]) + 1
        assert re.search(rf"(?<!\d){page}(?!\d)", text), (name, page, text)
    # and the numbers are inside the page: the text layer holds them within the media box
    width = float(toc.mediabox.width)
    xs = []
    toc.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append((t, tm[4] * cm[0] + tm[5] * cm[2] + cm[4])) if t.strip().isdigit() else None)
    assert xs and all(0 <= x <= width for _t, x in xs), [(t, x) for t, x in xs if not 0 <= x <= width]


@pytest.mark.slow  # renders an Arabic PDF
def test_arabic_cover_aligns_latin_values_with_the_others(app, world):
    """QA: on an Arabic cover the organisation's Latin name and the year stood at the left
    while every other value stood at the right."""
    import io

    from pypdf import PdfReader

    from app import reports

    pdf = reports.html_to_pdf(_report_html(app, world.gov_submitted, "gap", "ar"))
    cover = PdfReader(io.BytesIO(pdf)).pages[0]
    width, starts = float(cover.mediabox.width), {}
    cover.extract_text(visitor_text=lambda t, cm, tm, fd, fs: starts.setdefault(
        t.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))
    for value in ("Ministry", "2025"):
        assert starts[value] > width / 2, (value, starts[value], width)


def test_arabic_trend_keeps_number_sequences_left_to_right(app, client, world, make_assessment):
    """QA: in Arabic "53.6 → 46.2" read backwards and "+11.0" came out as "(11.0+)"."""
    from tests.factories import full_answers

    old = make_assessment(world.gov, full_answers(questionnaire(app), 1), submit=True, period="2024",
                          title="Gov 2024")
    set_scores(app, old, overall=34.36, areas={"a": 34.36})
    set_scores(app, world.gov_submitted, overall=45.84, areas={"a": 45.84})
    login(client, "reviewer@un.example")
    html = _get(client, f"/review/trend?jurisdiction=KE&organisation={org_of(app, world.gov)}", "ar")
    assert 'dir="rtl"' in html
    assert '<bdi dir="ltr">34.4 → 45.8</bdi>' in html
    headline = html.split('class="rv-trend-headline"', 1)[1].split("</p>", 1)[0]
    assert re.search(r'<bdi dir="ltr">\+11\.4</bdi>', headline), headline
    improved = html.split("rv-changes", 1)[1].split("</ul>", 1)[0]
    assert re.search(r'<bdi dir="ltr">\+11\.4</bdi>', improved), improved
