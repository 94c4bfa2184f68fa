"""Small changes to WeasyPrint's and pydyf's work that leave the PDF as it was (issue 14: a
PDF no slower than Chromium's, ``tests/perf/bench_reports.py``).  :func:`install` makes them
once per process; :func:`new_render` starts each render afresh; :func:`as_shipped` undoes
them for a while (the tests compare the PDFs drawn both ways, byte for byte, uncompressed:
``tests/reports/test_reports_engine.py``).

* Stream compression: pydyf compresses every stream at zlib's level 9, which took a
  twentieth of a gap report's CPU to make the PDF 4 % smaller than level 6 does (219 KB
  instead of 211): :class:`_StreamCompression` gives it level 6.  The streams decompress to
  the same bytes.
* Page references: pydyf's ``PDF.page_references`` builds the tuple of every page's
  reference each time it is read, and the PDF/UA tagging reads it for every structure
  element: some 3,600 times 36 pages.  :func:`_page_references` keeps the tuple while the
  page count stays the same.
* Serialising: pydyf's ``_to_bytes`` tries three types before the common ones (names,
  integers); :func:`_to_bytes` looks at those first (116,000 calls a report).
* Serialising dictionaries and arrays (the structure tree of a tagged PDF is 3,400 of them):
  :func:`_dictionary_data` and :func:`_array_data` write pydyf's bytes with the common
  values (names, references, integers) converted inline, not by a call each.
* Font descriptions: WeasyPrint makes a new Pango font description for each piece of text
  it lays out or draws (5,000 in a gap report); :func:`_font_description` makes one per
  font (family, style, weight, size...) and render.  Pango copies a description it is
  given, so one serves every layout.
* Struts: the height and baseline of a line in a style (``line_break.strut``), which
  WeasyPrint looks up for every piece of inline text by a key it formats anew each time
  from fourteen properties (4,000 times a report): :func:`_strut` keeps it with the style.
* Pango contexts: ``Layout.setup`` made a Pango context for every piece of text laid out or
  drawn (2,700 a report); :func:`_setup` shares one per font map, direction and language
  of a render (:func:`_pango_context`), set up as WeasyPrint sets up its own.  Pango
  contexts serve any number of layouts, and nothing changes one once it is made.
* Normal flow: ``Box.is_in_normal_flow`` (34,000 calls a report) tests ``float`` and
  ``position`` inline instead of through five methods (:func:`_is_in_normal_flow`).
* Backgrounds: ``layout_box_backgrounds`` (every box of every page) looks at six properties
  of a box's style to find, for most boxes, nothing to paint: :func:`_paints_nothing` finds
  it once per style.
* The cascade: :mod:`.cascade` (the declarations of elements that share a computed style
  are not written out for nothing; the computed value of a property no rule sets, in two
  steps).
* Percentages: ``resolve_percentages`` (every box, every layout: 95,000 values a report)
  with WeasyPrint's own arithmetic, the call per value left out (:func:`_resolve_percentages`).
* Layouts kept for drawing: when WeasyPrint has fitted a line, it drops the line's Pango
  layout, and makes it again to draw the line: a new layout, its text shaped again (a
  twentieth of a gap report).  :func:`_deactivate` keeps the layout with the line's box,
  and :func:`_reactivate` gives it back to the drawing when nothing would differ: the same
  style and no justification.  The layout holds the same text in the same font; it may
  still have the width it was fitted to, which changes nothing on a line that fits in it.
  This needs the glyph writer (:mod:`.glyphs`), which does not reset a kept layout.
"""
from __future__ import annotations

import sys
import zlib
from contextlib import contextmanager
from math import inf

import pydyf
from weasyprint import css as weasy_css
from weasyprint.css.functions import check_math
from weasyprint.draw import text as weasy_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import background as weasy_background
from weasyprint.layout import inline as weasy_inline
from weasyprint.layout import percent
from weasyprint.text import fonts as weasy_fonts
from weasyprint.text import line_break
from weasyprint.text.constants import PANGO_DIRECTION
from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p

from . import cascade, glyphs

_pydyf_page_references = pydyf.PDF.page_references
_pydyf_to_bytes = pydyf._to_bytes
_weasyprint_font_description = weasy_fonts.get_font_description
_weasyprint_strut = line_break.strut
_weasyprint_resolve_percentages = percent.resolve_percentages
_weasyprint_deactivate = line_break.Layout.deactivate
_weasyprint_reactivate = line_break.Layout.reactivate
_weasyprint_setup = line_break.Layout.setup
_weasyprint_box_backgrounds = weasy_background.layout_box_backgrounds
_descriptions: dict = {}
#: Pango contexts of the render, by font map, direction and language (:func:`_setup`).
_contexts: dict = {}


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
        known = pdf.__dict__["_report_page_references"] = (len(kids), _pydyf_page_references.fget(pdf))
    return known[1]


def _to_bytes(item):
    kind = type(item)
    if kind is bytes:
        return item
    if kind is str:
        return item.encode("ascii")
    if kind is int:
        return str(item).encode("ascii")
    return _pydyf_to_bytes(item)


def _dictionary_data(dictionary) -> bytes:
    """pydyf's Dictionary.data: the same bytes, without a call per key and per value."""
    parts = []
    for key, value in dictionary.items():
        kind = type(value)
        if kind is bytes:
            data = value
        elif kind is str:
            data = value.encode("ascii")
        elif kind is int:
            data = str(value).encode("ascii")
        else:
            data = _pydyf_to_bytes(value)
        parts.append(b"/" + (key.encode("ascii") if type(key) is str else _to_bytes(key)) + b" " + data)
    return b"<<" + b"".join(parts) + b">>"


def _array_data(array) -> bytes:
    """pydyf's Array.data: the same bytes, without a call per common item."""
    return b"[" + b" ".join([
        child if type(child) is bytes else str(child).encode("ascii") if type(child) is int
        else _to_bytes(child) for child in array]) + b"]"


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


def _used(value, style, refer_to):
    """weasyprint.layout.percent.percentage, lengths and percentages first."""
    if value is None or value == "auto":
        return value
    unit = getattr(value, "unit", None)
    if unit == "px":
        return value.value
    if unit == "%":
        return refer_to * value.value / 100
    return percent.percentage(value, style, refer_to)


def _resolve_percentages(box, containing_block):
    """weasyprint.layout.percent.resolve_percentages, step for step."""
    if isinstance(containing_block, boxes.Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, maybe_height)
    box.margin_bottom = _used(style["margin_bottom"], style, maybe_height)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, maybe_height)
    box.padding_bottom = _used(style["padding_bottom"], style, maybe_height)
    box.width = _used(style["width"], style, cb_width)
    min_width = _used(style["min_width"], style, cb_width)
    box.min_width = 0 if min_width == "auto" else min_width
    box.max_width = _used(style["max_width"], style, cb_width)
    if cb_height == "auto":
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        min_height, box.max_height = _used(style["min_height"], style, 0), _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        min_height = _used(style["min_height"], style, cb_height)
        box.max_height = _used(style["max_height"], style, cb_height)
    box.min_height = 0 if min_height == "auto" else min_height
    collapse = style["border_collapse"] == "collapse"
    for side in ("top", "right", "bottom", "left"):
        name = f"border_{side}_width"
        if not (collapse and hasattr(box, name)):   # set by the collapsed borders' resolution
            setattr(box, name, style[name])
    percent.adjust_box_sizing(box, "width")
    percent.adjust_box_sizing(box, "height")


def _pango_context(style):
    """A Pango context as Layout.setup makes one for ``style``: made once per font map,
    direction and language of a render, then shared by the layouts (Pango contexts serve
    any number of layouts; none of WeasyPrint's changes a context once it is set up)."""
    override = style["font_language_override"]
    if override != "normal":
        lang = line_break.LST_TO_ISO.get(override.lower(), override)
    else:
        lang = style["lang"] or None
    key = (style.font_config.font_map, style["direction"], lang)
    known = _contexts.get(key)
    if known is None:
        context = ffi.gc(pango.pango_font_map_create_context(key[0]), gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(context, False)
        pango.pango_context_set_base_dir(context, PANGO_DIRECTION[key[1]])
        if lang:
            lang_p, _ = unicode_to_char_p(lang)
            language = pango.pango_language_from_string(lang_p)
            pango.pango_context_set_language(context, language)
        else:
            language = pango.pango_language_get_default()
        known = _contexts[key] = (context, language)
    return known


def _setup(layout, style) -> None:
    """Layout.setup, step for step, with the Pango context of :func:`_pango_context`."""
    if style["text_decoration_line"] != "none":   # font metrics read from its own context
        return _weasyprint_setup(layout, style)
    layout.style = style
    layout.first_line_direction = 0
    pango_context, layout.language = _pango_context(style)
    layout.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(layout.layout, False)
    pango.pango_layout_set_font_description(layout.layout, line_break.get_font_description(style))
    layout.ascent = layout.underline_position = layout.strikethrough_position = None
    features = line_break.font_features(
        style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
        style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
        style["font_variant_east_asian"], style["font_feature_settings"])
    if features:
        features = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        attr = style.font_config.font_features.setdefault(features, pango.pango_attr_font_features_new(features))
        attr_list = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(layout.layout, attr_list)


def _is_in_normal_flow(box) -> bool:
    """Box.is_in_normal_flow without its five calls (34,000 a report): the same tests of
    ``float`` and ``position``."""
    style = box.style
    position = style["position"]
    return not (style["float"] in _OUT_OF_FLOW_FLOATS or position in ("absolute", "fixed")
                or position[0] in ("running()", "note()"))


_OUT_OF_FLOW_FLOATS = ("left", "right", "inline-start", "inline-end", "footnote")


def _paints_nothing(style) -> bool:
    """Whether layout_box_backgrounds finds nothing to paint for a box of ``style``: no
    border or mask image, no background image, colour or shadow.  Once per style."""
    known = style.__dict__.get("_report_paints_nothing")
    if known is None:
        from weasyprint.draw.color import get_color   # as layout_box_backgrounds imports it

        known = (style["border_image_source"][0] == "none" and style["mask_border_source"][0] == "none"
                 and not style["box_shadow"]
                 and (style["visibility"] == "hidden" or (
                     get_color(style, "background_color").alpha == 0
                     and not any(value for type_, value in style["background_image"] if type_ != "url")
                     and all(type_ != "url" for type_, _ in style["background_image"]))))
        style.__dict__["_report_paints_nothing"] = known
    return known


def _layout_box_backgrounds(page, box, get_image_from_uri, layout_children=True, style=None):
    """layout_box_backgrounds (every box of every page: 5,200 a report), its steps for a box
    that paints nothing (most boxes) without looking at its style again."""
    if style is not None or box is page or not _paints_nothing(box.style):
        return _weasyprint_box_backgrounds(page, box, get_image_from_uri, layout_children, style)
    percent.resolve_radii_percentages(box)
    if layout_children:
        for child in box.all_children():
            _layout_box_backgrounds(page, child, get_image_from_uri)
    box.background = None


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


def _patches() -> list[tuple[object, str, object]]:
    """(where, name, ours) of every change; ``resolve_percentages`` wherever the layout
    modules imported it."""
    found = [(pydyf, "zlib", _StreamCompression()),
             (pydyf.PDF, "page_references", property(_page_references)),
             (pydyf, "_to_bytes", _to_bytes),
             (pydyf.Dictionary, "data", property(_dictionary_data)),
             (pydyf.Array, "data", property(_array_data)),
             (line_break, "get_font_description", _font_description),
             (weasy_inline, "strut", _strut),   # the inline layout's; the unit conversions keep theirs
             (weasy_text, "draw_first_line", glyphs.draw_first_line),
             (line_break.Layout, "deactivate", _deactivate),
             (line_break.Layout, "reactivate", _reactivate),
             (line_break.Layout, "setup", _setup),
             (boxes.Box, "is_in_normal_flow", _is_in_normal_flow),
             (weasy_background, "layout_box_backgrounds", _layout_box_backgrounds),
             (weasy_css.StyleFor, "__init__", cascade.style_for_init),
             (weasy_css.ComputedStyle, "__missing__", cascade.computed_missing)]
    for name, module in list(sys.modules.items()):
        if name.startswith("weasyprint.layout") and \
                getattr(module, "resolve_percentages", None) is _weasyprint_resolve_percentages:
            found.append((module, "resolve_percentages", _resolve_percentages))
    return found


_installed: list[tuple[object, str, object, object]] = []


def install() -> bool:
    """Once per process; False (and nothing changed) on a WeasyPrint that :mod:`.glyphs`
    was not checked against."""
    if _installed:
        return True
    if not glyphs.supported():
        return False
    for where, name, ours in _patches():
        _installed.append((where, name, ours, where.__dict__[name]))
        setattr(where, name, ours)
    return True


@contextmanager
def as_shipped():
    """WeasyPrint and pydyf as they come, for a while (tests)."""
    for where, name, _ours, theirs in _installed:
        setattr(where, name, theirs)
    try:
        yield
    finally:
        for where, name, ours, _theirs in _installed:
            setattr(where, name, ours)


def installed() -> bool:
    return bool(_installed) and all(getattr(where, name) is ours for where, name, ours, _ in _installed)


def new_render() -> None:
    """Forget the font descriptions of the last render (they are per render: nothing of a
    report is kept for the next one)."""
    _descriptions.clear()
    _contexts.clear()
