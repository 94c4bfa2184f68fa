"""Reading an uploaded workbook without trusting it.

Before openpyxl sees a byte: the file must be a ZIP (an .xlsx is one) within the size limit,
whose declared uncompressed size and number of parts stay within limits (a "zip bomb" of a
few kilobytes can expand to gigabytes; Python's zipfile never inflates a part beyond its
declared size, so the declared sizes bound the work), with no macros (``vbaProject.bin``, a
macro-enabled content type). Then openpyxl reads it read-only, its XML parsed through
defusedxml (installed: openpyxl uses it by itself). Nothing is evaluated: a formula is
reported by the caller as a refused cell, never computed.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ..errors import RequestError

MAX_PARTS = 200
MAX_ROWS = 2_000
MAX_COLUMNS = 60


@dataclass
class Sheet:
    """A sheet's rows as (values, formula flags), row 1 first; ``meta`` is the _meta sheet."""

    rows: list[list[Any]] = field(default_factory=list)
    formulas: list[list[bool]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def limits() -> tuple[int, int]:
    config = current_app.config
    return config["WORKBOOK_MAX_BYTES"], config["WORKBOOK_MAX_UNCOMPRESSED_BYTES"]


def check_zip(data: bytes) -> None:
    """Refuse what is not a plain .xlsx within the limits (413, 400)."""
    max_bytes, max_uncompressed = limits()
    if len(data) > max_bytes:
        raise RequestError(413, _("The workbook is too large (limit %(kb)s KB). Nothing was saved.",
                              kb=max_bytes // 1024), {"limit_bytes": max_bytes})
    not_xlsx = RequestError(400, _("This file is not an Excel workbook (.xlsx). Nothing was saved."),
                        {"file": "not an .xlsx workbook"})
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        types = archive.read("[Content_Types].xml") if len(parts) <= MAX_PARTS else b""
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, EOFError, OSError):
        raise not_xlsx from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > max_uncompressed:
        raise RequestError(413, _("The workbook expands to more than %(mb)s MB: it cannot be a filled "
                              "questionnaire. Nothing was saved.", mb=max_uncompressed // 2**20),
                       {"limit_uncompressed_bytes": max_uncompressed})
    if any(p.filename.lower().endswith("vbaproject.bin") for p in parts) or b"macroEnabled" in types:
        raise RequestError(400, _("Workbooks with macros are not accepted: save it as an ordinary "
                              ".xlsx workbook. Nothing was saved."), {"file": "contains macros"})


def read(data: bytes) -> Sheet:
    """The ``answers`` and ``_meta`` sheets of an uploaded workbook (400/413/422 otherwise)."""
    check_zip(data)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise RequestError(400, _("This file could not be read as an Excel workbook (.xlsx). "
                              "Nothing was saved."), {"file": "unreadable"}) from None
    try:
        if "answers" not in wb.sheetnames:
            raise RequestError(422, _("The workbook has no sheet 'answers': upload the workbook "
                                  "downloaded from this assessment."), {"answers": "sheet missing"})
        sheet = Sheet()
        for values in wb["answers"].iter_rows(max_col=MAX_COLUMNS):
            if len(sheet.rows) >= MAX_ROWS:
                raise RequestError(422, _("The sheet 'answers' has too many rows."), {"answers": "too many rows"})
            sheet.rows.append([getattr(c, "value", None) for c in values])
            sheet.formulas.append([getattr(c, "data_type", None) == "f" for c in values])
        if "_meta" in wb.sheetnames:
            for row in wb["_meta"].iter_rows(max_row=50, max_col=2, values_only=True):
                if row and row[0] is not None:
                    sheet.meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    except RequestError:
        raise
    except Exception:
        raise RequestError(400, _("This file could not be read as an Excel workbook (.xlsx). "
                              "Nothing was saved."), {"file": "unreadable"}) from None
    finally:
        wb.close()
    return sheet
