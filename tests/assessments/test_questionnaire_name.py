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


def test_new_assessment_and_overview_name_the_questionnaire_in_chinese_without_ascii_brackets(
        app, client, ana, make_assessment):
    """"问卷标题 (第1.1版)" put an ASCII bracket around Chinese text: "问卷标题，第1.1版"."""
    q = questionnaire(app)
    name = f"{q.title['zh']}，第{q.version}版"
    zh = {"Accept-Language": "zh"}
    options = re.findall(r"<option[^>]*>([^<]*)</option>",
                         unescape(client.get("/assessments/new", headers=zh).get_data(as_text=True)))
    assert name in options
    assert not any("(第" in o for o in options), options
    aid = make_assessment(ana, {}, title="Self-assessment 2026")
    text = unescape(re.sub(r"<[^>]+>", " ", client.get(f"/assessments/{aid}", headers=zh).get_data(as_text=True)))
    assert name in text and "(第" not in text
