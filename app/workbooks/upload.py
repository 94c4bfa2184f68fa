"""A filled workbook back in: validated like a save, merged like a save.

1. The file is read without trusting it (:mod:`.reading`).
2. Each row the person changed (its cells no longer give the digest written at download,
   :mod:`.cells`) becomes an entry of an answers patch; rows left alone are left out. The
   drop-down words are read back as codes in the language recorded in ``_meta``, in English,
   or as the codes themselves (:mod:`.vocabulary`).
3. The patch goes through the one parser of answers (``parse_patch``) and the national N/A
   rule, exactly as a save; any invalid cell refuses the whole workbook (422, nothing saved)
   with details keyed by sheet and cell (``answers!E12``).
4. The section pages' three-way merge (``merge_plan``) sorts the changes: those whose
   answer nobody changed online since the download are saved through ``save_answers`` (one
   save, one revision, the audit log); those changed online meanwhile are conflicts,
   returned with both versions and never overwritten.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ..assessments import operations as ops, store
from ..auth.policy import check_items
from ..errors import RequestError
from ..questionnaire.patch import parse_patch
from . import cells as C
from .download import FORMAT, letter
from .reading import Sheet, read
from .refusals import CellRefusal, details_of
from .vocabulary import Reader


def _messages() -> dict[str, str]:
    return {"wrong_column": _("This question is answered in the column '%(column)s'."),
            "yes_no": _("Write yes or no (or leave the cell empty)."),
            "evidence_lines": _("Give one reference per evidence type, on the same line.")}


def reader_of(sheet: Sheet) -> Reader:
    """The words of the workbook's recorded language (English for an unknown or no language)."""
    lang = sheet.meta.get("language", "en")
    return Reader(lang if lang in current_app.config["LANGUAGES"] else "en")


def cell(column: str, row: int) -> str:
    return f"answers!{letter(column)}{row}"


def upload(assessment, user, data: bytes) -> dict[str, Any]:
    """Validate and merge a workbook. Returns ``{"revision", "saved", "conflicts",
    "conflict_answers"}``; raises RequestError (400, 403, 409, 413, 422) with nothing saved."""
    sheet = read(data)
    questionnaire = store.questionnaire_of(assessment)
    _check_meta(sheet, assessment, questionnaire)
    header = _header(sheet)
    stored = store.answers_json(questionnaire, store.answers_of(assessment))
    current = ops.answer_fingerprints(assessment)
    payload, loaded, rows, errors = _changed_rows(sheet, header, questionnaire, stored, current)
    check_items(user, assessment, payload)  # a contributor's rows of other sections: 403, nothing saved
    changes, problems = parse_patch(questionnaire, payload)
    problems = problems or ops.national_na_errors(questionnaire, assessment.jurisdiction, changes)
    for problem in problems:
        where = cell(C.column_of(problem.field), rows[problem.key])
        errors[where] = CellRefusal.of_answer(where, problem)
    if errors:
        raise RequestError(422, _("Some cells of the workbook are not valid; nothing was saved."),
                           details_of(errors), list(errors.values()))
    keys, conflicts, _outdated = ops.merge_plan(questionnaire, changes, current, loaded)
    mine = {k: payload[k] for k in keys if k not in conflicts}
    result = ops.save_answers(assessment, user, assessment.revision, mine) if mine else \
        {"revision": assessment.revision, "changed": []}
    return {"revision": result["revision"], "saved": result["changed"], "conflicts": conflicts,
            "conflict_answers": {k: {"online": stored.get(k), "workbook": payload[k],
                                     "fingerprint": current[k], "row": rows[k]} for k in conflicts}}


def _check_meta(sheet: Sheet, assessment, questionnaire) -> None:
    meta = sheet.meta
    if meta.get("format") != FORMAT:
        raise RequestError(422, _("This workbook was not downloaded from this application: download "
                              "the assessment's workbook and fill that in."), {"_meta": "missing or unknown format"})
    if meta.get("assessment") != str(assessment.id):
        raise RequestError(422, _("This workbook belongs to another assessment (%(id)s).",
                              id=meta.get("assessment", "?")[:20]), {"_meta": "another assessment"})
    if (meta.get("questionnaire"), meta.get("version")) != (questionnaire.id, questionnaire.version):
        raise RequestError(422, _("This workbook is for another version of the questionnaire."),
                       {"_meta": "another questionnaire version"})


def _header(sheet: Sheet) -> dict[str, int]:
    first = sheet.rows[0] if sheet.rows else []
    header = {C.normal(v): n for n, v in enumerate(first) if C.normal(v) in C.COLUMNS}
    missing = [c for c in C.COLUMNS if c not in header and c not in ("section", "question", "how_to_answer")]
    if missing:
        raise RequestError(422, _("The sheet 'answers' lacks the columns %(columns)s: do not remove "
                              "columns from the downloaded workbook.", columns=", ".join(missing)),
                       {"answers": "missing columns: " + ", ".join(missing)})
    return header


def _changed_rows(sheet: Sheet, header: dict[str, int], questionnaire, stored, current):
    """(patch entries, fingerprints at download, row numbers, refused cells by cell) of the
    changed rows."""
    payload: dict[str, Any] = {}
    loaded: dict[str, str] = {}
    rows: dict[str, int] = {}
    errors: dict[str, CellRefusal] = {}
    messages = _messages()
    reader = reader_of(sheet)
    for n, (values, formulas) in enumerate(zip(sheet.rows[1:], sheet.formulas[1:]), start=2):
        cells = {name: values[i] if i < len(values) else None for name, i in header.items()}
        formula = next((name for name, i in header.items() if i < len(formulas) and formulas[i]), None)
        key = C.normal(cells["_key"])
        if formula:
            where = cell(formula, n)
            errors[where] = CellRefusal(where, "formula_not_accepted", _(
                "Formulas are not accepted: type the value itself."), key or None, formula)
            continue
        problem = _row_problem(key, cells, questionnaire, rows)
        if problem:
            errors[cell("key", n)] = CellRefusal(cell("key", n), problem[0], problem[1], key or None, "key")
            continue
        if not key:
            continue
        rows[key] = n
        written = C.normal(cells["_cells"])
        now = C.digest(cells)
        if now == written:
            continue  # untouched: left out, whatever happened online
        at_download = C.normal(cells["_fingerprint"])
        keep_evidence = now.split(".")[-1] == written.split(".")[-1] and current.get(key) == at_download
        try:
            payload[key] = C.entry_from_cells(
                questionnaire.item_map[key], cells,
                (stored.get(key) or {}).get("evidence") or [] if keep_evidence else None, messages, reader)
        except C.CellError as exc:
            errors[cell(exc.column, n)] = CellRefusal(cell(exc.column, n), exc.code, str(exc), key, exc.column)
            continue
        loaded[key] = at_download
    return payload, loaded, rows, errors


def _row_problem(key: str, cells, questionnaire, seen: dict[str, int]) -> tuple[str, str] | None:
    """(code, message) of what is wrong with a row as a whole, if anything."""
    if not key:
        if any(C.normal(cells.get(c)) for c in C.ANSWER_COLUMNS):
            return "row_added", _("Rows cannot be added: answer the questions in their own rows.")
        return None
    if key not in questionnaire.item_map:
        return "item_unknown", _("No question with this key in this questionnaire version.")
    if C.normal(cells.get("key")) != key:
        return "key_changed", _("Do not change the key of a row (it was %(key)s).", key=key)
    if key in seen:
        return "row_repeated", _("This question appears twice (also in row %(row)s).", row=seen[key])
    return None
