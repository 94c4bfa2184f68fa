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

:func:`produce` is the whole pipeline: cache look-up, render on a miss, cache store.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .context import KINDS, build_context
from .inputs import ReportInputs, gather
from .render import (
    TEMPLATE_VERSION, WEASYPRINT_VERSION, PdfCache, RenderTimeout, html_to_pdf, render_html,
)

__all__ = [
    "KINDS", "build_context", "ReportInputs", "gather", "PdfCache", "RenderTimeout",
    "html_to_pdf", "render_html", "TEMPLATE_VERSION", "WEASYPRINT_VERSION", "ReportFile",
    "produce", "filename_for",
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


def filename_for(inputs: ReportInputs) -> str:
    """``readiness-gap-KE-2025-a12.pdf``: ASCII only, whatever the title."""
    import re

    meta = inputs.meta
    parts = ["readiness", inputs.kind, str(meta.get("jurisdiction") or ""),
             str(meta.get("period") or ""), f"a{meta.get('id')}"]
    slug = "-".join(re.sub(r"[^A-Za-z0-9]+", "", p) for p in parts if p)
    return f"{slug}.pdf"


def produce(inputs: ReportInputs, *, cache: PdfCache | None = None,
            timeout: float | None = None) -> ReportFile:
    """The PDF for ``inputs``: from the cache when the same inputs were rendered before
    (no rendering at all), else rendered within ``timeout`` seconds and stored."""
    name = filename_for(inputs)
    key = inputs.cache_key() if cache is not None and cache.enabled else None
    if key is not None:
        hit = cache.get(key)
        if hit is not None:
            return ReportFile(name, path=hit, cached=True)
    pdf = html_to_pdf(render_html(inputs.context()), timeout=timeout)
    if key is not None:
        return ReportFile(name, path=cache.put(key, pdf))
    return ReportFile(name, data=pdf)
