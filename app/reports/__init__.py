"""PDF reports: the gap report and the one-page scorecard of an assessment.

Layers, from pure to Flask-bound:

* :mod:`app.reports.context`: plain data for the templates, from a questionnaire, a score
  document, answers and metadata (pure functions);
* :mod:`app.reports.render`: HTML from our own autoescaping Jinja environment, PDF from
  WeasyPrint with a deny-by-default URL fetcher and a time limit, and the PDF cache;
* :mod:`app.reports.logo`: checks and cleans organisation logos (PNG, SVG);
* :mod:`app.reports.inputs`: reads an assessment into plain :class:`ReportInputs` (needs an
  app context);
* :mod:`app.reports.web`: the response for the page and API routes.

:func:`request_pdf` is the whole pipeline of a download: cache look-up by :func:`report_key`,
and on a miss gathering the inputs and building the HTML here, then a render job on the job
queue (:mod:`app.jobs`, never in the web process) that stores the PDF in the cache; the
caller waits for it a bounded time.  :func:`produce` waits as long as it takes (the command
line).

**Times in the PDFs** (issue 18) are written in the time zone of the person the PDF is made
for, as on the pages (:mod:`app.timezones`: their account's zone, else their browser's,
else UTC), and every time carries its UTC offset ("28 November 2025, 13:30 UTC+3"), so a
copy forwarded to someone elsewhere never misleads.  The zone is part of the cache key
(:func:`report_key`; the printable form's key has it through its cover): a PDF is shared
by everyone reading in the same zone and language, never served across zones.  The
alternative, one zone per report (the jurisdiction's), was set aside: a country such as
Russia or Brazil spans several zones and a province's zone is not known, so it could not be
chosen soundly, and readers would see other times on the PDF than on the pages.  The
warm-up (:mod:`.warming`) renders for the zone of the person whose change it follows.
"""
from __future__ import annotations

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
    "produce", "filename_for", "report_key", "render_locale", "request_pdf", "start_render",
    "render_job_id", "submit_render", "obtain",
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


def render_job_id(key: str) -> str:
    """The job that renders the PDF of cache key ``key``: two requests for the same report
    (a download and the warm-up, two people, two web workers) find the same job."""
    return f"pdf-{key[:40]}"


def submit_render(key: str, meta: dict, build_html, *, cache: PdfCache, timeout: float | None = None):
    """Queues the render job of cache key ``key`` (its HTML from ``build_html()``, built here
    in the web process; the PDF engine runs in a job process, which stores the PDF in
    ``cache``) unless one is queued or running already; returns its
    :class:`~app.jobs.JobState`.  Raises :class:`~app.jobs.QueueUnavailable` when the queue
    does not answer."""
    from app import jobs

    from .store import job_arguments

    job_id = render_job_id(key)
    queue = jobs.queue()
    state = queue.get(job_id)
    if state is not None and not state.finished:
        return state
    return queue.submit(job_id, "render_pdf",
                        {"html": build_html(), "key": key, "timeout": timeout} | job_arguments(cache),
                        meta=meta | {"key": key})


def obtain(key: str, meta: dict, build_html, *, cache: PdfCache, timeout: float | None = None,
           wait: float = 0.0):
    """The PDF of cache key ``key`` if it can be had within ``wait`` seconds: a
    :class:`ReportFile` (named ``meta["filename"]``) from the cache (nothing is built then),
    or once the render job (:func:`submit_render`) finished; else the job's state."""
    from app import jobs

    if not cache.enabled:
        raise ValueError("rendering needs a PDF cache directory (PDF_CACHE_DIR)")
    hit = cache.get(key)
    if hit is not None:
        return ReportFile(meta["filename"], path=hit, cached=True)
    state = submit_render(key, meta, build_html, cache=cache, timeout=timeout)
    if wait > 0 and not state.finished:
        from app.transaction import settle_before_waiting

        settle_before_waiting()
        state = jobs.queue().wait(state.id, wait) or state
    if state.status == "done":
        hit = cache.get(key)
        if hit is not None:
            return ReportFile(meta["filename"], path=hit)
    return state


def _report_meta(assessment, kind: str, lang: str, key: str) -> dict:
    return {"kind": kind, "lang": lang, "assessments": [assessment.id], "key": key,
            "filename": filename_for(kind, {"jurisdiction": assessment.jurisdiction,
                                            "period": assessment.period, "id": assessment.id})}


def start_render(assessment, kind: str, *, cache: PdfCache, lang: str | None = None,
                 timeout: float | None = None, key: str | None = None):
    """Queues the render of ``kind`` for ``assessment`` (needs an app context): only the
    inputs are gathered here (:func:`submit_render`)."""
    lang = lang or render_locale()
    key = key or report_key(assessment, kind, lang)
    return submit_render(key, _report_meta(assessment, kind, lang, key),
                         lambda: render_html(gather(assessment, kind, lang).context()),
                         cache=cache, timeout=timeout)


def request_pdf(assessment, kind: str, *, cache: PdfCache, lang: str | None = None,
                timeout: float | None = None, wait: float = 0.0):
    """The PDF of ``kind`` for ``assessment`` if it can be had within ``wait`` seconds
    (:func:`obtain`).  ``lang`` (the questionnaire texts' language) defaults to the current
    locale, the one the report's own texts are translated into."""
    lang = lang or render_locale()
    key = report_key(assessment, kind, lang)
    return obtain(key, _report_meta(assessment, kind, lang, key),
                  lambda: render_html(gather(assessment, kind, lang).context()),
                  cache=cache, timeout=timeout, wait=wait)


def produce(assessment, kind: str, *, cache: PdfCache, timeout: float | None = None,
            lang: str | None = None, wait: float | None = None) -> ReportFile:
    """:func:`request_pdf`, waiting for the job as long as it takes (``wait``, by default
    a few times the render limit): for the command line (``report warm``), never for a
    web request.  Raises :class:`RenderTimeout` when the job fails (with its reason) or
    is not done in time."""
    wait = wait if wait is not None else 3 * (timeout or 60) + 30
    outcome = request_pdf(assessment, kind, cache=cache, lang=lang, timeout=timeout, wait=wait)
    if isinstance(outcome, ReportFile):
        return outcome
    raise RenderTimeout(wait, outcome.error if outcome.status == "failed" else None)
