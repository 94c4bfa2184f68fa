"""The reports' lists and labels in the reader's punctuation: a Chinese gap report listed its
thin areas with ", " ("(a) 知识：风险因素、需求和可靠的信息系统, (i) 定期评估…"), tagged a gap
"核心, 促进因素" and glued a Latin colon after "不适用:"; Arabic lists take "، " and "؛ ".
Now list_separator(), semicolon() and colon() (app.i18n), English unchanged."""
from __future__ import annotations

import re

import pytest

from tests.factories import full_answers, na_for_a_country
from tests.reports.support import report_html, submitted_report


def _thin_area_a(q):
    """Level 1 answers (gaps), areas (a) and (i) all "don't know", one question "not applicable"."""
    answers = full_answers(q, level=1)
    for it in q.scored_items:
        if it.key[0] in "ai" and it.allow_dont_know:
            answers[it.key] = {"dont_know": True}
    na = next(it for it in q.scored_items if na_for_a_country(q, it) and it.key[0] not in "ai")
    answers[na.key] = {"not_applicable": True, "reason": "No such sector here."}
    return answers


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    with submitted_report(tmp_path_factory.mktemp("lists"), answers=_thin_area_a) as (app, aid, _):
        yield {(kind, lang): re.sub(r"\s+", " ", report_html(app, aid, kind, lang))
               for kind in ("gap", "scorecard") for lang in ("zh", "ar", "en")}


def test_a_chinese_gap_report_lists_and_labels_in_full_width_marks(reports):
    html = reports["gap", "zh"]
    assert re.search(r"不适用：</p>", html) and "不适用:" not in html
    assert "、促进因素" in html and ", 促进因素" not in html
    thin = re.search(r"以下领域<strong>信息不足</strong>：(.*?)。", html).group(1)
    assert "；(" in thin and ", (" not in thin


def test_an_arabic_reports_lists_take_the_arabic_comma_and_semicolon(reports):
    assert re.search(r"\u061b \(\w\)", reports["gap", "ar"])               # between thin areas
    assert not re.search(r"\(\w\), \(\w\)", reports["scorecard", "ar"])
    assert re.search(r"\(\w\)\u060c \(\w\)", reports["scorecard", "ar"])


def test_english_keeps_its_comma_and_colon(reports):
    assert "Not applicable: </p>" in reports["gap", "en"] or "Not applicable:</p>" in reports["gap", "en"]
    assert re.search(r"\(\w\), \(\w\)", reports["scorecard", "en"])
