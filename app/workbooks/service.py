"""What the API and the pages share: the workbook of an assessment the user may change."""
from __future__ import annotations

from flask import Response
from flask_babel import get_locale

from ..assessments import operations as ops, store
from ..assessments.access import load_writable
from ..assessments.forms import translator
from ..auth.policy import Action
from ..errors import ApiError
from . import download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def writable(user, assessment_id: int):
    """Workbooks are for filling in: only who may change the answers gets or sends one
    (404 for an assessment they may not see, 403 or 409 for one they may not change)."""
    return load_writable(user, assessment_id, Action.EDIT)


def workbook_response(user, assessment_id: int, section_key: str | None = None) -> Response:
    assessment = writable(user, assessment_id)
    questionnaire = store.questionnaire_of(assessment)
    sections = None
    if section_key:
        sections = [s for s in questionnaire.sections if s.key == section_key]
        if not sections:
            raise ApiError(400, "unknown section", {"section": section_key[:64]})
    lang = str(get_locale() or "en")
    data = download.build(assessment, questionnaire,
                          store.answers_json(questionnaire, store.answers_of(assessment)),
                          ops.answer_fingerprints(assessment), lang, translator(lang), sections)
    name = f"assessment-{assessment.id}" + (f"-{section_key}" if section_key else "") + ".xlsx"
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
