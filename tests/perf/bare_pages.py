"""The page benchmark's baseline: a bare Flask route returning saved HTML as it is.

``gunicorn 'tests.perf.bare_pages:app'`` with ``BARE_PAGES_DIR`` set serves
``GET /pages/<name>`` as the bytes of ``<name>.html`` in that folder, read once at start:
the least a Python web worker can do to send the same page (no session, database,
template or translation), against which tests/perf/bench_pages.py measures the real one.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, abort

app = Flask(__name__)
PAGES = {path.stem: path.read_bytes() for path in Path(os.environ.get("BARE_PAGES_DIR", ".")).glob("*.html")}


@app.get("/pages/<name>")
def page(name: str):
    if name not in PAGES:
        abort(404)
    return Response(PAGES[name], mimetype="text/html")


@app.get("/ready")
def ready():
    return "ok"
