"""The review workflow as a state machine: a transition table, nothing else.

Pure: no Flask, no database.  :mod:`app.review.operations` applies a transition and
records it; :func:`app.assessments.operations.submit` applies the organisation's own
``submit`` / ``resubmit`` (listed here so the whole machine reads in one place)::

    draft ──submit──> submitted ──start──> in_review ──accept──> accepted
                          ^                    │
                          └──resubmit── returned <──return──┘   (a reason is required)
"""
from __future__ import annotations

from dataclasses import dataclass

REVIEWER = "reviewer"
ORGANISATION = "organisation"


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
        Transition("submit", "draft", "submitted", ORGANISATION),
        Transition("resubmit", "returned", "submitted", ORGANISATION),
        Transition("start", "submitted", "in_review", REVIEWER),
        Transition("return", "in_review", "returned", REVIEWER, reason_required=True),
        Transition("accept", "in_review", "accepted", REVIEWER),
    )
}

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
