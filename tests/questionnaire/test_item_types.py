"""Item types: every registered type owns every part (parse, score, form fields, words,
codes, example), and a new type is one class plus its registration (the yes/no toy below)."""
from __future__ import annotations

import inspect
import re
from random import Random
from typing import ClassVar, Literal

import pytest
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.assessments import display, fields
from app.assessments.forms import SectionForm
from app.questionnaire.answers import AnswerData
from app.questionnaire.catalog import Catalog
from app.questionnaire.items import ITEM_TYPES, AnswerValueError, ItemType, missing_parts, register
from app.questionnaire.items.form import RadioItem
from app.questionnaire.patch import parse_answer
from app.review.compare import answer_display
from tests.factories import ROOT

COMMON = {"key": "x1", "prompt": {"en": "Is there a plan?"}, "guidance": {"en": "Guidance."},
          "areas": ["a"], "layers": ["primary"], "action": {"en": "Adopt one."},
          "sources": [{"document": "A/68/275", "paragraphs": [1]}]}


def t(text):
    return (text or {}).get("en", "")


def _sample(cls):
    """An item of type ``cls``: from the shipped questionnaire, else from the common fields."""
    q = Catalog.from_directory(ROOT / "questionnaires").latest("prevention-readiness")
    found = [it for it in q.items if isinstance(it, cls)]
    return found[0] if found else cls.model_validate(COMMON | {"type": _name(cls)})


def _name(cls) -> str:
    return cls.model_fields["type"].default


def _form_for(item, formdata=None, answer=None):
    form_class = type("ItemForm", (SectionForm,), fields.item_fields(item, t))
    return form_class(formdata=formdata, data=fields.initial(item, answer))


def _round_trip(item, value):
    """A value shown in the item's form and read back, through the one answer parser."""
    form = _form_for(item, answer=AnswerData(value=value).to_json(item.value_key))
    posted = MultiDict()
    for name, field in form._fields.items():
        data = field.data if isinstance(field.data, list) else [field.data]
        for d in data:
            if isinstance(d, str):
                posted.add(name, d)
    entry = fields.read(item, _form_for(item, formdata=posted))
    answer, errors = parse_answer(item, entry)
    assert not errors, errors
    return answer.value


def test_the_registry_holds_the_shipped_types_and_each_is_complete():
    assert set(ITEM_TYPES) >= {"scale", "choice", "checklist", "number", "text"}
    for name, cls in ITEM_TYPES.items():
        assert _name(cls) == name
        assert missing_parts(cls) == [] and not inspect.isabstract(cls), name
        assert list(ROOT.glob(f"app/**/templates/{cls.template}")), f"{name}: no {cls.template}"


@pytest.mark.parametrize("name", sorted(ITEM_TYPES))
def test_each_type_parses_scores_shows_and_reads_back_its_example(name):
    item = _sample(ITEM_TYPES[name])
    for level in range(5):
        for rng in (None, Random(level)):
            value = item.example_value(level, rng)
            assert item.parse_value(value) == value
            s = item.score(value)
            assert (s is None) if not item.scored else 0 <= s <= 1
            assert isinstance(item.value_words(value, t), str) and item.value_words(value, t)
            assert isinstance(item.value_code(value), str)
            assert _round_trip(item, value) == value


def test_a_type_that_lacks_a_part_is_refused_at_registration():
    class Incomplete(ItemType):
        type: Literal["incomplete"] = "incomplete"
        scored: ClassVar[bool] = True
        value_key: ClassVar[str] = "value"

        def parse_value(self, raw):
            return raw

        def score(self, value):
            return 1.0

    with pytest.raises(TypeError) as refused:
        register(Incomplete)
    for part in ("template", "value_words", "value_code", "example_value", "value_fields"):
        assert part in str(refused.value)
    assert "incomplete" not in ITEM_TYPES


# -- a new item type is one class plus its registration ------------------------------------

class YesNoItem(RadioItem):
    """A toy type: yes or no; yes scores 1."""

    type: Literal["yesno"] = "yesno"
    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "answer"
    template: ClassVar[str] = "assessments/items/_choice.html"  # a radio group

    def parse_value(self, raw):
        if raw not in ("yes", "no"):
            raise AnswerValueError("Answer yes or no.")
        return raw

    def score(self, value):
        return 1.0 if value == "yes" else 0.0

    def options_for(self, t):
        return [("yes", _("Yes")), ("no", _("No"))]

    def value_words(self, value, t):
        return _("Yes") if value == "yes" else _("No")

    def value_code(self, value):
        return value

    def example_value(self, level=2, rng=None):
        return "yes" if level >= 2 else "no"


@pytest.fixture
def yes_no():
    register(YesNoItem)
    yield YesNoItem.model_validate(COMMON | {"type": "yesno", "allow_na": True})
    del ITEM_TYPES["yesno"]


def test_a_toy_type_registered_here_works_everywhere_an_item_type_is_used(yes_no):
    assert ITEM_TYPES["yesno"] is YesNoItem and missing_parts(YesNoItem) == []
    # parse (through the one answer parser) and score
    answer, errors = parse_answer(yes_no, {"answer": "yes", "confidence": "high"})
    assert not errors and answer.value == "yes" and yes_no.score(answer.value) == 1.0
    refused = parse_answer(yes_no, {"answer": "maybe"})[1]   # its own message, without a code of its own
    assert [(e.field, e.code, e.message) for e in refused] == [("answer", "value_invalid", "Answer yes or no.")]
    # its form field, with don't know and N/A in the same radio group, and the shared parts
    form = _form_for(yes_no, answer={"answer": "no"})
    html = form["x1-answer"]()
    assert 'value="yes"' in html and "__dont_know" in html and "__not_applicable" in html
    assert re.search(r'<input checked[^>]* value="no"', html)
    assert {"x1-evidence", "x1-confidence", "x1-comment", "x1-reason"} <= set(form._fields)
    posted = _form_for(yes_no, formdata=MultiDict({"x1-answer": "__not_applicable",
                                                  "x1-reason": "No such sector."}))
    assert fields.read(yes_no, posted) == {"not_applicable": True, "reason": "No such sector."}
    assert _round_trip(yes_no, "yes") == "yes"
    # in words (pages), in codes (CSV, comparisons), and an example
    assert display.value_text(yes_no, {"answer": "yes"}, t) == "Yes"
    assert display.value_text(yes_no, {"dont_know": True}, t) == "Don't know"
    assert answer_display(yes_no, {"answer": "no"}) == "no"
    assert yes_no.parse_value(yes_no.example_value(4)) == "yes"
