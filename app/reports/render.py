"""HTML and PDF rendering: our own autoescaping Jinja environment, the PDF engine
(:mod:`.engine`: WeasyPrint with a deny-by-default URL fetcher) under a time limit, and a
cache of finished PDFs.

Safety (STYLE.md): templates are rendered by :data:`JINJA` (autoescape on for every
template, undefined names are errors), never by Flask's environment; what the engine may
fetch and which stylesheets it gets: :mod:`.engine`.

Where: :func:`html_to_pdf` runs in a job process (:mod:`app.jobs`: an RQ worker or the
embedded backend's job processes), never in a web worker; the web process uses this module
for the HTML and the cache.  Speed: WeasyPrint is imported with this module (so it stays
loaded in the job process), one :class:`~weasyprint.text.fonts.FontConfiguration` is reused
for every render (fonts are registered once), and finished PDFs are cached by
:class:`PdfCache`.

Time limit: renders run on one dedicated thread (WeasyPrint and Pango are then never used
by two threads at once); the caller waits at most the time limit and gets
:class:`RenderTimeout`, while the render thread stops at its next page (a deadline checked
through WeasyPrint's progress logger) instead of running on.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Mapping

import flask_babel
import jinja2
import weasyprint
from markupsafe import Markup, escape
from weasyprint.text.fonts import FontConfiguration

from app import charts, display, print_charts
from app.files import write_atomically
from app.display.bidi import ltr
from app.i18n import N_, colon, is_draft_translation, list_separator, listed, paren, semicolon, text_direction

from . import context as report_context
from .engine import FONT_URLS, stylesheet, write_pdf

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
#: Bumped by hand when the output changes in a way file contents do not show.
TEMPLATE_SERIES = "1"

log = logging.getLogger(__name__)


# -- versions -------------------------------------------------------------------------------
#: The interface's compiled catalogues: the reports' own texts come from them.
CATALOGUES = HERE.parent / "translations"


def _source_files() -> list[Path]:
    """Everything that shapes the output: templates, stylesheet, the code that builds the
    context and the HTML, and the compiled interface catalogues (a corrected translation
    must not leave the PDFs made with the old one in the cache)."""
    files = sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    files += sorted(p for p in STATIC.rglob("*.css"))
    files += [HERE / "context.py", HERE / "parts.py", HERE / "render.py", HERE / "engine.py", HERE / "form.py",
              HERE / "document.py", HERE / "glyphs.py", HERE / "cascade.py", HERE / "speedups.py",
              Path(print_charts.__file__)]
    files += sorted(Path(charts.__file__).parent.glob("*.py"))    # the chart package: colours, kit
    files += sorted(Path(display.__file__).parent.glob("*.py"))   # the shared rows and words
    files += sorted(CATALOGUES.glob("*/LC_MESSAGES/*.mo"))
    return files


def _source_digest() -> str:
    """A digest of :func:`_source_files`.  Part of every cache key."""
    h = hashlib.sha256(TEMPLATE_SERIES.encode())
    for path in _source_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


TEMPLATE_VERSION = f"{TEMPLATE_SERIES}-{_source_digest()}"
WEASYPRINT_VERSION = weasyprint.__version__


# -- style classes --------------------------------------------------------------------------
#: Where base.html's head takes the rules of :func:`_style_class` (filled after the body).
STYLE_CLASSES_HERE = "<!-- the style classes of this report -->"
_style_rules: ContextVar[dict[str, str] | None] = ContextVar("report_style_rules", default=None)
_STYLE_DECLARATIONS = re.compile(r"[^<>{}\\@]*")


def _style_class(declarations: str) -> str:
    """A class for ``declarations`` (``"background: #fff1db; color: #8a4b00"``), which the
    templates give an element instead of a ``style`` attribute; its rule goes into a
    ``<style>`` of the report (:func:`render_html`).  Why (issue 14): WeasyPrint parses every
    ``style`` attribute and computes a style of its own for the element and everything in it,
    never shared: the band chips and the heat map's cells took a twentieth of a gap report's
    CPU.  Elements with the same declarations now share one style.  Same look: like the
    attribute, the rule is author CSS, above our stylesheet (user CSS, :mod:`.engine`), and
    no other author rule applies to these elements.  Our own values only, never user input:
    anything that could leave the rule is refused."""
    rules = _style_rules.get()
    text = " ".join(str(declarations).split())
    if rules is None or not _STYLE_DECLARATIONS.fullmatch(text):
        raise ValueError(f"not a report's style declarations: {text[:80]!r}")
    name = "s-" + hashlib.sha256(text.encode()).hexdigest()[:10]
    rules[name] = text
    return name


# -- templates ------------------------------------------------------------------------------
def _make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,                      # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # Every text of the templates goes through Flask-Babel (the current locale; English
    # outside an app context).  New-style gettext: the template fills the %(name)s
    # placeholders itself, escaping the values (autoescape stays on), so the callables
    # return the bare translation.
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)
    env.filters["dir"] = report_context.direction
    # Signed numbers and ranges isolated left to right, as on the web pages (app.display.bidi).
    env.filters["ltr"] = env.globals["ltr"] = _ltr
    env.globals["stylesheet"] = stylesheet
    env.globals["page_numbers_css"] = _page_numbers_css
    env.globals["style_class"] = _style_class
    env.globals["style_classes_here"] = Markup(STYLE_CLASSES_HERE)
    env.globals["font_urls"] = FONT_URLS
    env.globals["page_dir"] = text_direction
    env.globals["colon"] = colon
    env.globals["semicolon"] = semicolon
    # Words in parentheses and lists as the report's language writes them ("（政府）", "、").
    env.globals["paren"] = paren
    env.filters["listed"] = listed
    env.globals["list_separator"] = list_separator
    env.globals["draft_translation"] = is_draft_translation
    env.globals["template_version"] = TEMPLATE_VERSION
    return env


@jinja2.pass_context
def _ltr(context, text: object) -> Markup:
    """:func:`app.display.bidi.ltr` (``<bdi dir="ltr">``) in a right-to-left report; in a
    left-to-right one the text alone, escaped: its direction is the page's already, and the
    element cost WeasyPrint an inline box (issue 14)."""
    lang = context.get("lang")
    if isinstance(lang, str) and text_direction(lang) == "ltr":
        return escape(text)
    return ltr(text)


def _gettext(string: str) -> str:
    try:
        return flask_babel.get_translations().ugettext(string)
    except RuntimeError:
        return string


def _ngettext(singular: str, plural: str, n: int) -> str:
    try:
        return flask_babel.get_translations().ungettext(singular, plural, n)
    except RuntimeError:
        return singular if n == 1 else plural


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{out}"'


def _page_numbers_css() -> Markup:
    """The page footer ("Page 3 of 32") in the report's language: our stylesheet's rule,
    with the translated words around the two page counters.  The translation is ours (the
    catalogue), never user input, and is escaped as CSS strings all the same."""
    pattern = _gettext(N_("Page %(page)s of %(pages)s"))
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", pattern):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    content = " ".join(parts)
    # Mirrored in a right-to-left report (the stylesheet's `rtl` pages): at the left.
    return Markup("@page { @bottom-right { content: %s; } } @page rtl { @bottom-left { content: %s; } }"
                  % (content, content))


JINJA = _make_env()


def render_html(context: Mapping[str, Any]) -> str:
    """The report's HTML: the template of ``context["kind"]`` with the context, and the rules
    of its style classes (:func:`_style_class`) in its head."""
    kind = context["kind"]
    if kind not in (*report_context.KINDS, "form"):   # "form": the printable questionnaire
        raise ValueError(f"unknown report kind {kind!r}")
    token = _style_rules.set({})
    try:
        html = JINJA.get_template(f"{kind}.html").render(**context)
        rules = _style_rules.get()
    finally:
        _style_rules.reset(token)
    css = "".join(f".{name} {{ {text} }}\n" for name, text in sorted(rules.items()))
    return html.replace(STYLE_CLASSES_HERE, f'<style media="print">\n{css}</style>' if css else "", 1)


# -- the time limit -------------------------------------------------------------------------
class RenderTimeout(Exception):
    """The render did not finish within the time limit."""

    def __init__(self, seconds: float, reason: str | None = None):
        # ``reason``: why a render job failed, when it was not the time limit (the command
        # line reports every failure the same way).
        super().__init__(reason or f"the report took too long to produce (limit {seconds:g} s)")
        self.seconds = seconds


class _Cancelled(BaseException):
    """Raised inside WeasyPrint on the render thread once its deadline has passed (a
    BaseException, so that no ``except Exception`` inside the engine swallows it)."""


_deadline = threading.local()


class _DeadlineFilter(logging.Filter):
    """WeasyPrint reports progress (each step, each page laid out) on its progress logger;
    on the render thread, past the deadline, that report raises :class:`_Cancelled`.
    The records themselves are dropped."""

    def filter(self, record):
        limit = getattr(_deadline, "at", None)
        if limit is not None and time.monotonic() > limit:
            raise _Cancelled()
        return False


_progress = logging.getLogger("weasyprint.progress")
if not any(isinstance(f, _DeadlineFilter) for f in _progress.filters):
    _progress.addFilter(_DeadlineFilter())
    _progress.setLevel(logging.INFO)
    _progress.propagate = False

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_font_config: FontConfiguration | None = None


def _render_thread() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-render")
        return _executor


def _pdf_now(html: str, deadline: float | None) -> bytes:
    """Runs on the render thread."""
    global _font_config
    _deadline.at = deadline
    try:
        if deadline is not None and time.monotonic() > deadline:
            raise _Cancelled()
        if _font_config is None:
            _font_config = FontConfiguration()
        return write_pdf(html, _font_config)
    finally:
        _deadline.at = None


def html_to_pdf(html: str, timeout: float | None = None) -> bytes:
    """The PDF of ``html``, rendered safely; :class:`RenderTimeout` after ``timeout``
    seconds (``None``: no limit)."""
    deadline = time.monotonic() + timeout if timeout else None
    future = _render_thread().submit(_pdf_now, html, deadline)
    try:
        return future.result(timeout=timeout if timeout else None)
    except FutureTimeout:
        future.cancel()  # if still queued, never start it
        raise RenderTimeout(timeout) from None
    except _Cancelled:
        raise RenderTimeout(timeout or 0) from None


# -- the cache ------------------------------------------------------------------------------
def cache_key(*parts: Any) -> str:
    """A key over the inputs, the template version and the WeasyPrint version."""
    h = hashlib.sha256()
    for part in (TEMPLATE_VERSION, WEASYPRINT_VERSION, *parts):
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class PdfCache:
    """Finished PDFs as files ``<key>.pdf`` in one directory, written atomically; the
    oldest are removed beyond ``max_files``."""

    def __init__(self, directory: str | os.PathLike | None, max_files: int = 500):
        self.directory = Path(directory) if directory else None
        self.max_files = max_files

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def path(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        if not all(c in "0123456789abcdef" for c in key) or len(key) != 64:
            raise ValueError("invalid cache key")
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        if path is not None and path.is_file():
            return path
        return None

    def put(self, key: str, pdf: bytes) -> Path | None:
        path = self.path(key)
        if path is None:
            return None
        write_atomically(path, pdf)
        self._trim()
        return path

    def clear(self) -> int:
        if self.directory is None or not self.directory.is_dir():
            return 0
        n = 0
        for p in self.directory.glob("*.pdf"):
            p.unlink(missing_ok=True)
            n += 1
        return n

    def _trim(self) -> None:
        files = list(self.directory.glob("*.pdf"))
        if len(files) <= self.max_files:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for p in files[: len(files) - self.max_files]:
            p.unlink(missing_ok=True)
