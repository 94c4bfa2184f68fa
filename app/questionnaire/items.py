"""Item types: one class per type, reached through the ``ITEM_TYPES`` registry.

Each class validates its own definition (pydantic), parses an answer value
coming from a form or the API, and gives the item score ``s`` in [0, 1]
(RUBRIC.md section 1).  Nothing here knows about Flask or the database.
"""
from __future__ import annotations

import math
import re
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import Field, model_validator

from ..http_input import parse_int
from .schema import Band, BaseItem, Level, Option, Text

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


class AnswerValueError(ValueError):
    """An answer value that the item cannot accept; the message is user-facing."""


class ScaleItem(BaseItem):
    type: Literal["scale"] = "scale"
    levels: list[Level] = Field(min_length=5, max_length=5)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "level"

    @model_validator(mode="after")
    def _levels_0_to_4(self):
        if [lvl.level for lvl in self.levels] != [0, 1, 2, 3, 4]:
            raise ValueError("levels must be 0, 1, 2, 3, 4 in order, each with a descriptor")
        return self

    def parse_value(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise AnswerValueError("Choose a level from 0 to 4.")
        if isinstance(raw, str):
            # ASCII digits only: "²".isdigit() is true and int() of 5,000 zeros raises.
            raw = parse_int(raw, 0, 4)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if not isinstance(raw, int) or not 0 <= raw <= 4:
            raise AnswerValueError("Choose a level from 0 to 4.")
        return raw

    def score(self, value: int) -> float:
        return value / 4

    def descriptor(self, level: int) -> Text:
        return self.levels[level].descriptor


class ChoiceItem(BaseItem):
    type: Literal["choice"] = "choice"
    options: list[Option] = Field(min_length=2)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "option"

    @model_validator(mode="after")
    def _options(self):
        _unique_codes(self.options)
        if any(o.score > 1 for o in self.options):
            raise ValueError("choice option scores must be within [0, 1]")
        return self

    def parse_value(self, raw: Any) -> str:
        codes = {o.code for o in self.options}
        if not isinstance(raw, str) or raw not in codes:
            raise AnswerValueError("Choose one of the listed options.")
        return raw

    def score(self, value: str) -> float:
        return next(o.score for o in self.options if o.code == value)


class ChecklistItem(BaseItem):
    type: Literal["checklist"] = "checklist"
    options: list[Option] = Field(min_length=2)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "selected"

    @model_validator(mode="after")
    def _options(self):
        _unique_codes(self.options)
        if sum(o.score for o in self.options) <= 0:
            raise ValueError("checklist options must carry some points in total")
        return self

    def parse_value(self, raw: Any) -> tuple[str, ...]:
        codes = [o.code for o in self.options]
        if not isinstance(raw, (list, tuple)) or not all(isinstance(c, str) for c in raw):
            raise AnswerValueError("Send the selected options as a list of codes.")
        unknown = [c for c in raw if c not in codes]
        if unknown:
            raise AnswerValueError("Unknown option: " + ", ".join(sorted(set(unknown))))
        chosen = set(raw)
        # Keep the definition's order so that equal selections compare equal.
        return tuple(c for c in codes if c in chosen)

    def score(self, value: tuple[str, ...]) -> float:
        total = sum(o.score for o in self.options)
        got = sum(o.score for o in self.options if o.code in value)
        return min(1.0, got / total)


class NumberItem(BaseItem):
    type: Literal["number"] = "number"
    min: float
    max: float
    unit: str | None = None
    bands: list[Band] = Field(min_length=1)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "value"

    @model_validator(mode="after")
    def _bands_cover_range(self):
        if self.min >= self.max:
            raise ValueError("min must be below max")
        bands = sorted(self.bands, key=lambda b: b.min)
        if bands[0].min != self.min or bands[-1].max != self.max:
            raise ValueError("bands must cover the whole range from min to max")
        for prev, nxt in zip(bands, bands[1:]):
            if prev.max != nxt.min:
                raise ValueError("bands must be contiguous, each starting where the previous ends")
        if any(b.min >= b.max for b in bands):
            raise ValueError("each band needs min below max")
        return self

    def parse_value(self, raw: Any) -> float:
        if isinstance(raw, bool):
            raise AnswerValueError("Enter a number.")
        if isinstance(raw, str):
            # A decimal in ASCII digits (comma or point): float() alone also takes "nan",
            # "inf", "1_000" and other scripts' digits.
            text = raw.strip().replace(",", ".")
            if len(text) > 100 or not _DECIMAL.fullmatch(text):
                raise AnswerValueError("Enter a number.")
            raw = float(text)
        if not isinstance(raw, (int, float)) or (isinstance(raw, float) and not math.isfinite(raw)):
            raise AnswerValueError("Enter a number.")
        # Compared before float(): an int of 400 digits compares fine but overflows a float.
        if not self.min <= raw <= self.max:
            raise AnswerValueError(f"Enter a number from {_fmt(self.min)} to {_fmt(self.max)}.")
        return float(raw)

    def score(self, value: float) -> float:
        # Bands are half-open [min, max) except the last, which includes max.
        bands = sorted(self.bands, key=lambda b: b.min)
        for band in bands:
            if band.min <= value < band.max:
                return band.score
        return bands[-1].score


class TextItem(BaseItem):
    type: Literal["text"] = "text"

    scored: ClassVar[bool] = False
    value_key: ClassVar[str] = "text"

    def parse_value(self, raw: Any) -> str:
        from .answers import MAX_TEXT

        if not isinstance(raw, str):
            raise AnswerValueError("Enter text.")
        if len(raw) > MAX_TEXT:
            raise AnswerValueError(f"Keep the text under {MAX_TEXT} characters.")
        return raw

    def score(self, value: str) -> None:
        return None


def _unique_codes(options: list) -> None:
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise ValueError("option codes must be unique")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


#: The registry of item types: the one place that knows every type.
ITEM_TYPES: dict[str, type[BaseItem]] = {
    cls.model_fields["type"].default: cls
    for cls in (ScaleItem, ChoiceItem, ChecklistItem, NumberItem, TextItem)
}

Item = Annotated[
    Union[ScaleItem, ChoiceItem, ChecklistItem, NumberItem, TextItem],
    Field(discriminator="type"),
]
