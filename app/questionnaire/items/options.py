"""Items answered from a list of options: one (choice) or any number (checklist)."""
from __future__ import annotations

from typing import Any, ClassVar, Literal

from flask_babel import gettext as _
from pydantic import Field, model_validator

from ...display.labels import NONE_SELECTED, none_selected
from ...i18n import semicolon
from ..schema import Option
from .base import AnswerValueError, ItemType, register
from .form import NONE_OF_THESE, MultiCheckboxField, RadioItem, choices, special_of


def _unique_codes(options: list) -> None:
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise ValueError("option codes must be unique")


@register
class ChoiceItem(RadioItem):
    type: Literal["choice"] = "choice"
    options: list[Option] = Field(min_length=2)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "option"
    template: ClassVar[str] = "assessments/items/_choice.html"

    @model_validator(mode="after")
    def _options(self):
        _unique_codes(self.options)
        if any(o.score > 1 for o in self.options):
            raise ValueError("choice option scores must be within [0, 1]")
        return self

    def parse_value(self, raw: Any) -> str:
        codes = {o.code for o in self.options}
        if not isinstance(raw, str) or raw not in codes:
            raise AnswerValueError.of("option_unknown")
        return raw

    def score(self, value: str) -> float:
        return next(o.score for o in self.options if o.code == value)

    def options_for(self, t):
        return [(o.code, t(o.label)) for o in self.options]

    def value_words(self, value, t):
        return next((t(o.label) for o in self.options if o.code == value), str(value))

    def value_code(self, value):
        return str(value)

    def example_value(self, level=2, rng=None):
        if rng is None:
            return self.options[0].code
        ranked = sorted(self.options, key=lambda o: o.score)
        return ranked[min(len(ranked) - 1, round(level / 4 * (len(ranked) - 1)))].code


@register
class ChecklistItem(ItemType):
    # Tick all that apply; "None of these" is an answer too (an empty selection).
    # (No docstring: it would become the class's description in questionnaire.schema.json.)
    type: Literal["checklist"] = "checklist"
    options: list[Option] = Field(min_length=2)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "selected"
    template: ClassVar[str] = "assessments/items/_checklist.html"
    separate_specials: ClassVar[bool] = True

    @model_validator(mode="after")
    def _options(self):
        _unique_codes(self.options)
        if sum(o.score for o in self.options) <= 0:
            raise ValueError("checklist options must carry some points in total")
        return self

    def parse_value(self, raw: Any) -> tuple[str, ...]:
        codes = [o.code for o in self.options]
        if not isinstance(raw, (list, tuple)) or not all(isinstance(c, str) for c in raw):
            raise AnswerValueError.of("options_not_list")
        unknown = [c for c in raw if c not in codes]
        if unknown:
            raise AnswerValueError.of("options_unknown", codes=", ".join(sorted(set(unknown))))
        chosen = set(raw)
        # Keep the definition's order so that equal selections compare equal.
        return tuple(c for c in codes if c in chosen)

    def score(self, value: tuple[str, ...]) -> float:
        total = sum(o.score for o in self.options)
        got = sum(o.score for o in self.options if o.code in value)
        return min(1.0, got / total)

    def value_fields(self, t):
        return {f"{self.key}-selected": MultiCheckboxField(
            t(self.prompt), choices=choices([(o.code, t(o.label)) for o in self.options]
                                            + [(NONE_OF_THESE, _("None of these"))]))}

    def initial_value(self, answer):
        selected = answer.get("selected")
        special = special_of(answer)
        return {f"{self.key}-selected": (list(selected) or [NONE_OF_THESE]) if selected is not None else [],
                f"{self.key}-special": [special] if special else []}

    def read_value(self, form):
        selected = list(form[f"{self.key}-selected"].data or [])
        options = [c for c in selected if c != NONE_OF_THESE]
        if options:  # ticked options win over a contradictory "None of these"
            return {"selected": options}
        return {"selected": []} if NONE_OF_THESE in selected else {}

    def value_words(self, value, t):
        labels = {o.code: t(o.label) for o in self.options}
        return semicolon().join(labels.get(c, str(c)) for c in value) if value else none_selected()

    def value_code(self, value):
        return ", ".join(str(v) for v in value) if value else NONE_SELECTED   # machine text: English

    def example_value(self, level=2, rng=None):
        if rng is None:
            return (self.options[0].code,)
        share = level / 4
        return tuple(o.code for o in self.options if rng.random() < share + 0.15)
