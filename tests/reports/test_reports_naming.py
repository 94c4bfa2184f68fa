"""Reports name the questionnaire by its title in the report's language with its version
("…, version 1.1"), never by its id ("prevention-readiness 1.1", which is data: API, exports,
XLSForm ids)."""
from __future__ import annotations

import pytest

from tests.factories import full_answers


@pytest.fixture(scope="module")
def shadow(tmp_path_factory):
    from app.extensions import db
    from tests.factories import create_assessment, make_app
    from tests.servers import seed_user_with_token

    tmp = tmp_path_factory.mktemp("naming")
    app = make_app(f"sqlite:///{tmp / 'db.sqlite3'}", tmp)
    user_id, _ = seed_user_with_token(app, "analyst@ngo.example", org="Child Rights Coalition", kind="ngo")
    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = create_assessment(app, user_id, full_answers(q, level=2), submit=True, period="2025")
    yield app, aid, q
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("lang, phrase", [("en", "{title}, version {v}"), ("fr", "{title}, version {v}"),
                                          ("zh", "{title}，第{v}版"), ("ar", "{title}، الإصدار {v}")])
def test_reports_name_the_questionnaire_by_its_title_and_version(shadow, lang, phrase):
    from app.reports import context as rc

    app, aid, q = shadow
    name = phrase.format(title=q.title[lang], v=q.version)
    for kind in rc.KINDS:
        html = render_html(app, aid, kind, lang)
        assert name in html, (kind, lang)
        assert "prevention-readiness" not in html.split("<body", 1)[1], (kind, lang)


def render_html(app, aid, kind, lang) -> str:
    import flask_babel
    from html import unescape

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.test_request_context(), flask_babel.force_locale(lang):
        return unescape(reports.render_html(reports.gather(db.session.get(Assessment, aid), kind, lang).context()))
