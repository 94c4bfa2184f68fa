"""PDF downloads for the results page: ``GET /assessments/<id>/report.pdf?kind=gap|scorecard``
(endpoint ``results.report_pdf``; link with ``url_for("results.report_pdf",
assessment_id=a.id, kind="gap")``; without ``kind``, the gap report).  Authorization by the policy: whoever may view the
assessment may download its reports (a respondent their own organisation's drafts too;
reviewers only what is no longer a draft).  A PDF not ready within
``PDF_DOWNLOAD_WAIT_SECONDS`` answers ``202`` with a page that shows the job's progress in a
status region and starts the download when it is done (``js/report-job.js``)."""
from __future__ import annotations

from flask import request
from flask_login import current_user, login_required

from app.reports.web import parse_kind, parse_lang, pdf_response, pending_page

from ..auth.policy import Action, load_assessment
from . import bp


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def report_pdf(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return pdf_response(assessment, parse_kind(request.args.get("kind"), default="gap"),
                        pending=pending_page, lang=parse_lang(request.args.get("lang")))
