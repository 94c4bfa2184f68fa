"""How complete assessments are (RUBRIC 6: scored items with any answer), overall and per
section: for one assessment's answers, or for a list of assessments read in one query."""
from __future__ import annotations

from typing import Any

from ..models import Assessment
from ..questionnaire.answers import AnswerData
from . import queries, store


def progress(questionnaire, answers: dict[str, AnswerData]) -> dict[str, Any]:
    """Completeness (RUBRIC 6: scored items with any answer) overall and per section."""
    sections = []
    for section in questionnaire.sections:
        items = [questionnaire.item_map[k] for k in section.items]
        scored = [it for it in items if it.scored]
        done = [it for it in scored if answers.get(it.key, AnswerData()).has_answer]
        optional_done = [it for it in items if not it.scored and answers.get(it.key, AnswerData()).has_answer]
        sections.append({"key": section.key, "section": section, "scored": len(scored),
                         "answered": len(done), "optional": len(items) - len(scored),
                         "optional_answered": len(optional_done),
                         "state": ("complete" if len(done) == len(scored) else
                                   "not_started" if not done and not optional_done else "in_progress")})
    total = sum(s["scored"] for s in sections)
    answered = sum(s["answered"] for s in sections)
    return {"sections": sections, "scored": total, "answered": answered,
            "completeness": answered / total if total else 1.0}


def completeness_of(assessments: list[Assessment]) -> dict[int, dict[str, Any]]:
    """Progress of many assessments, with what it reads of their answers in one query."""
    answers = queries.answered_for(a.id for a in assessments)
    out = {}
    for a in assessments:
        questionnaire = store.questionnaire_of(a)
        out[a.id] = progress(questionnaire, answers.get(a.id, {}))
    return out
