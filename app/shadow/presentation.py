"""What the results page, the API and the reports show of an assessment as a shadow
assessment: the marking, the key messages (as the viewer sees them: a reviewer of a returned
assessment reads those submitted, app.assessments.seen), the citation and the government's
score beside it (None unless there is one the viewer may see).  Needs an app context."""
from __future__ import annotations

from typing import Any, Mapping

from ..assessments import store
from ..assessments.seen import key_messages_seen
from ..auth.policy import shown_beside_others
from ..jurisdictions import jurisdiction_name
from ..i18n import locale_code, localize
from . import is_shadow
from .cite import cite_line, public_url, year_of
from .counterpart import counterpart_comparison, fingerprint, government_counterpart


def _cite(assessment, url: str | None) -> str:
    return cite_line(organisation=assessment.organisation.name, title=assessment.title,
                     jurisdiction_name=jurisdiction_name(assessment.jurisdiction),
                     jurisdiction=assessment.jurisdiction, period=assessment.period,
                     year=year_of(assessment.submitted_at or assessment.updated_at),
                     assessment_id=assessment.id, url=url)


def _shown(viewer: Any, assessment, own_score: Mapping[str, Any] | None,
           area_titles: Mapping[str, str]) -> dict[str, Any] | None:
    if not is_shadow(assessment.organisation.kind):
        return None
    if own_score is None:
        from ..results.scores import score_document

        own_score = score_document(assessment, viewer)
    return counterpart_comparison(viewer, assessment, own_score, area_titles)


def for_page(viewer: Any, assessment, own_score: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """For the results page and the API: the full area titles, the address of the request
    when ``PUBLIC_URL`` is not set."""
    lang = locale_code()
    titles = {a.code: localize(a.title, lang) for a in store.questionnaire_of(assessment).areas}
    independent = is_shadow(assessment.organisation.kind)
    return {"independent": independent,
            # Said whether or not the government submitted: nothing of it may be inferred.
            "government_not_shown": independent and viewer is not None and not shown_beside_others(viewer),
            "key_messages": key_messages_seen(viewer, assessment),
            "cite": _cite(assessment, public_url(assessment.id)),
            "comparison": _shown(viewer, assessment, own_score, titles)}


def for_report(viewer: Any, assessment, own_score: Mapping[str, Any],
               area_titles: Mapping[str, str]) -> dict[str, Any]:
    """For a report's ``meta``: the address only under ``PUBLIC_URL`` (a PDF must not depend
    on who rendered it); ``area_titles`` as the report names areas."""
    return {"key_messages": key_messages_seen(viewer, assessment),
            "cite": _cite(assessment, public_url(assessment.id, request_fallback=False)),
            "comparison": _shown(viewer, assessment, own_score, area_titles)}


def report_key_part(viewer: Any, assessment) -> list[Any]:
    """What of the above a report's cache key must cover (cheap: no score is computed)."""
    from flask import current_app

    return [key_messages_seen(viewer, assessment), current_app.config.get("PUBLIC_URL") or "",
            fingerprint(government_counterpart(viewer, assessment))]
