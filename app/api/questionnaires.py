"""GET /api/v1/questionnaires: the published questionnaires, normalised."""
from flask import current_app, jsonify

from ..questionnaire.export import normalised
from . import bp


@bp.get("/questionnaires")
def questionnaires():
    catalog = current_app.extensions["catalog"]
    return jsonify([normalised(q) for q in catalog.all()])
