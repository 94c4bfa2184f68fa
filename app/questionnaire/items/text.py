"""The text item: a free-text answer, not scored."""
from __future__ import annotations

from typing import Any, ClassVar, Literal

from wtforms.fields import TextAreaField

from ..answers import MAX_TEXT
from .base import AnswerValueError, ItemType, register


@register
class TextItem(ItemType):
    type: Literal["text"] = "text"

    scored: ClassVar[bool] = False
    value_key: ClassVar[str] = "text"
    template: ClassVar[str] = "assessments/items/_text.html"

    def parse_value(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise AnswerValueError.of("text_invalid")
        if len(raw) > MAX_TEXT:
            raise AnswerValueError.of("text_too_long", count=MAX_TEXT)
        return raw

    def score(self, value: str) -> None:
        return None

    def value_fields(self, t):
        return {f"{self.key}-text": TextAreaField(t(self.prompt))}

    def initial_value(self, answer):
        return {f"{self.key}-text": answer.get("text", "")}

    def read_value(self, form):
        text = form[f"{self.key}-text"].data or ""
        return {"text": text} if text.strip() else {}

    def value_words(self, value, t):
        return str(value)

    def value_code(self, value):
        return str(value)

    def example_value(self, level=2, rng=None):
        return "Coordination meetings are held quarterly; minutes are on file."
