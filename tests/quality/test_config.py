import pytest

from config import DEFAULT_SECRET_KEY, Config, ProductionConfig


def test_production_refuses_the_default_secret_key(monkeypatch):
    from app import create_app

    class Prod(ProductionConfig):
        SECRET_KEY = DEFAULT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="default or a short SECRET_KEY"):
        create_app(Prod)


def test_production_refuses_a_short_secret_key():
    from app import create_app

    class Prod(ProductionConfig):
        SECRET_KEY = "short"
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError):
        create_app(Prod)


def test_production_starts_with_a_real_key_and_secure_cookies():
    from app import create_app

    class Prod(ProductionConfig):
        SECRET_KEY = "x" * 48
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Prod)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_development_defaults_to_sqlite_under_instance():
    assert Config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert "/instance/" in Config.SQLALCHEMY_DATABASE_URI


def test_sqlite_runs_in_wal_mode(tmp_path):
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    from config import TestConfig

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
