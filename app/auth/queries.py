"""Reads of accounts: users, organisations, API tokens, sign-in failures, the audit of an
account; and the rows the authorization policy asks for.

app.auth.policy decides who sees what and runs no statement itself: it hands its SQL
conditions to the functions at the end of this module.  This module imports nothing of the
policy (the policy imports it)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import ApiToken, Assessment, AuditEntry, Contributor, LoginFailure, Organisation, User


# -- users ------------------------------------------------------------------------------------
def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


#: Made once: a statement keeps its cache key, and ``session.get`` builds its own each time.
_SESSION_USER = select(User).where(User.id == bindparam("user_id"))


def session_user(user_id: int) -> User | None:
    """The user of a session cookie, read afresh on every request (:func:`user_by_id`,
    without building the statement each time)."""
    return db.session.scalar(_SESSION_USER, {"user_id": user_id})


def user_with_email(email: str) -> User | None:
    """The user of ``email`` exactly as stored (the caller normalises it: lower case, trimmed)."""
    return db.session.scalar(select(User).where(User.email == email))


def users_by_organisation() -> list[User]:
    """Every user, by organisation name then email (the administrator's list)."""
    return list(db.session.scalars(select(User).join(Organisation).order_by(Organisation.name, User.email)))


# -- organisations -----------------------------------------------------------------------------
def organisation_by_id(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def organisation_with_name(name: str) -> Organisation | None:
    """The organisation of exactly this name."""
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def organisations_by_name() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def organisations_with_counts(visible) -> list[tuple[Organisation, int, int]]:
    """Every organisation by name, with its number of users (accounts, active or not) and of
    the assessments meeting ``visible`` (the policy's ``visibility_clause`` of the reader:
    an administrator counts only what they may see, never another organisation's drafts)."""
    users = (select(User.organisation_id, func.count(User.id).label("n"))
             .group_by(User.organisation_id).subquery())
    assessments = (select(Assessment.organisation_id, func.count(Assessment.id).label("n"))
                   .where(visible).group_by(Assessment.organisation_id).subquery())
    rows = db.session.execute(
        select(Organisation, func.coalesce(users.c.n, 0), func.coalesce(assessments.c.n, 0))
        .outerjoin(users, users.c.organisation_id == Organisation.id)
        .outerjoin(assessments, assessments.c.organisation_id == Organisation.id)
        .order_by(Organisation.name))
    return [(org, int(n_users), int(n_assessments)) for org, n_users, n_assessments in rows]


# -- API tokens ----------------------------------------------------------------------------------
def token_by_id(token_id: int) -> ApiToken | None:
    return db.session.get(ApiToken, token_id)


def token_with_hash(token_hash: str) -> ApiToken | None:
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def tokens_of(user: User) -> list[ApiToken]:
    """``user``'s API tokens, newest first (revoked ones too)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc())))


# -- sign-in failures and the account's audit ------------------------------------------------------
def login_failure_count(email: str, since: datetime, ip: str | None = None) -> int:
    """Failed sign-ins of ``email`` since ``since``: from network address ``ip`` (already cut
    to the column's 64 characters), or from anywhere when ``ip`` is None."""
    query = select(func.count(LoginFailure.id)).where(LoginFailure.email == email, LoginFailure.at >= since)
    if ip is not None:
        query = query.where(LoginFailure.ip == ip)
    return db.session.scalar(query) or 0


def audited_action_count(user: User, action: str, since: datetime) -> int:
    """How many times ``action`` was recorded for ``user`` since ``since``."""
    return db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.user_id == user.id, AuditEntry.action == action, AuditEntry.at >= since)) or 0


# -- what the authorization policy asks for ----------------------------------------------------------
def assessment_ids_given_to(user: User) -> Select:
    """A subquery: the ids of the assessments ``user`` was given sections of."""
    return select(Contributor.assessment_id).where(Contributor.user_id == user.id)


def contribution_row(user: User, assessment: Assessment) -> Contributor | None:
    """``user``'s sections of ``assessment`` (None: none given)."""
    return db.session.scalar(select(Contributor).where(
        Contributor.assessment_id == assessment.id, Contributor.user_id == user.id))


def assessment_statement(condition, with_score: bool = True) -> Select:
    """The statement for assessment ``assessment_id`` (a parameter) if it meets ``condition``
    (the policy's, written with parameters of its own once per role): run with
    :func:`assessment_under`. ``with_score=False`` leaves its stored score document (some
    300 KB) in the database until it is read."""
    stmt = select(Assessment).where(condition, Assessment.id == bindparam("assessment_id"))
    return stmt if with_score else stmt.options(defer(Assessment.score))


def assessment_under(statement: Select, parameters: dict[str, int]) -> Assessment | None:
    """The assessment ``statement`` (:func:`assessment_statement`) finds with ``parameters``."""
    return db.session.scalar(statement, parameters)
