"""The report context: plain data for the PDF templates, built by pure functions.

:func:`build_context` takes a questionnaire definition, a score document, the answers
(:class:`~app.questionnaire.answers.AnswerData` by item key) and plain metadata, and returns
dicts, lists, strings and numbers only (plus the chart SVGs of :mod:`app.charts`, which are
``Markup`` strings).  No Flask, no database, no ORM object: it can be called and tested
without a request, and the templates never see anything they could use to reach further.

User texts (titles, evidence, comments, reasons) are passed through as plain strings; the
templates' environment autoescapes them, so they appear literally in the PDF.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Mapping, Sequence

from app.display import labels as L, numbers as n
from app.display.rows import AggregateRow, Rows
from app.i18n import N_, paren, translate as _
from app.lifecycle import EDITABLE
from app.questionnaire.answers import AnswerData
from app.questionnaire.definition import Questionnaire

from .parts import (  # noqa: F401  (direction, fmt_date, short_area_label: the templates' and tests' names)
    Labels, band_table, chart_images, direction, fmt_date, fmt_moment, home_areas, iso_date, logo_data_url,
    methodology, short_area_label, text_of,
)
from .shadow import scorecard_gap_count, shadow_block

KINDS = ("gap", "scorecard")


KIND_TITLES = {"gap": N_("Gap report"), "scorecard": N_("Scorecard")}
TOP_GAPS = 10
SCORECARD_GAPS = 3   # the scorecard keeps to two pages in every language (the gap report has them all)
LONG_TEXT = 1200

# -- bounds on user text ---------------------------------------------------------------------
# A report must finish whatever was typed: one answer may carry 20,000 characters of comment,
# a reason and 20 evidence notes of 20,000 each, and comments have no count limit, so an
# uncut report could run to thousands of pages that no render finishes.  The body therefore
# shows at most TEXT_LIMIT characters of one text, at most TEXT_BUDGET characters of user
# text in all (past that, each text keeps SHORT_TEXT characters), EVIDENCE_SHOWN evidence
# entries per question and COMMENTS_SHOWN / COMMENTS_PER_ITEM comments; what is cut says how
# long the full text is and that the XLSX/CSV export holds it.  A normal report is never cut.
TEXT_LIMIT = 6000
TEXT_BUDGET = 60000
SHORT_TEXT = 200
EVIDENCE_SHOWN = 5
COMMENTS_SHOWN = 100
COMMENTS_PER_ITEM = 5


class TextBudget:
    """Cuts user texts for one report (see the bounds above); :meth:`clip` charges each text
    shown to the report's budget, in the order the report shows them."""

    def __init__(self, limit: int = TEXT_LIMIT, budget: int = TEXT_BUDGET, short: int = SHORT_TEXT):
        self.limit, self.remaining, self.short = limit, budget, short
        self.cut = 0

    def clip(self, text: str | None) -> str:
        text = str(text or "")
        allowance = min(self.limit, max(self.remaining, self.short))
        if len(text) <= allowance:
            self.remaining -= len(text)
            return text
        self.remaining -= allowance
        self.cut += 1
        head = text[:allowance]
        space = head.rfind(" ", allowance // 2)   # at a word boundary when there is one nearby
        head = head[:space] if space > 0 else head
        return _("%(text)s… [cut: the full text (%(count)s characters) is in the XLSX/CSV export]",
                 text=head.rstrip(), count=len(text))



# -- answers ------------------------------------------------------------------------------------
def _answer_value_text(item, answer: AnswerData, lang: str) -> tuple[str, list[str]]:
    """(one-line text of the answer's value, list of selected labels for checklists)."""
    value = answer.value
    if item.type == "scale":
        return _("Level %(level)s", level=value), []
    if item.type == "choice":
        label = next((text_of(o.label, lang) for o in item.options if o.code == value), str(value))
        return label, []
    if item.type == "checklist":
        chosen = set(value or ())
        labels = [text_of(o.label, lang) for o in item.options if o.code in chosen]
        n, total = len(labels), len(item.options)
        return _("%(n)s of %(total)s selected", n=n, total=total), labels
    if item.type == "number":
        # As the pages write it: "42,5 %" in French (the unit on the number's line).
        number = item.value_words(value, None) if isinstance(value, (int, float)) else str(value)
        band = None
        for b in sorted(item.bands, key=lambda b: b.min):
            if isinstance(value, (int, float)) and b.min <= value < b.max:
                band = b
        if band is None and item.bands and isinstance(value, (int, float)):
            band = sorted(item.bands, key=lambda b: b.min)[-1]
        band_text = paren(text_of(band.label, lang), lang) if band is not None and band.label else ""
        return f"{number}{band_text}", []
    return str(value or ""), []


def answer_summary(item, answer: AnswerData | None, lang: str = "en",
                   budget: TextBudget | None = None) -> dict[str, Any]:
    """How an answer reads: status, the value as text, selections, reason, confidence,
    evidence, comment, as the item sections show it.  User texts are cut by
    ``budget`` (a fresh one when none is given); at most :data:`EVIDENCE_SHOWN` evidence
    entries carry their texts (``evidence_more`` counts the others)."""
    budget = budget or TextBudget()
    answer = answer or AnswerData()
    selections: list[str] = []
    if answer.dont_know:
        status = "dont_know"
    elif answer.not_applicable:
        status = "not_applicable"
    elif answer.has_answer:
        status = "answered"
        text, selections = _answer_value_text(item, answer, lang)
    else:
        status = "unanswered"
    if status != "answered":
        text = L.label(L.ANSWER_STATUS, status)
    if status == "answered" and not item.scored:
        text = budget.clip(text)             # a free-text answer is user text too
    shown = answer.evidence[:EVIDENCE_SHOWN]
    return {
        "status": status,
        "status_label": L.label(L.ANSWER_STATUS, status),
        "text": text,
        "selections": selections,
        "na_reason": budget.clip(answer.na_reason) if answer.not_applicable else "",
        "confidence": L.confidence_label(answer.confidence),
        "comment": budget.clip(answer.comment),
        "evidence": [{"type": e.type, "type_label": L.evidence_label(e.type),
                      "reference": budget.clip(e.reference), "note": budget.clip(e.note)}
                     for e in shown],
        "evidence_types": [L.evidence_label(e.type) for e in answer.evidence],
        "evidence_more": len(answer.evidence) - len(shown),
    }


def _cap_note(capped_by: str | None, effective: float | None, rubric) -> str:
    if not capped_by:
        return ""
    if capped_by == "documentary":
        excluded = ", ".join(L.evidence_label(t).lower()
                             for t in rubric.non_documentary_evidence_types)
        return _("Capped at level %(effective)s: a level of %(from_level)s or more needs "
                 "documentary evidence (any type except %(excluded)s).",
                 effective=n.level(effective), from_level=rubric.documentary_evidence_from_level,
                 excluded=excluded)
    if capped_by == "core_documentary":
        return _("Capped at level %(effective)s: a core question at level %(from_level)s or more "
                 "needs documentary evidence.", effective=n.level(effective),
                 from_level=rubric.core_evidence_from_level)
    if capped_by == "outcome":
        kinds = _(" or ").join(L.evidence_label(t).lower()
                               for t in rubric.outcome_evidence_types)
        return _("Capped at level %(effective)s: a level of %(from_level)s needs %(kinds)s "
                 "evidence.", effective=n.level(effective),
                 from_level=rubric.outcome_evidence_from_level, kinds=kinds)
    return _("Capped at level %(effective)s by the evidence rule (%(rule)s).",
             effective=n.level(effective), rule=capped_by)


def _level_block(item, level: float | None, lang: str) -> dict[str, Any] | None:
    if level is None:
        return None
    descriptor = ""
    if item.type == "scale" and float(level).is_integer() and 0 <= int(level) <= 4:
        descriptor = text_of(item.levels[int(level)].descriptor, lang)
    return {"level": level, "text": n.level(level), "descriptor": descriptor}


# -- the context ---------------------------------------------------------------------------
def build_context(kind: str, *, questionnaire: Questionnaire, score: Mapping[str, Any],
                  answers: Mapping[str, AnswerData], meta: Mapping[str, Any],
                  comments: Sequence[Mapping[str, Any]] = (),
                  logo: Mapping[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    """Everything a report template shows, as plain data.

    ``meta``: ``id, title, organisation, organisation_kind, jurisdiction, jurisdiction_name,
    period, status, revision, created_at, updated_at, submitted_at`` (dates as ``datetime``
    or ISO strings), ``zone`` (the IANA zone times are written in, their offset after them;
    UTC when missing), and optionally ``key_messages, cite, comparison`` (:mod:`.shadow`).
    ``comments``: ``{"author", "organisation", "item" (key or None), "text", "created_at",
    "submission"}`` oldest first.  ``logo``: see
    :func:`logo_data_url`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {', '.join(KINDS)}")
    labels = Labels.of(questionnaire, lang)
    rows = Rows(questionnaire, score, lang)      # the same rows as the results page
    budget = TextBudget()
    gaps = gap_rows(rows)
    # The answers are charged to the budget first (they are the report's substance), then
    # the latest comments.
    items = item_rows(questionnaire, score, answers, (), gaps, labels, lang, budget=budget)
    comment_list = comment_rows(comments, budget, meta.get("zone"))
    attach_comments(items, comment_list)
    areas = area_rows(questionnaire, score, rows, items, labels, lang)
    layers = layer_rows(questionnaire, rows, labels, lang)
    shadow = shadow_block(meta)
    return {
        "kind": kind,
        "lang": lang,
        "meta": document_meta(kind, questionnaire, score, meta, lang),
        "headline": asdict(rows.headline()),
        "bands": band_table(rows),
        "areas": areas,
        "layers": layers,
        "gaps": gaps,
        "top_gaps": gaps[:TOP_GAPS],
        "plan_gaps": gaps[TOP_GAPS:],   # each gap said once: the first ones close the summary
        "scorecard_gaps": gaps[:scorecard_gap_count(shadow, SCORECARD_GAPS)],
        "insufficient_areas": [a for a in areas if a["insufficient_information"]],
        "comments": comment_list,
        "comments_left_out": max(len(comments) - len(comment_list), 0),
        "methodology": methodology(questionnaire, rows, lang),
        "charts": chart_images(kind, questionnaire, score, areas, layers, labels, meta, lang),
        "logo": logo_data_url(logo),
        "item_count": len(questionnaire.scored_items),
        "shadow": shadow,
        "agreement": [dict(s, share_text=n.share(s["share_apart_2"]), alpha_text=n.decimal(s["alpha"], 2))
                      for s in meta.get("agreement") or ()],
        "attachments": list(meta.get("attachments") or ()),
    }


def document_meta(kind: str, questionnaire: Questionnaire, score: Mapping[str, Any],
                  meta: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """The cover's facts, the PDF metadata and the lines that name the document."""
    rubric = questionnaire.rubric
    status = str(meta.get("status") or "draft")
    is_draft = status in EDITABLE  # the score is not final: a "Draft" watermark
    submitted = meta.get("submitted_at") if not is_draft else None
    date_value = submitted or meta.get("updated_at")
    moment = fmt_moment(date_value, meta.get("zone"))
    status_label = L.label(L.STATUS, status)
    title = str(meta.get("title") or "")
    jurisdiction_name = str(meta.get("jurisdiction_name") or meta.get("jurisdiction") or "")
    if not submitted:
        status_line = _("%(status)s · answers as of %(date)s", status=status_label, date=moment)
    elif status == "submitted":
        status_line = _("Submitted %(date)s", date=moment)
    else:
        status_line = _("%(status)s · submitted %(date)s", status=status_label, date=moment)
    kind_title = L.label(KIND_TITLES, kind)
    questionnaire_title = text_of(questionnaire.title, lang)
    return {
        "id": meta.get("id"),
        "title": title,
        # Long titles (up to 200 characters) are set smaller: the scorecard keeps to two pages.
        "title_size": "long" if len(title) > 80 else "normal",
        "document_title": _("%(kind)s: %(title)s", kind=kind_title, title=title),
        "organisation": str(meta.get("organisation") or ""),
        "organisation_kind": str(meta.get("organisation_kind") or ""),
        "jurisdiction": str(meta.get("jurisdiction") or ""),
        "jurisdiction_name": jurisdiction_name,
        "period": str(meta.get("period") or ""),
        "status": status,
        "status_label": status_label,
        "status_line": status_line,
        "is_draft": is_draft,
        "revision": meta.get("revision"),
        "date_label": (_("Submitted %(date)s", date=moment) if submitted
                       else _("Answers as of %(date)s", date=moment)),
        "date_iso": iso_date(date_value),
        "created_iso": iso_date(meta.get("created_at")),
        "questionnaire_title": questionnaire_title,
        "questionnaire_name": L.questionnaire_name(questionnaire.title, questionnaire.version, lang),
        "rubric_version": str(score.get("rubric_version") or (rubric.rubric_version if rubric else "")),
        "subject": f"{questionnaire_title}, {jurisdiction_name}, {meta.get('period') or ''}",
        "kind": kind,
        "kind_title": kind_title,
        "lang": lang,
    }


def comment_rows(comments: Sequence[Mapping[str, Any]], budget: TextBudget | None = None,
                 zone: str | None = None) -> list[dict[str, Any]]:
    """Reviewer and organisation comments, oldest first (as given): the latest
    :data:`COMMENTS_SHOWN` of them, their texts cut by ``budget``, each with its time in
    ``zone`` (UTC when none)."""
    budget = budget or TextBudget()
    shown = list(comments)[-COMMENTS_SHOWN:]
    return [{"author": str(c.get("author") or ""), "organisation": str(c.get("organisation") or ""),
             "item": c.get("item"), "text": budget.clip(c.get("text")),
             "date": fmt_moment(c.get("created_at"), zone), "submission": c.get("submission")}
            for c in shown]


def attach_comments(items: Mapping[str, dict[str, Any]], comments: Sequence[Mapping[str, Any]]) -> None:
    """Each question's comments (the latest :data:`COMMENTS_PER_ITEM`; ``comments_more``
    counts the others, which the comments chapter lists)."""
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    for c in comments:
        if c["item"] in items:
            by_item.setdefault(c["item"], []).append(c)
    for key, row in items.items():
        mine = by_item.get(key, [])
        row["comments"] = mine[-COMMENTS_PER_ITEM:]
        row["comments_more"] = len(mine) - len(row["comments"])


def gap_rows(rows: Rows) -> list[dict[str, Any]]:
    """The gap list of the score document as the action plan, highest priority first: the
    shared rows, with the key and the link to the question's place in the report."""
    return [dict(asdict(g), key=g.item.key, anchor=f"item-{g.item.key}") for g in rows.gaps()]


def item_rows(questionnaire: Questionnaire, score: Mapping[str, Any],
              answers: Mapping[str, AnswerData], comments: Sequence[Mapping[str, Any]],
              gaps: Sequence[Mapping[str, Any]], labels: Labels, lang: str = "en",
              budget: TextBudget | None = None) -> dict[str, dict[str, Any]]:
    """Every question with its answer, claimed and effective level (with the descriptors),
    evidence, comments and gap rank, by item key in questionnaire order."""
    rubric = questionnaire.rubric
    items_doc = score.get("items") or {}
    home = home_areas(questionnaire)
    gap_rank = {g["key"]: g["rank"] for g in gaps}
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    for c in comments:
        if c["item"]:
            by_item.setdefault(c["item"], []).append(c)
    rows: dict[str, dict[str, Any]] = {}
    for item in questionnaire.items:
        summary = answer_summary(item, answers.get(item.key), lang, budget)
        doc_item = items_doc.get(item.key) or {}
        claimed = doc_item.get("claimed_level")
        effective = doc_item.get("effective_level")
        target = doc_item.get("target", questionnaire.target_of(item) if item.scored else None)
        row = {
            "key": item.key, "anchor": f"item-{item.key}", "type": item.type,
            "scored": item.scored,
            "prompt": text_of(item.prompt, lang),
            "weight_label": L.weight_label(item.weight),
            "core": item.weight == (rubric.gating.weight_class if rubric else "core"),
            "enabler": item.enabler,
            "areas": list(item.areas), "home": home[item.key],
            "layers": [labels.layer_short[layer] for layer in item.layers],
            "target_text": n.level(target) if item.scored else "",
            "answer": summary,
            "claimed": _level_block(item, claimed, lang),
            "effective": _level_block(item, effective, lang),
            "capped": bool(doc_item.get("capped_by")) and claimed != effective,
            "cap_note": _cap_note(doc_item.get("capped_by"), effective, rubric) if rubric else "",
            "gap_rank": gap_rank.get(item.key),
            "meets_target": bool(summary["status"] == "answered" and item.scored and target
                                 and effective is not None and effective >= target - 1e-9),
            "comments": by_item.get(item.key, []),
            "sources": n.sources_text(s.model_dump(mode="json") for s in item.sources),
            # Much text of its own: may break across pages at once rather than move whole.
            "long": sum(len(e["reference"]) + len(e["note"]) for e in summary["evidence"])
            + len(summary["comment"]) + len(summary["na_reason"]) > LONG_TEXT,
        }
        rows[item.key] = row
    return rows


def _aggregate(row: AggregateRow, anchor: str) -> dict[str, Any]:
    """A shared area or layer row as plain data; the report names gating questions by key."""
    return dict(asdict(row), anchor=anchor, gated=row.gated,
                gated_by=[item.key for item in row.gated_by],
                capped_by_gating=row.gated and row.band_before_gating is not None)


def area_rows(questionnaire: Questionnaire, score: Mapping[str, Any], rows: Rows,
              items: Mapping[str, Mapping[str, Any]], labels: Labels, lang: str = "en") -> list[dict[str, Any]]:
    """One entry per area (a)-(i): the shared row (score, band, gating, unknown share) with
    the report's own parts: the calculation, the cells and the questions (each detailed under
    one area; cross-referenced from the others)."""
    out = []
    descriptions = {area.code: text_of(area.description, lang) for area in questionnaire.areas}
    for row in rows.areas():
        code = row.code
        exp = (score.get("explanations") or {}).get("areas", {}).get(code)
        formula = rows.formula(exp) if exp and rows.has_explanations else ""
        cells = (score.get("cells") or {}).get(code) or {}
        out.append(dict(
            _aggregate(row, f"area-{code}"), name=labels.area_names[code],
            short=labels.area_short[code], description=descriptions[code], formula=formula,
            cells=[{"layer": labels.layer_short[layer.code], "text": n.score(cells.get(layer.code))}
                   for layer in questionnaire.layers],
            questions=[item for item in items.values() if item["home"] == code],
            also=[item for item in items.values() if code in item["areas"] and item["home"] != code]))
    return out


def layer_rows(questionnaire: Questionnaire, rows: Rows, labels: Labels,
               lang: str = "en") -> list[dict[str, Any]]:
    descriptions = {layer.code: text_of(layer.description, lang) for layer in questionnaire.layers}
    return [dict(_aggregate(row, f"layer-{row.code}"), short=labels.layer_short[row.code],
                 description=descriptions[row.code]) for row in rows.layers()]
