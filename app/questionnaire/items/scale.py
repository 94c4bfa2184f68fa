"""The scale item: a level from 0 to 4, each level with its descriptor."""
from __future__ import annotations

from typing import Any, ClassVar, Literal

from flask_babel import gettext as _
from pydantic import Field, model_validator

from ...http_input import parse_int
from ..schema import Level, Text
from .base import AnswerValueError, register
from .form import RadioItem


@register
class ScaleItem(RadioItem):
    type: Literal["scale"] = "scale"
    levels: list[Level] = Field(min_length=5, max_length=5)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "level"
    template: ClassVar[str] = "assessments/items/_scale.html"

    @model_validator(mode="after")
    def _levels_0_to_4(self):
        if [lvl.level for lvl in self.levels] != [0, 1, 2, 3, 4]:
            raise ValueError("levels must be 0, 1, 2, 3, 4 in order, each with a descriptor")
        return self

    def parse_value(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise AnswerValueError.of("level_out_of_range")
        if isinstance(raw, str):
            # ASCII digits only: "²".isdigit() is true and int() of 5,000 zeros raises.
            raw = parse_int(raw, 0, 4)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if not isinstance(raw, int) or not 0 <= raw <= 4:
            raise AnswerValueError.of("level_out_of_range")
        return raw

    def score(self, value: int) -> float:
        return value / 4

    def descriptor(self, level: int) -> Text:
        return self.levels[level].descriptor

    def options_for(self, t):
        return [(str(lvl.level), t(lvl.descriptor)) for lvl in self.levels]

    def value_words(self, value, t):
        try:
            return _("Level %(level)s: %(descriptor)s", level=value,
                     descriptor=t(self.levels[int(value)].descriptor))
        except (IndexError, TypeError, ValueError):  # a stored value from an older definition
            return str(value)

    def value_brief(self, value, t):
        return _("Level %(level)s", level=value)

    def value_code(self, value):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    def example_value(self, level=2, rng=None):
        return level
