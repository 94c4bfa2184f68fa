"""The gap report's contents keep each page number beside the last line of its entry: a
French area title as wide as the line ("(g) Responsabilité des entreprises : Internet,
télécommunications, finance, voyages et tourisme, médias") pushed its number alone onto a
line below it (a float after a full line).  The entry now keeps the number's room."""
from __future__ import annotations

import pytest

from tests.reports.support import boxes, submitted_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("contents")) as made:
        yield made


def numbers_off_their_line(html: str) -> list[str]:
    """Each contents entry whose page number is not on its title's last line."""
    import weasyprint

    out = []
    for page in weasyprint.HTML(string=html).render().pages[:3]:
        lists = [b for b in boxes(page._page_box) if b.element_tag == "ol"
                 and b.element is not None and b.element.get("class") == "toc"]
        for entry in (b for ol in lists for b in ol.children if b.element_tag == "li"):
            texts = [b for b in boxes(entry) if type(b).__name__ == "TextBox"]
            number = [b for b in boxes(entry) if b.element_tag == "a::after"]
            title = [t for t in texts if not any(t is n for a in number for n in boxes(a))]
            if number and title and abs(max(t.position_y for t in title) - number[0].position_y) > 3:
                out.append(" ".join(t.text for t in title))
    return out


@pytest.mark.parametrize("lang", ["fr", "es", "en"])
def test_each_page_number_stands_beside_its_entry(submitted, lang):
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    app, aid, _q = submitted
    with app.test_request_context(), flask_babel.force_locale(lang):
        html = reports.render_html(reports.gather(db.session.get(Assessment, aid), "gap", lang).context())
    assert 'class="toc"' in html
    assert numbers_off_their_line(html) == []
