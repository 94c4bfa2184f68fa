"""PDF downloads for the results page: ``GET /assessments/<id>/report.pdf?kind=gap|scorecard``
(endpoint ``results.report_pdf``; link with ``url_for("results.report_pdf",
assessment_id=a.id, kind="gap")``; without ``kind``, the gap report).  Authorization by the policy: whoever may view the
assessment may download its reports (a respondent their own organisation's drafts too;
reviewers only what is no longer a draft).  A PDF not ready within
``PDF_DOWNLOAD_WAIT_SECONDS`` answers ``202`` with a page that shows the job's progress in a
status region and starts the download when it is done (``js/report-job.js``)."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.reports.web import parse_kind, parse_lang, pdf_response, pending_page

from ..auth.policy import Action, load_assessment
from ..models import Assessment
from . import bp


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def report_pdf(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return pdf_response(assessment, parse_kind(request.args.get("kind"), default="gap"),
                        pending=pending_page, lang=parse_lang(request.args.get("lang")))


def report_downloads(assessment: Assessment) -> list[tuple[str, str, str]]:
    """(label, hint, url) of the PDF reports: the links of the results page and of the
    review pages (link them with ``data-report-download``, beside ``_download_status.html``)."""
    kinds = (("gap", _("Gap report (PDF)"),
              _("The full report: summary, charts, findings by area, the whole action plan and "
                "every answer. Prepared when the assessment is submitted; otherwise the first "
                "download takes several seconds.")),
             ("scorecard", _("Scorecard (PDF)"),
              _("The headline, the charts and the scores by area and layer.")))
    return [(label, hint, url_for("results.report_pdf", assessment_id=assessment.id, kind=kind))
            for kind, label, hint in kinds]
