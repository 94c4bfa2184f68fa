"""Errors: JSON for the API, friendly pages for people; never a bare 500 for bad input."""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, make_response, redirect, render_template, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge


class RequestError(Exception):
    """A request refused, with its HTTP status and the details: raised by operations, pages and
    API views alike; answered as ``{"error", "details"}`` to the API, as a page to people.
    ``errors``: the refusals of an answer patch, each with its machine code and path
    (:class:`app.questionnaire.answer_errors.AnswerError`), also answered as ``errors``."""

    def __init__(self, status: int, message: str, details: dict[str, Any] | None = None,
                 errors: Sequence[Any] = ()):
        message = str(message)   # a lazy text (module-level, _l) in the request's language
        super().__init__(message)
        self.status, self.message, self.details = status, message, details or {}
        self.errors = list(errors)


#: The API's name for it (its views and CONTRACTS.md speak of API errors): the same class.
ApiError = RequestError


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def json_error(status: int, message: str, details: dict[str, Any] | None = None, errors: Sequence[Any] = ()):
    """``{"error", "details"}``, and ``errors`` (each with its ``code`` and ``path``) when given."""
    body = {"error": str(message), "details": details or {}}
    if errors:
        body["errors"] = [error.to_json() for error in errors]
    response = jsonify(body)
    response.status_code = status
    return response


#: Endpoint -> the message for a request body over MAX_CONTENT_LENGTH, where a form has a
#: limit of its own to state (the logo form: "at most 512 KB", not the 2 MB of any request).
TOO_LARGE_MESSAGES: dict[str, Callable[[], str]] = {}


def _same_site_referrer() -> str | None:
    """The page the request came from, when it is one of ours (a form to go back to)."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    return referrer if parts.netloc == request.host and parts.scheme in ("http", "https") else None


def _request_error(exc: RequestError):
    if wants_json():
        return json_error(exc.status, exc.message, exc.details, exc.errors)
    return render_template("error.html", status=exc.status, message=exc.message), exc.status


def _csrf(exc: CSRFError):
    message = _("The form expired or was sent from elsewhere. Reload the page and try again; "
                "nothing was saved.")
    if wants_json():
        return json_error(400, _("CSRF token missing or invalid"), {"csrf": exc.description})
    return render_template("error.html", status=400, message=message), 400


def _too_large(exc: RequestEntityTooLarge):
    limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message = _("The request is too large (limit %(mb).1f MB). Nothing was saved.",
                mb=limit / 1024 / 1024)
    if wants_json():
        return json_error(413, _("request body too large"), {"limit_bytes": limit})
    specific = TOO_LARGE_MESSAGES.get(request.endpoint or "")
    if specific is not None:
        message = specific()
    back = _same_site_referrer()
    if back and request.method == "POST":
        # Back to the form, with the reason at the top: not a dead end.
        flash(message, "error")
        return redirect(back, 303)
    return render_template("error.html", status=413, message=message), 413


def _http(exc: HTTPException):
    if wants_json():
        return json_error(exc.code or 500, _api_message(exc))
    return render_template("error.html", status=exc.code, message=_page_message(exc)), exc.code


# The database refused or could not take a write.  Operations check first and lock the
# assessment (app.assessments.locking), so these are last lines of defence; the request's
# transaction is rolled back whole either way: nothing half-saved, never a 500.
def _integrity(exc: IntegrityError):
    return _storage_refused(409, _("the change conflicts with another one saved at the same time; "
                              "nothing was saved: reload and try again"), exc)


def _data(exc: DataError):
    return _storage_refused(400, _("a value cannot be stored (out of range or not valid text); "
                              "nothing was saved"), exc)


def _operational(exc: OperationalError):
    if not _is_busy(exc):
        return _unexpected(exc)
    response = _storage_refused(503, _("the database is busy; nothing was saved: try again in a "
                                  "moment"), exc)
    response.headers["Retry-After"] = "2"
    return response


def _storage_refused(status: int, message: str, exc: Exception):
    current_app.logger.warning("storage refused a request (%s): %s", status, str(exc).splitlines()[0][:300])
    if wants_json():
        return json_error(status, message)
    return make_response(render_template("error.html", status=status, message=message), status)


def _unexpected(exc: Exception):
    current_app.logger.exception("unhandled error")
    if current_app.config.get("TESTING") and current_app.config.get("PROPAGATE_UNEXPECTED", True):
        raise exc
    if wants_json():
        return json_error(500, _("internal error; nothing was saved"))
    return render_template("error.html", status=500,
                           message=_("Something went wrong on our side. Nothing was saved.")), 500


#: Exception class -> its handler.  Flask picks the handler of the most specific class (by the
#: exception's MRO), so Exception's is the last resort whatever the order here.
HANDLERS: dict[type[Exception], Callable[[Any], Any]] = {
    RequestError: _request_error,
    CSRFError: _csrf,
    RequestEntityTooLarge: _too_large,
    HTTPException: _http,
    IntegrityError: _integrity,
    DataError: _data,
    OperationalError: _operational,
    Exception: _unexpected,
}


def _rolled_back(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The handler, after dropping whatever the failed request wrote (the request's one
    transaction, app.transaction): an error never keeps half a change."""
    @functools.wraps(handler)
    def rolled_back(exc):
        from .transaction import rollback

        rollback()
        return handler(exc)
    return rolled_back


def init_app(app: Flask) -> None:
    for exception, handler in HANDLERS.items():
        app.register_error_handler(exception, _rolled_back(handler))


def _default_messages() -> dict[int, str]:
    """Our sentences for Werkzeug's default descriptions, which are English only."""
    return {
        400: _("The request could not be understood. Check what you entered and try again."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist. Check the address, or go back to the start page."),
        405: _("This page cannot be used that way."),
        410: _("This page is no longer available."),
        413: _("The request is too large. Nothing was saved."),
        429: _("Too many requests. Wait a moment and try again."),
    }


def _api_message(exc: HTTPException) -> str:
    """The API's message: the description the code gave, else Werkzeug's own English sentence
    for the status (unchanged in English, as clients know it), translated."""
    if exc.description and exc.description != type(exc).description:
        return exc.description
    ours = {
        404: _("The requested URL was not found on the server. If you entered the URL manually "
               "please check your spelling and try again."),
        405: _("The method is not allowed for the requested URL."),
    }
    return ours.get(exc.code or 0, exc.description or exc.name)


def _page_message(exc: HTTPException) -> str | None:
    """The description the code gave (already translated), else ours for the status: Werkzeug's
    default descriptions are English sentences on a page in any language."""
    if exc.description and exc.description != type(exc).description:
        return exc.description
    return _default_messages().get(exc.code or 0,
                                   _("The request could not be completed. Nothing was saved."))


#: What a database says when a lock could not be had in time (SQLite's busy timeout,
#: PostgreSQL's lock timeout or a deadlock): the request may simply be tried again.
BUSY_MARKERS = ("database is locked", "database table is locked", "deadlock detected",
                "lock timeout", "could not obtain lock")


def _is_busy(exc: OperationalError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(marker in text for marker in BUSY_MARKERS)
