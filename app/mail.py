"""Outgoing mail: invitations, assignments, reminders, password reset links.

Sent by SMTP when ``MAIL_SERVER`` is set (``MAIL_PORT``, ``MAIL_USERNAME``/``MAIL_PASSWORD``,
``MAIL_USE_TLS`` for STARTTLS, ``MAIL_SENDER``); otherwise, in development and ``make run``,
written to the log with its link, so that nothing is needed to try it.  A mail that cannot
be sent is logged and reported to the caller (False): what it announces is already saved.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send(to: str, subject: str, body: str) -> bool:
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        current_app.logger.info("mail (not sent: MAIL_SERVER is not set) to %s: %s\n%s", to, subject, body)
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
