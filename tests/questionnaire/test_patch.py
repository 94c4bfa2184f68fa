"""The one parser of answers (app.questionnaire.patch): pure, no app, no database."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.questionnaire.answer_errors import details_of
from app.questionnaire.answers import AnswerData, Evidence
from app.questionnaire.loader import load_definition
from app.questionnaire.patch import parse_patch
from tests.factories import REFUSED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def mini():
    return load_definition(FIXTURES / "mini-1.0.yaml").questionnaire


def test_every_item_type_parses_to_its_value(mini):
    changes, errors = parse_patch(mini, {
        "a1": {"level": 3, "evidence": [{"type": "law", "reference": " Act 12 of 2010 ", "note": ""}],
               "confidence": "high", "comment": " checked "},
        "b1": {"selected": ["palermo", "crc"]},
        "c1": {"value": "87,5"},
        "d1": {"option": "partly"},
        "x1": {"text": "Quarterly meetings."},
    })
    assert errors == []
    assert changes["a1"] == AnswerData(value=3, confidence="high", comment="checked",
                                       evidence=(Evidence("law", "Act 12 of 2010", ""),))
    assert changes["b1"].value == ("crc", "palermo")  # the definition's order
    assert changes["c1"].value == 87.5
    assert changes["d1"].value == "partly"
    assert changes["x1"].value == "Quarterly meetings."


def test_special_answers_and_clearing(mini):
    changes, errors = parse_patch(mini, {
        "a1": {"dont_know": True},
        "d1": {"not_applicable": True, "reason": "No such sector"},
        "b1": {"selected": []},      # "none of these" is an answer
        "c1": None,                  # null clears
        "x1": {},                    # an empty entry clears too
    })
    assert errors == []
    assert changes["a1"].dont_know and changes["a1"].has_answer
    assert changes["d1"].not_applicable and changes["d1"].na_reason == "No such sector"
    assert changes["b1"].value == () and changes["b1"].has_answer
    assert changes["c1"] is None and changes["x1"] is None


@pytest.mark.parametrize("key,payload,field,code,row,part", REFUSED)
def test_invalid_values_give_an_error_on_their_field(mini, key, payload, field, code, row, part):
    changes, errors = parse_patch(mini, {key: payload})
    assert field in details_of(errors)[key], errors
    assert [(e.key, e.field, e.code, e.row, e.part) for e in errors] == [(key, field, code, row, part)]
    assert errors[0].message == details_of(errors)[key][field] and errors[0].message
    assert key not in changes


def test_an_error_names_its_path_in_the_body(mini):
    _changes, errors = parse_patch(mini, {"a1": {"level": 1, "evidence": [
        {"type": "law", "reference": "x"}, {"type": "", "reference": "Act"}]}, "c1": {"value": "abc"}})
    assert [e.path for e in errors] == ["answers.a1.evidence.1.type", "answers.c1.value"]
    assert errors[0].to_json() == {
        "code": "evidence_type_missing", "path": "answers.a1.evidence.1.type", "item": "a1", "field": "evidence",
        "row": 1, "part": "type", "message": errors[0].message}
    assert errors[0].message.startswith("Evidence entry 2: choose a type (law, ")


def test_errors_are_collected_per_key_and_unknown_keys_named(mini):
    changes, errors = parse_patch(mini, {"a1": {"level": 9}, "zz9": {"level": 1}, "d1": {"option": "none"}})
    assert set(details_of(errors)) == {"a1", "zz9"}
    assert "No question" in details_of(errors)["zz9"]["answer"]
    assert [(e.code, e.path) for e in errors] == [("level_out_of_range", "answers.a1.level"),
                                                 ("item_unknown", "answers.zz9")]
    assert "d1" in changes  # the caller refuses the whole patch; the parser reports each key


def test_answers_must_be_an_object(mini):
    errors = parse_patch(mini, ["a1"])[1]
    assert details_of(errors) == {"answers": {"answer": "'answers' must be an object keyed by item key."}}
    assert [(e.code, e.path) for e in errors] == [("answers_not_object", "answers")]


def test_to_json_round_trips_through_the_parser(mini):
    original = {"a1": {"level": 4, "evidence": [{"type": "evaluation", "reference": "https://example.org/e",
                                                   "note": "2025"}], "confidence": "low", "comment": "c"},
                "d1": {"not_applicable": True, "reason": "r"}, "b1": {"selected": ["opsc"]}, "c1": {"value": 50.0}}
    changes, errors = parse_patch(mini, original)
    assert errors == []
    again = {k: a.to_json(mini.item_map[k].value_key) for k, a in changes.items()}
    assert again == original


@pytest.mark.parametrize("lang, confidence, reason", [
    ("ar", "اختر high أو medium أو low.", "اذكر سبب عدم انطباق هذا السؤال."),
    ("ru", "Выберите high, medium или low.", "Укажите, почему этот вопрос неприменим."),
    ("en", "Choose high, medium or low.", "Say why this question does not apply.")])
def test_refusals_are_in_the_readers_language(app, mini, lang, confidence, reason):
    """A workbook uploaded from an Arabic page listed "answers!M2: Choose high, medium or
    low." in English: the parser's messages are translated (outside an app, English)."""
    from flask_babel import force_locale

    na_item = next(i for i in mini.items if i.allow_na)
    with app.test_request_context(), force_locale(lang):
        _changes, errors = parse_patch(mini, {"a1": {"level": 2, "confidence": "sure"},
                                              na_item.key: {"not_applicable": True}})
    assert details_of(errors)["a1"]["confidence"] == confidence
    assert details_of(errors)[na_item.key]["reason"] == reason
