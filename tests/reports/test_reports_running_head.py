"""The running head (the line at the top of every page but the cover) stays one line: an
organisation's long title with its "Independent civil-society assessment" mark ends in an
ellipsis instead of wrapping onto a second line over the page (left to right and right to
left)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.reports.support import render, submitted_report

pytestmark = pytest.mark.slow
TITLE = ("Civil society shadow assessment of the national strategy against the sale and sexual "
         "exploitation of children, 2025")


@pytest.fixture(scope="module")
def shadow(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("head"), "analyst@ngo.example", org="Child Rights Coalition",
                          kind="ngo", title=TITLE, period="2025") as made:
        yield made


MARGIN = 72 / 25.4   # points in a millimetre


def head_lines(page) -> dict[float, list[tuple[float, str]]]:
    """The text of the page's top margin (above its 22 mm margin): the pieces (x, text) by
    baseline."""
    top = float(page.mediabox.height) - 22 * MARGIN
    lines: dict[float, list[tuple[float, str]]] = {}

    def visit(text, cm, tm, _font, _size):
        if text.strip() and tm:
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            if y > top:
                lines.setdefault(round(y, 1), []).append((x, text))

    page.extract_text(visitor_text=visit)
    return lines


@pytest.mark.parametrize("lang", ("en", "ar"))
def test_the_running_head_of_a_long_shadow_title_is_one_line(shadow, lang):
    app, aid, _q = shadow
    _html, pdf = render(app, aid, "gap", lang)
    pages = PdfReader(io.BytesIO(pdf)).pages
    for number in range(2, min(len(pages), 6)):
        lines = head_lines(pages[number])
        assert len(lines) == 1, f"page {number + 1} ({lang}): the running head is {len(lines)} lines: {lines}"
        pieces = next(iter(lines.values()))
        head = "".join(text for _x, text in pieces)
        assert "…" in head or "..." in head, head       # the title was cut, not wrapped
        # Its start is on the page, inside the head's box (60 % of the width, at the left in
        # English, at the right in Arabic): in Arabic the cut line once began off the box.
        width = float(pages[number].mediabox.width) - 38 * MARGIN
        box_left = 19 * MARGIN + (0.4 * width if lang == "ar" else 0)
        title_x = min(x for x, text in pieces if "Civil" in text or "…" in text or "..." in text)
        assert title_x >= box_left - 1, (lang, title_x, box_left, pieces)
