"""A workbook's refused cells, each with a machine code (the API's ``errors`` beside ``details``).

A cell is refused either by the workbook's own rules (:data:`CELL_CODES`: a formula, an added
row, a changed key...) or by the answer parser, as a save would refuse the same answer (its
:class:`~app.questionnaire.answer_errors.AnswerError`, codes of
:data:`~app.questionnaire.answer_errors.KINDS`). Either way the refusal names its cell
(``answers!E12``), the key its ``details`` use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..questionnaire.answer_errors import AnswerError

#: The workbook's own refusals, by code (besides the parser's). Part of the API (openapi.yaml
#: lists them): add, never rename or reuse one.
CELL_CODES: dict[str, str] = {
    "formula_not_accepted": "a cell holds a formula",
    "row_added": "a row without a key has answers",
    "item_unknown": "the row's key is no question of this questionnaire version",
    "key_changed": "the row's key was changed",
    "row_repeated": "the question's row appears twice",
    "value_in_wrong_column": "the answer is in another type's column",
    "flag_not_yes_no": "don't know or not applicable is not yes or no",
    "evidence_lines_mismatch": "evidence types, references and notes are not one per line",
}


@dataclass(frozen=True)
class CellRefusal:
    """One refused cell: ``code``, ``item`` (the row's key, None when it has none) and
    ``field`` (the column's name), or the parser's ``answer`` refusal it came from."""

    cell: str
    code: str
    message: str
    item: str | None = None
    field: str | None = None
    answer: AnswerError | None = None

    @classmethod
    def of_answer(cls, cell: str, error: AnswerError) -> "CellRefusal":
        return cls(cell, error.code, error.message, error.key, error.field, error)

    def to_json(self) -> dict[str, Any]:
        if self.answer is not None:
            return self.answer.to_json() | {"cell": self.cell}
        return {"code": self.code, "cell": self.cell, "item": self.item, "field": self.field,
                "message": self.message}


def details_of(refusals: dict[str, CellRefusal]) -> dict[str, str]:
    """The 422's ``details``: message by cell, as before the codes."""
    return {cell: refusal.message for cell, refusal in refusals.items()}
