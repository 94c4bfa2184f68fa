"""The one parser of answers (app.questionnaire.patch): pure, no app, no database."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.questionnaire.answers import MAX_EVIDENCE, AnswerData, Evidence
from app.questionnaire.loader import load_definition
from app.questionnaire.patch import parse_patch

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
    assert errors == {}
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
    assert errors == {}
    assert changes["a1"].dont_know and changes["a1"].has_answer
    assert changes["d1"].not_applicable and changes["d1"].na_reason == "No such sector"
    assert changes["b1"].value == () and changes["b1"].has_answer
    assert changes["c1"] is None and changes["x1"] is None


@pytest.mark.parametrize("key,payload,field", [
    ("a1", {"level": 5}, "level"),
    ("a1", {"level": "two"}, "level"),
    ("a1", {"level": True}, "level"),
    ("a1", {"option": "x"}, "answer"),                       # wrong value key for the type
    ("a1", {"not_applicable": True, "reason": "x"}, "not_applicable"),  # a1 does not allow N/A
    ("d1", {"not_applicable": True}, "reason"),              # N/A needs a reason
    ("d1", {"not_applicable": True, "reason": "   "}, "reason"),
    ("d1", {"dont_know": True, "not_applicable": True, "reason": "x"}, "not_applicable"),
    ("a1", {"dont_know": True, "level": 2}, "level"),
    ("a1", {"dont_know": "yes"}, "dont_know"),
    ("x1", {"dont_know": True}, "dont_know"),                # text items are not scored
    ("b1", {"selected": ["crc", "nope"]}, "selected"),
    ("b1", {"selected": "crc"}, "selected"),
    ("c1", {"value": 101}, "value"),
    ("c1", {"value": "abc"}, "value"),
    ("c1", {"value": float("nan")}, "value"),
    ("d1", {"option": "everywhere"}, "option"),
    ("a1", {"level": 1, "confidence": "certain"}, "confidence"),
    ("a1", {"level": 1, "comment": 12}, "comment"),
    ("a1", {"level": 1, "evidence": {"type": "law"}}, "evidence"),
    ("a1", {"level": 1, "evidence": [{"type": "rumour", "reference": "x"}]}, "evidence"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": " "}]}, "evidence"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x" * 2001}]}, "evidence"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x"}] * (MAX_EVIDENCE + 1)}, "evidence"),
    ("a1", "level 2", "answer"),
])
def test_invalid_values_give_an_error_on_their_field(mini, key, payload, field):
    changes, errors = parse_patch(mini, {key: payload})
    assert field in errors[key], errors
    assert key not in changes


def test_errors_are_collected_per_key_and_unknown_keys_named(mini):
    changes, errors = parse_patch(mini, {"a1": {"level": 9}, "zz9": {"level": 1}, "d1": {"option": "none"}})
    assert set(errors) == {"a1", "zz9"}
    assert "No question" in errors["zz9"]["answer"]
    assert "d1" in changes  # the caller refuses the whole patch; the parser reports each key


def test_answers_must_be_an_object(mini):
    assert parse_patch(mini, ["a1"])[1] == {"answers": {"answer": "'answers' must be an object keyed by item key."}}


def test_to_json_round_trips_through_the_parser(mini):
    original = {"a1": {"level": 4, "evidence": [{"type": "evaluation", "reference": "https://example.org/e",
                                                   "note": "2025"}], "confidence": "low", "comment": "c"},
                "d1": {"not_applicable": True, "reason": "r"}, "b1": {"selected": ["opsc"]}, "c1": {"value": 50.0}}
    changes, errors = parse_patch(mini, original)
    assert errors == {}
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
    assert errors["a1"]["confidence"] == confidence
    assert errors[na_item.key]["reason"] == reason
