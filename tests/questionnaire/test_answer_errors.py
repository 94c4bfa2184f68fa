"""The registry of the answer parser's refusals (app.questionnaire.answer_errors): one code per
kind of message, every kind made by the parser, translated and listed in openapi.yaml."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from babel.messages.pofile import read_po

from app.questionnaire.answer_errors import KINDS, AnswerError, details_of, message_of
from app.questionnaire.items import AnswerValueError
from app.questionnaire.patch import parse_answer, parse_patch
from tests.factories import REFUSED

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "es", "ru", "zh", "ar")


@pytest.fixture(scope="module")
def mini():
    from app.questionnaire.loader import load_definition

    return load_definition(ROOT / "tests" / "fixtures" / "mini-1.0.yaml").questionnaire


def _refuse(raw):
    raise AnswerValueError("Answer yes or no.")   # a type's own message, without a code of its own


def _codes_made(mini) -> set[str]:
    """Every code the parser (and the national N/A rule beside it) gives, from real entries."""
    from app.assessments.operations import national_na_errors

    made = set()
    for key, payload, *_rest in REFUSED:
        made |= {e.code for e in parse_patch(mini, {key: payload})[1]}
    made |= {e.code for e in parse_patch(mini, ["a1"])[1]}                    # not an object
    made |= {e.code for e in parse_patch(mini, {"zz9": {"level": 1}})[1]}     # no such item
    strict = mini.item_map["a1"].model_copy(update={"allow_dont_know": False})
    made |= {e.code for e in parse_answer(strict, {"dont_know": True})[1]}
    own = SimpleNamespace(key="y1", type="yesno", value_key="answer", allow_dont_know=True, allow_na=True,
                          scored=True, parse_value=_refuse)
    made |= {e.code for e in parse_answer(own, {"answer": "maybe"})[1]}
    national = SimpleNamespace(rubric=SimpleNamespace(na_subnational_only=["d1"]))
    d1 = parse_patch(mini, {"d1": {"not_applicable": True, "reason": "a province's matter"}})[0]
    made |= {e.code for e in national_na_errors(national, "KE", d1)}
    return made


def test_every_kind_of_message_has_its_code_and_the_parser_makes_each(mini):
    assert _codes_made(mini) == set(KINDS)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in KINDS)
    messages = [kind.message for kind in KINDS.values() if kind.message is not None]
    # one code per message: no two kinds say the same
    assert len(messages) == len(set(messages))


def test_an_error_carries_code_field_and_message_and_details_keep_their_shape(mini):
    _changes, errors = parse_patch(mini, {"a1": {"level": 7, "comment": 3}, "d1": {"not_applicable": True}})
    assert all(isinstance(e, AnswerError) for e in errors)
    assert {(e.key, e.field, e.code) for e in errors} == {
        ("a1", "level", "level_out_of_range"), ("a1", "comment", "not_text"), ("d1", "reason", "reason_missing")}
    assert details_of(errors) == {"a1": {"level": "Choose a level from 0 to 4.", "comment": "Must be text."},
                                  "d1": {"reason": "Say why this question does not apply."}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(lang):
    with (ROOT / f"app/translations/{lang}/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    for code, kind in KINDS.items():
        if kind.message is None:
            continue
        entry = catalogue.get(kind.message)
        assert entry is not None and entry.string and not entry.fuzzy, (lang, code)
        assert set(re.findall(r"%\(\w+\)", entry.string)) == set(re.findall(r"%\(\w+\)", kind.message)), code


def test_openapi_lists_every_code():
    spec = yaml.safe_load((ROOT / "app/api/openapi.yaml").read_text())
    schema = spec["components"]["schemas"]
    assert schema["AnswerError"]["properties"]["code"]["enum"] == list(KINDS)
    assert schema["Error"]["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/AnswerError"}
    assert schema["Error"]["required"] == ["error", "details"]     # added to, nothing else required


def test_the_page_rewords_only_codes_that_exist(app):
    from app.assessments.forms import PAGE_MESSAGES, page_message

    assert set(PAGE_MESSAGES) <= set(KINDS)
    error = AnswerError("evidence_reference_too_long", "a1", "evidence", message_of(
        "evidence_reference_too_long", n=1, max=2000), row=0, part="reference", params={"n": 1, "max": 2000})
    with app.test_request_context():
        assert page_message(error, 3) == "Evidence entry 3: keep the reference under 2000 characters."
        assert page_message(error) == error.message
