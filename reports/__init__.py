"""PDF reports: the gap report and the one-page scorecard of an assessment.

Layers, from pure to Flask-bound:

* :mod:`reports.context`: plain data for the templates, from a questionnaire, a score
  document, answers and metadata (pure functions);
* :mod:`reports.render`: HTML from our own autoescaping Jinja environment, PDF from
  WeasyPrint with a deny-by-default URL fetcher and a time limit, and the PDF cache;
* :mod:`reports.logo`: checks and cleans organisation logos (PNG, SVG);
* :mod:`reports.inputs`: reads an assessment into plain :class:`ReportInputs` (needs an
  app context);
* :mod:`reports.web`: the response for the page and API routes.

:func:`produce` is the whole pipeline: cache look-up by :func:`report_key`, and on a miss
gathering, rendering and storing.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from .context import KINDS, build_context
from .inputs import ReportInputs, gather, render_locale, report_key
from .render import (
    TEMPLATE_VERSION, WEASYPRINT_VERSION, PdfCache, RenderTimeout, html_to_pdf, render_html,
)

__all__ = [
    "KINDS", "build_context", "ReportInputs", "gather", "PdfCache", "RenderTimeout",
    "html_to_pdf", "render_html", "TEMPLATE_VERSION", "WEASYPRINT_VERSION", "ReportFile",
    "produce", "filename_for", "report_key", "render_locale",
]


@dataclass(frozen=True)
class ReportFile:
    """A finished PDF: a cache file (``path``) or, with no cache, the bytes (``data``)."""

    filename: str
    path: Path | None = None
    data: bytes | None = None
    cached: bool = False

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


def filename_for(kind: str, meta: dict) -> str:
    """``readiness-gap-KE-2025-a12.pdf``: ASCII only, whatever the title."""
    import re

    parts = ["readiness", kind, str(meta.get("jurisdiction") or ""), str(meta.get("period") or ""),
             f"a{meta.get('id')}"]
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "", p) for p in parts if p) + ".pdf"


#: Renders in progress by cache key: a second request for the same report waits for the
#: first render (a download right after submit finds the background warm-up at work).
_in_flight: dict[str, Future] = {}
_in_flight_lock = threading.Lock()


def produce(assessment, kind: str, *, cache: PdfCache | None = None,
            timeout: float | None = None, lang: str | None = None) -> ReportFile:
    """The PDF of ``kind`` for ``assessment`` (needs an app context): from the cache when the
    same inputs were rendered before (nothing is gathered or rendered then), else gathered,
    rendered within ``timeout`` seconds and stored; when the same report is being rendered
    already (by another request or the background warm-up), that render is awaited instead
    of a second one.  ``lang`` (the questionnaire texts' language) defaults to the current
    locale, the one the report's own texts are translated into."""
    lang = lang or render_locale()
    name = filename_for(kind, {"jurisdiction": assessment.jurisdiction, "period": assessment.period,
                               "id": assessment.id})
    key = report_key(assessment, kind, lang) if cache is not None and cache.enabled else None
    if key is None:
        return ReportFile(name, data=_render(assessment, kind, lang, timeout))
    hit = cache.get(key)
    if hit is not None:
        return ReportFile(name, path=hit, cached=True)
    with _in_flight_lock:
        running = _in_flight.get(key)
        if running is None:
            mine = _in_flight[key] = Future()
    if running is not None:
        try:
            running.result(timeout=timeout)
        except FutureTimeout:
            raise RenderTimeout(timeout) from None
        except Exception:  # noqa: BLE001 - that render failed: try once more, ourselves
            pass
        else:
            hit = cache.get(key)
            if hit is not None:
                return ReportFile(name, path=hit, cached=True)
        return ReportFile(name, data=_render(assessment, kind, lang, timeout))
    try:
        path = cache.put(key, _render(assessment, kind, lang, timeout))
    except BaseException as exc:
        mine.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))
        raise
    else:
        mine.set_result(path)
    finally:
        with _in_flight_lock:
            _in_flight.pop(key, None)
    return ReportFile(name, path=path)


def _render(assessment, kind: str, lang: str, timeout: float | None) -> bytes:
    return html_to_pdf(render_html(gather(assessment, kind, lang).context()), timeout=timeout)
