"""Where an assessment's review pages lead besides the review area: its results, its
read-only answers and its PDF reports (the QA pass: reachable only by typing the URL)."""
from __future__ import annotations

from typing import Any

from flask import url_for

from ..auth.policy import Action, can
from ..models import Assessment, User
from ..results.reports import report_downloads


def assessment_links(user: User, assessment: Assessment) -> dict[str, Any]:
    """The header links of an assessment's review pages: its results, its answers page
    (when ``user`` may open it) and its PDF reports, by the same URL builders as the
    results page."""
    return {"results_url": url_for("results.results", assessment_id=assessment.id),
            "answers_url": url_for("assessments.answers", assessment_id=assessment.id)
            if can(user, Action.VIEW_ASSIGNED, assessment) else None,
            "downloads": report_downloads(assessment)}
