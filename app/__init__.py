"""Application factory: a list of small named steps."""
from __future__ import annotations

import logging

from flask import Flask

from config import Config, config_from_env


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    config = config or config_from_env()
    from .transaction import RequestApp

    app = RequestApp(__name__, instance_relative_config=True)  # one transaction per request
    app.config.from_object(config)
    app.config.update(overrides)
    config.check(app)
    _prepare_instance(app)
    _strict_input(app)
    _init_extensions(app)
    _load_questionnaires(app)
    _register_blueprints(app)
    _register_cli(app)
    _init_reports(app)
    from . import security, errors, i18n, urls, wire

    security.init_app(app)
    wire.init_app(app)
    urls.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    return app


def _prepare_instance(app: Flask) -> None:
    from pathlib import Path

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _strict_input(app: Flask) -> None:
    from . import http_input

    # Before any blueprint: the strict ``int`` URL converter must exist when routes are added.
    http_input.init_app(app)


def _init_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, login_manager, migrate
    from . import db_setup

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    db_setup.init_app(app)
    from .auth import loaders  # noqa: F401  (registers the user and token loaders)


def _select_locale():
    from flask import has_request_context, request
    from flask_login import current_user

    if not has_request_context():  # CLI, background work, tests of operations
        return _current_app_languages()[0]

    langs = _current_app_languages()
    if getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    from .i18n import chosen_language

    return chosen_language(langs) or request.accept_languages.best_match(langs) or "en"


def _current_app_languages():
    from flask import current_app

    return current_app.config["LANGUAGES"]


def _init_reports(app: Flask) -> None:
    from .reports import warming as report_warming

    from . import jobs

    jobs.init_app(app)  # PDF renders run as jobs, never in a web worker
    report_warming.init_app(app)


def _load_questionnaires(app: Flask) -> None:
    from .questionnaire.catalog import Catalog

    # A malformed definition stops the server here, loudly, with one line per problem.
    app.extensions["catalog"] = Catalog.from_directory(app.config["QUESTIONNAIRE_DIR"])


def _register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .assessments import bp as assessments_bp
    from .attachments.views import bp as attachments_bp
    from .auth import bp as auth_bp
    from .contributors import bp as contributors_bp
    from .main import bp as main_bp
    from .organisation import bp as organisation_bp
    from .results import bp as results_bp
    from .review import bp as review_bp
    from .shadow.views import bp as shadow_bp
    from .workbooks import bp as workbooks_bp

    for bp in (main_bp, auth_bp, assessments_bp, attachments_bp, results_bp, review_bp, workbooks_bp,
               organisation_bp, contributors_bp, shadow_bp):
        app.register_blueprint(bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


logging.getLogger("fontTools").setLevel(logging.WARNING)
