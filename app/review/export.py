"""Exports of a selection of assessments as CSV and XLSX: pure functions, plain data in.

Sheets (XLSX) / ``sheet=`` (CSV):

* ``answers``: one row per assessment and item (every item of its questionnaire), with the
  answer, the levels as claimed and as counted, the item score, evidence, the respondent's
  comment and the reviewers' comments on the item;
* ``scores``: one row per assessment: overall, known-only, coverage, completeness, every
  area and layer score and band, and the comments on the whole assessment;
* ``comments``: every comment, oldest first; ``history``: every review event.

Every row carries the questionnaire id and version and the review status.

Safety: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote in CSV (so a spreadsheet never runs it as a formula; OWASP
"CSV injection"); in XLSX every text is written as a string cell, never a formula, and
characters XML cannot carry are dropped.  Numbers stay numbers, unrounded.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Mapping, Sequence

from .compare import Subject, answer_display

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
SHEETS = ("answers", "scores", "comments", "history")

META_COLUMNS = ("assessment_id", "title", "organisation", "organisation_kind", "jurisdiction",
                "period", "questionnaire", "questionnaire_version", "review_status", "submission")
ANSWER_COLUMNS = META_COLUMNS + (
    "item_key", "item_type", "section", "areas", "layers", "weight", "answer", "dont_know",
    "not_applicable", "na_reason", "claimed_level", "effective_level", "capped_by", "item_score",
    "target", "evidence", "confidence", "respondent_comment", "reviewer_comments", "answered_by")
COMMENT_COLUMNS = ("assessment_id", "item_key", "submission", "created_at", "author",
                   "author_organisation", "author_role", "text")
HISTORY_COLUMNS = ("assessment_id", "at", "action", "from_status", "to_status", "by", "reason")


def _meta(s: Subject) -> list[Any]:
    return [s.id, s.title, s.organisation, s.organisation_kind, s.jurisdiction, s.period,
            s.questionnaire.id, s.questionnaire.version, s.status, s.submission]


def _comment_text(c: Mapping[str, Any]) -> str:
    return f"{c.get('author') or '?'} ({c['created_at'][:10]}): {c['text']}"


def answer_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]]
                ) -> Iterable[list[Any]]:
    """One row per assessment and item, in questionnaire order."""
    for s in subjects:
        q = s.questionnaire
        scored = s.score.get("items") or {}
        by_item: dict[str, list[str]] = {}
        for c in comments.get(s.id, ()):
            if c.get("item"):
                by_item.setdefault(c["item"], []).append(_comment_text(c))
        meta = _meta(s)
        for item in q.items:
            answer = s.answers.get(item.key) or {}
            entry = scored.get(item.key) or {}
            evidence = "; ".join(f"{e.get('type')}: {e.get('reference', '')}"
                                 + (f" ({e['note']})" if e.get("note") else "")
                                 for e in answer.get("evidence", ()))
            special = answer.get("dont_know") or answer.get("not_applicable")
            yield meta + [
                item.key, item.type, q.section_of[item.key].key, " ".join(item.areas),
                " ".join(item.layers), item.weight if item.scored else "",
                "" if special else answer_display(item, answer),
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
        "rubric_version", "overall_score", "overall_band", "known_only_score",
        "knowledge_coverage", "completeness",
        *[f"area_{a}_{k}" for a in areas for k in ("score", "band")],
        *[f"layer_{layer}_{k}" for layer in layers for k in ("score", "band")],
        "assessment_comments")


def score_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]]
               ) -> Iterable[list[Any]]:
    columns = score_columns(subjects)
    areas = [c[5:-6] for c in columns if c.startswith("area_") and c.endswith("_score")]
    layers = [c[6:-6] for c in columns if c.startswith("layer_") and c.endswith("_score")]
    for s in subjects:
        d = s.score
        row = _meta(s) + [d.get("rubric_version"), d["overall"].get("score"), d["overall"].get("band"),
                          d["overall"].get("known_only"), d.get("knowledge_coverage"),
                          d.get("completeness")]
        for a in areas:
            entry = (d.get("areas") or {}).get(a) or {}
            row += [entry.get("score"), entry.get("band")]
        for layer in layers:
            entry = (d.get("layers") or {}).get(layer) or {}
            row += [entry.get("score"), entry.get("band")]
        row.append("\n".join(_comment_text(c) for c in comments.get(s.id, ()) if not c.get("item")))
        yield row


def comment_rows(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]]
                 ) -> Iterable[list[Any]]:
    for s in subjects:
        for c in comments.get(s.id, ()):
            yield [s.id, c.get("item") or "", c.get("submission"), c["created_at"],
                   c.get("author") or "", c.get("author_organisation") or "", c.get("author_role") or "",
                   c["text"]]


def history_rows(subjects: Sequence[Subject], events: Mapping[int, Sequence[Mapping[str, Any]]]
                 ) -> Iterable[list[Any]]:
    for s in subjects:
        for e in events.get(s.id, ()):
            yield [s.id, e["at"], e["action"], e["from_status"], e["to_status"], e.get("by") or "",
                   e.get("reason") or ""]


def sheets(subjects: Sequence[Subject], comments: Mapping[int, Sequence[Mapping[str, Any]]],
           events: Mapping[int, Sequence[Mapping[str, Any]]]) -> dict[str, tuple[Sequence[str], Iterable[list[Any]]]]:
    """Every sheet as (header, rows); rows are generated lazily."""
    return {
        "answers": (ANSWER_COLUMNS, answer_rows(subjects, comments)),
        "scores": (score_columns(subjects), score_rows(subjects, comments)),
        "comments": (COMMENT_COLUMNS, comment_rows(subjects, comments)),
        "history": (HISTORY_COLUMNS, history_rows(subjects, events)),
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
    return csv_safe(value)


# -- XLSX -----------------------------------------------------------------------------------------
def to_xlsx(named: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per entry, header row frozen and bold."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (header, rows) in named.items():
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "A2"
        head = []
        for title in header:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in rows:
            out = []
            for value in row:
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if value.startswith("="):
                        cell = WriteOnlyCell(ws, value=value)
                        cell.data_type = "s"      # text, never a formula
                        value = cell
                out.append(value)
            ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
