"""The band names above the layer bars of a report fit their zone in every language: each zone
is a fifth of the track, and at 6.5 pt the French "En développement" ran its second word
across the next zone's "Établi" (the scorecard's first page).  A long word is hyphenated in
the report's language now; no word of a zone's name reaches past its zone."""
from __future__ import annotations

import pytest

from tests.reports.support import boxes, submitted_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("bands")) as made:
        yield made


def zone_overflows(html: str) -> list[str]:
    """Each text of a zone cell (``table.zones td``) that reaches past the cell's box."""
    import weasyprint

    page = weasyprint.HTML(string=html).render().pages[0]
    tables = [b for b in boxes(page._page_box) if b.element_tag == "table"
              and getattr(b, "element", None) is not None and b.element.get("class") == "zones"]
    cells = {id(b): b for t in tables for b in boxes(t) if b.element_tag == "td"}.values()
    out = []
    for cell in cells:
        right = cell.content_box_x() + cell.width
        for text in (b for b in boxes(cell) if type(b).__name__ == "TextBox"):
            if text.position_x + text.width > right + 0.5:
                out.append(f"{text.text!r} ends {text.position_x + text.width - right:.1f} px past its zone")
    return out


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "en", "zh", "ar"])
def test_the_band_names_above_the_layer_bars_stay_in_their_zones(submitted, lang):
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    app, aid, _q = submitted
    with app.test_request_context(), flask_babel.force_locale(lang):
        html = reports.render_html(reports.gather(db.session.get(Assessment, aid), "scorecard", lang).context())
    assert 'class="zones"' in html
    assert zone_overflows(html) == []
