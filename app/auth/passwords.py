"""What a password must be, and the dummy hash that keeps failed sign-ins equally slow.

Length alone lets "password12" through; so a new password (created, changed or reset) must
also not be one of the 20,000 most common passwords, the account's email or its local part,
or one character repeated.  The list is Django's (see ``common-passwords.NOTICE.md``).
"""
from __future__ import annotations

import gzip
import secrets
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The kept list, lowercased; read once per process (some 20,000 lines, ~0.6 MB in memory)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` may not be used by the account ``email`` (in the reader's
    language), or None when it may."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(count)d characters.", count=MIN_LENGTH)
    if len(set(password)) == 1:
        return _("The password must not be one character repeated.")
    folded = password.strip().lower()
    email = (email or "").strip().lower()
    if email and folded in {email, email.split("@", 1)[0]}:
        return _("The password must not be your email address or the part before the @.")
    if folded in common_passwords():
        return _("This password is one of the most common passwords; choose another.")
    return None


def generate_password() -> str:
    """A temporary password for an administrator's reset: 16 random URL-safe characters
    (96 bits), easy to read out or paste."""
    return secrets.token_urlsafe(12)


@cache
def dummy_hash(method: str) -> str:
    """A hash of a random password, made once per process and method (the app makes it as
    it starts, see ``app.auth``)."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def check_dummy_password(password: str) -> None:
    """Do the work of checking a password against a real hash, for an unknown email or an
    inactive account, so the answer takes as long as for an active account and the time
    does not tell which emails exist.  The dummy hash is made once per process (and hash
    method) with the same method as real ones."""
    check_password_hash(dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
