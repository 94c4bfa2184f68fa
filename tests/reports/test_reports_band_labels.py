"""The band names above the layer bars of a report fit their zone in every language: each zone
is a fifth of the track, and at 6.5 pt the French "En développement" ran its second word
across the next zone's "Établi" (the scorecard's first page).  A long word is hyphenated in
the report's language now; no word of a zone's name reaches past its zone."""
from __future__ import annotations

import pytest

from tests.factories import full_answers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    from app.extensions import db
    from tests.factories import create_assessment, make_app
    from tests.servers import seed_user_with_token

    tmp = tmp_path_factory.mktemp("bands")
    app = make_app(f"sqlite:///{tmp / 'db.sqlite3'}", tmp)
    user_id, _ = seed_user_with_token(app, "official@gov.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = create_assessment(app, user_id, full_answers(q, level=2), submit=True)
    yield app, aid
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def zone_overflows(html: str) -> list[str]:
    """Each text of a zone cell (``table.zones td``) that reaches past the cell's box."""
    import weasyprint

    page = weasyprint.HTML(string=html).render().pages[0]
    tables = [b for b in _boxes(page._page_box) if b.element_tag == "table"
              and getattr(b, "element", None) is not None and b.element.get("class") == "zones"]
    cells = {id(b): b for t in tables for b in _boxes(t) if b.element_tag == "td"}.values()
    out = []
    for cell in cells:
        right = cell.content_box_x() + cell.width
        for text in (b for b in _boxes(cell) if type(b).__name__ == "TextBox"):
            if text.position_x + text.width > right + 0.5:
                out.append(f"{text.text!r} ends {text.position_x + text.width - right:.1f} px past its zone")
    return out


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "en", "zh", "ar"])
def test_the_band_names_above_the_layer_bars_stay_in_their_zones(submitted, lang):
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    app, aid = submitted
    with app.test_request_context(), flask_babel.force_locale(lang):
        html = reports.render_html(reports.gather(db.session.get(Assessment, aid), "scorecard", lang).context())
    assert 'class="zones"' in html
    assert zone_overflows(html) == []
