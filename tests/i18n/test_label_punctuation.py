"""A label and its text joined with the reader's punctuation: the templates glued a Latin colon
on ("Avis d'expert:" on the answers page, "b11: Les allégations..." in the overview's list of
unanswered questions, "Prévention primaire: Mesures..." and "8 sur 9 sélectionnés (niveau 3
sur 4): ..." in the gap report) and joined entries with "; ", where French puts a no-break
space before both and Chinese has its full-width marks (app.i18n.colon and semicolon)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, colon, semicolon", [("fr", "\u00a0: ", "\u00a0; "), ("zh", "\uff1a", "\uff1b"),
                                                    ("es", ": ", "; "), ("en", ": ", "; ")])
def test_the_punctuation_of_each_language(app, lang, colon, semicolon):
    from flask_babel import force_locale

    from app.i18n import colon as colon_of, semicolon as semicolon_of

    with app.test_request_context(), force_locale(lang):
        assert (colon_of(), semicolon_of()) == (colon, semicolon)


@pytest.fixture
def with_evidence(app, ana, make_assessment):
    q = app.extensions["catalog"].latest("prevention-readiness")
    key = next(it.key for it in q.items if it.type == "scale")
    return make_assessment(ana, answers={key: {"level": 2, "evidence": [
        {"type": "expert_judgement", "reference": "Panel of experts"}]}})


@pytest.mark.parametrize("lang, joined", [("fr", "</strong>\u00a0: Panel of experts"),
                                          ("zh", "</strong>\uff1aPanel of experts"),
                                          ("es", "</strong>: Panel of experts")])
def test_the_answers_page_joins_an_evidence_type_and_its_reference_in_the_readers_way(
        client, with_evidence, lang, joined):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = client.get(f"/assessments/{with_evidence}/answers").get_data(as_text=True)
    assert joined in html
    assert ":</strong> Panel" not in html


def test_the_overviews_unanswered_questions_in_french(client, with_evidence):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = client.get(f"/assessments/{with_evidence}").get_data(as_text=True)
    assert "a2\u00a0: " in html and "a2: " not in html


def test_the_gap_reports_number_and_checklist_answers_in_french(app):
    from flask_babel import force_locale

    from app.questionnaire.answers import AnswerData
    from app.reports.context import _answer_value_text

    q = app.extensions["catalog"].latest("prevention-readiness")
    number = next(it for it in q.items if it.type == "number" and it.unit == "%")
    checklist = next(it for it in q.items if it.type == "checklist")
    with app.test_request_context(), force_locale("fr"):
        text, _ = _answer_value_text(number, AnswerData(value=42.5), "fr")
        assert text.startswith("42,5\u00a0% (")
        words = checklist.value_words(tuple(o.code for o in checklist.options[:2]), lambda t: t.get("fr") or t["en"])
        assert "\u00a0; " in words


def test_the_sources_and_the_chart_descriptions_in_french(app, client, ana, make_assessment):
    """The question's sources on the section page ("A/68/275, par. 111, 122; A/HRC/25/48...")
    and the charts' descriptions on the results page ("(a) Connaissances 28,6; (b) ...")."""
    import re

    from tests.factories import full_answers

    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = make_assessment(ana, answers=full_answers(q))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    section = client.get(f"/assessments/{aid}/sections/s_a_knowledge").get_data(as_text=True)
    assert "\u00a0; A/HRC/25/48" in section and "; A/HRC/25/48" not in section.replace("\u00a0; ", "")
    results = client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert re.search(r"\d\u00a0; \(b\)", results)
    assert not re.search(r"\d; \(b\)|\w: Prévention", results)


def test_the_review_pages_history_and_comment_subjects_in_french(app, make_user, make_assessment):
    """'28 nov. 2025, 10:30 UTC: Soumise par…' and 'a1: Existe-t-il…' on a French review page."""
    from tests.factories import AuthActions, full_answers

    q = app.extensions["catalog"].latest("prevention-readiness")
    owner = make_user("ana@a.example")
    aid = make_assessment(owner, answers=full_answers(q), submit=True)
    make_user("rita@un.example", role="reviewer", org="UN", kind="other")
    reviewer = app.test_client()
    AuthActions(reviewer).login("rita@un.example")
    reviewer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = reviewer.get(f"/review/assessments/{aid}").get_data(as_text=True)
    assert "</time>\u00a0: <strong>" in html and "</time>:" not in html
    assert ">a1\u00a0: " in html and ">a1: " not in html


def test_the_results_pages_areas_mostly_unknown_in_french(app, client, ana, make_assessment):
    """'(a) Connaissances : … fiable: 42,9 % inconnues' in the results page's warnings."""
    from tests.factories import full_answers

    q = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(q)
    for key in q.sections[0].items:
        answers[key] = {"dont_know": True}
    aid = make_assessment(ana, answers=answers)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = client.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert "</a>\u00a0: 100,0\u00a0% " in html, html[html.find("inconnu") - 300:html.find("inconnu") + 50]
    assert "</a>: " not in html


@pytest.mark.parametrize("lang, comma", [("zh", "</a>\uff0c<time"), ("ar", "</a>\u060c <time"),
                                         ("en", "</a>, <time")])
def test_the_review_pages_submitted_revisions_take_the_readers_comma(app, make_user, make_assessment,
                                                                      lang, comma):
    """'第1次提交，2025年11月28日…' and 'التقديم 1، 28 نوفمبر…', not a Latin ', ' after the link."""
    from tests.factories import AuthActions, full_answers

    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = make_assessment(make_user("ana@a.example"), answers=full_answers(q), submit=True)
    make_user("rita@un.example", role="reviewer", org="UN", kind="other")
    reviewer = app.test_client()
    AuthActions(reviewer).login("rita@un.example")
    reviewer.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = reviewer.get(f"/review/assessments/{aid}").get_data(as_text=True)
    assert comma in html


@pytest.mark.parametrize("lang, cited", [("ar", "A/68/275\u060c "), ("zh", "A/68/275\uff0c")])
def test_the_section_pages_sources_in_arabic_and_chinese(client, ana, make_assessment, lang, cited):
    """'A/68/275، الفقرات 5، 12…' and 'A/68/275，第5、12…段', not Latin commas (the reports' form)."""
    import re

    from app.display.numbers import sources
    from tests.factories import full_answers

    q = client.application.extensions["catalog"].latest("prevention-readiness")
    aid = make_assessment(ana, answers=full_answers(q))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = client.get(f"/assessments/{aid}/sections/s_a_knowledge").get_data(as_text=True)
    line = re.search(r'class="sources">(.*?)</p>', html, re.S).group(1)
    assert cited in line and not re.search(r"\d, \d|A/68/275, ", line), line

    from flask_babel import force_locale

    with client.application.test_request_context(), force_locale(lang):
        cite = sources([{"document": "A/68/275", "paragraphs": [111, 122]}])[0]
    assert ("111\u060c 122" if lang == "ar" else "111\u3001122") in cite, cite


def test_the_section_pages_refusals_in_chinese_take_one_full_width_colon(client, ana, make_assessment):
    """'问题a1：证据条目1：…' in the summary of a refused answer, not '问题a1： 证据条目1' (the
    translated 'Question %(key)s:' and a space after it)."""
    from tests.clients import form_fields, post_data, section_url

    aid = make_assessment(ana, answers={"a1": {"level": 3, "evidence": [
        {"type": "law", "reference": "Children Act 2022", "note": ""}]}})
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh"
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    html = client.post(section_url(aid), data=post_data(fields, a1__evidence__0__type="")).get_data(as_text=True)
    assert "问题a1：证" in html and "问题a1： " not in html
