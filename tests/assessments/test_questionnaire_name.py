"""The assessments list names each assessment's questionnaire by its title in the page's
language, with its version ("…, version 1.1"), not by its id ("prevention-readiness 1.1")."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories import questionnaire


@pytest.mark.parametrize("lang, name", [("en", "{title}, version {v}"), ("fr", "{title}, version {v}"),
                                        ("ar", "{title}، الإصدار {v}"), ("zh", "{title}，第{v}版")])
def test_assessment_list_names_the_questionnaire_by_its_title(app, client, ana, make_assessment, lang, name):
    q = questionnaire(app)
    make_assessment(ana, {}, title="Self-assessment 2026")
    html = client.get("/assessments", headers={"Accept-Language": lang}).get_data(as_text=True)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Self-assessment 2026" in text
    assert name.format(title=q.title[lang], v=q.version) in text
    assert "prevention-readiness" not in text
