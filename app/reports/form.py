"""The printable questionnaire: a PDF of the blank, or partly filled, questionnaire for
interviews on paper (issue 15), rendered by the same job machinery as the reports.

:func:`form_context` is pure (a questionnaire, a language, the answers shown): tick boxes
per item type, ticked where an answer exists.  :func:`request_form` gives the PDF from the
cache or a render job (:func:`app.reports.obtain`); its key digests the questionnaire's
content and translations, the language, the answers and the cover, so a changed answer
never serves an old form.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from app.display import labels as L, numbers as n
from app.questionnaire.answers import CONFIDENCE_LEVELS, EVIDENCE_TYPES, AnswerData
from app.questionnaire.definition import Questionnaire

from .parts import fmt_moment, text_of
from .render import cache_key

FORM_KIND = "form"
#: Guidance is a hint on paper: its first GUIDANCE_SHOWN characters.
GUIDANCE_SHOWN = 400
#: Lines drawn for a text answer, and for a reason, evidence or comment.
TEXT_LINES = 4


def _short(text: str, limit: int = GUIDANCE_SHOWN) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ", limit // 2)
    return (head[:space] if space > 0 else head).rstrip() + "…"


def _boxes(item, value: Any, lang: str) -> list[dict[str, Any]]:
    """The tick boxes of a scale, choice or checklist item, ticked as ``value`` says."""
    if item.type == "scale":
        return [{"mark": str(lv.level), "label": text_of(lv.descriptor, lang), "ticked": value == lv.level}
                for lv in item.levels]
    chosen = set(value) if isinstance(value, (list, tuple)) else {value}
    return [{"mark": "", "label": text_of(o.label, lang), "ticked": o.code in chosen} for o in item.options]


def form_item(item, answer: AnswerData | None, lang: str) -> dict[str, Any]:
    """One question of the form: its texts, its boxes and what is filled in."""
    answer = answer or AnswerData()
    value = answer.value
    entry: dict[str, Any] = {
        "key": item.key, "type": item.type, "prompt": text_of(item.prompt, lang),
        "guidance": _short(text_of(item.guidance, lang)), "boxes": [], "number": None, "text": "",
        "dont_know": {"allowed": item.allow_dont_know, "ticked": answer.dont_know},
        "na": {"allowed": item.allow_na, "ticked": answer.not_applicable, "reason": answer.na_reason},
        "confidence": [{"label": L.confidence_label(c), "ticked": answer.confidence == c}
                       for c in CONFIDENCE_LEVELS],
        "evidence": [{"type": L.evidence_label(e.type), "reference": e.reference}
                     for e in answer.evidence],
        "comment": answer.comment,
    }
    if item.type in ("scale", "choice", "checklist"):
        entry["boxes"] = _boxes(item, value, lang)
    elif item.type == "number":
        entry["number"] = {"unit": item.unit or "", "min": n.number(item.min), "max": n.number(item.max),
                           "value": n.number(value) if value is not None else ""}
    else:
        entry["text"] = str(value or "")
    return entry


def form_context(questionnaire: Questionnaire, lang: str, answers: Mapping[str, AnswerData] | None = None,
                 assessment: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The template's data: the cover (``assessment``: title, jurisdiction, period, or None
    for a blank form) and each section's items."""
    answers = answers or {}
    items = questionnaire.item_map
    sections = [{"key": s.key, "title": text_of(s.title, lang),
                 "items": [form_item(items[k], answers.get(k), lang) for k in s.items]}
                for s in questionnaire.sections]
    return {
        "kind": FORM_KIND, "lang": lang, "assessment": assessment, "sections": sections,
        "title": text_of(questionnaire.title, lang), "version": questionnaire.version,
        "questionnaire_id": questionnaire.id, "language_name": language_name(lang),
        "evidence_types": [L.evidence_label(t) for t in EVIDENCE_TYPES],
        "item_count": len(questionnaire.items), "line_count": TEXT_LINES,
    }


def language_name(lang: str) -> str:
    """The language's own name (``Français``), as the language menu shows it."""
    from babel import Locale

    try:
        return Locale.parse(lang).get_display_name(lang).capitalize()
    except ValueError:
        return lang


def _answers_json(answers: Mapping[str, AnswerData]) -> str:
    return json.dumps({k: [v.value, v.dont_know, v.not_applicable, v.na_reason, v.confidence, v.comment,
                           [[e.type, e.reference] for e in v.evidence]]
                       for k, v in answers.items()}, sort_keys=True, default=str, ensure_ascii=False)


def form_key(questionnaire: Questionnaire, lang: str, answers: Mapping[str, AnswerData],
             assessment: Mapping[str, Any] | None, locale: str) -> str:
    """The cache key: the questionnaire's content and translations, the languages, the
    cover and the answers (plus, through :func:`cache_key`, the templates and WeasyPrint)."""
    from app.questionnaire.catalog import catalog

    loaded = catalog().loaded(questionnaire.id, questionnaire.version)
    revisions = sorted(loaded.translation_revisions().items()) if loaded else []
    content = [questionnaire.id, questionnaire.version, loaded.content_hash if loaded else "", revisions]
    return cache_key(FORM_KIND, json.dumps(content, default=str), lang, locale,
                     json.dumps(assessment or {}, sort_keys=True, default=str), _answers_json(answers))


def form_filename(questionnaire: Questionnaire, lang: str, assessment_id: int | None) -> str:
    suffix = f"-a{assessment_id}" if assessment_id else ""
    return f"{questionnaire.id}-{questionnaire.version}-form-{lang}{suffix}.pdf"


def request_form(questionnaire: Questionnaire, lang: str, *, cache, answers=None, assessment=None,
                 as_of=None, timeout: float | None = None, wait: float = 0.0):
    """The form's PDF (a :class:`~app.reports.ReportFile`) if ready within ``wait``, else its
    render job's state.  ``assessment``: the ORM row (already authorised) whose answers, as
    the caller sees them, fill the form in; ``as_of``: when those answers were saved (on the
    cover in the reader's time zone, its offset named: app.reports, Times in the PDFs)."""
    from . import obtain
    from .inputs import render_locale
    from .render import render_html

    cover = None
    if assessment is not None:
        from app.jurisdictions import jurisdiction_name
        from app.timezones import reader_zone

        cover = {"id": assessment.id, "title": assessment.title, "jurisdiction": assessment.jurisdiction,
                 "jurisdiction_name": jurisdiction_name(assessment.jurisdiction), "period": assessment.period,
                 # formatted here, so the key (which digests the cover) has the zone and the time
                 "as_of": fmt_moment(as_of, reader_zone()) if as_of is not None else ""}
    answers = answers or {}
    key = form_key(questionnaire, lang, answers, cover, render_locale())
    meta = {"kind": FORM_KIND, "lang": lang, "assessments": [assessment.id] if assessment is not None else [],
            "filename": form_filename(questionnaire, lang, cover and cover["id"])}
    return obtain(key, meta, lambda: render_html(form_context(questionnaire, lang, answers, cover)),
                  cache=cache, timeout=timeout, wait=wait)
