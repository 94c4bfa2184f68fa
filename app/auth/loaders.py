"""How Flask-Login finds the current user: the session cookie or a bearer token."""
from __future__ import annotations

import re

from flask import g, request
from flask_babel import gettext as _

from ..extensions import login_manager
from ..models import User
from . import operations as ops, queries

login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


#: "<user id>:<session generation>", ASCII digits only (``str.isdigit`` would take "²"),
#: no sign, no spaces; both must fit the 32-bit integer columns they are compared with.
_SESSION_ID = re.compile(r"([0-9]{1,10}):([0-9]{1,10})", re.ASCII)
_INT_MAX = 2**31 - 1


def parse_session_id(value: str) -> tuple[int, int] | None:
    """(user id, generation) from a session or remember-me cookie's id, or None for anything
    malformed, out of range or of the old id-only form (cookies issued before sessions carried
    a generation: they sign nobody in)."""
    match = _SESSION_ID.fullmatch(value or "")
    if match is None:
        return None
    user_id, generation = int(match[1]), int(match[2])
    if not (1 <= user_id <= _INT_MAX and 0 <= generation <= _INT_MAX):
        return None
    return user_id, generation


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie, if still active and the cookie was issued
    in the current session generation (logout, a password change or reset, deactivation move
    it on, ending every earlier session)."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user = queries.session_user(parsed[0])
    if user is None or not user.active or user.session_generation != parsed[1]:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = ops.user_for_token(header[7:].strip())
    if user is not None:
        g.token_auth = True   # "last used" moved on (at most once a minute): the request commits it
    return user


@login_manager.unauthorized_handler
def unauthorized():
    from flask import redirect, url_for

    from ..errors import json_error, wants_json

    if wants_json():
        return json_error(401, _("authentication required: sign in or send 'Authorization: Bearer <token>'"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
