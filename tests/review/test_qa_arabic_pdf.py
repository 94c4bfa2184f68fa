"""QA of the Arabic PDFs: a signed difference keeps its sign before the digits ("−14.2",
never "14.2−") in the shadow scorecard's comparison, and the running head of pages 2+ is
mirrored (at the right of the page) like the footer."""
from __future__ import annotations

import re

import pytest

from tests.factories import pdftotext

pytestmark = pytest.mark.slow  # renders Arabic PDFs

MINUS = "\u2212"


@pytest.fixture
def db_url(sqlite_url):
    """One backend is enough: the layout of the PDF does not depend on the database."""
    return sqlite_url


def _arabic_pdf(app, assessment_id: int, kind: str, viewer_id: int) -> tuple[str, bytes]:
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment, User

    with app.test_request_context(), flask_babel.force_locale("ar"):
        viewer = db.session.get(User, viewer_id)
        inputs = reports.gather(db.session.get(Assessment, assessment_id), kind, "ar", viewer=viewer)
        html = reports.render_html(inputs.context())
    return html, reports.html_to_pdf(html)


@pytest.fixture
def shadow_scorecard(app, world):
    html, pdf = _arabic_pdf(app, world.ngo_submitted, "scorecard", world.reviewer)
    assert "compare compact" in html  # the government's score is beside the NGO's
    return html, pdf


def test_shadow_scorecard_differences_keep_the_minus_before_the_digits(shadow_scorecard):
    html, pdf = shadow_scorecard
    row = re.search(r'<tr class="diff">(.*?)</tr>', html, re.S).group(1)
    differences = re.findall(r'<td class="num">(.*?)</td>', row)
    assert differences and all(d.startswith('<bdi dir="ltr">') for d in differences), differences
    text = pdftotext(pdf, "-layout")
    assert re.search(rf"{MINUS}\d+\.\d", text), text
    assert not re.search(rf"\d{MINUS}", text), re.findall(rf".{{0,12}}\d{MINUS}.{{0,12}}", text)


def test_gap_report_comparison_isolates_every_difference(app, world):
    """The gap report's full table (one row per area): the last cell of each row is the
    difference, isolated left to right (HTML only: the PDF's layout is the scorecard's test)."""
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment, User

    with app.test_request_context(), flask_babel.force_locale("ar"):
        inputs = reports.gather(db.session.get(Assessment, world.ngo_submitted), "gap", "ar",
                                viewer=db.session.get(User, world.reviewer))
        html = reports.render_html(inputs.context())
    table = re.search(r'<table class="compare">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    last_cells = re.findall(r'<td class="num">([^<]*(?:<bdi[^>]*>[^<]*</bdi>)?)</td></tr>', table)
    assert len(last_cells) == 10, last_cells                          # overall and nine areas
    assert all(re.fullmatch(rf'<bdi dir="ltr">{MINUS}\d+\.\d</bdi>', c) for c in last_cells), last_cells


def _words(pdf: bytes, page: int) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    """Page ``page``'s width, height and words (xMin, yMin, xMax, yMax from the top, text)."""
    out = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out).groups())
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]
    return width, height, words


def test_shadow_scorecard_running_head_and_footer_are_mirrored(shadow_scorecard):
    """QA: the head of page 2 stood at the left as in English; in Arabic the document's title
    is at the right, like the footer line, and the page number at the left."""
    _, pdf = shadow_scorecard
    width, height, words = _words(pdf, 2)
    margin_top, margin_bottom = 22 * 72 / 25.4, 20 * 72 / 25.4        # report.css @page margins
    head = [w for w in words if w[3] <= margin_top]
    foot = [w for w in words if w[1] >= height - margin_bottom]
    assert any(w[4] == "Shadow" for w in head), head                  # the document's title
    assert min(w[0] for w in head) > width / 2, head                  # all of the head at the right
    assert max(w[2] for w in head) > width - 25 * 72 / 25.4, head     # up to the right margin
    title_line = [w for w in foot if w[4] == "Coalition"]
    page_number = [w for w in foot if w[4] == "2"]
    assert title_line and title_line[0][0] > width / 2, foot
    assert page_number and max(w[2] for w in page_number) < width / 2, foot


def test_english_scorecard_keeps_its_head_at_the_left(app, world):
    """The mirroring is the right-to-left reports' only: an English head stays at the left."""
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment, User

    with app.test_request_context(), flask_babel.force_locale("en"):
        inputs = reports.gather(db.session.get(Assessment, world.ngo_submitted), "scorecard", "en",
                                viewer=db.session.get(User, world.reviewer))
        pdf = reports.html_to_pdf(reports.render_html(inputs.context()))
    width, _, words = _words(pdf, 2)
    head = [w for w in words if w[3] <= 22 * 72 / 25.4]
    assert any(w[4] == "Shadow" for w in head) and min(w[0] for w in head) < width / 4, head
