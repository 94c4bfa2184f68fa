"""How Flask-Login finds the current user: the session cookie or a bearer token."""
from __future__ import annotations

from flask import g, request

from ..extensions import db, login_manager
from ..models import User
from . import operations as ops

login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = ops.user_for_token(header[7:].strip())
    if user is not None:
        g.token_auth = True
        if db.session.dirty:  # "last used" moved on (at most once a minute)
            db.session.commit()
    return user


@login_manager.unauthorized_handler
def unauthorized():
    from flask import redirect, url_for

    from ..errors import json_error, wants_json

    if wants_json():
        return json_error(401, "authentication required: sign in or send 'Authorization: Bearer <token>'")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
