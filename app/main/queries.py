"""Reads of the front door: the health probe's one statement."""
from __future__ import annotations

from sqlalchemy import text

from ..extensions import db


def database_answers() -> None:
    """``SELECT 1``: returns when the database answers, raises when it does not."""
    db.session.execute(text("SELECT 1"))
