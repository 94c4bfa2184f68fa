"""Outgoing mail: invitations, assignments, reminders, password reset links.

Sent by SMTP when ``MAIL_SERVER`` is set (``MAIL_PORT``, ``MAIL_USERNAME``/``MAIL_PASSWORD``,
``MAIL_USE_TLS`` for STARTTLS, ``MAIL_SENDER``); otherwise, in development and ``make run``,
written to the log with its link, so that nothing is needed to try it.  A mail that cannot
be sent is logged and reported to the caller (False): what it announces is already saved.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask.logging import wsgi_errors_stream

# The development outbox: mails not sent (no MAIL_SERVER) are written here at INFO.  Its own
# handler and level, because Flask's app.logger shows only WARNING and above when debug is
# off (``make run``), so the mail would be silently dropped.  Not under the app's logger
# (whose handler would print it twice); it still propagates to the root logger, so that a
# deployment's logging configuration (and pytest's caplog) sees it too.
OUTBOX = logging.getLogger("readiness.mail")
OUTBOX.setLevel(logging.INFO)
if not OUTBOX.handlers:
    _handler = logging.StreamHandler(wsgi_errors_stream)  # the request's error stream, else stderr
    _handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s in mail: %(message)s"))
    OUTBOX.addHandler(_handler)


def send(to: str, subject: str, body: str) -> bool:
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        OUTBOX.info("mail (not sent: MAIL_SERVER is not set) to %s: %s\n%s", to, subject, body)
        return True
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or "readiness@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT") or 25), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.error("mail to %s could not be sent (%s): %s", to, exc.__class__.__name__, subject)
        return False
    return True
