"""A faster way for WeasyPrint to write a line's glyphs into the PDF, with the same bytes.

Why (issue 14, ``tests/perf/bench_reports.py``): WeasyPrint's
``weasyprint.draw.text.draw_first_line`` writes each glyph of each line with a dozen
Python steps (cffi reads of the glyph's fields, a hexadecimal code, the kerning against the
font's advance width): a tenth of a gap report's CPU.  :func:`draw_first_line` writes the
same TJ operands from the glyph array read in one go, and keeps the text written for a
(glyph, advance, offset) of a font at a size, which the next occurrence reuses: a report
has some 130,000 glyphs and a few thousand different ones.

Same output: every value is computed with WeasyPrint's own arithmetic (:func:`_glyph_operand`
is its loop body), glyphs are mapped to their text (``ToUnicode``: what a screen reader reads
and a search finds) and measured in the same order, and a line with anything else in it
(an empty, unknown or raised glyph: Arabic marks, for one; an emoji or bitmap font; an
ellipsis) goes to WeasyPrint's own function, whole.  ``tests/reports/test_reports_engine.py``
compares the uncompressed PDFs of the demo reports, English and Arabic, drawn both ways.
Nothing is installed on a WeasyPrint other than :data:`SUPPORTED` (:func:`supported`: the
function copied here may have changed): the test then fails, to have it checked again.
"""
from __future__ import annotations

import re

import weasyprint
from weasyprint.draw import text as weasy_text
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

#: The WeasyPrint versions whose ``draw_first_line`` this module reproduces.
SUPPORTED = ("70.",)

_weasyprint_draw_first_line = weasy_text.draw_first_line
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG
#: PangoGlyphInfo as 32-bit integers: glyph, width, x_offset, y_offset, attributes.
_GLYPH_INTS = ffi.sizeof("PangoGlyphInfo") // 4
#: What Pango takes for the end of a paragraph (\n, \r, U+2029), and other breaks to be safe.
_PARAGRAPH_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def supported() -> bool:
    """Whether this WeasyPrint is one this module was checked against (:mod:`.speedups`
    installs :func:`draw_first_line` only then)."""
    return weasyprint.__version__.startswith(SUPPORTED) and _GLYPH_INTS == 5


def _plain_run(glyph_item):
    """The glyph ids, advances and x offsets of a run, or None when a glyph is empty,
    unknown or raised (WeasyPrint writes those its own way)."""
    glyphs = glyph_item.glyphs
    ints = memoryview(ffi.buffer(glyphs.glyphs, glyphs.num_glyphs * _GLYPH_INTS * 4)).cast("i")
    ids, widths, x_offsets, y_offsets = (ints[k::_GLYPH_INTS] for k in range(4))
    if any(y_offsets) or _EMPTY in ids or any(glyph & _UNKNOWN for glyph in ids):
        return None
    return ids, widths, x_offsets


def _runs(stream, layout):
    """Each run of the layout's first line with its font, or None if one is not plain."""
    first_line, _ = layout.get_first_line()
    runs = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        pango_font = glyph_item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if font.svg or font.png or font.colr or font.bitmap:
            return None
        glyphs = _plain_run(glyph_item)
        if glyphs is None:
            return None
        runs.append((glyph_item, pango_font, font, font_size, glyphs))
    return runs


def _map_to_text(glyph_item, ids, font, text: str) -> None:
    """``font.to_unicode`` for the run's glyphs not mapped yet: the text of a glyph's first
    occurrence, as WeasyPrint takes it (the glyph's cluster, either direction)."""
    to_unicode = font.to_unicode
    missing = [i for i, glyph in enumerate(ids) if glyph not in to_unicode]
    if not missing:
        return
    count = len(ids)
    clusters = ffi.unpack(glyph_item.glyphs.log_clusters, count)
    item = glyph_item.item
    start, length, rtl = item.offset, item.length, item.analysis.level % 2
    utf8 = text.encode()
    for i in missing:
        if ids[i] in to_unicode:
            continue
        if rtl:
            end = length if i == 0 else clusters[i - 1]
        else:
            end = length if i == count - 1 else clusters[i + 1]
        to_unicode[ids[i]] = utf8[start + clusters[i]:start + end].decode()


def _glyph_operand(stream, pango_font, font, font_size, glyph_id, width, x_offset) -> str:
    """One glyph as WeasyPrint writes it: offset, code, kerning (its arithmetic, verbatim)."""
    offset = x_offset / font_size
    operand = f">{-offset}<" if offset else ""
    operand += f"{glyph_id:04x}"
    logical_width = font.widths.get(glyph_id)
    if logical_width is None:
        pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
        logical_width = font.widths[glyph_id] = round(
            stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    if kerning:
        operand += f">{int(kerning)}<"
    return operand


def _run_operands(stream, run, text: str) -> str:
    glyph_item, pango_font, font, font_size, (ids, widths, x_offsets) = run
    _map_to_text(glyph_item, ids, font, text)
    # Per font object (one document) and size: never shared between two renders.
    known = font.__dict__.setdefault("_report_operands", {}).setdefault(font_size, {})
    operands = []
    for key in zip(ids, widths, x_offsets):
        operand = known.get(key)
        if operand is None:
            operand = known[key] = _glyph_operand(stream, pango_font, font, font_size, *key)
        operands.append(operand)
    return "".join(operands)


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's ``draw_first_line`` (same signature, same stream), faster for lines of
    plain glyphs; anything else is drawn by WeasyPrint's own function."""
    if (text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip()
            or textbox.style["font_size"] < 1e-6 or pango.pango_version() < 14802):
        return _weasyprint_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    layout = textbox.pango_layout
    if _PARAGRAPH_BREAKS.search(layout.text):
        # Shown as glyphs, not as breaks, as WeasyPrint draws them.  Without one in the text
        # the mode changes nothing but would have Pango shape the text again: a layout kept
        # from the line's fitting (speedups._reactivate) is drawn as it is.
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    runs = _runs(stream, layout)
    if runs is None:
        return _weasyprint_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_text_matrix(*matrix.values)
    previous_font, string = None, ""
    for run in runs:
        _, pango_font, font, font_size, _ = run
        if pango_font != previous_font:
            previous_font = pango_font
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, font_size)
        string += "<" + _run_operands(stream, run, layout.text)
        string = string[:-1] if string[-1] == "<" else string + ">"
    stream.show_text(string)
    return []  # no emoji: fonts with pictures go WeasyPrint's way
