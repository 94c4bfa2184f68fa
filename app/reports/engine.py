"""The PDF engine: WeasyPrint with our fonts, our URL fetcher, our stylesheet and the PDF/UA
options (:func:`write_pdf`); :mod:`.render` gives it the HTML and runs it under a time limit.

Safety (STYLE.md): WeasyPrint gets :class:`SafeFetcher`, which answers ``data:`` URLs and
the few bundled assets named in :data:`ASSETS` (the fonts) and refuses everything else, so
no file is read and no request is made on behalf of a text in the document; nothing
user-supplied goes into ``stylesheets=``, ``attachments=`` or ``xmp_metadata=``: the only
stylesheet passed is our own ``<style>``, which the HTML also holds inline so that
``report pdf --html`` writes exactly what the engine gets.

Speed (issue 14, ``tests/perf/bench_reports.py``): that ``<style>`` is parsed once per
process, not for every render, and Python's cyclic collector waits for the end of a render;
the HTML is parsed by libxml2 and the user-agent stylesheet has no rules for pseudo-elements
the reports never have (:mod:`.document`); a line's glyphs are written by :mod:`.glyphs`; and
:mod:`.speedups` spares WeasyPrint and pydyf some repeated work.  None of these changes what
the PDF shows or holds.
"""
from __future__ import annotations

import base64
import gc
import logging
import re
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote_to_bytes

import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import speedups
from .document import ReportHTML, parse_html

STYLESHEET = Path(__file__).resolve().parent / "static" / "report.css"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
# Arabic script from a typeface drawn for it (Debian's fonts-hosny-amiri): DejaVu's Arabic
# is a fallback design.  The stylesheet gives it only the Arabic code points
# (unicode-range), so Latin text and digits keep DejaVu in every language.
ARABIC_FONT_DIR = Path("/usr/share/fonts/opentype/fonts-hosny-amiri")
FONT_FILES = {"regular": FONT_DIR / "DejaVuSans.ttf", "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
              "arabic_regular": ARABIC_FONT_DIR / "Amiri-Regular.ttf",
              "arabic_bold": ARABIC_FONT_DIR / "Amiri-Bold.ttf"}

#: The only files a report may load, by the exact URL the stylesheet names.
ASSETS: dict[str, tuple[Path, str]] = {
    path.as_uri(): (path, "font/ttf") for path in FONT_FILES.values()
}
FONT_URLS = {key: path.as_uri() for key, path in FONT_FILES.items()}

MAX_DATA_URL_BYTES = 8 * 1024 * 1024

log = logging.getLogger(__name__)


_css_text: str | None = None


def stylesheet() -> Markup:
    """Our own stylesheet (never user input), inlined into the HTML by the templates."""
    global _css_text
    if _css_text is None:
        _css_text = STYLESHEET.read_text(encoding="utf-8")
        for key, url in FONT_URLS.items():
            _css_text = _css_text.replace(f"FONT_URL_{key.upper()}", url)
    return Markup(_css_text)


class BlockedURL(ValueError):
    pass


class SafeFetcher(URLFetcher):
    """Deny by default: ``data:`` URLs (decoded here, size-limited) and the exact asset URLs
    of :data:`ASSETS`; every other URL (``file:``, ``http:``, relative paths resolved against
    anything) is refused and recorded in :attr:`blocked`."""

    _cache: dict[str, bytes] = {}

    def __init__(self, assets: Mapping[str, tuple[Path, str]] | None = None):
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False,
                         fail_on_errors=False)
        self.assets = dict(ASSETS if assets is None else assets)
        self.blocked: list[str] = []

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:":
            return self._data(url)
        asset = self.assets.get(url)
        if asset is None:
            self.blocked.append(url[:200])
            log.info("report renderer refused to fetch %s", url[:200])
            raise BlockedURL(f"refused by the report URL policy: {url[:200]}")
        path, mime = asset
        body = self._cache.get(url)
        if body is None:
            body = self._cache[url] = path.read_bytes()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    def _data(self, url: str) -> URLFetcherResponse:
        header, sep, payload = url[5:].partition(",")
        if not sep:
            raise BlockedURL("malformed data: URL")
        parts = header.split(";")
        mime = (parts[0] or "text/plain").strip().lower()
        if "base64" in (p.strip().lower() for p in parts[1:]):
            body = base64.b64decode(payload, validate=False)
        else:
            body = unquote_to_bytes(payload)
        if len(body) > MAX_DATA_URL_BYTES:
            raise BlockedURL("data: URL too large")
        return URLFetcherResponse(url[:64], body=body, headers={"Content-Type": mime})


#: Tagged PDF/UA-1: a structure tree (headings, paragraphs, lists, tables, figures with their
#: alternative text), the document's language (``/Lang``) and title, so that screen readers
#: read the reports in order (issue 14).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}


#: Our ``<style>`` (the stylesheet and the page numbers of one language) parsed by the engine,
#: per font configuration (``@font-face`` rules are registered on one): the parse took some
#: 40 ms of every render.
_parsed_styles: "weakref.WeakKeyDictionary[FontConfiguration, dict[str, weasyprint.CSS]]" = \
    weakref.WeakKeyDictionary()
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _parsed_style(text: str, font_config: FontConfiguration) -> weasyprint.CSS:
    parsed = _parsed_styles.setdefault(font_config, {})
    if text not in parsed:
        parsed[text] = weasyprint.CSS(string=text, font_config=font_config, url_fetcher=SafeFetcher())
    return parsed[text]


speedups.install()


@contextmanager
def _cycles_collected_after():
    """WeasyPrint builds a few hundred thousand objects that live until the PDF is written,
    and Python's cyclic collector went through them again and again: a fifth of a report's
    CPU.  It waits for the end of the render, then collects what the render made (the young
    generations: nothing older is looked at)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(1)


def write_pdf(html: str, font_config: FontConfiguration, **options: Any) -> bytes:
    """The PDF of ``html`` with :class:`SafeFetcher` and :data:`PDF_OPTIONS` (``options``
    override them: the benchmark times the untagged PDF with ``pdf_variant=None``).  The
    ``<style>`` of our templates (:func:`render_html`) goes to the engine parsed once; as a
    user stylesheet it still overrides the engine's defaults, and nothing else is author CSS
    but ``style`` attributes, which won over it before as well."""
    stylesheets = []
    style = _STYLE.search(html)
    if style and style.group(1).startswith(str(stylesheet())):
        stylesheets.append(_parsed_style(style.group(1), font_config))
        html = html[:style.start()] + html[style.end():]
    speedups.new_render()
    with _cycles_collected_after():
        document = ReportHTML(parse_html(html), url_fetcher=SafeFetcher())
        return document.write_pdf(font_config=font_config, stylesheets=stylesheets, **{**PDF_OPTIONS, **options})
