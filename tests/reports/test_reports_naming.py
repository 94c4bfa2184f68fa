"""Reports name the questionnaire by its title in the report's language with its version
("…, version 1.1"), never by its id ("prevention-readiness 1.1", which is data: API, exports,
XLSForm ids)."""
from __future__ import annotations

import pytest

from tests.reports.support import report_html, submitted_report


@pytest.fixture(scope="module")
def shadow(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("naming"), "analyst@ngo.example", org="Child Rights Coalition",
                          kind="ngo", period="2025") as made:
        yield made


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
    from html import unescape
    return unescape(report_html(app, aid, kind, lang))
