"""Answer rows <-> AnswerData, in one place; bulk loading for lists and comparisons."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Assessment, EvidenceEntry
from ..questionnaire.answers import AnswerData, Evidence
from ..questionnaire.catalog import catalog
from ..questionnaire.definition import Questionnaire


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    return catalog().for_row(assessment.questionnaire_version)


def _from_json(value: Any) -> Any:
    # JSON has no tuples; checklists are kept as tuples in AnswerData.
    return tuple(value) if isinstance(value, list) else value


def to_answer_data(row: Answer) -> AnswerData:
    return AnswerData(
        value=_from_json(row.value), dont_know=row.dont_know, not_applicable=row.not_applicable,
        na_reason=row.na_reason or "", confidence=row.confidence, comment=row.comment or "",
        evidence=tuple(Evidence(e.type, e.reference, e.note) for e in row.evidence))


def apply_to_row(row: Answer, answer: AnswerData) -> None:
    row.value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
    row.dont_know = answer.dont_know
    row.not_applicable = answer.not_applicable
    row.na_reason = answer.na_reason
    row.confidence = answer.confidence
    row.comment = answer.comment
    row.evidence = [EvidenceEntry(position=n, type=e.type, reference=e.reference, note=e.note)
                    for n, e in enumerate(answer.evidence)]


def answers_of(assessment: Assessment) -> dict[str, AnswerData]:
    return {row.item_key: to_answer_data(row) for row in assessment.answers}


def answer_languages(assessment: Assessment) -> dict[str, str]:
    """Item key -> the language its answer was last saved in (where it is known)."""
    return {row.item_key: row.language for row in assessment.answers if row.language}


def answer_rows(assessment: Assessment) -> dict[str, Answer]:
    return {row.item_key: row for row in assessment.answers}


def answers_for(assessment_ids: Iterable[int]) -> dict[int, dict[str, AnswerData]]:
    """Answers of many assessments in two queries, whatever their number.

    Plain column selects rather than ORM objects: for lists, comparisons and bulk
    scoring the identity map and relationship loading cost several times more
    than the scoring itself."""
    ids = list(assessment_ids)
    out: dict[int, dict[str, AnswerData]] = defaultdict(dict)
    if not ids:
        return out
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    ev_rows = db.session.execute(
        select(EvidenceEntry.answer_id, EvidenceEntry.type, EvidenceEntry.reference, EvidenceEntry.note)
        .join(Answer, Answer.id == EvidenceEntry.answer_id)
        .where(Answer.assessment_id.in_(ids))
        .order_by(EvidenceEntry.answer_id, EvidenceEntry.position))
    for answer_id, etype, reference, note in ev_rows:
        evidence[answer_id].append(Evidence(etype, reference, note))
    rows = db.session.execute(select(
        Answer.id, Answer.assessment_id, Answer.item_key, Answer.value, Answer.dont_know,
        Answer.not_applicable, Answer.na_reason, Answer.confidence, Answer.comment,
    ).where(Answer.assessment_id.in_(ids)))
    for aid, assessment_id, key, value, dont_know, na, reason, confidence, comment in rows:
        out[assessment_id][key] = AnswerData(
            value=_from_json(value), dont_know=dont_know, not_applicable=na, na_reason=reason or "",
            confidence=confidence, comment=comment or "", evidence=tuple(evidence.get(aid, ())))
    return out


def answers_json(questionnaire: Questionnaire, answers: dict[str, AnswerData]) -> dict[str, Any]:
    """The API form of a set of answers (CONTRACTS.md patch body shape)."""
    out = {}
    for key, answer in answers.items():
        item = questionnaire.item_map.get(key)
        if item is not None:
            out[key] = answer.to_json(item.value_key)
    return out
