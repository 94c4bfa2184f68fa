"""Submissions exported from ODK Central or KoboToolbox (CSV) -> new draft assessments.

The form is the XLSForm of :mod:`.xlsform`: each column is matched to an item by its name,
whatever group prefix the exporting server put before it (Kobo ``s_a_knowledge/a1``,
Central ``s_a_knowledge-a1``). One row, one submission, one new draft of the importer's
organisation. Each answer goes through the parser of answers that every save uses; an
answer it refuses is left out and reported with its column and the reason, the rest of the
row is imported. Nothing is guessed: a column that is not a question of the version is
reported, never read.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask_babel import gettext as _

from ..assessments import operations as ops
from ..errors import RequestError
from ..questionnaire.catalog import catalog
from ..questionnaire.patch import parse_answer
from . import xlsform as X

MAX_ROWS = 200
METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
            "username", "key", "submissiondate", "submitterid", "submittername", "attachmentspresent",
            "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
            "instanceid", "instancename", "__version__", "audit"}
INSTANCE_COLUMNS = ("meta/instanceID", "meta-instanceID", "KEY", "_uuid", "instanceID")
#: The patch field a parser error names -> the column suffix it came from.
FIELD_SUFFIX = {"reason": X.REASON, "not_applicable": X.REASON, "confidence": X.CONFIDENCE,
                "evidence": X.EVIDENCE_TYPE, "comment": X.COMMENT}


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV in UTF-8 (with or without a byte-order mark), separated by
    commas (Central) or semicolons (Kobo's default); 400/422 when it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestError(400, _("The file is not a CSV file in UTF-8."), {"file": "not UTF-8"}) from None
    if "\x00" in text:
        raise RequestError(400, _("The file is not a CSV file in UTF-8."), {"file": "NUL character"})
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise RequestError(400, _("The file is not a CSV file in UTF-8."), {"file": str(exc)[:200]}) from None
    if not rows or not any(h.strip() for h in rows[0]):
        raise RequestError(422, _("The file has no header row."), {"file": "empty"})
    if len(rows) - 1 > MAX_ROWS:
        raise RequestError(422, _("At most %(n)s submissions at once: split the file.", n=MAX_ROWS),
                       {"file": f"{len(rows) - 1} rows"})
    return [h.strip() for h in rows[0]], rows[1:]


def known_fields(questionnaire) -> dict[str, tuple[str, str]]:
    """Field name of the XLSForm -> (item key, suffix; "" for the item's own question)."""
    out = {}
    for item in questionnaire.items:
        out[item.key] = (item.key, "")
        for suffix in X.EXTRA_SUFFIXES:
            out[item.key + suffix] = (item.key, suffix)
    return out


def match_column(name: str, known: dict, questionnaire) -> tuple[tuple[str, str] | None, str | None]:
    """(item key, suffix) of a column, or None and why it is not read."""
    segments = name.split("/")
    parts = segments[-1].split("-")
    for i in range(len(parts)):
        field = "-".join(parts[i:])
        if field in known:
            return known[field], None
    pieces = [piece.lower() for segment in segments for piece in segment.split("-")]
    if name.startswith("_") or pieces[-1] in METADATA or "meta" in pieces[:-1]:
        return None, _("Submission metadata: not an answer.")
    parent = segments[-2].split("-")[-1] if len(segments) > 1 else ""
    item = questionnaire.item_map.get(parent)
    if item is not None and item.type == "checklist":
        return None, _("One column per option: the answer is read from the column of the question.")
    return None, _("No question with this name in this questionnaire version.")


def _choice_names(item) -> dict[str, str]:
    """Choice name, or its label in any language (Kobo can export labels), -> name."""
    names: dict[str, str] = {}
    entries = [(str(lvl.level), lvl.descriptor) for lvl in item.levels] if item.type == "scale" else \
        [(o.code, o.label) for o in getattr(item, "options", [])]
    for name, label in entries:
        names[name] = name
        for text in label.values():
            names.setdefault(text.strip(), name)
            names.setdefault(f"{name}: {text}".strip(), name)
    return names


def entry_of(item, fields: dict[str, str]) -> dict[str, Any] | None:
    """The answers-patch entry of one item from its columns' values (None: nothing given)."""
    if not any(v.strip() for v in fields.values()):
        return None
    main = fields.get("", "").strip()
    status = fields.get(X.STATUS, "").strip() if item.type == "number" else main
    entry: dict[str, Any] = {}
    tokens = main.split() if item.type == "checklist" else [status]
    if X.DONT_KNOW in tokens and len(tokens) == 1:
        entry["dont_know"] = True
    elif X.NOT_APPLICABLE in tokens and len(tokens) == 1:
        entry |= {"not_applicable": True, "reason": fields.get(X.REASON, "").strip()}
    elif main:
        names = _choice_names(item)
        if item.type == "checklist":
            entry["selected"] = [names.get(t, t) for t in tokens]
        elif item.type in ("scale", "choice"):
            entry[item.value_key] = names.get(main, main)
        else:
            entry[item.value_key] = main
    for suffix, name in ((X.CONFIDENCE, "confidence"), (X.COMMENT, "comment")):
        if fields.get(suffix, "").strip():
            entry[name] = fields[suffix].strip()
    if fields.get(X.EVIDENCE_TYPE, "").strip():
        entry["evidence"] = [{"type": fields[X.EVIDENCE_TYPE].strip(),
                              "reference": fields.get(X.EVIDENCE_REFERENCE, "").strip()}]
    return entry or None


def import_submissions(user, data: bytes, meta: dict[str, Any]) -> dict[str, Any]:
    """Create one draft per row with answers; returns the report (see module docstring)."""
    meta = meta | {"title": str(meta.get("title") or "").strip()[:150] or _("Imported submissions")}
    errors = ops.validate_new(meta)
    if errors:
        raise RequestError(422, _("The import settings are not valid; nothing was imported."), errors)
    questionnaire = catalog().get(meta["questionnaire"], meta["version"])
    header, rows = read_rows(data)
    known = known_fields(questionnaire)
    columns, ignored = {}, {}
    for n, name in enumerate(header):
        field, why = match_column(name, known, questionnaire)
        if field:
            columns[n] = field
        elif name:
            ignored[name] = why
    report = {"questionnaire": questionnaire.id, "version": questionnaire.version,
              "columns": {"read": {header[n]: f[0] + f[1] for n, f in columns.items()}, "ignored": ignored},
              "created": [], "skipped": []}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        _import_row(user, questionnaire, meta, header, columns, row, number, report)
    return report


def _import_row(user, questionnaire, meta, header, columns, row, number, report) -> None:
    by_item: dict[str, dict[str, str]] = {}
    where: dict[tuple[str, str], str] = {}
    for n, (key, suffix) in columns.items():
        value = row[n] if n < len(row) else ""
        by_item.setdefault(key, {})[suffix] = value
        where[(key, suffix)] = header[n]
    payload, refused = {}, {}
    for key, fields in by_item.items():
        item = questionnaire.item_map[key]
        entry = entry_of(item, fields)
        if entry is None:
            continue
        answer, problems = parse_answer(item, entry)
        problems = problems or ops.national_na_errors(questionnaire, meta["jurisdiction"], {key: answer})
        for problem in problems:
            column = where.get((key, FIELD_SUFFIX.get(problem.field, "")), where.get((key, ""), key))
            refused[column] = problem.message
        if not problems:
            payload[key] = entry
    instance = next((row[header.index(c)] for c in INSTANCE_COLUMNS if c in header
                     and header.index(c) < len(row) and row[header.index(c)].strip()), None)
    if not payload:
        report["skipped"].append({"row": number, "instance": instance, "not_imported": refused,
                                  "reason": _("No answer in this row could be imported.")})
        return
    title = f"{meta['title']} ({instance or _('row %(n)s', n=number)})"[:200]
    assessment = ops.create_assessment(user, meta | {"title": title})
    ops.save_answers(assessment, user, assessment.revision, payload)
    report["created"].append({"row": number, "instance": instance, "assessment": assessment.id,
                              "title": title, "imported": sorted(payload), "not_imported": refused})
