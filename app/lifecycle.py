"""The lifecycle of an assessment: its statuses, the state machine between them, and every
set of statuses the rest of the application asks about, derived here from the table.

Pure: no Flask, no database.  :mod:`app.review.operations` applies a reviewer's transition
and records it; :func:`app.assessments.operations.submit` applies the organisation's own
``submit`` / ``resubmit`` (listed here so the whole machine reads in one place)::

    draft ──submit──> submitted ──start──> in_review ──accept──> accepted
                          ^                    │
                          └──resubmit── returned <──return──┘   (a reason is required)
"""
from __future__ import annotations

from dataclasses import dataclass

REVIEWER = "reviewer"
ORGANISATION = "organisation"

#: Every status, in lifecycle order (the order of filters and choices).
STATUSES: tuple[str, ...] = ("draft", "submitted", "in_review", "returned", "accepted")
#: The status of a new assessment.
DRAFT = "draft"


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    actor: str                   # who may take it: REVIEWER or ORGANISATION
    reason_required: bool = False


#: (action, from status) -> transition.  Anything not in the table is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.action, t.source): t for t in (
        Transition("submit", DRAFT, "submitted", ORGANISATION),
        Transition("start", "submitted", "in_review", REVIEWER),
        Transition("return", "in_review", "returned", REVIEWER, reason_required=True),
        Transition("accept", "in_review", "accepted", REVIEWER),
        Transition("resubmit", "returned", "submitted", ORGANISATION),
    )
}


def _in_order(statuses: set[str]) -> tuple[str, ...]:
    return tuple(s for s in STATUSES if s in statuses)


#: The organisation may change the answers: the statuses it submits from.
EDITABLE = _in_order({t.source for t in TRANSITIONS.values() if t.actor == ORGANISATION})
#: Submitted at least once: reviewers see these (every status a transition leads to).
REVIEWABLE = _in_order({t.target for t in TRANSITIONS.values()})
#: The answers can still change, so the score is computed live rather than read from the
#: one stored on submit (RUBRIC 8).
LIVE_SCORE = EDITABLE
#: Submitted and not open for changes: a fixed set of answers a new assessment may start from.
COPYABLE = _in_order(set(REVIEWABLE) - set(EDITABLE))
#: A reviewer has taken the assessment up: the organisation sees the review's outcome.
FEEDBACK = _in_order({t.target for t in TRANSITIONS.values() if t.actor == REVIEWER})
#: Submitted, then open for changes again: the working copy may differ from the last
#: submission (app.assessments.seen).
REEDITED = _in_order(set(EDITABLE) & set(REVIEWABLE))

#: Every action, in table order (the review history's recorded actions).
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS.values()))
#: The actions a reviewer takes through ``POST /api/v1/assessments/{id}/review``.
REVIEWER_ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(
    t.action for t in TRANSITIONS.values() if t.actor == REVIEWER))


class TransitionRefused(Exception):
    """The workflow does not allow ``action`` from ``status`` (HTTP 409)."""

    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(f"cannot {action} an assessment that is {status}")


def transition(status: str, action: str) -> Transition:
    """The transition ``action`` takes from ``status``; :class:`TransitionRefused` if none."""
    found = TRANSITIONS.get((action, status))
    if found is None:
        raise TransitionRefused(action, status)
    return found


def allowed_actions(status: str, actor: str = REVIEWER) -> list[str]:
    """The actions ``actor`` may take from ``status``, in table order."""
    return [t.action for t in TRANSITIONS.values() if t.source == status and t.actor == actor]


def requires_reason(action: str) -> bool:
    return any(t.reason_required for t in TRANSITIONS.values() if t.action == action)
