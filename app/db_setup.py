"""Database connection settings: SQLite gets WAL and foreign keys."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(dbapi_connection, connection_record):
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        # A write waits this long for another writer's lock (app.assessments.locking) before
        # "database is locked" (a 503 asking to retry); well under gunicorn's 30 s timeout.
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def init_app(app: Flask) -> None:
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
