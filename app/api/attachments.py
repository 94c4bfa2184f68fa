"""/api/v1/assessments/{id}/attachments: documents attached to an answer's evidence."""
from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from ..assessments.access import load_writable
from ..attachments import operations as ops
from ..attachments.web import read_upload, send
from ..auth.policy import Action, load_assessment
from . import bp


def _url(row) -> str:
    return url_for("api.get_attachment", assessment_id=row.assessment_id, attachment_id=row.id)


@bp.get("/assessments/<int:assessment_id>/attachments")
def list_attachments(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return jsonify({"items": [ops.as_json(row, _url(row)) for row in ops.visible(current_user, assessment)]})


@bp.post("/assessments/<int:assessment_id>/attachments")
def add_attachment(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    item, data, filename = read_upload()
    row = ops.attach(assessment, current_user, item, filename, data)
    response = jsonify(ops.as_json(row, _url(row)))
    response.status_code = 201
    response.headers["Location"] = _url(row)
    return response


@bp.get("/assessments/<int:assessment_id>/attachments/<int:attachment_id>")
def get_attachment(assessment_id: int, attachment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return send(ops.find_visible(current_user, assessment, attachment_id))


@bp.delete("/assessments/<int:assessment_id>/attachments/<int:attachment_id>")
def delete_attachment(assessment_id: int, attachment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    ops.remove(assessment, current_user, attachment_id)
    return "", 204
