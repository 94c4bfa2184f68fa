"""Small changes to WeasyPrint's and pydyf's work that leave the PDF as it was (issue 14: a
PDF no slower than Chromium's, ``tests/perf/bench_reports.py``).  :func:`install` makes them
once per process; :func:`new_render` starts each render afresh.

* Stream compression: pydyf compresses every stream at zlib's level 9, which took a
  twentieth of a gap report's CPU to make the PDF 4 % smaller than level 6 does (219 KB
  instead of 211): :class:`_StreamCompression` gives it level 6.  The streams decompress to
  the same bytes.
* Page references: pydyf's ``PDF.page_references`` builds the tuple of every page's
  reference each time it is read, and the PDF/UA tagging reads it for every structure
  element: some 3,600 times 36 pages.  :func:`_page_references` keeps the tuple while the
  page count stays the same.
* Font descriptions: WeasyPrint makes a new Pango font description for each piece of text
  it lays out or draws (5,000 in a gap report); :func:`_font_description` makes one per
  font (family, style, weight, size...) and render.  Pango copies a description it is
  given, so one serves every layout.
* Struts: the height and baseline of a line in a style (``line_break.strut``), which
  WeasyPrint looks up for every piece of inline text by a key it formats anew each time
  from fourteen properties (4,000 times a report): :func:`_strut` keeps it with the style.
* Layouts kept for drawing: when WeasyPrint has fitted a line, it drops the line's Pango
  layout, and makes it again to draw the line: a new layout, its text shaped again (a
  twentieth of a gap report).  :func:`_deactivate` keeps the layout with the line's box,
  and :func:`_reactivate` gives it back to the drawing when nothing would differ: the same
  style and no justification.  The layout holds the same text in the same font; it may
  still have the width it was fitted to, which changes nothing on a line that fits in it.

The glyph writer (:mod:`.glyphs`) is installed here too.  ``tests/reports/
test_reports_engine.py`` compares the reports drawn with and without all of this.
"""
from __future__ import annotations

import zlib

import pydyf
from weasyprint.layout import inline as weasy_inline
from weasyprint.text import fonts as weasy_fonts
from weasyprint.text import line_break

from . import glyphs

_pydyf_page_references = pydyf.PDF.page_references.fget
_weasyprint_font_description = weasy_fonts.get_font_description
_weasyprint_strut = line_break.strut
_weasyprint_deactivate = line_break.Layout.deactivate
_weasyprint_reactivate = line_break.Layout.reactivate
_descriptions: dict = {}


class _StreamCompression:
    """``zlib`` as pydyf sees it: ``compressobj`` at level 6 whatever level is asked."""

    LEVEL = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    def compressobj(self, level=-1, *args, **kwargs):
        return zlib.compressobj(self.LEVEL, *args, **kwargs)


def _page_references(pdf):
    kids = pdf.pages["Kids"]
    known = pdf.__dict__.get("_report_page_references")
    if known is None or known[0] != len(kids):
        known = pdf.__dict__["_report_page_references"] = (len(kids), _pydyf_page_references(pdf))
    return known[1]


#: What weasyprint.text.fonts.get_font_description reads of a style.
_FONT_PROPERTIES = ("font_family", "font_style", "font_stretch", "font_weight", "font_size",
                    "font_variant_caps", "font_variation_settings")


def _font_description(style):
    key = tuple(style[name] for name in _FONT_PROPERTIES)
    description = _descriptions.get(key)
    if description is None:
        description = _descriptions[key] = _weasyprint_font_description(style)
    return description


def _strut(style):
    """line_break.strut, once per style (a computed style's values never change)."""
    known = style.__dict__.get("_report_strut")
    if known is None:
        known = style.__dict__["_report_strut"] = _weasyprint_strut(style)
    return known


def _deactivate(layout) -> None:
    """Layout.deactivate: the Pango layout put aside for :func:`_reactivate`."""
    layout._report_kept = (layout.layout, layout.language, layout.style)
    _weasyprint_deactivate(layout)


def _reactivate(layout, style) -> None:
    """Layout.reactivate (before drawing): the layout put aside, if WeasyPrint would make the
    same one again (same style, no justification spacing), else a new one as it does."""
    kept = layout.__dict__.pop("_report_kept", None)
    if kept is not None and kept[2] is style and not layout.justification_spacing:
        layout.layout, layout.language, layout.style = kept
    else:
        _weasyprint_reactivate(layout, style)


def install() -> None:
    """Once per process (idempotent)."""
    if pydyf.zlib is zlib:
        pydyf.zlib = _StreamCompression()
    pydyf.PDF.page_references = property(_page_references)
    line_break.get_font_description = _font_description
    weasy_inline.strut = _strut   # the inline layout's; the unit conversions keep theirs
    if glyphs.install():   # the glyph writer leaves a kept layout's paragraph mode alone
        line_break.Layout.deactivate = _deactivate
        line_break.Layout.reactivate = _reactivate


def new_render() -> None:
    """Forget the font descriptions of the last render (they are per render: nothing of a
    report is kept for the next one)."""
    _descriptions.clear()
