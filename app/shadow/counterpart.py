"""The government's own assessment beside an NGO's shadow assessment.

:func:`government_counterpart` finds it: an assessment by an organisation of kind
``government``, of the same jurisdiction, period and questionnaire, submitted (in review or
accepted too: its score is stored for good), that the viewer may see set beside it under
the one policy (``visibility_clause`` and ``can(viewer, SHOW_BESIDE, ...)``: reviewers and
admins).  A viewer who may not (an NGO's respondent) gets nothing, so nothing of it is shown,
not even whether there is one.

:func:`comparison` is pure: the two score documents, overall and by area, with the
difference (the NGO's score minus the government's, from the scores as shown).
"""
from __future__ import annotations

from typing import Any, Mapping

from ..auth.policy import Action, can
from ..i18n import translate as _
from ..lifecycle import COPYABLE
from ..models import Assessment
from ..display import numbers
from . import is_shadow, queries

#: Submitted and not open for changes (submitted, in review, accepted): the score compared
#: is the one stored on submit.  A returned assessment is being changed: not compared.
COMPARED_STATUSES = COPYABLE


def government_counterpart(viewer: Any, assessment: Assessment) -> Assessment | None:
    """The government's assessment to show beside ``assessment`` for ``viewer`` (None: none,
    or none the viewer may see, or ``assessment`` is not a shadow assessment).  The most
    recently submitted one when several government organisations assessed the same."""
    if viewer is None or not is_shadow(assessment.organisation.kind):
        return None
    found = queries.latest_government_assessment_like(viewer, assessment, COMPARED_STATUSES)
    return found if found is not None and can(viewer, Action.SHOW_BESIDE, found) else None


def fingerprint(counterpart: Assessment | None) -> list[Any] | None:
    """What a report showing ``counterpart`` depends on (for the PDF cache key): its stored
    score changes only with its status or an explicit recompute."""
    if counterpart is None:
        return None
    return [counterpart.id, counterpart.status, counterpart.organisation.name, counterpart.title,
            counterpart.overall_score, counterpart.scored_at, counterpart.submitted_at]


def difference_text(own: float | None, government: float | None) -> str:
    """``+3.4``, ``\u221212.0``, ``0.0`` (in the reader's locale); an en dash when either is
    missing.  From the scores as shown (one decimal), so the three numbers on a line agree."""
    a, b = numbers.rounded(own), numbers.rounded(government)
    if a is None or b is None:
        return numbers.DASH
    return numbers.signed(float(a - b))


def _score(entry: Mapping[str, Any] | None) -> float | None:
    value = (entry or {}).get("score")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def comparison(own: Mapping[str, Any], government: Mapping[str, Any],
               area_titles: Mapping[str, str], about: Mapping[str, Any]) -> dict[str, Any]:
    """The two scores side by side: ``overall`` and ``areas`` (in ``area_titles``' order),
    each with ``own``, ``government`` and ``difference`` as text; ``about`` names the
    government's assessment (``organisation``, ``title``, ``status_label``, ``id``)."""
    def row(a: float | None, b: float | None) -> dict[str, str]:
        return {"own": numbers.score(a), "government": numbers.score(b),
                "difference": difference_text(a, b)}

    own_areas, gov_areas = own.get("areas") or {}, government.get("areas") or {}
    return {
        "about": dict(about),
        "overall": row(_score(own.get("overall")), _score(government.get("overall"))),
        "areas": [{"code": code, "title": title} | row(_score(own_areas.get(code)),
                                                         _score(gov_areas.get(code)))
                  for code, title in area_titles.items()],
        "note": _("Difference: the civil-society score minus the government's, in points out "
                  "of 100. Both answer the same questionnaire; each organisation answered for "
                  "itself."),
    }


def counterpart_comparison(viewer: Any, assessment: Assessment, own_score: Mapping[str, Any],
                           area_titles: Mapping[str, str]) -> dict[str, Any] | None:
    """:func:`comparison` of ``assessment``'s score (as ``viewer`` sees it) with its
    :func:`government_counterpart`'s stored score; None when there is none to show."""
    from ..assessments import store
    from ..assessments.seen import current_score
    from ..display.labels import status_label

    government = government_counterpart(viewer, assessment)
    if government is None:
        return None
    score = current_score(government, lambda: store.answers_of(government), explain=False)
    about = {"id": government.id, "organisation": government.organisation.name,
             "title": government.title, "status": government.status,
             "status_label": status_label(government.status)}
    return comparison(own_score, score, area_titles, about)
