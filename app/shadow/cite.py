"""How to cite an assessment: one generated line on the scorecard, the gap report and the
results page.  ``Child Rights Coalition (2026). Civil society shadow assessment 2025.
Kenya (KE), period 2025. Prevention readiness assessment no. 12, https://.../results.``

The address is the assessment's results page under ``PUBLIC_URL`` (the address readers know
the service by); pages without it use the address of the request.  Reports rendered outside
a request (the warm-up, the command line) have no request: without ``PUBLIC_URL`` their line
gives the number alone, so that every copy of a report is the same whoever rendered it.

The year is the submission's (or the last change's) in the zone the page or PDF writes its
times in (:mod:`app.timezones`: the reader's; a report's, its reader's, which is in its cache
key): a submission at 23:30 UTC on 31 December is a citation of the next year in Nairobi,
and the line must not contradict the "Submitted 1 January" printed beside it.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..i18n import translate as _


def year_of(value: date | datetime | str | None) -> str:
    """The year of ``value``; a moment's in the reader's zone (a stored moment without a zone
    is UTC).  Needs an app context for a moment."""
    if isinstance(value, datetime):
        from ..timezones import local

        return str(local(value)[0].year)
    if isinstance(value, date):
        return str(value.year)
    return str(value or "")[:4]


def cite_line(*, organisation: str, title: str, jurisdiction_name: str, jurisdiction: str,
              period: str, year: str, assessment_id: Any, url: str | None) -> str:
    """The citation as plain text (templates escape it)."""
    where = _("%(name)s (%(code)s), period %(period)s", name=jurisdiction_name or jurisdiction,
              code=jurisdiction, period=period)
    number = (_("Prevention readiness assessment no. %(id)s, %(url)s", id=assessment_id, url=url)
              if url else _("Prevention readiness assessment no. %(id)s", id=assessment_id))
    return _("%(organisation)s (%(year)s). %(title)s. %(where)s. %(number)s.",
             organisation=organisation, year=year, title=title.rstrip(". "), where=where,
             number=number)


def public_url(assessment_id: int, *, request_fallback: bool = True) -> str | None:
    """The results page's address under ``PUBLIC_URL``; else, when ``request_fallback`` and
    in a request, under the request's own address; else None.  Needs an app context."""
    from flask import current_app, has_request_context, request

    # The results route's path, built by hand: url_for needs a request (or SERVER_NAME).
    path = f"/assessments/{int(assessment_id)}/results"
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + path
    if request_fallback and has_request_context():
        return request.host_url.rstrip("/") + path
    return None
