"""One lock per assessment, taken by every write that depends on its current state: saves,
submit, review decisions, score recomputes.  The same statement works on both backends.

``SELECT ... FOR UPDATE`` does nothing on SQLite, and SQLite's driver opens a transaction
only at the first write, so a save that read the revision first and wrote second could
interleave with another save between the two (two saves acknowledged at one revision, a
unique-key race on a new answer row, a save silently overwritten).  So the lock *is* a write:
a no-op ``UPDATE`` of the assessment's row.

* SQLite: the ``UPDATE`` opens the transaction and takes the database's write lock (waiting
  up to ``busy_timeout`` for another writer), from a snapshot taken at that moment; every
  later read of the request sees the newest committed state and nobody else can write
  until the request commits or rolls back.
* PostgreSQL: the ``UPDATE`` takes the row lock (like ``FOR UPDATE``), and at READ COMMITTED
  every later statement sees what the previous holder committed.

After the lock, what the caller read before it may be stale: the status and revision are
read again and the answer rows are expired, so the check-then-write that follows is made
on current data.

A save calls this more than once in one transaction (the section's merge, then the save
itself): once the lock is ours, nobody else can change the assessment or its answers until
the transaction ends (no statement of ours writes answers behind the ORM's back), so a second
call only flushes.  It used to reload every answer of the assessment a second time: about a
fifth of an autosave's CPU (issue 14).
"""
from __future__ import annotations

import weakref

from sqlalchemy import text

from ..extensions import db
from ..models import Assessment

#: Plain SQL so that no ``onupdate`` default changes anything.
_TOUCH = text("UPDATE assessments SET revision = revision WHERE id = :id")

#: What another request may have changed before the lock was ours.
_STATE = ("revision", "status", "submitted_at", "score", "score_rubric_version", "scored_at",
          "overall_score", "updated_at", "updated_by_id")


def lock_assessment(assessment: Assessment) -> Assessment:
    """Hold ``assessment``'s write lock until the request's transaction ends, with its
    state and answers read afresh.  Returns the same object."""
    db.session.flush()  # nothing of ours is left pending behind the refresh
    if assessment.id in _held():
        return assessment
    db.session.execute(_TOUCH, {"id": assessment.id})
    db.session.refresh(assessment, attribute_names=list(_STATE))
    db.session.expire(assessment, ["answers"])
    _held().add(assessment.id)
    return assessment


def _held() -> set[int]:
    """The ids of the assessments whose lock the session's current transaction holds: a new
    transaction (after a commit or a rollback) or a savepoint starts with none.  Keyed by the
    transaction object itself, weakly, so that an ended transaction's entry goes with it."""
    session = db.session()  # the request's session behind the scoped proxy
    # The innermost transaction: a lock taken inside a savepoint ends when it is rolled back to.
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        return set()
    locks = session.info.setdefault("assessment_locks", weakref.WeakKeyDictionary())
    return locks.setdefault(transaction, set())
