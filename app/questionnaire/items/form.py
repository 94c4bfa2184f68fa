"""WTForms pieces the item types build their value fields from, and the radio group
that scale and choice items share.

WTForms only renders and collects: it never validates a value itself (every message
comes from the item's ``parse_value``, through :mod:`app.questionnaire.patch`).
"""
from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from flask_babel import gettext as _
from wtforms.fields import RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from .base import ItemType, Translate

# Form values that are not a value of the item (they never reach the answer parser).
DONT_KNOW = "__dont_know"
NOT_APPLICABLE = "__not_applicable"
NONE_OF_THESE = "__none"
SPECIALS = (DONT_KNOW, NOT_APPLICABLE)


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, not a multi-select box (easier to use, by mouse, touch and keyboard)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # values are checked by the answer parser
        pass


class LooseRadioField(RadioField):
    validate_choice = False


def special_choices(item) -> list[tuple[str, str]]:
    """Don't know and not applicable, as far as the item allows them."""
    specials = []
    if item.scored and item.allow_dont_know:
        specials.append((DONT_KNOW, _("Don't know")))
    if item.allow_na:
        specials.append((NOT_APPLICABLE, _("Not applicable")))
    return specials


def special_of(answer: dict[str, Any]) -> str | None:
    if answer.get("dont_know"):
        return DONT_KNOW
    if answer.get("not_applicable"):
        return NOT_APPLICABLE
    return None


class RadioItem(ItemType):
    """One choice among described options, with don't know and N/A in the same group."""

    clearable: ClassVar[bool] = True

    @abstractmethod
    def options_for(self, t: Translate) -> list[tuple[str, str]]:
        """(form value, label) of each option."""

    def value_fields(self, t):
        return {f"{self.key}-{self.value_key}": LooseRadioField(
            t(self.prompt), choices=choices(self.options_for(t) + special_choices(self)))}

    def initial_value(self, answer):
        value = answer.get(self.value_key)
        return {f"{self.key}-{self.value_key}": special_of(answer) or (
            "" if value is None else str(value))}

    def read_specials(self, form):
        value = form[f"{self.key}-{self.value_key}"].data
        return [value] if value in SPECIALS else []

    def read_value(self, form):
        value = form[f"{self.key}-{self.value_key}"].data
        if value in SPECIALS or value in (None, "", "None"):
            return {}
        return {self.value_key: value}

    def clear_value(self, form):
        form[f"{self.key}-{self.value_key}"].data = ""
