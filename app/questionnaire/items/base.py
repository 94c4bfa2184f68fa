"""What every item type owns, and the one registry of types.

An item type is one class: the pydantic model of its definition, which also parses and
scores an answer, builds the form field(s) of its value, says the value in words and
gives an example value.  ``@register`` puts it in :data:`ITEM_TYPES` and refuses a class
that lacks a part, so that a new type is this one class and its registration; the parts
every item shares (evidence, confidence, comment, don't know and N/A) are built once
elsewhere (:mod:`app.assessments.fields`, :mod:`app.assessments.display`).
"""
from __future__ import annotations

from abc import abstractmethod
from random import Random
from typing import Any, Callable, ClassVar

from ..answer_errors import message_of
from ..schema import BaseItem

#: Picks the text of a definition's text map (``{"en": ..., "fr": ...}``) in a language.
Translate = Callable[[dict[str, str] | None], str]


class AnswerValueError(ValueError):
    """An answer value that the item cannot accept; the message is user-facing, ``code`` its
    kind in the registry of the parser's refusals (:data:`app.questionnaire.answer_errors.KINDS`;
    a type's own message without a kind of its own is ``value_invalid``)."""

    def __init__(self, message: str, code: str = "value_invalid", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.params = dict(params or {}) if code != "value_invalid" else {"message": message}

    @classmethod
    def of(cls, code: str, **params: Any) -> "AnswerValueError":
        """The refusal of the kind ``code``, its message in the current language."""
        return cls(message_of(code, **params), code, params)


class ItemType(BaseItem):
    """The base of every item type.  Abstract methods are the parts a type must write;
    ``scored``, ``value_key`` and ``template`` are class attributes it must set."""

    # -- the answer ------------------------------------------------------------------------
    #: whether the item counts in scores (RUBRIC.md section 1)
    scored: ClassVar[bool]
    #: the value's field in the API's answer object (CONTRACTS.md), and the suffix of the
    #: form field that holds it (``{key}-{value_key}``)
    value_key: ClassVar[str]

    @abstractmethod
    def parse_value(self, raw: Any) -> Any:
        """The value from a form or the API, validated; :class:`AnswerValueError` if not."""

    @abstractmethod
    def score(self, value: Any) -> float | None:
        """The item score ``s`` in [0, 1] of a parsed value (None: not scored)."""

    # -- the section form (WTForms) ---------------------------------------------------------
    #: the Jinja template that renders the item on the section page
    template: ClassVar[str]
    #: don't know / N/A as their own checkboxes (``{key}-special``), not in the value's group
    separate_specials: ClassVar[bool] = False
    #: whether the page offers "Clear answer" (a chosen radio cannot be unchosen otherwise)
    clearable: ClassVar[bool] = False

    @abstractmethod
    def value_fields(self, t: Translate) -> dict[str, Any]:
        """The unbound WTForms field(s) of the value, by form field name."""

    @abstractmethod
    def initial_value(self, answer: dict[str, Any]) -> dict[str, Any]:
        """The form data that shows a stored answer (API shape) in those fields."""

    @abstractmethod
    def read_value(self, form) -> dict[str, Any]:
        """The value part of the answer patch the form holds now (``{}``: no value)."""

    def read_specials(self, form) -> list[str]:
        """The don't know / N/A form values chosen (by default in ``{key}-special``)."""
        name = f"{self.key}-special"
        return list(form[name].data or []) if self.separate_specials and name in form else []

    def clear_value(self, form) -> None:
        """Take the chosen value off the form (only a ``clearable`` type needs it)."""
        raise NotImplementedError

    # -- the value in words -----------------------------------------------------------------
    @abstractmethod
    def value_words(self, value: Any, t: Translate) -> str:
        """The value in the user's language: "Level 2: <descriptor>", option labels, ..."""

    def value_brief(self, value: Any, t: Translate) -> str:
        """The value on one short line (change lists); the words unless a type says less."""
        return self.value_words(value, t)

    @abstractmethod
    def value_code(self, value: Any) -> str:
        """The value in codes, the same in every language (CSV exports, comparisons)."""

    # -- an example -------------------------------------------------------------------------
    @abstractmethod
    def example_value(self, level: int = 2, rng: Random | None = None) -> Any:
        """A valid value (as :meth:`parse_value` returns it) for demos and tests.  ``level``
        (0-4) is how ready the imagined respondent is.  Without ``rng``: the plainest value
        at that level (a scale's level, else the first option or the minimum), so that test
        fixtures are stable; with ``rng``: a varied, realistic one whose score follows
        ``level`` (the demo data)."""

    # -- exports --------------------------------------------------------------------------
    # Workbook and XLSForm columns are per-type parts too, declared here as abstract methods
    # so that the completeness check makes every type write them: e.g. ``workbook_cell(value)``
    # and ``workbook_value(cell)`` (today ``app.workbooks.cells.answer_cells`` and ``_value``
    # switch on ``item.type``), ``workbook_hint(t)`` (``app.workbooks.download.how_to_answer``)
    # and ``xlsform_rows(t)``.


#: The registry of item types: type name -> class; the one place that knows every type.
ITEM_TYPES: dict[str, type[ItemType]] = {}

_CLASS_ATTRIBUTES = ("scored", "value_key", "template")


def type_name(cls: type) -> Any:
    field = getattr(cls, "model_fields", {}).get("type")
    return field.default if field is not None else None


def missing_parts(cls: type[ItemType]) -> list[str]:
    """The parts ``cls`` lacks to be an item type (empty: complete)."""
    missing = sorted(getattr(cls, "__abstractmethods__", ()))
    missing += [name for name in _CLASS_ATTRIBUTES if not hasattr(cls, name)]
    if getattr(cls, "clearable", False) and cls.clear_value is ItemType.clear_value:
        missing.append("clear_value")
    if not isinstance(type_name(cls), str):
        missing.append("type (a Literal field with its name as default)")
    return missing


def register(cls: type[ItemType]) -> type[ItemType]:
    """Add an item type to :data:`ITEM_TYPES` (a class decorator).  A class that lacks a
    part, or a name already taken by another class, is refused here, at import."""
    missing = missing_parts(cls)
    if missing:
        raise TypeError(f"item type {cls.__name__} lacks: {', '.join(missing)}")
    name = type_name(cls)
    if ITEM_TYPES.get(name, cls) is not cls:
        raise ValueError(f"item type {name!r} is already registered")
    ITEM_TYPES[name] = cls
    return cls
