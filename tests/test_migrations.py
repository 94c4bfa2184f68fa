"""Migrations build the schema on both backends, match the models, and go down and up."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from config import TestConfig


def _run(app, *args):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        {"upgrade": upgrade, "downgrade": downgrade}[args[0]](*args[1:])


def _tables(app):
    from app.extensions import db

    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_matches_models_and_round_trips(db_url):
    from app.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    _run(app, "upgrade")
    with app.app_context():
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        expected = set(db.metadata.tables)
    assert _tables(app) == expected
    _run(app, "downgrade", None, "base")
    assert _tables(app) == set()
    _run(app, "upgrade")
    assert _tables(app) == expected
    with app.app_context():
        db.engine.dispose()
