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


def zone_cells(html: str):
    """The zone cells (``table.zones td``) of the first page, laid out."""
    import weasyprint

    page = weasyprint.HTML(string=html).render().pages[0]
    tables = [b for b in boxes(page._page_box) if b.element_tag == "table"
              and getattr(b, "element", None) is not None and b.element.get("class") == "zones"]
    return list({id(b): b for t in tables for b in boxes(t) if type(b).__name__ == "TableCellBox"}.values())


def zone_overflows(html: str) -> list[str]:
    """Each text of a zone cell (``table.zones td``) that reaches past the cell's box."""
    out = []
    for cell in zone_cells(html):
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


def test_the_track_takes_the_room_the_label_and_the_value_leave(submitted):
    """The head row's cells set the columns: the zones' track is the table's width less the
    label (30 mm) and the value (14 mm), so an English band name never breaks ("Develop-ing"
    did, when every th of the table, the track's too, was 30 mm wide)."""
    from tests.reports.support import report_html

    app, aid, _q = submitted
    cells = zone_cells(report_html(app, aid, "scorecard", "en"))
    assert len(cells) == 5
    track_mm = sum(c.margin_width() for c in cells) * 25.4 / 96
    assert track_mm > 90, track_mm
    for cell in cells:
        lines = {round(b.position_y) for b in boxes(cell) if type(b).__name__ == "TextBox"}
        assert len(lines) == 1, [b.text for b in boxes(cell) if type(b).__name__ == "TextBox"]
