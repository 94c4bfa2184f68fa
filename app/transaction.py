"""One transaction per request, like Indico's ``RH.process``: operations only flush; the
request commits once, when its view returns, and rolls back when anything raises (the error
handlers in :mod:`app.errors` roll back too, for what fails before or after the view).

This is the only place a request commits or rolls back: views, loaders and operations never
do (a test reads the code for it).  Background jobs and CLI commands are not requests: they
keep their own explicit transactions (:mod:`app.jobs`, :mod:`app.cli`).

A view that shows an operation's refusal on the page (a form with the reason) runs the
operation in :func:`attempt`, which rolls back at once when it is refused: nothing the refused
operation did is kept or shown, and the assessment's write lock (:mod:`app.assessments.locking`)
is released before the page renders.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

from .extensions import db


class RequestApp(Flask):
    """The application: each view runs in the request's one transaction."""

    def dispatch_request(self):
        try:
            response = super().dispatch_request()
        except BaseException:
            rollback()
            raise
        # Inside Flask's error handling: a commit the database refuses (a conflict, a busy
        # database) is answered by app.errors like any other refusal, never a bare 500.
        db.session.commit()
        return response


def settle_before_waiting() -> None:
    """Commit what the request wrote so far before it waits on something outside the
    database (a render job): a write lock held while waiting would stop every other writer
    -- on SQLite the whole database, including the job that stores the PDF -- for as long as
    the wait.  The one exception to "the request commits once", and the one place it happens."""
    db.session.commit()


def rollback() -> None:
    """Drop everything the request wrote (an error is being answered)."""
    db.session.rollback()


@dataclass
class Attempt:
    refused: Exception | None = None   # the operation's refusal; None: it went through


@contextmanager
def attempt(*refusals: type[Exception]) -> Iterator[Attempt]:
    """Run an operation the view may answer with a page when it is refused: one of
    ``refusals`` raised inside is caught, the request's writes are rolled back at once, and the
    refusal is kept in the yielded :class:`Attempt`.  Anything else propagates as usual."""
    outcome = Attempt()
    try:
        yield outcome
    except refusals as exc:
        rollback()
        outcome.refused = exc
