"""The page benchmark's second baseline: the authenticated floor.

``gunicorn 'tests.perf.floor_pages:app'`` with ``BARE_PAGES_DIR`` set is the real app
(``create_app()``, the same configuration, extensions, session cookie, Flask-Login user load,
request transaction and after-request hooks) with one more route,
``GET /floor/<name>/<assessment_id>``: sign-in required, one read of the assessment through
the policy (``load_assessment``, as every assessment page starts), then the saved bytes of
``<name>.html`` as they are. It is the least this stack does for an authenticated assessment
page before any page-specific work: the distance between it and the bare route
(tests/perf/bare_pages.py) is the framework's, the distance between the real page and it is
ours (queries, building and rendering the page).

``GET /open/<name>`` is the same app returning the same bytes to anyone, requested without a
cookie: the app's own per-request stack (session, language, security headers, the request
transaction) with nobody signed in, which splits the floor into what the app costs any
request and what signing in and the policy's read add.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Response, abort
from flask_login import current_user, login_required

from app import create_app
from app.auth.policy import Action, load_assessment

PAGES = {path.stem: path.read_bytes() for path in Path(os.environ.get("BARE_PAGES_DIR", ".")).glob("*.html")}

app = create_app()


@app.get("/open/<name>")
def open_page(name: str):
    if name not in PAGES:
        abort(404)
    return Response(PAGES[name], mimetype="text/html")


@app.get("/floor/<name>/<int:assessment_id>")
@login_required
def floor(name: str, assessment_id: int):
    load_assessment(current_user, assessment_id, Action.VIEW)
    if name not in PAGES:
        abort(404)
    return Response(PAGES[name], mimetype="text/html")
