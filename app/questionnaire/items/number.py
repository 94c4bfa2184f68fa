"""The number item: a value within [min, max], scored by the band it falls in."""
from __future__ import annotations

import math
import re
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator
from wtforms.fields import StringField

from ...display import numbers
from ..schema import Band
from .base import AnswerValueError, ItemType, register
from .form import special_of

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def plain(x: Any) -> str:
    """A number without a trailing ".0" (90.0 -> "90", 87.5 -> "87.5")."""
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


@register
class NumberItem(ItemType):
    type: Literal["number"] = "number"
    min: float
    max: float
    unit: str | None = None
    bands: list[Band] = Field(min_length=1)

    scored: ClassVar[bool] = True
    value_key: ClassVar[str] = "value"
    template: ClassVar[str] = "assessments/items/_number.html"
    separate_specials: ClassVar[bool] = True

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
            raise AnswerValueError.of("number_invalid")
        if isinstance(raw, str):
            # A decimal in ASCII digits (comma or point): float() alone also takes "nan",
            # "inf", "1_000" and other scripts' digits.
            text = raw.strip().replace(",", ".")
            if len(text) > 100 or not _DECIMAL.fullmatch(text):
                raise AnswerValueError.of("number_invalid")
            raw = float(text)
        if not isinstance(raw, (int, float)) or (isinstance(raw, float) and not math.isfinite(raw)):
            raise AnswerValueError.of("number_invalid")
        # Compared before float(): an int of 400 digits compares fine but overflows a float.
        if not self.min <= raw <= self.max:
            raise AnswerValueError.of("number_out_of_range",
                                      low=numbers.typed(self.min), high=numbers.typed(self.max))
        return float(raw)

    def score(self, value: float) -> float:
        # Bands are half-open [min, max) except the last, which includes max.
        bands = sorted(self.bands, key=lambda b: b.min)
        for band in bands:
            if band.min <= value < band.max:
                return band.score
        return bands[-1].score

    def value_fields(self, t):
        return {f"{self.key}-value": StringField(t(self.prompt), render_kw={
            "inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})}

    def initial_value(self, answer):
        value = answer.get("value")
        special = special_of(answer)
        # As the reader types a number ("87,5" in French): the field reads both forms back.
        return {f"{self.key}-value": "" if value is None else numbers.typed(value),
                f"{self.key}-special": [special] if special else []}

    def read_value(self, form):
        raw = (form[f"{self.key}-value"].data or "").strip()
        return {"value": raw} if raw else {}

    def value_words(self, value, t):
        # In the reader's locale ("87,5 %" in French), the unit kept on the number's line.
        words = numbers.number(value, 6)
        return f"{words}\u00a0{self.unit}" if self.unit else words

    def value_code(self, value):
        # "87.5%", but "90 kg": a percent sign sits on the number.
        unit = self.unit or ""
        return f"{plain(value)}{unit if unit in ('', '%') else ' ' + unit}"

    def example_value(self, level=2, rng=None):
        if rng is None:
            return self.min
        return round(self.min + (self.max - self.min) * min(1.0, 0.35 + level * 0.16), 1)
