"""Account operations: users, passwords, sessions, login throttling, API tokens.
They flush; the caller commits."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete

from ..extensions import db
from ..models import ORG_KINDS, ROLES, ApiToken, AuditEntry, LoginFailure, Organisation, User, hash_token
from ..models._common import utcnow
from . import passwords, queries


class AccountError(ValueError):
    pass


class WeakPassword(AccountError):
    """A new password the rules refuse (``passwords.password_problem``); the message is in
    the reader's language."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_or_create_organisation(name: str, kind: str = "other", country: str | None = None) -> Organisation:
    org = queries.organisation_with_name(name)
    if org is None:
        org = Organisation(name=name, kind=kind, country=country)
        db.session.add(org)
        db.session.flush()
    return org


def organisation_named(name: str) -> Organisation | None:
    """The organisation of this name, ignoring case and spacing ("Ministry  of X" is
    "ministry of x"): an administrator must not make a second one by a typing variant."""
    wanted = " ".join(name.split()).casefold()
    return next((org for org in queries.organisations_by_name()
                 if " ".join(org.name.split()).casefold() == wanted), None)


def similar_organisations(name: str) -> list[Organisation]:
    """Existing organisations sharing a word of four letters or more with ``name``: shown
    before a new one is created, so "ministry of social protection" finds the ministry."""
    words = {w for w in re.findall(r"\w{4,}", name.casefold())}
    return [org for org in queries.organisations_by_name()
            if words & set(re.findall(r"\w{4,}", org.name.casefold()))]


def create_organisation(admin: User, name: str, kind: str) -> Organisation:
    """An administrator's explicit creation of an organisation, audited; refused when one
    of that name (ignoring case and spacing) exists."""
    name = " ".join(name.split())
    if kind not in ORG_KINDS:
        raise AccountError(f"unknown organisation kind {kind!r}")
    existing = organisation_named(name)
    if existing is not None:
        raise AccountError(_("%(org)s already exists: choose it in the list.", org=existing.name))
    org = Organisation(name=name, kind=kind)
    db.session.add(org)
    db.session.flush()
    db.session.add(AuditEntry(user_id=admin.id, action="organisation.create",
                              new_value={"organisation_id": org.id, "name": name, "kind": kind}))
    return org


#: The longest name the organisations' name column holds.
ORGANISATION_NAME_MAX = Organisation.__table__.c.name.type.length


def rename_organisation(admin: User, org: Organisation, name: str) -> bool:
    """An administrator renames an organisation, audited (old and new name).  Refused when
    the name is empty, too long, or another organisation's (ignoring case and spacing, as on
    creation); a change of case or spacing of its own name is allowed.  False when nothing
    changed.  Its users, assessments and reports show the new name from now on (the reports'
    cache keys cover the organisation's name)."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError(_("Enter the organisation's name."))
    if len(name) > ORGANISATION_NAME_MAX:
        raise AccountError(_("Keep the name to %(max)s characters or fewer.", max=ORGANISATION_NAME_MAX))
    existing = organisation_named(name)
    if existing is not None and existing.id != org.id:
        raise AccountError(_("Another organisation is already called %(org)s: choose another name.",
                             org=existing.name))
    if name == org.name:
        return False
    db.session.add(AuditEntry(user_id=admin.id, action="organisation.rename",
                              old_value={"organisation_id": org.id, "name": org.name},
                              new_value={"organisation_id": org.id, "name": name}))
    org.name = name
    db.session.flush()
    return True


def update_user(admin: User, user: User, role: str, organisation: Organisation) -> None:
    """An administrator changes a user's role or organisation, audited (old and new).  An
    administrator cannot change their own role: the last one could lock everybody out."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if user.id == admin.id and role != user.role:
        raise AccountError(_("You cannot change your own role."))
    old = {"role": user.role, "organisation_id": user.organisation_id, "organisation": user.organisation.name}
    new = {"role": role, "organisation_id": organisation.id, "organisation": organisation.name}
    if old == new:
        return
    user.role, user.organisation = role, organisation
    db.session.add(AuditEntry(user_id=admin.id, action="user.update",
                              old_value=old | {"user_id": user.id, "email": user.email},
                              new_value=new | {"user_id": user.id, "email": user.email}))
    db.session.flush()


def create_user(email: str, password: str, organisation: Organisation, role: str = "respondent",
                name: str = "") -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not a valid email address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use respondent, reviewer or admin")
    check_new_password(password, email)
    if queries.user_with_email(email):
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, role=role, organisation=organisation, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def check_new_password(password: str, email: str) -> None:
    problem = passwords.password_problem(password, email)
    if problem:
        raise WeakPassword(problem)


def end_sessions(user: User) -> None:
    """Every session and remember-me cookie of ``user`` stops working (their id carries the
    generation moved on here; see ``User.get_id``).  Incremented in SQL, so two requests
    doing this at once both count.  API tokens are separate: they are revoked one by one."""
    user.session_generation = User.session_generation + 1
    db.session.flush()  # the new value is read back when next used (e.g. to sign in again)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password proves it is them.  Ends every session
    of theirs (the caller signs the current browser in again), audited."""
    if not user.check_password(current):
        raise AccountError(_("The current password is not correct."))
    if new == current:
        raise WeakPassword(_("The new password must differ from the current one."))
    check_new_password(new, user.email)
    user.set_password(new)
    user.password_change_required = False
    end_sessions(user)
    db.session.add(AuditEntry(user_id=user.id, action="user.password_change"))


def set_password_from_link(user: User, new: str, purpose: str) -> None:
    """The password chosen through an invitation or reset link (``purpose``; the caller
    checked it with :func:`check_new_password`): the link is used up from here on (it
    carried a stamp of the old hash), the user is signed in now, every other session ends.
    Audited."""
    user.set_password(new)
    user.password_change_required = False
    user.last_login_at = utcnow()
    end_sessions(user)
    db.session.add(AuditEntry(user_id=user.id, action=f"user.password_{purpose}"))
    db.session.flush()


#: The audit action of a reset link mailed (counted to limit them per hour).
RESET_LINK_SENT = "user.reset_link_sent"


def record_reset_link_sent(user: User) -> None:
    db.session.add(AuditEntry(user_id=user.id, action=RESET_LINK_SENT))


def reset_password(admin: User | None, user: User) -> str:
    """An administrator's reset (``admin`` None: from the command line): a generated
    temporary password, returned to be shown once, that the user must replace at their next
    sign-in.  Ends the user's sessions, audited (who reset whose password; never the
    password)."""
    if admin is not None and user.id == admin.id:
        raise AccountError(_("Change your own password on your account page."))
    temporary = passwords.generate_password()
    user.set_password(temporary)
    user.password_change_required = True
    end_sessions(user)
    db.session.add(AuditEntry(user_id=admin.id if admin else None, action="user.password_reset",
                              new_value={"user_id": user.id, "email": user.email}))
    return temporary


def set_active(admin: User, user: User, active: bool) -> None:
    """(De)activate an account.  Deactivation ends its sessions for good: they do not come
    back when the account is activated again.  Its API tokens are refused while it is
    inactive (``user_for_token``).  Audited."""
    if user.id == admin.id:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(user)
    db.session.add(AuditEntry(user_id=admin.id, action="user.activate" if active else "user.deactivate",
                              new_value={"user_id": user.id, "email": user.email}))


def _window_start():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def login_locked(email: str, ip: str = "") -> bool:
    """True once this email has had too many recent failures from this network address
    (``LOGIN_MAX_FAILURES``), or from all addresses together (the far higher
    ``LOGIN_MAX_FAILURES_PER_ACCOUNT``, against guessing spread over many machines).  So a
    stranger who knows an official's email cannot lock the official out by typing wrong
    passwords from elsewhere, and guessing stays slow either way."""
    email = normalise_email(email)
    since = _window_start()
    if ip and queries.login_failure_count(email, since, ip[:64]) >= current_app.config["LOGIN_MAX_FAILURES"]:
        return True
    limit = current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] if ip else current_app.config["LOGIN_MAX_FAILURES"]
    return queries.login_failure_count(email, since) >= limit


def authenticate(email: str, password: str, ip: str = "") -> User | None:
    """The user if the credentials are right and the address is not locked out.

    Every failure is recorded.  A success clears only the failures of that email from the
    same address: failures typed elsewhere still count against the account-wide limit (a
    success from the owner's address must not wipe out a guesser's record).  Exactly one
    password hash is checked whether the email exists or not, active or not, so the time
    taken does not tell which emails have accounts."""
    email = normalise_email(email)
    if login_locked(email, ip):
        return None
    user = queries.user_with_email(email)
    if user is None:
        passwords.check_dummy_password(password)
        ok = False
    else:
        ok = user.check_password(password) and user.active
    if not ok:
        db.session.add(LoginFailure(email=email, ip=ip[:64]))
        db.session.flush()
        return None
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip[:64]))
    user.last_login_at = utcnow()
    return user


def set_locale(user: User, locale: str | None) -> None:
    """The language the user reads pages and reports in (None: the browser's), audited."""
    if locale not in (None, *current_app.config["LANGUAGES"]):
        raise ValueError(f"unknown language {locale!r}")
    if user.locale != locale:
        db.session.add(AuditEntry(user_id=user.id, action="user.locale", old_value=user.locale,
                                  new_value=locale))
        user.locale = locale


def set_time_zone(user: User, name: str | None) -> None:
    """The zone the user reads times in (None: the browser's), audited."""
    from ..timezones import valid

    if name is not None and not valid(name):
        raise ValueError(f"unknown time zone {name!r}")
    if user.time_zone != name:
        db.session.add(AuditEntry(user_id=user.id, action="user.time_zone", old_value=user.time_zone,
                                  new_value=name))
        user.time_zone = name


def issue_token(user: User, name: str = "") -> str:
    row, token = ApiToken.issue(user, name)
    db.session.add(row)
    db.session.flush()
    return token


#: "Last used" is kept to the minute: writing it on every API request would make each
#: request, reads included, a database write.
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(token: str) -> User | None:
    """The active user of an unrevoked ``token``; notes when the token was last used (at
    most once a minute: the caller commits when :func:`token_use_noted` says so)."""
    row = queries.token_with_hash(hash_token(token))
    if row is None or row.revoked or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - _aware(row.last_used_at) >= TOKEN_LAST_USED_RESOLUTION:
        row.last_used_at = now
    return row.user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def revoke_token(user: User, token_id: int) -> bool:
    row = queries.token_by_id(token_id)
    if row is None or (row.user_id != user.id and user.role != "admin") or row.revoked:
        return False
    row.revoked_at = utcnow()
    return True
