"""Exports of a selection of assessments as CSV and XLSX: pure functions, plain data in.

Sheets (XLSX) / ``sheet=`` (CSV):

* ``answers``: one row per assessment and item (every item of its questionnaire), with the
  answer, the levels as claimed and as counted, the item score, evidence, the respondent's
  comment and the reviewers' comments on the item;
* ``scores``: one row per assessment: overall, known-only, coverage, completeness, every
  area and layer score and band, and the comments on the whole assessment;
* ``comments``: every comment, oldest first; ``history``: every review event;
* ``codebook``: every item of each questionnaire version in the selection, with its question,
  type, options and their scores, areas, layers and weight (:mod:`.codebook`).

Every row carries the questionnaire id and version and the review status.  For analysis
(issue 18): a label (in the reader's language) beside each code; 0-100 scores rounded as the
pages show them, with the unrounded value in a ``_raw`` column; times in UTC to the second
(``YYYY-MM-DD HH:MM:SS``; real date-times in the XLSX); in the XLSX a filter row and column
widths.

Safety: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote in CSV (so a spreadsheet never runs it as a formula; OWASP
"CSV injection"); in XLSX every text is written as a string cell, never a formula, and
characters XML cannot carry are dropped.  Numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

from ..scoring.engine import round_score
from .codebook import CODEBOOK_COLUMNS, Labels, codebook_rows
from .compare import Subject, answer_display

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
#: No words beside the codes (the pure functions' default; the API passes the reader's).
CODES = Labels()
SHEETS = ("answers", "scores", "comments", "history", "codebook")

META_COLUMNS = ("assessment_id", "title", "organisation", "organisation_kind", "organisation_kind_label",
                "jurisdiction", "period", "questionnaire", "questionnaire_version", "review_status",
                "review_status_label", "submission")
ANSWER_COLUMNS = META_COLUMNS + (
    "item_key", "question", "item_type", "section", "areas", "layers", "weight", "answer", "answer_label",
    "dont_know",
    "not_applicable", "na_reason", "claimed_level", "effective_level", "capped_by", "item_score",
    "target", "evidence", "confidence", "respondent_comment", "reviewer_comments", "answered_by")
COMMENT_COLUMNS = ("assessment_id", "item_key", "submission", "created_at", "author",
                   "author_organisation", "author_role", "text")
HISTORY_COLUMNS = ("assessment_id", "at", "action", "from_status", "to_status", "by", "reason")


def _meta(s: Subject, labels: Labels) -> list[Any]:
    return [s.id, s.title, s.organisation, s.organisation_kind, labels.kind(s.organisation_kind),
            s.jurisdiction, s.period, s.questionnaire.id, s.questionnaire.version, s.status,
            labels.status(s.status), s.submission]


def _comment_text(c: Mapping[str, Any]) -> str:
    return f"{c.get('author') or '?'} ({c['created_at'][:10]}): {c['text']}"


def moment(iso: str | None) -> datetime | None:
    """A stored ISO time as a date-time to the second (no microseconds), in UTC."""
    if not iso:
        return None
    return datetime.fromisoformat(iso).replace(microsecond=0, tzinfo=None)


def _shown(value: float | None) -> float | None:
    """A 0-100 score rounded as the pages show it (one decimal)."""
    return round_score(value, 1)


def _answer_label(item, answer: Mapping[str, Any], t) -> str:
    """The answer in words beside its code (option labels, a level's descriptor); none for
    free text, which is its own words."""
    value = answer.get(item.value_key)
    if value is None or item.type == "text" or answer.get("dont_know") or answer.get("not_applicable"):
        return ""
    return item.value_words(tuple(value) if isinstance(value, list) else value, t)


def answer_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]],
                labels: Labels = CODES) -> Iterable[list[Any]]:
    """One row per assessment and item, in questionnaire order."""
    for s in subjects:
        q = s.questionnaire
        scored = s.score.get("items") or {}
        by_item: dict[str, list[str]] = {}
        for c in comments.get(s.id, ()):
            if c.get("item"):
                by_item.setdefault(c["item"], []).append(_comment_text(c))
        meta = _meta(s, labels)
        for item in q.items:
            answer = s.answers.get(item.key) or {}
            entry = scored.get(item.key) or {}
            evidence = "; ".join(f"{e.get('type')}: {e.get('reference', '')}"
                                 + (f" ({e['note']})" if e.get("note") else "")
                                 for e in answer.get("evidence", ()))
            special = answer.get("dont_know") or answer.get("not_applicable")
            yield meta + [
                item.key, labels.text(item.prompt), item.type, q.section_of[item.key].key, " ".join(item.areas),
                " ".join(item.layers), item.weight if item.scored else "",
                "" if special else answer_display(item, answer), _answer_label(item, answer, labels.text),
                bool(answer.get("dont_know")), bool(answer.get("not_applicable")),
                answer.get("reason", "") if answer.get("not_applicable") else "",
                entry.get("claimed_level"), entry.get("effective_level"), entry.get("capped_by") or "",
                entry.get("s"), entry.get("target") if item.scored else None, evidence,
                answer.get("confidence") or "", answer.get("comment") or "",
                "\n".join(by_item.get(item.key, ())), s.answered_by.get(item.key, ""),
            ]


def score_columns(subjects: Sequence[Subject]) -> tuple[str, ...]:
    q = subjects[0].questionnaire if subjects else None
    areas = [a.code for a in q.areas] if q else []
    layers = [layer.code for layer in q.layers] if q else []
    return META_COLUMNS + (
        "rubric_version", *SCORE_PARTS["overall"], "known_only_score", "known_only_score_raw",
        "knowledge_coverage", "completeness",
        *[f"area_{a}_{k}" for a in areas for k in SCORE_PARTS[""]],
        *[f"layer_{layer}_{k}" for layer in layers for k in SCORE_PARTS[""]],
        "assessment_comments")


#: Each score's columns: rounded as shown, unrounded, band code, band label.
SCORE_PARTS = {"overall": ("overall_score", "overall_score_raw", "overall_band", "overall_band_label"),
               "": ("score", "score_raw", "band", "band_label")}


def _score_cells(entry: Mapping[str, Any], labels: Labels) -> list[Any]:
    value, band = entry.get("score"), entry.get("band")
    return [_shown(value), value, band, labels.band(band) if band else ""]


def score_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]],
               labels: Labels = CODES) -> Iterable[list[Any]]:
    columns = score_columns(subjects)
    areas = [c[5:-6] for c in columns if c.startswith("area_") and c.endswith("_score")]
    layers = [c[6:-6] for c in columns if c.startswith("layer_") and c.endswith("_score")]
    for s in subjects:
        d = s.score
        known = d["overall"].get("known_only")
        row = _meta(s, labels) + [d.get("rubric_version"), *_score_cells(d["overall"], labels),
                                  _shown(known), known, d.get("knowledge_coverage"), d.get("completeness")]
        for a in areas:
            row += _score_cells((d.get("areas") or {}).get(a) or {}, labels)
        for layer in layers:
            row += _score_cells((d.get("layers") or {}).get(layer) or {}, labels)
        row.append("\n".join(_comment_text(c) for c in comments.get(s.id, ()) if not c.get("item")))
        yield row


def comment_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]]
                 ) -> Iterable[list[Any]]:
    for s in subjects:
        for c in comments.get(s.id, ()):
            yield [s.id, c.get("item") or "", c.get("submission"), moment(c["created_at"]),
                   c.get("author") or "", c.get("author_organisation") or "", c.get("author_role") or "",
                   c["text"]]


def history_rows(subjects: Sequence[Subject], events: Mapping[int, Sequence[Mapping[str, Any]]]
                 ) -> Iterable[list[Any]]:
    for s in subjects:
        for e in events.get(s.id, ()):
            yield [s.id, moment(e["at"]), e["action"], e["from_status"], e["to_status"], e.get("by") or "",
                   e.get("reason") or ""]


def sheets(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]],
           events: Mapping[int, Sequence[Mapping[str, Any]]],
           labels: Labels = CODES) -> dict[str, tuple[Sequence[str], Iterable[list[Any]]]]:
    """Every sheet as (header, rows); rows are generated lazily."""
    return {
        "answers": (ANSWER_COLUMNS, answer_rows(subjects, comments, labels)),
        "scores": (score_columns(subjects), score_rows(subjects, comments, labels)),
        "comments": (COMMENT_COLUMNS, comment_rows(subjects, comments)),
        "history": (HISTORY_COLUMNS, history_rows(subjects, events)),
        "codebook": (CODEBOOK_COLUMNS, codebook_rows(subjects, labels)),
    }


# -- CSV ------------------------------------------------------------------------------------------
def csv_safe(value: Any) -> Any:
    """Neutralise a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 CSV (CRLF line ends), booleans as true/false, no value ever a formula.
    Starts with a UTF-8 byte-order mark when encoded by the caller as ``utf-8-sig``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    # the hot path of an export (one call per cell): cheapest tests first
    if value.__class__ is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if value.__class__ is datetime:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return csv_safe(value)


# -- XLSX -----------------------------------------------------------------------------------------
#: Columns of running text: wide in the XLSX (the others fit their heading).
WIDE_COLUMNS = frozenset({"title", "organisation", "question", "section_title", "options", "answer_label",
                          "evidence", "na_reason", "respondent_comment", "reviewer_comments",
                          "assessment_comments", "text", "reason"})


def to_xlsx(named: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per entry: the header row frozen, bold and a filter row,
    columns as wide as their heading (running text wider), date-times as such."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (header, rows) in named.items():
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "A2"
        for n, title in enumerate(header, start=1):
            width = 48 if title in WIDE_COLUMNS else min(24, max(10, len(title) + 3))
            ws.column_dimensions[get_column_letter(n)].width = width
        head = []
        for title in header:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        count = 1
        for row in rows:
            ws.append([_xlsx_value(ws, value, WriteOnlyCell, ILLEGAL_CHARACTERS_RE) for value in row])
            count += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_value(ws, value: Any, cell_class, illegal) -> Any:
    if isinstance(value, str):
        value = illegal.sub("", value)
        if value.startswith("="):
            cell = cell_class(ws, value=value)
            cell.data_type = "s"      # text, never a formula
            return cell
    elif isinstance(value, datetime):
        cell = cell_class(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    return value
