"""SVG charts shared by the HTML pages and the WeasyPrint PDFs: pure functions, data in,
``markupsafe.Markup`` out.

Every chart is self-contained, accessible SVG: ``role="img"``, a ``<title>`` and a
``<desc>`` carrying a full text alternative (all the values), a ``viewBox`` so it scales,
presentation by inline attributes only (no ``<style>``, no ``<script>``, no ``<image>``, no
``url()`` and no ``href`` at all), every label escaped, and the font family
``DejaVu Sans, sans-serif`` (bundled with the PDFs).  Series are told apart by colour *and*
dash pattern *and* marker shape; text on coloured cells is black or white, whichever
contrasts more (at least 4.5:1, WCAG AA).

Each chart has a companion ``*_table`` function returning a :class:`ChartTable` (caption,
column headings, rows of display strings) with the same data; templates either call
``table.to_html()`` or loop over ``table.columns`` / ``table.rows`` themselves, with the first
cell of each row as a row header (``<th scope="row">``).  Put the table next to the chart
(visible, or in a ``<details>``) so the numbers are never available only as a picture.

Band thresholds come from the caller (``bands_from_rubric(questionnaire.rubric)``); the
default is the rubric model's own default, so nothing here restates RUBRIC.md numbers.

Every text the charts write themselves (default titles, descriptions, legends, tooltips,
table captions and headings, "no score" / "no items") goes through
:func:`app.i18n.translate`: Flask-Babel's ``gettext`` in the current locale inside an app
context, the English string outside one, so the charts can still be built without Flask.
Texts passed in by the caller are used as is.

The package, one module per concern: :mod:`.data` (bands, series, tables, fallback labels),
:mod:`.colours`, :mod:`.svg` (the drawing kit: document, text, markers, numbers), and a
module per chart: :mod:`.radar`, :mod:`.heat_map`, :mod:`.bars`, :mod:`.trend` (the review
area's line charts).  Import the public names from here.
"""
from __future__ import annotations

from .bars import layer_bars, layer_bars_table
from .colours import (BAND_COLOURS, BAR_COLOUR, GRID_COLOUR, HEAT_RAMP, MAX_SERIES, MUTED_COLOUR, SERIES_STYLES,
                      TEXT_COLOUR, band_colours, band_palette, contrast_ratio, text_colour_on)
from .data import (BAND_NAMES, DEFAULT_BANDS, LAYER_NAMES, NO_ITEMS, NO_SCORE, Band, ChartTable, Series,
                   bands_from_rubric, default_bands)
from .heat_map import heatmap, heatmap_table
from .radar import radar_chart, radar_table
from .svg import FONT_FAMILY, svg_data_uri
from .trend import line_chart, lines_table

__all__ = [
    "BAND_COLOURS", "BAND_NAMES", "BAR_COLOUR", "DEFAULT_BANDS", "FONT_FAMILY", "GRID_COLOUR", "HEAT_RAMP",
    "LAYER_NAMES", "MAX_SERIES", "MUTED_COLOUR", "NO_ITEMS", "NO_SCORE", "SERIES_STYLES", "TEXT_COLOUR",
    "Band", "ChartTable", "Series", "band_colours", "band_palette", "bands_from_rubric", "contrast_ratio",
    "default_bands", "heatmap", "heatmap_table", "layer_bars", "layer_bars_table", "line_chart", "lines_table",
    "radar_chart", "radar_table", "svg_data_uri", "text_colour_on",
]
