"""What the API and the pages share: the workbook of an assessment the user may change."""
from __future__ import annotations

from flask import Response
from flask_babel import get_locale
from flask_babel import gettext as _

from ..assessments import operations as ops, store
from ..assessments.access import load_writable
from ..assessments.forms import translator
from ..auth.policy import Action, section_scope
from ..errors import RequestError
from ..questionnaire.catalog import catalog
from . import download, xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def writable(user, assessment_id: int):
    """Workbooks are for filling in: only who may change the answers gets or sends one
    (404 for an assessment they may not see, 403 or 409 for one they may not change). A
    contributor gets the workbook of their sections; an upload touching other items is
    refused by the save path (``check_items``)."""
    return load_writable(user, assessment_id, Action.EDIT_ASSIGNED)


def workbook_sections(user, assessment, questionnaire, section_key: str | None):
    """The sections of the workbook: None for all, else the one asked for, within what
    the policy lets ``user`` see (a contributor: their sections only, 403 beyond)."""
    scope = section_scope(user, assessment)
    if section_key and section_key not in {s.key for s in questionnaire.sections}:
        raise RequestError(400, _("unknown section"), {"section": section_key[:64]})
    if section_key and scope is not None and section_key not in scope:
        raise RequestError(403, _("This section is not one you were given."), {"section": section_key[:64]})
    if section_key or scope is not None:
        return [s for s in questionnaire.sections if s.key == section_key or (not section_key and s.key in scope)]
    return None


def workbook_response(user, assessment_id: int, section_key: str | None = None) -> Response:
    assessment = writable(user, assessment_id)
    questionnaire = store.questionnaire_of(assessment)
    sections = workbook_sections(user, assessment, questionnaire, section_key)
    lang = str(get_locale() or "en")
    data = download.build(assessment, questionnaire,
                          store.answers_json(questionnaire, store.answers_of(assessment)),
                          ops.answer_fingerprints(assessment), lang, translator(lang), sections)
    name = f"assessment-{assessment.id}" + (f"-{section_key}" if section_key else "") + ".xlsx"
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def xlsform_for(questionnaire_id: str, version: str | None, lang: str | None):
    """(questionnaire, default language) of an XLSForm request; 404 or 400 otherwise."""
    questionnaires = catalog()
    questionnaire = (questionnaires.get(questionnaire_id, version) if version
                     else questionnaires.latest(questionnaire_id))
    if questionnaire is None:
        raise RequestError(404, _("no such questionnaire version"),
                       {"questionnaire": questionnaire_id[:64], "version": (version or "")[:20]})
    allowed = xlsform.languages(questionnaire)
    if lang is not None and lang not in allowed:
        raise RequestError(400, _("unknown language"), {"lang": lang[:20], "allowed": allowed})
    return questionnaire, lang or "en"


#: Built XLSForms (a second or two of work each), by version, language and the revisions of
#: the version's translations (which can be corrected without a new version).
_XLSFORMS: dict[tuple, bytes] = {}
_XLSFORMS_KEPT = 12


def xlsform_bytes(questionnaire, lang: str) -> bytes:
    loaded = catalog().loaded(questionnaire.id, questionnaire.version)
    revisions = tuple(sorted(loaded.translation_revisions().items())) if loaded else ()
    key = (questionnaire.id, questionnaire.version, lang, revisions)
    if key not in _XLSFORMS:
        if len(_XLSFORMS) >= _XLSFORMS_KEPT:
            _XLSFORMS.pop(next(iter(_XLSFORMS)))
        _XLSFORMS[key] = xlsform.build(questionnaire, lang)
    return _XLSFORMS[key]


def xlsform_response(questionnaire_id: str, version: str | None, lang: str | None) -> Response:
    questionnaire, lang = xlsform_for(questionnaire_id, version, lang)
    name = f"{questionnaire.id}-{questionnaire.version}-xlsform.xlsx"
    return Response(xlsform_bytes(questionnaire, lang), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
