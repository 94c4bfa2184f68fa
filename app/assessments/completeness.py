"""How complete assessments are (RUBRIC 6: scored items with any answer), overall and per
section: for one assessment's answers, or for a list of assessments read in one query."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..models import Assessment
from ..questionnaire.answers import AnswerData
from . import queries, store


def progress(questionnaire, answers: dict[str, AnswerData]) -> dict[str, Any]:
    """Completeness (RUBRIC 6: scored items with any answer) overall and per section."""
    return progress_of(questionnaire, {key for key, answer in answers.items() if answer.has_answer})


def progress_of(questionnaire, answered: Collection[str]) -> dict[str, Any]:
    """:func:`progress` from the keys of the items that have an answer (a page that shows
    only the counts reads just those: :func:`app.assessments.queries.answered_keys`)."""
    sections = []
    for section in questionnaire.sections:
        items = [questionnaire.item_map[k] for k in section.items]
        scored = [it for it in items if it.scored]
        done = sum(1 for it in scored if it.key in answered)
        optional_done = sum(1 for it in items if not it.scored and it.key in answered)
        sections.append({"key": section.key, "section": section, "scored": len(scored),
                         "answered": done, "optional": len(items) - len(scored),
                         "optional_answered": optional_done,
                         "state": ("complete" if done == len(scored) else
                                   "not_started" if not done and not optional_done else "in_progress")})
    total = sum(s["scored"] for s in sections)
    answered_count = sum(s["answered"] for s in sections)
    return {"sections": sections, "scored": total, "answered": answered_count,
            "completeness": answered_count / total if total else 1.0}


def completeness_of(assessments: list[Assessment]) -> dict[int, dict[str, Any]]:
    """Progress of many assessments, with what it reads of their answers in one query."""
    answers = queries.answered_for(a.id for a in assessments)
    out = {}
    for a in assessments:
        questionnaire = store.questionnaire_of(a)
        out[a.id] = progress(questionnaire, answers.get(a.id, {}))
    return out
