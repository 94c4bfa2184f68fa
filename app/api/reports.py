"""``GET /api/v1/assessments/{id}/report.pdf?kind=gap|scorecard``: the PDF (CONTRACTS.md); the
printable questionnaire, blank (``/questionnaires/{id}/form.pdf``) or filled in
(``/assessments/{id}/form.pdf``).

400 JSON for an unknown kind, 404 for an assessment the caller may not see.  A repeat
download of unchanged inputs is served from the PDF cache without rendering
(``X-Report-Cache: hit``); otherwise the PDF is rendered by a job (:mod:`app.jobs`) and sent
if it is ready within ``PDF_DOWNLOAD_WAIT_SECONDS``, else ``202 {"job": ID, "status": ...}``
with ``Location: /api/v1/jobs/ID`` (:mod:`app.api.jobs`).  503 JSON when the render failed
(with the reason) or the job queue does not answer."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from app.reports.web import form_response, parse_kind, parse_lang, pdf_response

from ..auth.policy import Action, load_assessment
from . import bp
from . import jobs  # noqa: F401  (the job routes: the other half of a download)


@bp.get("/assessments/<int:assessment_id>/report.pdf")
def report_pdf(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return pdf_response(assessment, parse_kind(request.args.get("kind")),
                        lang=parse_lang(request.args.get("lang")))


@bp.get("/questionnaires/<questionnaire_id>/form.pdf")
def questionnaire_form_pdf(questionnaire_id: str):
    """The blank printable questionnaire: anyone signed in (the questionnaire is public)."""
    from app.workbooks.service import xlsform_for

    questionnaire, _lang = xlsform_for(questionnaire_id, request.args.get("version") or None, None)
    return form_response(questionnaire, parse_lang(request.args.get("lang")))


@bp.get("/assessments/<int:assessment_id>/form.pdf")
def assessment_form_pdf(assessment_id: int):
    """The printable questionnaire filled in with the answers the caller sees."""
    from app.assessments.store import questionnaire_of

    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return form_response(questionnaire_of(assessment), parse_lang(request.args.get("lang")), assessment)
