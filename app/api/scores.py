"""GET /api/v1/assessments/{id}/score: the score document (CONTRACTS.md)."""
from flask import jsonify
from flask_login import current_user

from ..auth.policy import Action, load_assessment
from ..results.scores import score_document
from . import bp


@bp.get("/assessments/<int:assessment_id>/score")
def score(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return jsonify(score_document(assessment, current_user))
