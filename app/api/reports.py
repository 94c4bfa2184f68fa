"""``GET /api/v1/assessments/{id}/report.pdf?kind=gap|scorecard``: the PDF (CONTRACTS.md).

400 JSON for an unknown kind, 404 for an assessment the caller may not see, 503 JSON when
the report takes longer than ``PDF_RENDER_TIMEOUT_SECONDS``.  A repeat download of unchanged
inputs is served from the PDF cache without rendering (``X-Report-Cache: hit``)."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from reports.web import parse_kind, pdf_response

from ..auth.policy import Action, load_assessment
from . import bp


@bp.get("/assessments/<int:assessment_id>/report.pdf")
def report_pdf(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return pdf_response(assessment, parse_kind(request.args.get("kind")))
