"""Item types: one class per type, each owning everything about itself (its definition,
parsing and scoring an answer, its form fields, its value in words, an example value),
registered in :data:`ITEM_TYPES` by ``@register`` (:mod:`.base` says what a type owns).

To add a type: write its class in a module of this package, decorated with ``@register``,
and import the module below; the definition schema (:data:`Item`) follows the registry
(regenerate questionnaires/questionnaire.schema.json: ``flask --app app questionnaire schema``).
"""
from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .base import ITEM_TYPES, AnswerValueError, ItemType, Translate, missing_parts, register
from .number import NumberItem
from .options import ChecklistItem, ChoiceItem
from .scale import ScaleItem
from .text import TextItem

#: An item of a definition: the registered type its ``type`` names.
Item = Annotated[Union[tuple(ITEM_TYPES.values())], Field(discriminator="type")]

__all__ = ["ITEM_TYPES", "AnswerValueError", "ItemType", "Item", "Translate", "missing_parts",
           "register", "ScaleItem", "ChoiceItem", "ChecklistItem", "NumberItem", "TextItem"]
