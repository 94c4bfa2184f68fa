"""Typed models of a questionnaire definition (pydantic 2).

A definition is data: it is loaded from YAML, validated loudly, and never
mutated afterwards.  The behaviour of each item type (how an answer is parsed
and scored) lives on the item classes themselves and is reached through the
``ITEM_TYPES`` registry in :mod:`app.questionnaire.items`.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AREA_CODES = ("a", "b", "c", "d", "e", "f", "g", "h", "i")
LAYER_CODES = ("primary", "secondary", "tertiary")
WEIGHT_CLASSES = ("core", "important", "supplementary")
SOURCE_DOCUMENTS = ("A/68/275", "A/HRC/25/48")

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
AreaCode = Literal["a", "b", "c", "d", "e", "f", "g", "h", "i"]
LayerCode = Literal["primary", "secondary", "tertiary"]
WeightClass = Literal["core", "important", "supplementary"]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a definition must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_text(value: dict[str, str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must be a map from language code to text")
    if "en" not in value:
        raise ValueError("must have an 'en' text")
    for lang, text in value.items():
        if not isinstance(lang, str) or not (2 <= len(lang) <= 8):
            raise ValueError(f"invalid language code {lang!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"text for {lang!r} is empty")
    return value


Text = Annotated[dict[str, str], Field(json_schema_extra={"required": ["en"]})]


class TextModel(Strict):
    @field_validator("*", mode="after")
    @classmethod
    def _texts(cls, value, info):
        field = cls.model_fields[info.field_name]
        if field.annotation in (Text, dict[str, str]) and value is not None:
            check_text(value)
        return value


class Area(TextModel):
    code: AreaCode
    title: Text
    description: Text | None = None


class Layer(TextModel):
    code: LayerCode
    title: Text
    description: Text | None = None


class Source(Strict):
    document: Literal["A/68/275", "A/HRC/25/48"]
    paragraphs: list[int] = Field(min_length=1)

    @field_validator("paragraphs")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(p < 1 or p > 200 for p in value):
            raise ValueError("paragraph numbers must be between 1 and 200")
        return value


class Level(TextModel):
    level: int = Field(ge=0, le=4)
    descriptor: Text


class Option(TextModel):
    code: Key
    label: Text
    score: float = Field(ge=0)


class Band(TextModel):
    min: float
    max: float
    score: float = Field(ge=0, le=1)
    label: Text | None = None


class Section(TextModel):
    key: Key
    title: Text
    description: Text | None = None
    items: list[Key] = Field(min_length=1)


class BaseItem(TextModel):
    key: Key
    type: str
    prompt: Text
    guidance: Text
    areas: list[AreaCode] = Field(min_length=1)
    layers: list[LayerCode] = Field(min_length=1)
    weight: WeightClass = "important"
    target: int | None = Field(default=None, ge=1, le=4)
    enabler: bool = False
    allow_na: bool = False
    allow_dont_know: bool = True
    screening: bool = False
    action: Text
    sources: list[Source] = Field(min_length=1)

    @field_validator("areas", "layers")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("must not repeat a code")
        return value


__all__ = [
    "AREA_CODES", "LAYER_CODES", "WEIGHT_CLASSES", "SOURCE_DOCUMENTS", "Strict", "TextModel",
    "Text", "Area", "Layer", "Source", "Level", "Option", "Band", "Section", "BaseItem",
    "check_text",
]
