"""Loading an assessment to change it: the policy decides, this only says why not.

404 when the user may not see it (its existence stays hidden), 409 when it is the
user's own but no longer open for changes (submitted: read-only for everyone), 403
otherwise. Shared by the pages and the API so both answer the same way.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..auth.policy import Action, can, load_assessment
from ..errors import RequestError
from ..display.labels import status_label
from ..models import Assessment, User


def load_writable(user: User, assessment_id: int, action: Action, section: str | None = None) -> Assessment:
    """``section``: the one a contributor saves (their sections only, see the policy)."""
    assessment = load_assessment(user, assessment_id, Action.VIEW_ASSIGNED)
    if not can(user, action, assessment, section):
        own = assessment.organisation_id == user.organisation_id
        if own and not assessment.editable and user.role in ("respondent", "admin"):
            raise RequestError(409, _("This assessment is %(status)s and read-only: nothing was saved.",
                                  status=status_label(assessment.status).lower()), {"status": assessment.status})
        raise RequestError(403, _("You may not change this assessment."))
    return assessment
