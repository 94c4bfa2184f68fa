"""The JSON API, /api/v1 (CONTRACTS.md). One module per area; all share this blueprint.

CSRF: API calls authenticate with a bearer token (no cookie, so no CSRF risk) or
with the session cookie, in which case the CSRF token is required in the
``X-CSRFToken`` header as for every form.
"""
from flask import Blueprint, g
from flask_login import current_user
from flask_babel import gettext as _

from ..errors import ApiError
from ..extensions import csrf

bp = Blueprint("api", __name__)
# The app-wide CSRFProtect would refuse bearer-token writes before _authenticate runs;
# exempt the blueprint from it and check CSRF below for cookie-authenticated writes only.
csrf.exempt(bp)


@bp.before_request
def _authenticate():
    if not current_user.is_authenticated:
        raise ApiError(401, _("authentication required: sign in or send 'Authorization: Bearer <token>'"))
    if g.get("token_auth"):
        return None
    from flask import request

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # a cookie-authenticated write must carry the CSRF token
    return None


from . import (  # noqa: E402,F401  (registers the routes on bp, which must exist first)
    questionnaires, assessments, attachments, contributors, scores, reports, review, shadow, spec,
    workbooks,
)
