"""Who does what: each person's progress in their sections, a person's tasks, and who
answers each section (the owner's overview)."""
from __future__ import annotations

from typing import Any

from ..assessments import store
from ..auth.policy import Action, can
from ..models import Assessment, Contributor, User
from . import queries


def answered(answer_json: dict[str, Any] | None, value_key: str) -> bool:
    """A stored answer or rating counts as answered (RUBRIC 6) in its API form."""
    answer_json = answer_json or {}
    return bool(answer_json.get("dont_know") or answer_json.get("not_applicable")
                or answer_json.get(value_key) not in (None, "", []))


def person_progress(assessment: Assessment, row: Contributor) -> dict[str, Any]:
    """Scored items of their sections, how many have an answer (an informant: a rating of
    theirs), and how many of those they gave themselves."""
    questionnaire = store.questionnaire_of(assessment)
    items = [questionnaire.item_map[k] for s in questionnaire.sections if s.key in row.sections
             for k in s.items if questionnaire.item_map[k].scored]
    if row.role == "informant":
        given = {r.item_key: r.answer for r in row.ratings}
        done = sum(1 for it in items if answered(given.get(it.key), it.value_key))
        return {"total": len(items), "done": done, "left": len(items) - done, "by_them": done}
    answers = store.answers_json(questionnaire, store.answers_of(assessment))
    keys = {it.key for it in items}
    by_them = queries.answers_saved_by(assessment, keys, row.user_id)
    done = sum(1 for it in items if answered(answers.get(it.key), it.value_key))
    return {"total": len(items), "done": done, "left": len(items) - done, "by_them": by_them or 0}


def tasks_of(user: User) -> list[dict[str, Any]]:
    """Everything ``user`` was given, soonest due first."""
    out = []
    for row, assessment in queries.contributions_of(user):
        questionnaire = store.questionnaire_of(assessment)
        out.append({"row": row, "assessment": assessment, "progress": person_progress(assessment, row),
                    "sections": [s for s in questionnaire.sections if s.key in row.sections],
                    # ratings close with the assessment: no link that would answer 403
                    "can_rate": can(user, Action.RATE, assessment)})
    return out


def section_people(assessment: Assessment, rows: list[Contributor]) -> dict[str, list[Contributor]]:
    """Per section key, who was given it."""
    out: dict[str, list[Contributor]] = {}
    for row in rows:
        for key in row.sections:
            out.setdefault(key, []).append(row)
    return out
