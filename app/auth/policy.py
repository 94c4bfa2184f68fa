"""Authorization, in one place.

Every query for assessments applies this module's conditions (:func:`visibility_clause`,
:func:`reachable_clause`) and every permission check goes through :func:`can`.  The policy
decides and returns SQL conditions; the queries modules put them in their ``where``
(app.assessments.queries, app.review.queries, ...); the policy runs no statement itself: the
rows it needs it asks of app.auth.queries.  The rules (issue 2):

- a respondent reads and edits only their own organisation's assessments;
- a reviewer reads submitted (never draft) assessments of all organisations and
  edits no answers;
- an admin manages users and organisations, reads what a reviewer reads plus
  their own organisation's assessments;
- a person given sections of one assessment (issue 13, ``Contributor``), of any
  organisation: a contributor reads and edits those sections, a reader reads them, an
  informant rates them privately (``RATE``); none of them sees anything else of it (it is
  not in :func:`visibility_clause`: lists, comparisons and exports leave it out), and
  every other assessment stays hidden (404).  Deleting the row ends it at once: every
  request asks the database again;
- a government's score beside a civil-society shadow assessment (issue 18, ``SHOW_BESIDE``):
  a self-assessment is shared with reviewers, not with the civil society that shadows it, so
  only reviewers and admins see it there, and only once it is submitted and not open for
  changes again (submitted, in review, accepted: the score stored on submit).  The NGO's own
  respondents never see it, on the page or in the PDF, whatever the government did.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask import abort, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_

from ..errors import RequestError
from ..lifecycle import COPYABLE, EDITABLE, REVIEWABLE
from ..models import Assessment, Contributor, User
from . import queries


class Action(StrEnum):
    VIEW = "view"            # read metadata, answers, score, reports
    EDIT = "edit"            # change answers
    SUBMIT = "submit"
    REVIEW = "review"        # start / return / accept
    COMMENT = "comment"      # post a comment
    MANAGE_USERS = "manage_users"
    MANAGE_LOGO = "manage_logo"      # upload or remove one's own organisation's logo
    USE_REVIEW = "use_review"  # the review area: lists, comparisons, exports (review issue)
    VIEW_ASSIGNED = "view_assigned"  # open it at all: the whole of it, or the sections one was given
    EDIT_ASSIGNED = "edit_assigned"  # change some answers: all of them, or the given sections' (the
                                     # save path refuses the other items: check_items)
    MANAGE_CONTRIBUTORS = "manage_contributors"  # invite and remove people, read the ratings
    RATE = "rate"            # an informant's own independent ratings
    SHOW_BESIDE = "show_beside"  # its stored score beside another organisation's assessment
                                 # (a government's beside an NGO's shadow assessment)


def _own(user: User):
    return Assessment.organisation_id == user.organisation_id


def _given(user: User):
    """The assessments ``user`` was given sections of."""
    return Assessment.id.in_(queries.assessment_ids_given_to(user))


def visibility_clause(user: User):
    """The SQL condition for the assessments ``user`` may see as a whole (lists,
    comparisons, exports: never those of which they were only given sections)."""
    if user.role == "respondent":
        return _own(user)
    not_draft = Assessment.status.in_(REVIEWABLE)
    if user.role == "reviewer":
        return not_draft
    if user.role == "admin":
        return or_(_own(user), not_draft)
    return Assessment.id.is_(None)  # unknown role: nothing


def reachable_clause(user: User):
    """The SQL condition for the assessments that exist for ``user``: those they see as a
    whole and those they were given sections of (403 beyond their part, not 404)."""
    return or_(visibility_clause(user), _given(user))


def can(user: User | None, action: Action, assessment: Assessment | None = None,
        section: str | None = None) -> bool:
    """``section``: the section key a contributor's right is asked for (ignored for the
    organisation's own rights, which cover the whole assessment)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if action is Action.MANAGE_USERS:
        return user.role == "admin"
    if action is Action.MANAGE_LOGO:
        return user.role in ("respondent", "admin")
    if action is Action.USE_REVIEW:  # review issue: what is listed is still visible_assessments
        return user.role in ("reviewer", "admin")
    assert assessment is not None
    return _organisation_can(user, action, assessment) or _contributor_can(user, action, assessment, section)


def _organisation_can(user: User, action: Action, assessment: Assessment) -> bool:
    own = assessment.organisation_id == user.organisation_id
    if action is Action.VIEW_ASSIGNED:
        return _organisation_can(user, Action.VIEW, assessment)
    if action is Action.EDIT_ASSIGNED:
        return _organisation_can(user, Action.EDIT, assessment)
    if action is Action.MANAGE_CONTRIBUTORS:
        return own and user.role in ("respondent", "admin")
    if action is Action.VIEW:
        if user.role == "respondent":
            return own
        if user.role == "reviewer":
            return assessment.status in REVIEWABLE
        if user.role == "admin":
            return own or assessment.status in REVIEWABLE
        return False
    if action in (Action.EDIT, Action.SUBMIT):
        return own and user.role in ("respondent", "admin") and assessment.status in EDITABLE
    if action is Action.REVIEW:
        return user.role in ("reviewer", "admin") and not own and assessment.status in REVIEWABLE
    if action is Action.SHOW_BESIDE:
        return shown_beside_others(user) and assessment.status in COPYABLE
    if action is Action.COMMENT:
        # Reviewers comment on what they review; the organisation may reply on its own.
        return can(user, Action.VIEW, assessment) and (
            own or user.role in ("reviewer", "admin")) and assessment.status in REVIEWABLE
    return False


def shown_beside_others(user: User) -> bool:
    """Whether ``user`` is ever shown an assessment's score beside another organisation's
    (``SHOW_BESIDE``, given the status): reviewers and admins.  Pages use it to tell the
    others, whatever exists, that they are not."""
    return getattr(user, "role", None) in ("reviewer", "admin")


def contribution(user: User, assessment: Assessment) -> Contributor | None:
    """``user``'s sections of ``assessment`` (None: none given), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    key = ("contribution", user.id, assessment.id)
    cache = g.setdefault("policy_cache", {}) if has_request_context() else {}
    if key not in cache:
        cache[key] = queries.contribution_row(user, assessment)
    return cache[key]


def _contributor_can(user: User, action: Action, assessment: Assessment, section: str | None) -> bool:
    row = contribution(user, assessment)
    if row is None:
        return False
    given = section is not None and section in row.sections  # VIEW, EDIT: never the whole
    open_ = assessment.status in EDITABLE
    if action is Action.VIEW_ASSIGNED:
        return True
    if action is Action.VIEW:
        return given and row.role in ("contributor", "reader")
    if action is Action.EDIT:
        return given and row.role == "contributor" and open_
    if action is Action.EDIT_ASSIGNED:
        return row.role == "contributor" and open_
    if action is Action.RATE:
        return row.role == "informant" and (section is None or given) and open_
    return False


def section_scope(user: User, assessment: Assessment) -> frozenset[str] | None:
    """The sections whose answers ``user`` may read: None for all of them (the
    organisation's own rights), else those given as contributor or reader (none to an
    informant: their work is their own ratings, unswayed by the shared answers)."""
    if _organisation_can(user, Action.VIEW, assessment):
        return None
    row = contribution(user, assessment)
    if row is None or row.role == "informant":
        return frozenset()
    return frozenset(row.sections)


def item_scope(user: User, assessment: Assessment) -> frozenset[str] | None:
    """The items of :func:`section_scope` (None: all)."""
    sections = section_scope(user, assessment)
    if sections is None:
        return None
    from ..assessments.store import questionnaire_of

    return frozenset(key for s in questionnaire_of(assessment).sections if s.key in sections for key in s.items)


def check_items(user: User, assessment: Assessment, keys) -> None:
    """Refuse a change touching any item outside what ``user`` was given: 403 with one
    message per such key; the caller saves nothing."""
    scope = item_scope(user, assessment)
    if scope is None:
        return
    outside = {str(key)[:64]: _("This question is not in the sections you were given.")
               for key in keys if key not in scope}
    if outside:
        raise RequestError(403, _("Some answers are outside the sections you were given; nothing was saved."),
                       outside)


def can_create_assessment(user: User) -> bool:
    return user.is_authenticated and user.active and user.role in ("respondent", "admin")


class _Parameters:
    """A user of ``role`` whose ids are a statement's parameters (``user_id``,
    ``organisation_id``): the conditions above, written for it, hold for every such user."""

    id = bindparam("user_id")
    organisation_id = bindparam("organisation_id")

    def __init__(self, role: str) -> None:
        self.role = role


#: (role, with the score document) -> load_assessment's statement: :func:`reachable_clause`
#: made once per role, run with the user's ids on every request (building and keying a
#: statement cost more than running it).
_REACHABLE: dict[tuple[str, bool], Any] = {}


def _reachable_statement(role: str, with_score: bool):
    found = _REACHABLE.get((role, with_score))
    if found is None:
        found = queries.assessment_statement(reachable_clause(_Parameters(role)), with_score)
        if len(_REACHABLE) < 32:  # the roles there are, twice
            _REACHABLE[(role, with_score)] = found
    return found


def load_assessment(user: User, assessment_id: int, action: Action = Action.VIEW,
                    section: str | None = None, *, with_score: bool = True) -> Assessment:
    """The assessment if ``user`` may see it (else 404, hiding its existence) and
    may do ``action`` on it (else 403).  ``with_score=False``: for a page that does not read
    the stored score document from the row (it is read only if asked for)."""
    # Those given in part exist for the user (403 beyond their part); every other one is 404.
    assessment = queries.assessment_under(_reachable_statement(user.role, with_score), {
        "user_id": user.id, "organisation_id": user.organisation_id, "assessment_id": assessment_id})
    if assessment is None:
        abort(404, description=_("There is no such assessment, or it is not one you may see."))
    if not can(user, action, assessment, section):
        abort(403, description=_("You may not do this with this assessment."))
    return assessment
