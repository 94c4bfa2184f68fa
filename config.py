"""Configuration from the environment, with safe defaults.

``Config`` is for development and demo use (SQLite under ``instance/``);
``ProductionConfig`` refuses to start with the default secret key and turns on
secure cookies; ``TestConfig`` is what the test-suite builds on.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'readiness.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    QUESTIONNAIRE_DIR = os.environ.get("QUESTIONNAIRE_DIR", str(BASE_DIR / "questionnaires"))

    # Request limits: a whole section of answers with evidence fits in well under 1 MB.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    MAX_LOGO_BYTES = int(os.environ.get("MAX_LOGO_BYTES", 512 * 1024))
    # Uploaded workbooks (app/workbooks): a filled questionnaire is some 50 KB, 2 MB unzipped.
    # Documents attached to evidence (app/attachments): where they are kept (default
    # instance/attachments), the largest file and the most an assessment may hold.
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR") or None
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
    ATTACHMENT_MAX_TOTAL_BYTES = int(os.environ.get("ATTACHMENT_MAX_TOTAL_BYTES", 200 * 1024 * 1024))
    WORKBOOK_MAX_BYTES = int(os.environ.get("WORKBOOK_MAX_BYTES", 1024 * 1024))
    WORKBOOK_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("WORKBOOK_MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024))

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None  # forms stay open for hours while officials work

    PASSWORD_HASH_METHOD = "scrypt"

    # Login throttling: after this many failures within the window, refuse further tries.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60))
    # Per email and address (above); and per email from all addresses together, far higher,
    # so that nobody can lock a user out from another machine.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 50))

    # Translations.
    BABEL_DEFAULT_LOCALE = "en"
    # The six official languages of the United Nations (pages, reports, questionnaire texts).
    LANGUAGES = ["en", "fr", "es", "ru", "zh", "ar"]
    # Translations made by machine and not yet reviewed by a qualified translator: pages in
    # these languages say so, and that the English text is authoritative.
    DRAFT_LANGUAGES = ["fr", "es", "ru", "zh", "ar"]

    # PDF rendering.
    PDF_CACHE_DIR = os.environ.get("PDF_CACHE_DIR", str(INSTANCE_DIR / "pdf-cache"))
    # Several web or worker machines: keep finished PDFs in a store they all reach too
    # ("database": the app's own database, table report_files; or another SQLAlchemy URL).
    # Unset: the disk cache alone (one machine, or PDF_CACHE_DIR on a shared volume).
    PDF_SHARED_STORE = os.environ.get("PDF_SHARED_STORE") or None
    PDF_RENDER_TIMEOUT_SECONDS = int(os.environ.get("PDF_RENDER_TIMEOUT_SECONDS", 60))
    # Render the reports of an assessment into the PDF cache in the background when they
    # change for good (submit, review decisions, comments), so the download is a cache hit.
    REPORT_WARMING = _bool("REPORT_WARMING", True)
    # A download waits this long for its render job, then answers 202 with the job to poll.
    # Keep it well below the server's worker timeout (gunicorn --timeout, 30 s by default).
    PDF_DOWNLOAD_WAIT_SECONDS = float(os.environ.get("PDF_DOWNLOAD_WAIT_SECONDS", 20))

    # Background jobs (app/jobs): RQ on Redis when REDIS_URL is set (run `flask --app app jobs
    # worker`), else the embedded backend: job processes started by each web process.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    JOB_BACKEND = os.environ.get("JOB_BACKEND") or None       # "rq" or "embedded"
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "readiness")
    JOB_WORKERS = int(os.environ.get("JOB_WORKERS", 1))       # embedded: jobs at once on the machine
    JOB_RETRIES = int(os.environ.get("JOB_RETRIES", 1))       # runs more after a crashed one
    JOB_STATE_DIR = os.environ.get("JOB_STATE_DIR") or None   # embedded: default <PDF_CACHE_DIR>/jobs

    # Mail (app/mail.py): by SMTP when MAIL_SERVER is set, else written to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "readiness@localhost")
    # How long the signed links in mails work: an invitation to set a password, a reset.
    INVITATION_MAX_AGE_SECONDS = int(os.environ.get("INVITATION_MAX_AGE_SECONDS", 14 * 24 * 3600))
    PASSWORD_RESET_MAX_AGE_SECONDS = int(os.environ.get("PASSWORD_RESET_MAX_AGE_SECONDS", 3600))
    # The address readers know the service by (``https://readiness.example.org``): the "how
    # to cite" line of reports and results pages gives the assessment's address under it.
    # Unset: pages use the request's address, reports rendered outside a request none.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    PREFERRED_URL_SCHEME = "http"
    PRODUCTION = False

    @classmethod
    def check(cls, app) -> None:
        """Refuse configurations that must not run; called by the app factory."""


class ProductionConfig(Config):
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls, app) -> None:
        key = app.config.get("SECRET_KEY")
        if not key or key == DEFAULT_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "Refusing to start in production with the default or a short SECRET_KEY: "
                "set SECRET_KEY to a random string of at least 32 characters, e.g. "
                "python -c 'import secrets; print(secrets.token_hex(32))'")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-use-0123456789"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = True
    PDF_CACHE_DIR = None  # tests pass a temporary directory
    REPORT_WARMING = False  # tests of the warm-up switch it on
    JOB_BACKEND = "embedded"  # whatever the environment says; the RQ tests choose it
    # A test that wants the 202 path sets 0; the others must not depend on the machine's load.
    PDF_DOWNLOAD_WAIT_SECONDS = 180
    # A 63-page printable form takes over 60 s on a loaded 2-core machine (the authorization
    # matrix failed on it): the render limit stays below the wait, above any render seen.
    PDF_RENDER_TIMEOUT_SECONDS = 170
    REDIS_URL = None
    MAIL_SERVER = None  # the mail tests start their own SMTP server
    PUBLIC_URL = None  # whatever the environment says; tests that need it set it
    # Hashing stays real (salted PBKDF2) but cheap, so the suite stays fast.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def config_from_env() -> type[Config]:
    return CONFIGS.get(os.environ.get("APP_ENV", "development"), Config)
