"""The workbook's ``answers`` sheet: its columns, and one answer as cells and back.

Shared by the download (answer -> cells) and the upload (cells -> an answer entry in the
shape of the answers patch, which the one parser of answers then validates). Pure: no
Flask, no database.

Why a digest of the cells: the upload must tell the rows a person changed from those they
left alone, whatever happened online meanwhile. Each row carries, in hidden columns, the
fingerprint of the stored answer at download (what the person saw) and a digest of its
answer cells as written; a row whose cells still give that digest is left out of the
upload entirely, so an untouched row never overwrites anything and never loses what the
cells cannot show (a note written on several lines). Evidence has a digest of its own: when
only the other cells changed, the stored evidence is kept exactly.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

#: Columns of the ``answers`` sheet, in order (CONTRACTS.md names the answer columns).
INFO_COLUMNS = ("key", "section", "question", "how_to_answer")
ANSWER_COLUMNS = ("level", "option", "selected", "value", "text", "dont_know", "not_applicable",
                  "reason", "confidence", "comment", "evidence_type", "evidence_reference",
                  "evidence_note")
HIDDEN_COLUMNS = ("_key", "_fingerprint", "_cells")
COLUMNS = INFO_COLUMNS + ANSWER_COLUMNS + HIDDEN_COLUMNS
EVIDENCE_COLUMNS = ("evidence_type", "evidence_reference", "evidence_note")
VALUE_COLUMNS = ("level", "option", "selected", "value", "text")
#: How an empty checklist selection ("none of these") is written: not an option code.
NO_OPTION = "(none)"
YES, NO = "yes", "no"
_TRUE = {"yes", "y", "true", "1", "x", "✓", "oui", "sí", "si", "да", "是", "نعم"}
_FALSE = {"no", "n", "false", "0", "non", "нет", "否", "لا"}
_SEPARATORS = re.compile(r"[;,\n]")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def answer_cells(item, answer: dict[str, Any] | None, words=None) -> dict[str, Any]:
    """The answer (API shape, None when unanswered) as the values of its answer columns:
    codes, or the drop-down words of ``words`` (a :class:`.vocabulary.Vocabulary`)."""
    a = answer or {}
    cells: dict[str, Any] = dict.fromkeys(ANSWER_COLUMNS)
    value = a.get(item.value_key)
    if item.type == "checklist" and value is not None:
        cells["selected"] = "; ".join(value) if value else NO_OPTION
    elif value is not None:
        cells[item.value_key] = _word(item, value, words)
    yes = words.yes if words else YES
    cells["dont_know"] = yes if a.get("dont_know") else None
    cells["not_applicable"] = yes if a.get("not_applicable") else None
    cells["reason"] = a.get("reason") or None
    confidence = a.get("confidence")
    cells["confidence"] = words.confidence.get(confidence, confidence) if words and confidence else confidence
    cells["comment"] = a.get("comment") or None
    evidence = a.get("evidence") or []
    if evidence:
        types = words.evidence if words else {}
        cells["evidence_type"] = "\n".join(types.get(e["type"], e["type"]) for e in evidence)
        cells["evidence_reference"] = "\n".join(one_line(e["reference"]) for e in evidence)
        notes = [one_line(e.get("note") or "") for e in evidence]
        cells["evidence_note"] = "\n".join(notes) if any(notes) else None
    return cells


def _word(item, value: Any, words) -> Any:
    if words is not None and item.type == "scale" and isinstance(value, int):
        return words.level(item, value)
    if words is not None and item.type == "choice":
        return words.options(item).get(value, value)
    return value


def normal(value: Any) -> str:
    """A cell's value as text, the same whoever saved the file (Excel, LibreOffice, openpyxl):
    2 and 2.0 are "2", True is "yes", line ends are \\n, surrounding blanks go."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else ""
    if isinstance(value, (int, float)):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(cells: dict[str, Any]) -> str:
    """``main.evidence``: digests of the non-evidence answer cells and of the evidence cells."""
    def part(columns) -> str:
        raw = json.dumps([normal(cells.get(c)) for c in columns], ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    return part([c for c in ANSWER_COLUMNS if c not in EVIDENCE_COLUMNS]) + "." + part(EVIDENCE_COLUMNS)


def flag(value: Any) -> bool | None:
    """A yes/no cell: True, False, or None when it is neither."""
    text = normal(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE or text == "":
        return False
    return None


class CellError(ValueError):
    """A cell that cannot become part of an answer; ``column`` names it, ``code`` the kind
    (:data:`app.workbooks.refusals.CELL_CODES`)."""

    def __init__(self, column: str, message: str, code: str):
        super().__init__(message)
        self.column, self.code = column, code


def entry_from_cells(item, cells: dict[str, Any], stored_evidence: list | None,
                     messages: dict[str, str], reader=None) -> dict[str, Any] | None:
    """The answers-patch entry that a row's answer cells say (None: every cell empty, the
    answer is cleared). Only what the patch format cannot say is checked here (a yes/no
    cell, a value in another type's column, evidence lines that do not pair up); every rule
    of answers is the parser's. ``stored_evidence`` replaces the evidence cells when they
    are as downloaded. ``reader`` (a :class:`.vocabulary.Reader`) turns the drop-down
    words back into codes. Raises :class:`CellError`."""
    if all(normal(cells.get(c)) == "" for c in ANSWER_COLUMNS):
        return None
    entry: dict[str, Any] = {}
    for column in VALUE_COLUMNS:
        if column != item.value_key and normal(cells.get(column)):
            raise CellError(column, messages["wrong_column"] % {"column": item.value_key}, "value_in_wrong_column")
    for column in ("dont_know", "not_applicable"):
        answer = flag(cells.get(column))
        if answer is None and reader is not None:
            answer = reader.flag(column, cells.get(column))
        if answer is None:
            raise CellError(column, messages["yes_no"], "flag_not_yes_no")
        if answer:
            entry[column] = True
    raw = cells.get(item.value_key)
    if normal(raw):
        entry[item.value_key] = _value(item, raw, reader)
    for column in ("reason", "confidence", "comment"):
        if normal(cells.get(column)):
            entry[column] = normal(cells.get(column))
    if reader is not None and "confidence" in entry:
        entry["confidence"] = reader.code(reader.confidence, entry["confidence"])
    evidence = stored_evidence if stored_evidence is not None else _evidence(cells, messages, reader)
    if evidence:
        entry["evidence"] = evidence
    return entry


def _value(item, raw: Any, reader=None) -> Any:
    if item.type == "checklist":
        text = normal(raw)
        if text == NO_OPTION:
            return []
        if reader is not None:
            return reader.selected(item, text, _SEPARATORS)
        return [c.strip() for c in _SEPARATORS.split(text) if c.strip()]
    if reader is not None and item.type == "scale":
        return reader.level(raw if isinstance(raw, (int, float)) else normal(raw))
    if reader is not None and item.type == "choice":
        return reader.option(item, normal(raw))
    if item.type in ("scale", "number") and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return raw
    return normal(raw)


def _evidence(cells: dict[str, Any], messages: dict[str, str], reader=None) -> list[dict[str, str]]:
    types, references, notes = ([line.strip() for line in normal(cells.get(c)).split("\n")]
                                if normal(cells.get(c)) else [] for c in EVIDENCE_COLUMNS)
    if len(types) != len(references):
        raise CellError("evidence_reference", messages["evidence_lines"], "evidence_lines_mismatch")
    if len(notes) > len(types):
        raise CellError("evidence_note", messages["evidence_lines"], "evidence_lines_mismatch")
    notes += [""] * (len(types) - len(notes))
    if reader is not None:
        types = [reader.code(reader.evidence, t) for t in types]
    return [{"type": t, "reference": r, "note": n} for t, r, n in zip(types, references, notes)]


#: The patch field an error of the answers parser names -> the column to point at.
FIELD_COLUMNS = {"evidence": "evidence_type", "answer": "key"}


def column_of(field: str) -> str:
    return field if field in COLUMNS else FIELD_COLUMNS.get(field, "key")
