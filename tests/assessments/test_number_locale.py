"""A number answer as the reader writes numbers: a French official who typed "42,5" found
"42.5" in the field and "42.5 %" on the answers page and in the PDFs; now "42,5" and
"42,5 %" (a no-break space keeps the unit on the number's line), and saving the page again
as it is changes nothing."""
from __future__ import annotations

import pytest

from tests.clients import form_fields, post_data, section_url


@pytest.fixture
def number_answered(app, ana, make_assessment):
    q = app.extensions["catalog"].latest("prevention-readiness")
    number = next(i for i in q.items if i.type == "number" and i.unit == "%")
    aid = make_assessment(ana, answers={number.key: {"value": 42.5}})
    return aid, number.key, q.section_of[number.key].key


@pytest.mark.parametrize("lang, typed, words", [("fr", "42,5", "42,5\u00a0%"), ("es", "42,5", "42,5\u00a0%"),
                                                ("en", "42.5", "42.5\u00a0%")])
def test_a_number_answer_is_written_in_the_readers_locale(client, number_answered, lang, typed, words):
    aid, key, section = number_answered
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    fields = form_fields(client.get(section_url(aid, section)).get_data(as_text=True))
    assert fields[f"{key}-value"] == [typed]
    answers = client.get(f"/assessments/{aid}/answers").get_data(as_text=True)
    assert words in answers
    assert lang == "en" or "42.5" not in answers


def test_the_french_field_saves_back_as_the_same_number(app, client, number_answered):
    aid, key, section = number_answered
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    fields = form_fields(client.get(section_url(aid, section)).get_data(as_text=True))
    r = client.post(section_url(aid, section), data=post_data(fields, action="save"))
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    from app.assessments import store
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        a = db.session.get(Assessment, aid)
        assert store.answers_json(store.questionnaire_of(a), store.answers_of(a))[key] == {"value": 42.5}


def test_a_typed_french_number_reads_back(app):
    from flask_babel import force_locale

    q = app.extensions["catalog"].latest("prevention-readiness")
    number = next(i for i in q.items if i.type == "number")
    with app.test_request_context(), force_locale("fr"):
        from app.display import numbers

        assert numbers.typed(87.5) == "87,5" and numbers.typed(90.0) == "90"
        assert number.parse_value("87,5") == 87.5
