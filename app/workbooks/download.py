"""An assessment as a workbook to fill in offline (CONTRACTS.md "Working outside the browser").

Sheets: ``answers`` (one row per item: the question in the reader's language, how to answer,
the answer columns with drop-down lists in the reader's language (:mod:`.vocabulary`), and
hidden, protected columns with the item key, the answer's fingerprint at download and a
digest of the cells: see :mod:`.cells`); ``instructions``; ``_meta`` (hidden: which
assessment, version, revision and language it came from); ``_lists`` (hidden: the drop-down
lists, which a validation rule could not hold within Excel's 255 characters). The first row
keeps the column names (CONTRACTS.md); each carries a note with its name in the language.
The sheet is protected without a password, so that the question and the hidden columns are
not changed by accident; the answer columns are unlocked. Right to left for Arabic.
"""
from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..i18n import N_
from . import cells as C
from .vocabulary import Vocabulary, vocabulary

FORMAT = "readiness-workbook/1"
MAX_CELL = 32_767  # Excel's limit on the characters of one cell
WIDTHS = {"key": 8, "section": 18, "question": 60, "how_to_answer": 40, "reason": 30, "comment": 40,
          "evidence_reference": 30, "evidence_note": 30, "evidence_type": 16}
WRAPPED = {"question", "how_to_answer", "reason", "comment", "evidence_type", "evidence_reference",
           "evidence_note", "selected"}
RTL_LANGUAGES = ("ar",)
LISTS = "_lists"
#: Each column's name for people, in the header's note and the instructions.
COLUMN_NAMES = {
    "key": N_("Question key"), "section": N_("Section"), "question": N_("Question"),
    "how_to_answer": N_("How to answer"), "level": N_("Level"), "option": N_("Option"),
    "selected": N_("Selected options"), "value": N_("Value"), "text": N_("Answer (text)"),
    "dont_know": N_("Don't know"), "not_applicable": N_("Not applicable"),
    "reason": N_("Reason (not applicable)"), "confidence": N_("Confidence"), "comment": N_("Comment"),
    "evidence_type": N_("Evidence type"), "evidence_reference": N_("Reference or URL"),
    "evidence_note": N_("Note (optional)")}


def letter(column: str) -> str:
    return get_column_letter(C.COLUMNS.index(column) + 1)


def put(ws, row: int, column: int, value: Any):
    """Write a value as itself: a text is always a string cell, never a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def how_to_answer(item, t) -> str:
    if item.type == "scale":
        return "\n".join(f"{lvl.level}: {t(lvl.descriptor)}" for lvl in item.levels)
    if item.type in ("choice", "checklist"):
        head = [_("One or more codes, separated by ; (%(none)s: none of these)", none=C.NO_OPTION)] \
            if item.type == "checklist" else [_("One option from the list (its label or its code):")]
        return "\n".join(head + [f"{o.code}: {t(o.label)}" for o in item.options])
    if item.type == "number":
        unit = f" {item.unit}" if item.unit else ""
        return _("A number from %(min)s to %(max)s", min=_num(item.min), max=_num(item.max)) + unit
    return _("Free text")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def build(assessment, questionnaire, answers: dict[str, dict], fingerprints: dict[str, str],
          lang: str, t, sections: list | None = None) -> bytes:
    """The workbook's bytes. ``answers`` are in API shape; ``sections`` limits the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "answers"
    words = vocabulary(lang)
    lists = wb.create_sheet(LISTS)
    _answers_sheet(ws, questionnaire, answers, fingerprints, t, sections, _Validations(words, lists))
    ws.sheet_view.rightToLeft = lang in RTL_LANGUAGES
    _instructions(wb.create_sheet("instructions", 1), lang)
    meta = wb.create_sheet("_meta", 2)
    for row, pair in enumerate((("format", FORMAT), ("assessment", assessment.id),
                                ("questionnaire", questionnaire.id), ("version", questionnaire.version),
                                ("revision", assessment.revision), ("language", lang)), start=1):
        for col, value in enumerate(pair, start=1):
            put(meta, row, col, value)
    for hidden in (meta, lists):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _answers_sheet(ws, questionnaire, answers, fingerprints, t, sections, lists) -> None:
    _header(ws)
    unlocked, wrap = Protection(locked=False), Alignment(wrap_text=True, vertical="top")
    row = 1
    for section in sections or questionnaire.sections:
        for key in section.items:
            row += 1
            item = questionnaire.item_map[key]
            values = {c: ILLEGAL_CHARACTERS_RE.sub("", v)[:MAX_CELL] if isinstance(v, str) else v
                      for c, v in C.answer_cells(item, answers.get(key), lists.words).items()}
            values |= {"key": key, "section": t(section.title), "question": t(item.prompt),
                       "how_to_answer": how_to_answer(item, t), "_key": key,
                       "_fingerprint": fingerprints[key], "_cells": C.digest(values)}
            for col, name in enumerate(C.COLUMNS, start=1):
                cell = put(ws, row, col, values.get(name))
                if name in C.ANSWER_COLUMNS:
                    cell.protection = unlocked
                if name in WRAPPED:
                    cell.alignment = wrap
            lists.for_item(item, row)
    lists.attach(ws)
    for name in C.COLUMNS:
        ws.column_dimensions[letter(name)].width = WIDTHS.get(name, 12)
    for name in C.HIDDEN_COLUMNS:
        ws.column_dimensions[letter(name)].hidden = True
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = ws.protection.formatCells = False


def _header(ws) -> None:
    """Row 1: the column names (CONTRACTS.md), each with a note naming it in the language."""
    bold = Font(bold=True)
    for col, name in enumerate(C.COLUMNS, start=1):
        cell = put(ws, 1, col, name)
        cell.font = bold
        if name in COLUMN_NAMES:
            cell.comment = Comment(_(COLUMN_NAMES[name]), "", width=240, height=40)


class _Validations:
    """Drop-down lists (ranges of the hidden sheet ``_lists``) and number ranges, one
    validation per distinct rule. A list's words are those of the workbook's language; the
    rule warns rather than refuses, so that a code typed by hand (3, high, law) stays: the
    upload reads codes too. Several evidence entries go on several lines of one cell."""

    def __init__(self, words: Vocabulary, sheet):
        self.words, self.sheet = words, sheet
        self.rules: dict[tuple, list[str]] = {}
        self.ranges: dict[tuple, str] = {}

    def add(self, rule: tuple, column: str, row: int) -> None:
        self.rules.setdefault(rule + (column,), []).append(f"{letter(column)}{row}")

    def listed(self, values) -> tuple:
        """("list", the range of ``_lists`` holding ``values``), written there once."""
        values = tuple(values)
        if values not in self.ranges:
            col = get_column_letter(len(self.ranges) + 1)
            for row, value in enumerate(values, start=1):
                put(self.sheet, row, len(self.ranges) + 1, value)
            self.ranges[values] = f"'{LISTS}'!${col}$1:${col}${len(values)}"
        return ("list", self.ranges[values])

    def for_item(self, item, row: int) -> None:
        words = self.words
        self.add(self.listed(words.confidence.values()), "confidence", row)
        self.add(self.listed(words.evidence.values()), "evidence_type", row)
        if item.scored and item.allow_dont_know:
            self.add(self.listed((words.yes, words.no)), "dont_know", row)
        if item.allow_na:
            self.add(self.listed((words.yes, words.no)), "not_applicable", row)
        if item.type == "scale":
            self.add(self.listed(words.levels(item)), "level", row)
        elif item.type == "choice":
            self.add(self.listed(words.options(item).values()), "option", row)
        elif item.type == "number":
            self.add(("decimal", str(item.min), str(item.max)), "value", row)

    def attach(self, ws) -> None:
        for rule, refs in self.rules.items():
            kind = rule[0]
            if kind == "list":
                dv = DataValidation(type="list", formula1=rule[1], allow_blank=True, errorStyle="warning")
            else:
                dv = DataValidation(type="decimal", operator="between", formula1=rule[1],
                                    formula2=rule[2], allow_blank=True)
            dv.error = _("Choose a value from the list (see the column how_to_answer).") \
                if kind == "list" else _("Enter a number within the range given in how_to_answer.")
            dv.showErrorMessage = True
            for ref in refs:
                dv.add(ref)
            ws.add_data_validation(dv)


def _instructions(ws, lang: str) -> None:
    lines = [
        _("How to fill in this workbook"),
        _("Fill in the sheet 'answers', one row per question, in the columns from 'level' to "
          "'evidence_note'. The question and how to answer it are in the first columns."),
        _("Answer a scale question with a level from 0 to 4 (column 'level'), a choice question "
          "with one code (column 'option'), a checklist with codes separated by ; (column "
          "'selected'), a number in column 'value'."),
        _("Write 'yes' in 'dont_know' or in 'not_applicable' instead of an answer, where the "
          "question allows it; 'not applicable' needs a reason."),
        _("Evidence: one entry per line, the type in 'evidence_type' and its reference on the "
          "same line of 'evidence_reference' (and a note in 'evidence_note')."),
        _("Do not add or remove rows or columns, and do not change the hidden columns: they "
          "tell the application which question each row answers and what the answer was when "
          "you downloaded the workbook. Formulas are not accepted: type the values."),
        _("Upload the workbook on the assessment's page. Rows you did not change are left "
          "alone. A question that someone else changed online since you downloaded the "
          "workbook is not overwritten: you choose between the two versions."),
        _("The drop-down lists are in the language of this workbook. Codes are accepted as "
          "well: a level's number, an option's code, yes or no, high, medium or low, and the "
          "evidence types law, policy, budget, data, evaluation, expert_judgement and other."),
        "",
        _("The columns of the sheet 'answers' (their names stay as they are):"),
    ] + [f"{name}: {_(label)}" for name, label in COLUMN_NAMES.items()]
    for row, line in enumerate(lines, start=1):
        if not line:
            continue
        cell = put(ws, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
    ws.sheet_view.rightToLeft = lang in RTL_LANGUAGES
