"""What travels on the wire: compressed text, fingerprinted static files cached for a year.

Officials answer on weak connections: a section page is ~200 KB of HTML, ~20 KB gzipped.
Text types (HTML, JSON, CSV, SVG, CSS, JS) are compressed with brotli when the client
accepts it, gzip otherwise; PDFs, ZIPs and XLSX files are compressed already and pass as
they are. Static URLs carry a hash of the file's content (``?v=``), so a fingerprinted
request can be cached by browsers for a year and a changed file gets a new URL.

BREACH (compression leaking a secret through response sizes): pages carry Flask-WTF's CSRF
token, which is not masked per response. We compress anyway, because the attack needs the
victim's browser to send many requests that carry both the session and attacker-chosen text
reflected next to the token: session cookies are SameSite=Lax (config.py), so another site's
requests carry no session, and the token's signature changes every second. A page that
reflects request input next to a secret should keep that in mind.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
    "application/json", "application/problem+json", "application/yaml", "image/svg+xml",
]
#: Below this many bytes compression saves less than a packet and costs CPU.
MIN_SIZE = 1024
IMMUTABLE = "public, max-age=31536000, immutable"

_fingerprints: dict[tuple[str, float], str] = {}


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    Compress(app)
    app.url_defaults(_fingerprint_static)
    # Registered after Compress: Flask runs after-request hooks last-registered first, so the
    # static file is read into memory (and gets a Content-Length) before it is compressed.
    app.after_request(_static_caching)


def fingerprint(folder: str, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, recomputed when the file changes.
    Every static URL a page links asks (a stat each time): plain ``os`` calls, no ``Path``."""
    path = os.path.join(folder, filename)
    try:
        mtime = os.stat(path).st_mtime
    except (OSError, ValueError):
        return None
    key = (path, mtime)
    found = _fingerprints.get(key)
    if found is None:
        found = _fingerprints[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return found


def _fingerprint_static(endpoint: str, values: dict) -> None:
    from flask import current_app

    if endpoint == "static" and "v" not in values and "filename" in values:
        stamp = fingerprint(current_app.static_folder, values["filename"])
        if stamp:
            values["v"] = stamp


def _static_caching(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    from flask import current_app

    filename = (request.view_args or {}).get("filename", "")
    current = fingerprint(current_app.static_folder, filename)
    # An old fingerprint (a page cached from before a deploy) gets today's file, revalidated.
    response.headers["Cache-Control"] = IMMUTABLE if current and request.args.get("v") == current else "no-cache"
    if response.status_code == 200 and response.direct_passthrough:
        response.direct_passthrough = False
        response.make_sequence()
    return response
