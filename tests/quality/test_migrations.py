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


def test_overall_score_is_filled_from_stored_scores_on_upgrade(db_url):
    """0002 adds ``assessments.overall_score`` and fills it from the score documents stored
    before it existed; the model keeps it in step with ``score`` from then on."""
    from datetime import datetime, timezone

    from app.extensions import db

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    _run(app, "upgrade", None, "0001_initial")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    meta = sa.MetaData()
    with app.app_context():
        with db.engine.begin() as conn:
            meta.reflect(conn, only=["organisations", "questionnaire_versions", "assessments"])
            orgs, versions, assessments = (meta.tables[n] for n in ("organisations", "questionnaire_versions", "assessments"))
            conn.execute(orgs.insert().values(id=1, name="Org", kind="ngo", created_at=now))
            conn.execute(versions.insert().values(id=1, questionnaire_id="q", version="1.0", title="Q",
                                                  content_hash="0" * 64, rubric_version="1.0",
                                                  item_count=1, published_at=now))
            base = dict(organisation_id=1, questionnaire_version_id=1, jurisdiction="KE", period="2025",
                        title="A", status="submitted", revision=1, created_at=now, updated_at=now)
            conn.execute(assessments.insert(), [
                base | {"id": 1, "score": {"overall": {"score": 61.5, "band": "established"}}},
                base | {"id": 2, "score": {"overall": {"score": None}}},
                base | {"id": 3, "status": "draft", "score": None},
            ])
        db.engine.dispose()
    _run(app, "upgrade")
    with app.app_context():
        with db.engine.connect() as conn:
            got = dict(conn.execute(sa.text("SELECT id, overall_score FROM assessments ORDER BY id")).all())
        assert got == {1: 61.5, 2: None, 3: None}

        from app.models import Assessment

        row = db.session.get(Assessment, 2)
        row.score = {"overall": {"score": 12.25}}
        db.session.commit()
        assert db.session.scalar(sa.select(Assessment.overall_score).where(Assessment.id == 2)) == 12.25
        db.session.remove()
        db.engine.dispose()


def test_running_the_migrations_in_process_keeps_the_apps_loggers(tmp_path):
    """Alembic's fileConfig disabled every existing logger by default: after an in-process
    upgrade the development mail outbox went silent (a mail test failed depending on which
    test ran before it in the same worker)."""
    import logging

    from app import mail

    mail.OUTBOX.disabled = False
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    _run(app, "upgrade")
    assert not mail.OUTBOX.disabled
    assert not logging.getLogger("app").disabled
