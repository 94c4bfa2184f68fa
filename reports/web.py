"""The HTTP side of reports: the kind parameter, the time limit, the response.  Used by the
results page route (``results.report_pdf``) and the API route (``api.report_pdf``)."""
from __future__ import annotations

from io import BytesIO

from flask import current_app, send_file

from app.errors import ApiError

from . import KINDS, PdfCache, RenderTimeout, produce


def parse_kind(raw: str | None, default: str | None = None) -> str:
    """The report kind from the query string; 400 when it is not one of :data:`KINDS` (or
    missing, unless there is a ``default``: the API requires ``kind``, the page defaults to
    the gap report)."""
    kind = default if raw is None or raw == "" else raw
    if kind not in KINDS:
        raise ApiError(400, f"kind must be one of: {', '.join(KINDS)}",
                       {"kind": "required" if raw in (None, "") else
                        f"unknown report kind {str(raw)[:40]!r}", "allowed": list(KINDS)})
    return kind


def cache() -> PdfCache:
    config = current_app.config
    return PdfCache(config.get("PDF_CACHE_DIR"), int(config.get("PDF_CACHE_MAX_FILES", 500)))


def pdf_response(assessment, kind: str):
    """The PDF download of ``assessment`` (already authorised for viewing by the caller)."""
    timeout = current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS") or None
    try:
        report = produce(assessment, kind, cache=cache(), timeout=timeout)
    except RenderTimeout as exc:
        current_app.logger.warning("report %s for assessment %s: %s", kind, assessment.id, exc)
        raise ApiError(503, "report took too long; please try again in a minute",
                       {"timeout_seconds": exc.seconds, "kind": kind}) from None
    # The bytes, not the file: a PDF is a few hundred KB, and no handle is left open.
    response = send_file(BytesIO(report.read()), mimetype="application/pdf", as_attachment=True,
                         download_name=report.filename, conditional=False, etag=False, max_age=0)
    response.headers["X-Report-Cache"] = "hit" if report.cached else "miss"
    return response
