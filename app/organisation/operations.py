"""Writes to an organisation's settings, audited.  Operations flush; the request commits."""
from __future__ import annotations

import hashlib

from ..extensions import db
from ..models import AuditEntry, Organisation, User


def _fingerprint(mime: str | None, data: bytes | None) -> dict | None:
    return {"mime": mime, "sha256": hashlib.sha256(data).hexdigest()} if data else None


def set_logo(organisation: Organisation, user: User, data: bytes, mime: str) -> None:
    """Store a logo already checked and cleaned (app.reports.logo.sanitise_logo)."""
    db.session.add(AuditEntry(user_id=user.id, action="organisation.logo",
                              old_value=_fingerprint(organisation.logo_mime, organisation.logo),
                              new_value=_fingerprint(mime, data) | {"bytes": len(data)}))
    organisation.logo, organisation.logo_mime = data, mime
    db.session.flush()


def remove_logo(organisation: Organisation, user: User) -> bool:
    """Remove the logo; False when there was none (nothing recorded)."""
    if not organisation.logo:
        return False
    db.session.add(AuditEntry(user_id=user.id, action="organisation.logo",
                              old_value=_fingerprint(organisation.logo_mime, organisation.logo),
                              new_value=None))
    organisation.logo, organisation.logo_mime = None, None
    db.session.flush()
    return True
