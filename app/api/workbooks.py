"""Working outside the browser (CONTRACTS.md): the workbook of an assessment, down and up;
the XLSForm of a questionnaire version; the import of ODK and KoboToolbox submissions."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from flask_babel import gettext as _

from ..auth.policy import can_create_assessment
from ..errors import ApiError
from ..workbooks import odk_import, service, upload as uploads
from . import bp

IMPORT_FIELDS = ("questionnaire", "version", "jurisdiction", "period", "title")


@bp.get("/assessments/<int:assessment_id>/workbook.xlsx")
def get_workbook(assessment_id: int):
    return service.workbook_response(current_user, assessment_id, request.args.get("section"))


@bp.put("/assessments/<int:assessment_id>/workbook")
def put_workbook(assessment_id: int):
    assessment = service.writable(current_user, assessment_id)
    result = uploads.upload(assessment, current_user, request.get_data(cache=False))
    return jsonify(result)


@bp.get("/questionnaires/<questionnaire_id>/xlsform.xlsx")
def get_xlsform(questionnaire_id: str):
    return service.xlsform_response(questionnaire_id, request.args.get("version"), request.args.get("lang"))


@bp.post("/imports/odk")
def import_odk():
    if not can_create_assessment(current_user):
        raise ApiError(403, _("only respondents and administrators create assessments"))
    meta = {name: request.args.get(name, "") for name in IMPORT_FIELDS}
    report = odk_import.import_submissions(current_user, request.get_data(cache=False), meta)
    return jsonify(report), 201 if report["created"] else 200
