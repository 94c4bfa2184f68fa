"""Our HTML as WeasyPrint's document, made cheaper in two ways that change no output.

Why (issue 14, ``tests/perf/bench_reports.py``: a PDF no slower than Chromium's):

* **Parsing.** WeasyPrint parses with tinyhtml5, an HTML5 parser written in Python: 60 ms of
  a gap report.  :func:`parse_html` has libxml2 (lxml, already a dependency) parse it, in
  5 ms, and applies the few rules of the HTML5 tree builder that libxml2 does not and our
  templates meet (:func:`_as_html5_tree`).  The tree is the one tinyhtml5 builds:
  ``tests/reports/test_reports_engine.py`` compares the two for every kind of report,
  English and Arabic.  User text cannot change the tree's shape (the templates escape it);
  text libxml2 would read differently (a lone surrogate) goes to tinyhtml5, and so does any
  document lxml refuses.
* **Pseudo-elements.** WeasyPrint's user-agent stylesheet gives every element six
  pseudo-elements (``::marker``, the footnotes' and the notes' calls and markers), and the
  cascade computes a style for each of them, for each element: a few percent of a report
  for boxes that are never made.  :class:`ReportHTML` uses the same stylesheet with the
  footnote and note rules left out (the reports have neither) and ``::marker`` given to
  list items only, the only elements that are list items in the reports.
"""
from __future__ import annotations

import logging
import re
from xml.etree import ElementTree

import cssselect2
import lxml.etree
import lxml.html
import tinyhtml5
import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA

log = logging.getLogger(__name__)

#: Text libxml2 reads otherwise than an HTML5 parser: lone surrogates (it cuts the text).
_NOT_FOR_LIBXML2 = re.compile("[\ud800-\udfff]")

_UA_RULES_LEFT_OUT = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}$", re.M)
_UA_MARKER = re.compile(r"^::marker \{", re.M)
_ua_stylesheet: weasyprint.CSS | None = None


def parse_html(html: str) -> ElementTree.Element:
    """The tree of ``html`` (an ``xml.etree`` element), as tinyhtml5 builds it for
    WeasyPrint, non-HTML elements without a namespace."""
    if not _NOT_FOR_LIBXML2.search(html):
        try:
            after_html = html[len(html.rstrip()):] if html.rstrip().endswith("</html>") else ""
            return _as_html5_tree(_etree_of(lxml.html.document_fromstring(html)), after_html)
        except (lxml.etree.LxmlError, ValueError) as error:
            log.info("report HTML parsed by tinyhtml5: lxml refused it (%s)", error)
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _etree_of(node, parent=None) -> ElementTree.Element:
    """lxml's tree as ``xml.etree`` elements, comments as comments (as tinyhtml5 keeps them);
    processing instructions (HTML has none) left out, their tails kept."""
    element = (ElementTree.Element(node.tag, dict(node.attrib)) if parent is None
               else ElementTree.SubElement(parent, node.tag, dict(node.attrib)))
    element.text = node.text
    last = None
    for child in node:
        if child.tag is lxml.etree.Comment:
            last = ElementTree.Comment(child.text)
            element.append(last)
        elif isinstance(child.tag, str):
            last = _etree_of(child, element)
        elif child.tail:
            if last is None:
                element.text = (element.text or "") + child.tail
            else:
                last.tail = (last.tail or "") + child.tail
            continue
        else:
            continue
        last.tail = child.tail
    return element


def _as_html5_tree(root: ElementTree.Element, after_html: str = "") -> ElementTree.Element:
    """What the HTML5 tree builder does that libxml2 does not, for our templates: no text
    before ``<head>``, the (blank) text after ``</body>`` and ``</html>`` inside the body,
    and rows directly in a table wrapped in a ``<tbody>``."""
    root.text = None
    body = root.find("body")
    after_body = ((body.tail or "") if body is not None else "") + after_html
    if body is not None and after_body:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + after_body
        else:
            body.text = (body.text or "") + after_body
        body.tail = None
    for table in root.iter("table"):
        children = list(table)
        rows = [child for child in children if child.tag == "tr"]
        if rows:
            tbody = ElementTree.Element("tbody")
            table.insert(children.index(rows[0]), tbody)
            for row in rows:
                table.remove(row)
                tbody.append(row)
    return root


def ua_stylesheet() -> weasyprint.CSS:
    """WeasyPrint's user-agent stylesheet without the footnote and note pseudo-elements,
    ``::marker`` for list items only (parsed once per process)."""
    global _ua_stylesheet
    if _ua_stylesheet is None:
        text = _UA_MARKER.sub("li::marker {", _UA_RULES_LEFT_OUT.sub("", UA))
        # Its @counter-style rules are WeasyPrint's, registered already (UA_COUNTER_STYLE,
        # which documents copy): a throwaway registry takes them again, without warnings.
        _ua_stylesheet = weasyprint.CSS(string=text, counter_style=CounterStyle())
    return _ua_stylesheet


class ReportHTML(weasyprint.HTML):
    """A WeasyPrint document from a parsed tree (:func:`parse_html`), with
    :func:`ua_stylesheet`.  No base URL: the reports name no relative URL, and the fetcher
    refuses any (:class:`.engine.SafeFetcher`)."""

    def __init__(self, root: ElementTree.Element, url_fetcher, media_type: str = "print"):
        # What weasyprint.HTML.__init__ does after parsing.
        self.base_url = None
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        if forms:  # a form field's look is in the full stylesheet: never trimmed then
            return super()._ua_stylesheets(forms)
        return [ua_stylesheet()]
