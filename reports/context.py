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

import base64
import re
import unicodedata
from collections import Counter
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

from app import charts
from app.questionnaire.answers import AnswerData
from app.questionnaire.definition import Questionnaire
from app.scoring.engine import format_score
from app.scoring.explain import explain

KINDS = ("gap", "scorecard")

KIND_TITLES = {"gap": "Gap report", "scorecard": "Scorecard"}

STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "in_review": "In review",
    "returned": "Returned for revision",
    "accepted": "Accepted",
}
#: Statuses whose score is not final: the PDF carries a "Draft" watermark.
DRAFT_STATUSES = ("draft", "returned")

ANSWER_STATUS_LABELS = {
    "answered": "Answered",
    "dont_know": "Don't know",
    "not_applicable": "Not applicable",
    "unanswered": "Not answered",
}
EVIDENCE_LABELS = {
    "law": "Law", "policy": "Policy", "budget": "Budget", "data": "Data",
    "evaluation": "Evaluation", "expert_judgement": "Expert judgement", "other": "Other",
}
CONFIDENCE_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}
WEIGHT_LABELS = {"core": "Core", "important": "Important", "supplementary": "Supplementary"}
TOP_GAPS = 10
SCORECARD_GAPS = 5
LONG_TEXT = 1200


# -- small pure helpers ---------------------------------------------------------------------
def text_of(text: Mapping[str, str] | None, lang: str = "en") -> str:
    """A definition text in ``lang``, falling back to English."""
    if not text:
        return ""
    return text.get(lang) or text.get(lang.split("_")[0]) or text.get("en", "")


def direction(text: str | None) -> str:
    """``rtl`` when the first strongly directional character of ``text`` is right-to-left
    (Arabic, Hebrew, ...), else ``ltr`` (the Unicode bidi algorithm's rule P2)."""
    for ch in text or "":
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def fmt_level(level: float | None) -> str:
    """``2`` for whole levels, ``1.6`` otherwise, an en dash for none."""
    if level is None:
        return "\u2013"
    rounded = round(float(level), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def fmt_share(value: float | None) -> str:
    if value is None:
        return "\u2013"
    return f"{round(100 * value):d} %"


def fmt_date(value: date | datetime | str | None) -> str:
    """``12 March 2026`` (English month names, no locale dependence)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.day} {value:%B} {value.year}"


def iso_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value[:10]
    return value.strftime("%Y-%m-%d")


def fmt_sources(sources: Iterable[Mapping[str, Any]]) -> str:
    """``A/68/275 paras 40, 43; A/HRC/25/48 para 95``."""
    parts = []
    for s in sources:
        paras = list(s.get("paragraphs") or [])
        word = "para" if len(paras) == 1 else "paras"
        parts.append(f"{s['document']} {word} {', '.join(str(p) for p in paras)}".strip())
    return "; ".join(parts)


_LABEL_STOP = {"and", "of", "the", "for", "to", "a", "an", "in", "on", "with"}


def short_area_label(title: str, limit: int = 28) -> str:
    """A chart label from an area title: the ``(a)`` prefix dropped, cut at the first colon
    or comma, shortened at a word boundary to ``limit`` characters without a dangling
    ``and``/``of``.  ``"(a) Knowledge: risk factors, ..."`` -> ``"Knowledge"``."""
    text = re.sub(r"^\s*\([a-z]\)\s*", "", title or "").strip()
    text = re.split(r"[:,;]", text, maxsplit=1)[0].strip()
    if len(text) <= limit:
        return text
    words, out = text.split(), []
    for word in words:
        if len(" ".join(out + [word])) > limit:
            break
        out.append(word)
    while out and out[-1].lower() in _LABEL_STOP:
        out.pop()
    return " ".join(out) or text[:limit]


def strip_area_prefix(title: str) -> str:
    return re.sub(r"^\s*\([a-z]\)\s*", "", title or "").strip()


def logo_data_url(logo: Mapping[str, Any] | None) -> str | None:
    """The organisation's logo as a ``data:`` URL (the only way a logo enters a PDF).
    ``logo`` is ``{"mime": "image/png" | "image/svg+xml", "data": bytes}``, already
    sanitised; anything else gives ``None``."""
    if not logo or not logo.get("data"):
        return None
    mime = logo.get("mime")
    if mime not in ("image/png", "image/svg+xml"):
        return None
    return f"data:{mime};base64,{base64.b64encode(logo['data']).decode('ascii')}"


# -- bands ------------------------------------------------------------------------------------
def band_table(questionnaire: Questionnaire, lang: str = "en") -> list[dict[str, Any]]:
    """The rubric's bands with range, label and the heat-map colour (and a text colour that
    contrasts with it), so band chips in the PDF match the charts."""
    bands = charts.bands_from_rubric(questionnaire.rubric, lang)
    colours = charts.band_colours(len(bands))
    out = []
    for k, band in enumerate(bands):
        upper = bands[k + 1].min if k + 1 < len(bands) else 100.0
        out.append({"code": band.code, "label": band.label, "min": band.min, "max": upper,
                    "range": f"{format_score(band.min, 0)}\u2013{format_score(upper, 0)}",
                    "colour": colours[k], "text_colour": charts.text_colour_on(colours[k])})
    return out


def _band_info(code: str | None, bands_by_code: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    band = bands_by_code.get(code or "")
    if band is None:
        return {"code": None, "label": "No score", "colour": "#f2f2f2", "text_colour": "#1a1a1a"}
    return {"code": band["code"], "label": band["label"], "colour": band["colour"],
            "text_colour": band["text_colour"]}


# -- answers ------------------------------------------------------------------------------------
def _answer_value_text(item, answer: AnswerData, lang: str) -> tuple[str, list[str]]:
    """(one-line text of the answer's value, list of selected labels for checklists)."""
    value = answer.value
    if item.type == "scale":
        return f"Level {value}", []
    if item.type == "choice":
        label = next((text_of(o.label, lang) for o in item.options if o.code == value), str(value))
        return label, []
    if item.type == "checklist":
        chosen = set(value or ())
        labels = [text_of(o.label, lang) for o in item.options if o.code in chosen]
        n, total = len(labels), len(item.options)
        return f"{n} of {total} selected", labels
    if item.type == "number":
        unit = f" {item.unit}" if item.unit else ""
        number = f"{value:g}" if isinstance(value, (int, float)) else str(value)
        band = None
        for b in sorted(item.bands, key=lambda b: b.min):
            if isinstance(value, (int, float)) and b.min <= value < b.max:
                band = b
        if band is None and item.bands and isinstance(value, (int, float)):
            band = sorted(item.bands, key=lambda b: b.min)[-1]
        band_text = f" ({text_of(band.label, lang)})" if band is not None and band.label else ""
        return f"{number}{unit}{band_text}", []
    return str(value or ""), []


def answer_summary(item, answer: AnswerData | None, lang: str = "en") -> dict[str, Any]:
    """How an answer reads: status, the value as text, selections, reason, confidence,
    evidence, comment.  Shared by the item sections and the annex."""
    answer = answer or AnswerData()
    if answer.dont_know:
        status, text, selections = "dont_know", "Don't know", []
    elif answer.not_applicable:
        status, text, selections = "not_applicable", "Not applicable", []
    elif answer.has_answer:
        status = "answered"
        text, selections = _answer_value_text(item, answer, lang)
    else:
        status, text, selections = "unanswered", "Not answered", []
    return {
        "status": status,
        "status_label": ANSWER_STATUS_LABELS[status],
        "text": text,
        "selections": selections,
        "na_reason": answer.na_reason if answer.not_applicable else "",
        "confidence": CONFIDENCE_LABELS.get(answer.confidence or "", ""),
        "comment": answer.comment or "",
        "evidence": [{"type": e.type, "type_label": EVIDENCE_LABELS.get(e.type, e.type),
                      "reference": e.reference or "", "note": e.note or ""}
                     for e in answer.evidence],
    }


def _cap_note(capped_by: str | None, effective: float | None, rubric) -> str:
    if not capped_by:
        return ""
    if capped_by == "documentary":
        excluded = ", ".join(EVIDENCE_LABELS.get(t, t).lower()
                             for t in rubric.non_documentary_evidence_types)
        return (f"Capped at level {fmt_level(effective)}: a level of "
                f"{rubric.documentary_evidence_from_level} or more needs documentary evidence "
                f"(any type except {excluded}).")
    if capped_by == "outcome":
        kinds = " or ".join(EVIDENCE_LABELS.get(t, t).lower() for t in rubric.outcome_evidence_types)
        return (f"Capped at level {fmt_level(effective)}: a level of "
                f"{rubric.outcome_evidence_from_level} needs {kinds} evidence.")
    return f"Capped at level {fmt_level(effective)} by the evidence rule ({capped_by})."


def _level_block(item, level: float | None, lang: str) -> dict[str, Any] | None:
    if level is None:
        return None
    descriptor = ""
    if item.type == "scale" and float(level).is_integer() and 0 <= int(level) <= 4:
        descriptor = text_of(item.levels[int(level)].descriptor, lang)
    return {"level": level, "text": fmt_level(level), "descriptor": descriptor}


def _annex_answer(row: Mapping[str, Any]) -> str:
    """One line for the annex: the answer, its levels and the confidence."""
    answer = row["answer"]
    if answer["status"] == "not_applicable":
        text = f"Not applicable: {answer['na_reason']}" if answer["na_reason"] else "Not applicable"
    elif answer["status"] != "answered" or not row["scored"]:
        text = answer["text"]
    elif row["type"] == "scale":
        text = f"Level {row['claimed']['text']}" if row["claimed"] else answer["text"]
        if row["capped"]:
            text += f", effective {row['effective']['text']}"
    else:
        text = answer["text"] + (f" (level {row['claimed']['text']})" if row["claimed"] else "")
    if answer["confidence"]:
        text += f" \u00b7 {answer['confidence'].lower()} confidence"
    return text


def home_areas(questionnaire: Questionnaire) -> dict[str, str]:
    """The area under which each item is detailed in the gap report: its section's dominant
    area when the item is tagged with it, else its first area.  Items tagged with further
    areas are cross-referenced there."""
    out = {}
    for section in questionnaire.sections:
        items = [questionnaire.item_map[k] for k in section.items]
        tally = Counter(a for it in items for a in it.areas)
        dominant = min(tally, key=lambda a: (-tally[a], a)) if tally else None
        for it in items:
            out[it.key] = dominant if dominant in it.areas else it.areas[0]
    return out


# -- the context ---------------------------------------------------------------------------
def build_context(kind: str, *, questionnaire: Questionnaire, score: Mapping[str, Any],
                  answers: Mapping[str, AnswerData], meta: Mapping[str, Any],
                  comments: Sequence[Mapping[str, Any]] = (),
                  logo: Mapping[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    """Everything a report template shows, as plain data.

    ``meta``: ``id, title, organisation, organisation_kind, jurisdiction, jurisdiction_name,
    period, status, revision, created_at, updated_at, submitted_at`` (dates as ``datetime``
    or ISO strings).  ``comments``: ``{"author", "organisation", "item" (key or None),
    "text", "created_at", "submission"}`` oldest first.  ``logo``: see
    :func:`logo_data_url`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {', '.join(KINDS)}")
    rubric = questionnaire.rubric
    bands = band_table(questionnaire, lang)
    bands_by_code = {b["code"]: b for b in bands}
    area_titles = {a.code: text_of(a.title, lang) for a in questionnaire.areas}
    area_names = {code: strip_area_prefix(t) for code, t in area_titles.items()}
    area_short = {code: short_area_label(t) for code, t in area_titles.items()}
    layer_titles = {layer.code: text_of(layer.title, lang) for layer in questionnaire.layers}
    layer_short = {code: t.replace(" prevention", "").strip() or t
                   for code, t in layer_titles.items()}
    items_doc = score.get("items") or {}

    status = str(meta.get("status") or "draft")
    is_draft = status in DRAFT_STATUSES
    date_value = meta.get("submitted_at") if not is_draft and meta.get("submitted_at") else \
        meta.get("updated_at")
    jurisdiction_name = meta.get("jurisdiction_name") or meta.get("jurisdiction") or ""
    doc_meta = {
        "id": meta.get("id"),
        "title": str(meta.get("title") or ""),
        "organisation": str(meta.get("organisation") or ""),
        "organisation_kind": str(meta.get("organisation_kind") or ""),
        "jurisdiction": str(meta.get("jurisdiction") or ""),
        "jurisdiction_name": str(jurisdiction_name),
        "period": str(meta.get("period") or ""),
        "status": status,
        "status_label": STATUS_LABELS.get(status, status.replace("_", " ").capitalize()),
        "is_draft": is_draft,
        "revision": meta.get("revision"),
        "date_label": ("Submitted " if not is_draft and meta.get("submitted_at") else "Answers as of ")
        + fmt_date(date_value),
        "date_iso": iso_date(date_value),
        "created_iso": iso_date(meta.get("created_at")),
        "questionnaire_title": text_of(questionnaire.title, lang),
        "questionnaire_ref": f"{questionnaire.id} {questionnaire.version}",
        "rubric_version": str(score.get("rubric_version") or (rubric.rubric_version if rubric else "")),
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "lang": lang,
    }
    if is_draft or not meta.get("submitted_at"):
        doc_meta["status_line"] = f"{doc_meta['status_label']} · answers as of {fmt_date(date_value)}"
    elif status == "submitted":
        doc_meta["status_line"] = f"Submitted {fmt_date(date_value)}"
    else:
        doc_meta["status_line"] = f"{doc_meta['status_label']} · submitted {fmt_date(date_value)}"
    doc_meta["document_title"] = f"{KIND_TITLES[kind]}: {doc_meta['title']}"
    # Long titles (up to 200 characters) are set smaller, so that the scorecard keeps to two pages.
    doc_meta["title_size"] = "long" if len(doc_meta["title"]) > 80 else "normal"
    doc_meta["subject"] = (f"{doc_meta['questionnaire_title']}, {doc_meta['jurisdiction_name']}, "
                           f"{doc_meta['period']}")

    overall = score.get("overall") or {}
    headline = {
        "score": overall.get("score"),
        "score_text": format_score(overall.get("score")),
        "known_only_text": format_score(overall.get("known_only")),
        "band": _band_info(overall.get("band"), bands_by_code),
        "coverage_text": fmt_share(score.get("knowledge_coverage")),
        "completeness_text": fmt_share(score.get("completeness")),
        "gap_count": len(score.get("gaps") or []),
        "unknown_count": sum(1 for g in score.get("gaps") or [] if g.get("unknown")),
    }

    # Comments (reviewer and organisation), by item.
    comment_rows = []
    by_item: dict[str, list[dict[str, Any]]] = {}
    for c in comments:
        row = {"author": str(c.get("author") or ""), "organisation": str(c.get("organisation") or ""),
               "item": c.get("item"), "text": str(c.get("text") or ""),
               "date": fmt_date(c.get("created_at")), "submission": c.get("submission")}
        comment_rows.append(row)
        if row["item"]:
            by_item.setdefault(row["item"], []).append(row)

    # Gaps: the action plan.
    gap_rank = {}
    gaps = []
    for rank, g in enumerate(score.get("gaps") or [], start=1):
        item = questionnaire.item_map.get(g["key"])
        gap_rank[g["key"]] = rank
        unknown = bool(g.get("unknown"))
        g_status = g.get("status") or ("dont_know" if unknown else "answered")
        gaps.append({
            "rank": rank, "key": g["key"], "anchor": f"item-{g['key']}",
            "prompt": text_of(item.prompt, lang) if item else "",
            "action": text_of(g.get("action"), lang),
            "sources": fmt_sources(g.get("sources") or []),
            "areas": [f"({a})" for a in g.get("areas") or (item.areas if item else [])],
            "current_text": ("unknown" if unknown else f"level {fmt_level(g.get('current'))}"),
            "status_label": ANSWER_STATUS_LABELS.get(g_status, g_status),
            "unknown": unknown,
            "target": g.get("target"),
            "target_text": f"level {fmt_level(g.get('target'))}",
            "gap_text": f"{fmt_level((g.get('gap') or 0) * 4)} levels",
            "priority_text": f"{g.get('priority', 0):.2f}",
            "weight_label": WEIGHT_LABELS.get(g.get("weight_class") or (item.weight if item else ""), ""),
            "enabler": bool(g.get("enabler", item.enabler if item else False)),
        })

    # Items, detailed once under their home area.
    home = home_areas(questionnaire)
    item_rows: dict[str, dict[str, Any]] = {}
    for item in questionnaire.items:
        answer = answers.get(item.key)
        summary = answer_summary(item, answer, lang)
        doc_item = items_doc.get(item.key) or {}
        claimed = doc_item.get("claimed_level")
        effective = doc_item.get("effective_level")
        target = doc_item.get("target", questionnaire.target_of(item) if item.scored else None)
        row = {
            "key": item.key, "anchor": f"item-{item.key}", "type": item.type,
            "scored": item.scored,
            "prompt": text_of(item.prompt, lang),
            "weight_label": WEIGHT_LABELS.get(item.weight, item.weight),
            "core": item.weight == (rubric.gating.weight_class if rubric else "core"),
            "enabler": item.enabler,
            "areas": list(item.areas), "home": home[item.key],
            "layers": [layer_short[layer] for layer in item.layers],
            "target_text": fmt_level(target) if item.scored else "",
            "answer": summary,
            "claimed": _level_block(item, claimed, lang),
            "effective": _level_block(item, effective, lang),
            "capped": bool(doc_item.get("capped_by")) and claimed != effective,
            "cap_note": _cap_note(doc_item.get("capped_by"), effective, rubric) if rubric else "",
            "gap_rank": gap_rank.get(item.key),
            "comments": by_item.get(item.key, []),
            "sources": fmt_sources(s.model_dump(mode="json") for s in item.sources),
            # Much text of its own: may break across pages at once rather than move whole.
            "long": sum(len(e["reference"]) + len(e["note"]) for e in summary["evidence"])
            + len(summary["comment"]) + len(summary["na_reason"]) > LONG_TEXT,
        }
        row["annex_answer"] = _annex_answer(row)
        row["annex_evidence"] = ", ".join(e["type_label"] for e in summary["evidence"]) or "\u2013"
        if summary["status"] == "answered" and item.scored and effective is not None and target:
            row["meets_target"] = effective >= target - 1e-9
        else:
            row["meets_target"] = False
        item_rows[item.key] = row

    # Areas.
    areas = []
    for area in questionnaire.areas:
        code = area.code
        entry = (score.get("areas") or {}).get(code) or {}
        try:
            exp = explain(score, "area", code)
        except (ValueError, KeyError):
            exp = None
        gated = list(entry.get("gated_by") or [])
        before = exp.get("band_before_gating") if exp else None
        cells = (score.get("cells") or {}).get(code) or {}
        areas.append({
            "code": code, "anchor": f"area-{code}",
            "title": area_titles[code], "name": area_names[code], "short": area_short[code],
            "description": text_of(area.description, lang),
            "score_text": format_score(entry.get("score")),
            "known_only_text": format_score(entry.get("known_only")),
            "band": _band_info(entry.get("band"), bands_by_code),
            "band_before_gating": _band_info(before, bands_by_code) if before else None,
            "gated_by": gated,
            "gated": bool(gated),
            "capped_by_gating": bool(gated) and before is not None and before != entry.get("band"),
            "dont_know_share_text": fmt_share(entry.get("dont_know_share")),
            "insufficient": bool(entry.get("insufficient_information")),
            "formula": exp["formula"] if exp else "",
            "cells": [{"layer": layer_short[layer], "text": format_score(cells.get(layer))}
                      for layer in (lyr.code for lyr in questionnaire.layers)],
            "questions": [item_rows[it.key] for it in questionnaire.items
                      if home[it.key] == code],
            "also": [item_rows[it.key] for it in questionnaire.items
                     if code in it.areas and home[it.key] != code],
        })

    layers = []
    for layer in questionnaire.layers:
        entry = (score.get("layers") or {}).get(layer.code) or {}
        layers.append({
            "code": layer.code, "title": layer_titles[layer.code],
            "description": text_of(layer.description, lang),
            "score_text": format_score(entry.get("score")),
            "known_only_text": format_score(entry.get("known_only")),
            "band": _band_info(entry.get("band"), bands_by_code),
            "gated_by": list(entry.get("gated_by") or []),
        })

    chart_bands = charts.bands_from_rubric(rubric, lang) if rubric else None
    area_scores = "; ".join(f"({a['code']}) {a['short']} {a['score_text']}" for a in areas)
    layer_scores = "; ".join(f"{layer_short[lyr['code']]} {lyr['score_text']}" for lyr in layers)
    radar = charts.radar_chart(
        [charts.Series.from_document(doc_meta["organisation"] or "Score", score)],
        axis_labels=area_short, bands=chart_bands, chart_id=f"radar-{kind}",
        title="Readiness by area (0-100)")
    heat = charts.heatmap(
        score.get("cells") or {}, area_labels=area_short, layer_labels=layer_short,
        bands=chart_bands, chart_id=f"heat-{kind}")
    bars = charts.layer_bars(
        {layer.code: ((score.get("layers") or {}).get(layer.code) or {}).get("score")
         for layer in questionnaire.layers},
        layer_labels=layer_short, bands=chart_bands, chart_id=f"layers-{kind}")
    # As data: URLs in <img> (WeasyPrint draws them a little faster than inline SVG).
    chart_images = {
        "radar": {"src": charts.svg_data_uri(radar),
                  "alt": f"Radar chart of the area scores, 0 to 100: {area_scores}."},
        "heatmap": {"src": charts.svg_data_uri(heat),
                    "alt": "Heat map of the scores by area and prevention layer, 0 to 100."},
        "layers": {"src": charts.svg_data_uri(bars),
                   "alt": f"Bar chart of the scores by prevention layer, 0 to 100: {layer_scores}."},
    }

    annex = []
    for section in questionnaire.sections:
        annex.append({
            "title": text_of(section.title, lang),
            "rows": [item_rows[k] for k in section.items],
        })

    return {
        "kind": kind,
        "lang": lang,
        "meta": doc_meta,
        "headline": headline,
        "bands": bands,
        "areas": areas,
        "layers": layers,
        "gaps": gaps,
        "top_gaps": gaps[:TOP_GAPS],
        "scorecard_gaps": gaps[:SCORECARD_GAPS],
        "insufficient_areas": [a for a in areas if a["insufficient"]],
        "annex": annex,
        "comments": comment_rows,
        "general_comments": [c for c in comment_rows if not c["item"]],
        "methodology": methodology(questionnaire, lang),
        "charts": chart_images,
        "logo": logo_data_url(logo),
        "item_count": len(questionnaire.scored_items),
    }


def methodology(questionnaire: Questionnaire, lang: str = "en") -> dict[str, Any]:
    """The numbers the methodology section states, read from the rubric (never restated)."""
    rubric = questionnaire.rubric
    bands = charts.bands_from_rubric(rubric, lang)
    weights = rubric.weights
    return {
        "layers": [{"title": text_of(layer.title, lang), "description": text_of(layer.description, lang)}
                   for layer in questionnaire.layers],
        "areas": [{"code": a.code, "name": strip_area_prefix(text_of(a.title, lang))}
                  for a in questionnaire.areas],
        "item_count": len(questionnaire.scored_items),
        "weights": [{"label": WEIGHT_LABELS[k], "value": f"{weights[k]:g}"}
                    for k in ("core", "important", "supplementary") if k in weights],
        "bands": [{"label": b.label,
                   "range": f"{format_score(b.min, 0)}\u2013"
                            f"{format_score(bands[i + 1].min if i + 1 < len(bands) else 100.0, 0)}"}
                  for i, b in enumerate(bands)],
        "gate_class": WEIGHT_LABELS.get(rubric.gating.weight_class, rubric.gating.weight_class).lower(),
        "gate_below": fmt_level(rubric.gating.below_level),
        "gate_cap": next((b.label for b in bands if b.code == rubric.gating.cap_band),
                         rubric.gating.cap_band),
        "caps_on": rubric.evidence_caps,
        "doc_from": rubric.documentary_evidence_from_level,
        "doc_cap": rubric.documentary_evidence_cap,
        "non_documentary": ", ".join(EVIDENCE_LABELS.get(t, t).lower()
                                     for t in rubric.non_documentary_evidence_types),
        "outcome_from": rubric.outcome_evidence_from_level,
        "outcome_cap": rubric.outcome_evidence_cap,
        "outcome_types": " or ".join(EVIDENCE_LABELS.get(t, t).lower()
                                     for t in rubric.outcome_evidence_types),
        "default_target": rubric.default_target,
        "dont_know_threshold": fmt_share(rubric.dont_know_threshold),
        "enabler_multiplier": f"{rubric.enabler_multiplier:g}",
        "rubric_version": rubric.rubric_version,
    }
