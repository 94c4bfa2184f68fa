"""Answer rows <-> AnswerData, in one place (the bulk read for lists and comparisons is
app.assessments.queries.answers_for)."""
from __future__ import annotations

from typing import Any

from ..models import Answer, Assessment, EvidenceEntry
from ..questionnaire.answers import AnswerData, Evidence, counts_as_answered
from ..questionnaire.catalog import catalog
from ..questionnaire.definition import Questionnaire


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    return catalog().for_row(assessment.questionnaire_version)


def from_json(value: Any) -> Any:
    # JSON has no tuples; checklists are kept as tuples in AnswerData.
    return tuple(value) if isinstance(value, list) else value


def to_answer_data(row: Answer) -> AnswerData:
    return AnswerData(
        value=from_json(row.value), dont_know=row.dont_know, not_applicable=row.not_applicable,
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


def answered_keys(assessment: Assessment) -> set[str]:
    """The keys of the items with an answer (RUBRIC 6), read from the loaded rows without
    making an answer of each (after a save, its progress: the rows are in memory)."""
    return {row.item_key for row in assessment.answers
            if counts_as_answered(row.value, row.dont_know, row.not_applicable)}


def answer_languages(assessment: Assessment) -> dict[str, str]:
    """Item key -> the language its answer was last saved in (where it is known)."""
    return {row.item_key: row.language for row in assessment.answers if row.language}


def answer_rows(assessment: Assessment) -> dict[str, Answer]:
    return {row.item_key: row for row in assessment.answers}


def answers_json(questionnaire: Questionnaire, answers: dict[str, AnswerData]) -> dict[str, Any]:
    """The API form of a set of answers (CONTRACTS.md patch body shape)."""
    out = {}
    for key, answer in answers.items():
        item = questionnaire.item_map.get(key)
        if item is not None:
            out[key] = answer.to_json(item.value_key)
    return out
