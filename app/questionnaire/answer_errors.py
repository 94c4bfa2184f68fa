"""The answer parser's refusals, each of a kind with a stable machine code.

An :class:`AnswerError` says what was refused (``code``, one per kind of message: the
registry :data:`KINDS`), where (the patch key, the entry's field, and for one evidence entry
its index in the list sent and the part: type, reference or note) and why, in the reader's
language (``message``).  A client of the API reads the code and the path, never the wording;
the section page places a message by them (:func:`app.assessments.forms.place_errors`).

Pure: :func:`~app.i18n.translate` gives the English message outside an app.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..i18n import N_, translate as _


@dataclass(frozen=True)
class ErrorKind:
    code: str
    message: str | None    # the English message (its msgid), with %(name)s placeholders


def _registry(*kinds: ErrorKind) -> dict[str, ErrorKind]:
    return {kind.code: kind for kind in kinds}


#: Every kind of refusal of an answer, by code.  Codes are part of the API (openapi.yaml lists
#: them): add, never rename or reuse one.
KINDS: dict[str, ErrorKind] = _registry(
    # the patch and its entries
    ErrorKind("answers_not_object", N_("'answers' must be an object keyed by item key.")),
    ErrorKind("item_unknown", N_("No question with this key in this questionnaire version.")),
    ErrorKind("answer_not_object", N_("An answer must be an object, or null to clear it.")),
    ErrorKind("answer_unknown_fields", N_("Unknown field(s) for a %(type)s item: %(fields)s.")),
    # don't know, not applicable and the reason
    ErrorKind("flag_not_boolean", N_("Must be true or false.")),
    ErrorKind("dont_know_not_allowed",
              N_("This question needs an answer; 'don't know' is not accepted here.")),
    ErrorKind("dont_know_unscored", N_("'Don't know' applies only to scored questions.")),
    ErrorKind("not_applicable_not_allowed",
              N_("This question applies to every country; 'not applicable' is not accepted.")),
    ErrorKind("flags_both", N_("Choose either 'don't know' or 'not applicable', not both.")),
    ErrorKind("not_applicable_national", N_(
        "'Not applicable' is only for a province or state assessment, where this matter belongs "
        "to the national State; a national assessment answers this question.")),
    ErrorKind("not_text", N_("Must be text.")),
    ErrorKind("reason_missing", N_("Say why this question does not apply.")),
    ErrorKind("reason_too_long", N_("Keep the reason under %(n)s characters.")),
    # the value, by item type (app.questionnaire.items)
    ErrorKind("value_with_flag",
              N_("Leave the answer empty when you choose 'don't know' or 'not applicable'.")),
    ErrorKind("level_out_of_range", N_("Choose a level from 0 to 4.")),
    ErrorKind("number_invalid", N_("Enter a number.")),
    ErrorKind("number_out_of_range", N_("Enter a number from %(low)s to %(high)s.")),
    ErrorKind("text_invalid", N_("Enter text.")),
    ErrorKind("text_too_long", N_("Keep the text under %(count)d characters.")),
    ErrorKind("option_unknown", N_("Choose one of the listed options.")),
    ErrorKind("options_not_list", N_("Send the selected options as a list of codes.")),
    ErrorKind("options_unknown", N_("Unknown option: %(codes)s")),
    ErrorKind("value_invalid", None),   # an item type's own message (``message``), without a code
    # confidence and comment
    ErrorKind("confidence_invalid", N_("Choose high, medium or low.")),
    ErrorKind("comment_too_long", N_("Keep the comment under %(n)s characters.")),
    # evidence (``n``: the entry's number among those sent, from 1)
    ErrorKind("evidence_not_list", N_("Evidence must be a list of entries.")),
    ErrorKind("evidence_too_many", N_("At most %(n)s evidence entries per answer.")),
    ErrorKind("evidence_entry_not_object", N_("Evidence entry %(n)s must be an object.")),
    ErrorKind("evidence_type_missing", N_("Evidence entry %(n)s: choose a type (%(types)s).")),
    ErrorKind("evidence_reference_missing",
              N_("Evidence entry %(n)s: give a reference (a citation or a URL).")),
    ErrorKind("evidence_reference_too_long",
              N_("Evidence entry %(n)s: keep the reference under %(max)s characters.")),
    ErrorKind("evidence_note_invalid",
              N_("Evidence entry %(n)s: the note must be text under %(max)s characters.")),
)


def message_of(code: str, **params: Any) -> str:
    """The message of the kind ``code``, in the current language, its placeholders filled."""
    kind = KINDS[code]
    if kind.message is None:
        return str(params.get("message", ""))
    return _(kind.message, **params)


@dataclass(frozen=True)
class AnswerError:
    """One refusal. ``key``: the patch's key it is about (an item key; None: the patch as a
    whole); ``field``: the entry's field (``level``, ``reason``, ``evidence``...; ``answer``:
    the entry as a whole); ``row`` and ``part``: an evidence entry's index in the list sent
    (from 0) and its field."""

    code: str
    key: str | None
    field: str
    message: str
    row: int | None = None
    part: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> str:
        """Where in the request body: ``answers.a1.evidence.0.type``, ``answers.a1.level``;
        ``answers.a1`` for the entry as a whole, ``answers`` for the patch."""
        parts = ["answers"]
        if self.key is not None:
            parts.append(self.key)
            if self.field != "answer":
                parts.append(self.field)
        parts += [str(p) for p in (self.row, self.part) if p is not None]
        return ".".join(parts)

    def to_json(self) -> dict[str, Any]:
        out = {"code": self.code, "path": self.path, "item": self.key, "field": self.field,
               "message": self.message}
        if self.row is not None:
            out["row"] = self.row
        if self.part is not None:
            out["part"] = self.part
        return out


def refusal(code: str, key: str | None, field_: str, *, row: int | None = None,
            part: str | None = None, **params: Any) -> AnswerError:
    """An error of the kind ``code``, its message in the current language."""
    return AnswerError(code, key, field_, message_of(code, **params), row, part, params)


class Refusals:
    """One entry's refusals as its checks find them, at most one per field (a later check's
    replaces an earlier one's: 'choose either, not both' over 'not accepted here')."""

    def __init__(self, key: str | None):
        self.key = key
        self._by_field: dict[str, AnswerError] = {}

    def add(self, code: str, field_: str, **where_and_params: Any) -> None:
        self._by_field[field_] = refusal(code, self.key, field_, **where_and_params)

    def put(self, error: AnswerError) -> None:
        self._by_field[error.field] = error

    def __bool__(self) -> bool:
        return bool(self._by_field)

    def as_list(self) -> list[AnswerError]:
        return list(self._by_field.values())


def details_of(errors: Iterable[AnswerError]) -> dict[str, dict[str, str]]:
    """The API's ``details`` of a refused patch: message by patch key and field
    (``{"a1": {"level": "..."}}``; ``{"answers": {"answer": "..."}}`` for the patch)."""
    out: dict[str, dict[str, str]] = {}
    for error in errors:
        out.setdefault("answers" if error.key is None else error.key, {})[error.field] = error.message
    return out


def by_field(errors: Iterable[AnswerError]) -> dict[str, str]:
    """One entry's messages by field."""
    return {error.field: error.message for error in errors}
