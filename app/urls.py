"""URLs every page links, built once: ``url_for`` costs a route build each time (tens of
microseconds; a page shell names a dozen), though these never change while the process runs.

Templates call ``static_url(filename)`` for ``url_for("static", filename=...)`` (with its
content fingerprint, app.wire: asked on every call, so a changed file gets its new URL at
once) and ``fixed_url(endpoint)`` for ``url_for(endpoint)`` of a route that takes no values.
Each is kept by the app, per script root it is served under; a URL holds nothing of a user.
"""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, url_for

from .wire import fingerprint

#: Far more than the templates name (under a script root or two): beyond it, built each time.
LIMIT = 256


def init_app(app: Flask) -> None:
    app.extensions["urls"] = {}  # (kind, name, fingerprint or none, script root) -> URL
    app.add_template_global(static_url)
    app.add_template_global(fixed_url)


def static_url(filename: str) -> str:
    """``url_for("static", filename=filename)``, built once per fingerprint."""
    key = ("static", filename, fingerprint(current_app.static_folder, filename), _root())
    return current_app.extensions["urls"].get(key) or _keep(key, url_for("static", filename=filename))


def fixed_url(endpoint: str) -> str:
    """``url_for(endpoint)`` of a route that takes no values (an absolute endpoint name)."""
    key = ("fixed", endpoint, None, _root())
    return current_app.extensions["urls"].get(key) or _keep(key, url_for(endpoint))


def _root() -> str | None:
    """What a URL's path starts with: the request's script root (None outside a request,
    where url_for builds from the configured SERVER_NAME and APPLICATION_ROOT)."""
    return request.script_root if has_request_context() else None


def _keep(key: tuple, url: str) -> str:
    built = current_app.extensions["urls"]
    if len(built) < LIMIT:
        built[key] = url
    return url
