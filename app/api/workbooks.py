"""Working outside the browser (CONTRACTS.md): the workbook of an assessment, down and up."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from ..workbooks import service, upload as uploads
from . import bp


@bp.get("/assessments/<int:assessment_id>/workbook.xlsx")
def get_workbook(assessment_id: int):
    return service.workbook_response(current_user, assessment_id, request.args.get("section"))


@bp.put("/assessments/<int:assessment_id>/workbook")
def put_workbook(assessment_id: int):
    assessment = service.writable(current_user, assessment_id)
    result = uploads.upload(assessment, current_user, request.get_data(cache=False))
    return jsonify(result)
