"""Signed, expiring, one-time links sent by mail: the invitation of a new account to choose
its password, and a password reset.

The token is signed with the secret key (itsdangerous, a salt per purpose, so one kind of
link never works as the other) and carries the user id with a stamp of the current password
hash: setting a password changes the hash, so a link works once, and an older reset link
stops working when a newer one has been used.  Nothing is stored.
"""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..models import User
from . import queries

PURPOSES = {"invitation": ("readiness.invitation", "INVITATION_MAX_AGE_SECONDS", "auth.invitation"),
            "reset": ("readiness.password-reset", "PASSWORD_RESET_MAX_AGE_SECONDS", "auth.reset_with_link")}


class LinkRefused(Exception):
    """Why a link does not work: ``expired``, ``used`` or ``invalid``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PURPOSES[purpose][0])


def _stamp(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "p": _stamp(user)})


def link_for(user: User, purpose: str) -> str:
    """The full URL to put in a mail."""
    return url_for(PURPOSES[purpose][2], token=make_token(user, purpose), _external=True)


def user_for_token(token: str, purpose: str) -> User:
    """The user the link is for, or :class:`LinkRefused`."""
    max_age = current_app.config[PURPOSES[purpose][1]]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkRefused("expired") from exc
    except BadSignature as exc:
        raise LinkRefused("invalid") from exc
    user_id = data.get("u") if isinstance(data, dict) else None
    user = queries.user_by_id(user_id) if isinstance(user_id, int) and 0 < user_id < 2**31 else None
    if user is None or not user.active:
        raise LinkRefused("invalid")
    if data.get("p") != _stamp(user):
        raise LinkRefused("used")
    return user
