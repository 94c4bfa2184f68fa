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
table captions and headings, "no score" / "no items") goes through :func:`_`: Flask-Babel's
``gettext`` in the current locale inside an app context, the English string outside one, so
the charts can still be built without Flask.  Texts passed in by the caller are used as is.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote

from markupsafe import Markup, escape

from app.i18n import N_, locale_code, script_direction, translate as _
from app.questionnaire.definition import Rubric
from app.questionnaire.schema import AREA_CODES, LAYER_CODES
from app.display import numbers
from app.display.labels import BAND, coded_title
from app.scoring.plan import band_index

FONT_FAMILY = "DejaVu Sans, sans-serif"
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#595959"        # 7:1 on white
GRID_COLOUR = "#8c8c8c"         # 3.4:1 on white: visible grid, not text


#: The words for a missing value, in English (the msgids); charts and tables show them
#: translated, through :func:`_`.
NO_SCORE = N_("no score")
NO_ITEMS = N_("no items")
#: Fallback names of the prevention layers when the caller passes no labels.
LAYER_NAMES = {"primary": N_("Primary"), "secondary": N_("Secondary"), "tertiary": N_("Tertiary")}
#: Fallback names of the default rubric's bands (a rubric without a label in the language).
BAND_NAMES = BAND    # the display vocabulary's band names

#: Series styles: colour (each at least 3:1 on white, WCAG 1.4.11), dash pattern, marker.
SERIES_STYLES: tuple[tuple[str, str | None, str], ...] = (
    ("#0072B2", None, "circle"),
    ("#D55E00", "8 4", "square"),
    ("#1B7837", "2 3", "triangle"),
    ("#6A3D9A", "10 3 2 3", "diamond"),
    ("#C51B7D", "4 4", "triangle-down"),
    ("#8C510A", "1 3", "plus"),
    ("#007F7F", "12 4", "circle"),
    ("#4D4D4D", "6 2 2 2", "square"),
)
MAX_SERIES = len(SERIES_STYLES)

#: Light to dark ramp for the heat map (ColorBrewer Blues); interpolated to the band count.
HEAT_RAMP = ("#f1f7fd", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
BAR_COLOUR = "#2166ac"          # 5.9:1 on white

#: The bands' colours, one table: (ink, background) of each standard band.  The results page's
#: band pills use them (app/static/css/results.css, ``--band-*`` and ``--band-*-bg``: a test
#: checks that the two agree), and so do the PDFs' band chips and charts (ink on its
#: background at least 4.5:1).  Each band is a colour of its own, not a step of one ramp.
BAND_COLOURS: dict[str, tuple[str, str]] = {
    "absent": ("#a4161a", "#fdecea"),
    "initiating": ("#8a4b00", "#fff1db"),
    "developing": ("#665500", "#fbf5d3"),
    "established": ("#0b5394", "#e5eff9"),
    "sustained": ("#1e6b3a", "#e3f2e7"),
}


# -- data types -------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    code: str
    min: float
    label: str


@dataclass(frozen=True)
class Series:
    """One line of a radar chart: a label and a score (0-100 or ``None``) per axis code."""

    label: str
    values: Mapping[str, float | None]

    @classmethod
    def from_document(cls, label: str, doc: Mapping[str, Any], key: str = "score") -> "Series":
        """Area scores of a score document (``key="known_only"`` for the other view)."""
        return cls(label, {code: entry.get(key) for code, entry in doc["areas"].items()})


@dataclass(frozen=True)
class ChartTable:
    """The data behind a chart as display strings, for an accessible ``<table>``."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_html(self, css_class: str = "chart-data") -> Markup:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>" + f'<th scope="row">{escape(row[0])}</th>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:]) + "</tr>"
            for row in self.rows)
        notes = "".join(f"<p>{escape(n)}</p>" for n in self.notes)
        return Markup(
            f'<table class="{escape(css_class)}"><caption>{escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}")


def bands_from_rubric(rubric: Rubric, lang: str = "en") -> tuple[Band, ...]:
    """The rubric's bands with display labels: the band's label in ``lang`` (or its base
    language); else its English label (or, without one, the standard name of the band's code,
    or the code capitalised), translated through the catalogue when ``lang`` is not English."""
    out = []
    base = lang.replace("-", "_").split("_")[0]
    for b in rubric.bands:
        labels = b.label or {}
        label = labels.get(lang) or labels.get(base)
        if not label:
            english = labels.get("en") or BAND_NAMES.get(b.code) or b.code.capitalize()
            label = english if base == "en" else _(english)
        out.append(Band(b.code, float(b.min), label))
    return tuple(out)


def default_bands() -> tuple[Band, ...]:
    """The rubric model's default bands, labelled in the current locale."""
    return bands_from_rubric(Rubric(rubric_version="default"), locale_code())


#: The default bands with their English labels (charts use :func:`default_bands`).
DEFAULT_BANDS: tuple[Band, ...] = bands_from_rubric(Rubric(rubric_version="default"))


# -- radar ---------------------------------------------------------------------------------
def radar_chart(series: Sequence[Series | tuple[str, Mapping[str, float | None]]], *,
                axes: Sequence[str] = AREA_CODES,
                axis_labels: Mapping[str, str] | None = None,
                bands: Sequence[Band] | None = None,
                title: str | None = None,
                desc: str | None = None,
                chart_id: str | None = None) -> Markup:
    """A radar chart of 0-100 scores over ``axes`` (the areas a..i), one polygon per series
    (1 to ``MAX_SERIES``, overlaid with distinct colour, dash and marker).  A missing score
    is drawn at 0 with a hollow marker and noted under the chart and in the description.
    Rings mark the band thresholds."""
    series = _series(series)
    bands = tuple(bands or default_bands())
    labels = _labels(axes, axis_labels, with_code=True)
    title = _("Readiness by area") if title is None else title
    no_score = _(NO_SCORE)
    n = len(axes)
    if n < 3:
        raise ValueError("a radar chart needs at least three axes")
    width, cx, cy, radius = 760.0, 380.0, 205.0, 150.0
    legend_top = cy + radius + 62
    has_missing = any(s.values.get(a) is None for s in series for a in axes)
    height = legend_top + 20 * len(series) + (22 if has_missing else 0) + 8

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        r = radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts: list[str] = []
    # rings at every band threshold above 0, and at 100, with their value on the first axis
    for level in sorted({b.min for b in bands if b.min > 0} | {100.0}):
        ring = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(k, level) for k in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID_COLOUR}" '
                     f'stroke-width="0.75"/>')
        x, y = point(0, level)
        parts.append(_text(x + 4, y + 4, _n(level), size=9, fill=MUTED_COLOUR))
    for k, code in enumerate(axes):
        x, y = point(k, 100)
        parts.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
                     f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>')
        angle = -math.pi / 2 + 2 * math.pi * k / n
        lx, ly = cx + (radius + 14) * math.cos(angle), cy + (radius + 14) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        sin = math.sin(angle)
        valign = "top" if sin > 0.3 else "bottom" if sin < -0.3 else "middle"
        ly += 4 + (6 if sin > 0.9 else 0)
        parts.append(_text(lx, ly, labels[code], size=11, anchor=anchor, max_chars=30,
                           lines=2, valign=valign))

    for index, s in enumerate(series):
        colour, dash, marker = SERIES_STYLES[index]
        pts = [point(k, s.values.get(code) or 0.0) for k, code in enumerate(axes)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in pts)}" fill="{colour}" '
            f'fill-opacity="0.08" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for (x, y), code in zip(pts, axes):
            value = s.values.get(code)
            tip = _("%(series)s, %(axis)s: %(value)s", series=s.label, axis=labels[code],
                    value=_value(value, no_score))
            parts.append(_marker(marker, x, y, colour, hollow=value is None, tip=tip))

    # legend: sample line with dash and marker, then the label
    for index, s in enumerate(series):
        colour, dash, marker = SERIES_STYLES[index]
        y = legend_top + 20 * index
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="40" y1="{_n(y)}" x2="84" y2="{_n(y)}" stroke="{colour}" '
                     f'stroke-width="2"{dash_attr}/>')
        parts.append(_marker(marker, 62, y, colour))
        parts.append(_text(94, y + 4, s.label, size=11, max_chars=80))
    if has_missing:
        y = legend_top + 20 * len(series) + 6
        parts.append(_marker("circle", 62, y, TEXT_COLOUR, hollow=True))
        parts.append(_text(94, y + 4, _("Hollow marker: no score for this area (drawn at 0)."),
                           size=10, fill=MUTED_COLOUR, max_chars=110))

    if desc is None:
        desc = _radar_desc(series, axes, labels, no_score)
    return _svg(width, height, title, desc, parts, chart_id, (title, axes, series))


def radar_table(series: Sequence[Series | tuple[str, Mapping[str, float | None]]], *,
                axes: Sequence[str] = AREA_CODES,
                axis_labels: Mapping[str, str] | None = None,
                caption: str | None = None) -> ChartTable:
    """The radar chart's data: one row per axis, one column per series."""
    series = _series(series)
    labels = _labels(axes, axis_labels, with_code=True)
    no_score = _(NO_SCORE)
    rows = tuple((labels[a], *(_value(s.values.get(a), no_score) for s in series)) for a in axes)
    caption = _("Readiness by area (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Area"), *(s.label for s in series)), rows)


def _radar_desc(series: Sequence[Series], axes: Sequence[str], labels: Mapping[str, str],
                no_score: str) -> str:
    out = [_("Radar chart of scores from 0 to 100 by area.")]
    for s in series:
        values = "; ".join(f"{labels[a]} {_value(s.values.get(a), no_score)}" for a in axes)
        out.append(_("%(series)s: %(values)s.", series=s.label, values=values))
    return " ".join(out)


# -- heat map ------------------------------------------------------------------------------
def heatmap(cells: Mapping[str, Mapping[str, float | None]], *,
            areas: Sequence[str] = AREA_CODES, layers: Sequence[str] = LAYER_CODES,
            area_labels: Mapping[str, str] | None = None,
            layer_labels: Mapping[str, str] | None = None,
            bands: Sequence[Band] | None = None,
            title: str | None = None,
            desc: str | None = None,
            chart_id: str | None = None) -> Markup:
    """A heat map of cell scores: areas as rows, layers as columns, the value printed in each
    cell, the fill by band (light to dark), cells without items hatched and labelled."""
    bands = tuple(bands or default_bands())
    colours = band_colours(len(bands))
    a_labels = _labels(areas, area_labels, with_code=True)
    l_labels = _labels(layers, layer_labels)
    title = _("Readiness by area and prevention layer") if title is None else title
    no_items = _(NO_ITEMS)
    label_w, cell_w, cell_h, top = 290.0, 112.0, 34.0, 50.0
    width = label_w + cell_w * len(layers) + 10
    legend_top = top + cell_h * len(areas) + 24
    # legend: one swatch per band with its range, then the no-items swatch; a label longer
    # than its swatch (at about 5.4 units a character) wraps onto a second line
    swatch_w = (width - 20) / (len(bands) + 1)
    legend_chars = max(8, int((swatch_w - 6) / 5.4))
    legend_texts = [f"{band.label} {_n(band.min)}\u2013"
                    f"{_n(bands[k + 1].min if k + 1 < len(bands) else 100.0)}"
                    for k, band in enumerate(bands)] + [_("No items")]
    wraps = any(len(text) > legend_chars for text in legend_texts)
    height = legend_top + 44 + (11 if wraps else 0)
    mins = tuple(b.min for b in bands)
    parts: list[str] = []
    for j, layer in enumerate(layers):
        parts.append(_text(label_w + cell_w * (j + 0.5), top - 10, l_labels[layer], size=11,
                           anchor="middle", weight="bold", max_chars=14, lines=2,
                           valign="bottom"))
    for i, area in enumerate(areas):
        y = top + cell_h * i
        parts.append(_text(label_w - 8, y + cell_h / 2 + 4, a_labels[area], size=10.5,
                           anchor="end", max_chars=44, lines=2))
        for j, layer in enumerate(layers):
            x = label_w + cell_w * j
            value = (cells.get(area) or {}).get(layer)
            tip = _("%(area)s, %(layer)s: %(value)s", area=a_labels[area],
                    layer=l_labels[layer], value=_value(value, no_items))
            if value is None:
                parts.append(_hatched_cell(x, y, cell_w, cell_h, tip, no_items))
                continue
            fill = colours[band_index(mins, value)]
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell_w)}" '
                         f'height="{_n(cell_h)}" fill="{fill}" stroke="#ffffff" '
                         f'stroke-width="1"><title>{escape(tip)}</title></rect>')
            parts.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, _value(value, ""), size=12,
                               anchor="middle", fill=text_colour_on(fill)))
    for k, _band in enumerate(bands):
        x = 10 + swatch_w * k
        parts.append(f'<rect x="{_n(x)}" y="{_n(legend_top)}" width="{_n(swatch_w - 6)}" '
                     f'height="16" fill="{colours[k]}" stroke="{GRID_COLOUR}" stroke-width="0.5"/>')
        parts.append(_text(x, legend_top + 30, legend_texts[k], size=9, max_chars=legend_chars,
                           lines=2, valign="top"))
    x = 10 + swatch_w * len(bands)
    parts.append(_hatched_cell(x, legend_top, swatch_w - 6, 16, no_items, no_items, label=False))
    parts.append(_text(x, legend_top + 30, legend_texts[-1], size=9, max_chars=legend_chars,
                       lines=2, valign="top"))
    if desc is None:
        rows = "; ".join(
            _("%(area)s: %(values)s", area=a_labels[a], values=", ".join(
                f"{l_labels[layer]} {_value((cells.get(a) or {}).get(layer), no_items)}"
                for layer in layers))
            for a in areas)
        desc = _("Heat map of scores from 0 to 100 by area (rows) and layer (columns). "
                 "%(rows)s.", rows=rows)
    return _svg(width, height, title, desc, parts, chart_id, (title, areas, layers, cells))


def heatmap_table(cells: Mapping[str, Mapping[str, float | None]], *,
                  areas: Sequence[str] = AREA_CODES, layers: Sequence[str] = LAYER_CODES,
                  area_labels: Mapping[str, str] | None = None,
                  layer_labels: Mapping[str, str] | None = None,
                  caption: str | None = None) -> ChartTable:
    a_labels = _labels(areas, area_labels, with_code=True)
    l_labels = _labels(layers, layer_labels)
    no_items = _(NO_ITEMS)
    rows = tuple((a_labels[a], *(_value((cells.get(a) or {}).get(layer), no_items)
                                 for layer in layers)) for a in areas)
    caption = _("Readiness by area and prevention layer (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Area"), *(l_labels[layer] for layer in layers)), rows)


def _hatched_cell(x: float, y: float, w: float, h: float, tip: str, text: str,
                  label: bool = True) -> str:
    """A light grey cell with diagonal hatching drawn as clipped-by-geometry lines (no
    pattern, no url()), and ``text`` (``no items``, translated) on a white plate, sized to
    the text, for legibility."""
    out = [f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="#f2f2f2" '
           f'stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></rect>']
    step = 8.0
    c = step
    while c < w + h:
        # the line x - x0 + (y - y0) = c inside the rectangle, from its lower-left end
        x1, y1 = x + max(0.0, c - h), y + min(h, c)
        x2, y2 = x + min(w, c), y + max(0.0, c - w)
        out.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
                   f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>')
        c += step
    if label:
        max_chars = int((w - 8) / 6)          # about 6 units a character at size 10
        shown = _wrap(text, max_chars, 1)[0]
        plate = min(w - 4, max(60.0, 6.0 * len(shown) + 8))
        out.append(f'<rect x="{_n(x + w / 2 - plate / 2)}" y="{_n(y + h / 2 - 8)}" '
                   f'width="{_n(plate)}" height="15" fill="#ffffff"/>')
        out.append(_text(x + w / 2, y + h / 2 + 3.5, text, size=10, anchor="middle",
                         max_chars=max_chars))
    return "".join(out)


# -- layer bars ----------------------------------------------------------------------------
def layer_bars(scores: Mapping[str, float | None], *,
               layers: Sequence[str] = LAYER_CODES,
               layer_labels: Mapping[str, str] | None = None,
               bands: Sequence[Band] | None = None,
               title: str | None = None,
               desc: str | None = None,
               chart_id: str | None = None) -> Markup:
    """Horizontal bars on a 0-100 axis, one per layer, the band thresholds marked by dashed
    lines and named above the axis, the value printed after each bar (``no score`` for
    ``None``)."""
    bands = tuple(bands or default_bands())
    labels = _labels(layers, layer_labels)
    title = _("Readiness by prevention layer") if title is None else title
    no_score = _(NO_SCORE)
    label_w, plot_w, bar_h, gap, top = 150.0, 420.0, 24.0, 14.0, 44.0
    width = label_w + plot_w + 80
    bottom = top + (bar_h + gap) * len(layers)
    height = bottom + 30

    def x_of(value: float) -> float:
        return label_w + plot_w * max(0.0, min(100.0, value)) / 100

    parts: list[str] = []
    for k, band in enumerate(bands):          # band names centred over their segment
        upper = bands[k + 1].min if k + 1 < len(bands) else 100.0
        parts.append(_text((x_of(band.min) + x_of(upper)) / 2, top - 22, band.label, size=9,
                           anchor="middle", fill=MUTED_COLOUR, max_chars=14, lines=2,
                           valign="bottom"))
        if band.min > 0:
            parts.append(f'<line x1="{_n(x_of(band.min))}" y1="{_n(top - 14)}" '
                         f'x2="{_n(x_of(band.min))}" y2="{_n(bottom)}" stroke="{GRID_COLOUR}" '
                         f'stroke-width="1" stroke-dasharray="3 3"/>')
    parts.append(f'<line x1="{_n(label_w)}" y1="{_n(bottom)}" x2="{_n(label_w + plot_w)}" '
                 f'y2="{_n(bottom)}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    for tick in sorted({0.0, 100.0} | {b.min for b in bands}):
        parts.append(f'<line x1="{_n(x_of(tick))}" y1="{_n(bottom)}" x2="{_n(x_of(tick))}" '
                     f'y2="{_n(bottom + 4)}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
        parts.append(_text(x_of(tick), bottom + 16, _n(tick), size=9, anchor="middle"))
    for i, layer in enumerate(layers):
        y = top + (bar_h + gap) * i
        value = scores.get(layer)
        parts.append(_text(label_w - 8, y + bar_h / 2 + 4, labels[layer], size=11,
                           anchor="end", max_chars=20, lines=2))
        parts.append(f'<rect x="{_n(label_w)}" y="{_n(y)}" width="{_n(plot_w)}" '
                     f'height="{_n(bar_h)}" fill="none" stroke="{GRID_COLOUR}" stroke-width="0.5"/>')
        tip = _("%(layer)s: %(value)s", layer=labels[layer], value=_value(value, no_score))
        if value is not None:
            parts.append(f'<rect x="{_n(label_w)}" y="{_n(y)}" '
                         f'width="{_n(x_of(value) - label_w)}" height="{_n(bar_h)}" '
                         f'fill="{BAR_COLOUR}"><title>{escape(tip)}</title></rect>')
        shown = _value(value, no_score)
        parts.append(f'<rect x="{_n(x_of(value or 0.0) + 3)}" y="{_n(y + 4)}" '
                     f'width="{_n(7.5 * len(shown) + 6)}" height="{_n(bar_h - 8)}" fill="#ffffff"/>')
        parts.append(_text(x_of(value or 0.0) + 6, y + bar_h / 2 + 4, shown,
                           size=11, weight="bold" if value is not None else None,
                           fill=TEXT_COLOUR if value is not None else MUTED_COLOUR))
    if desc is None:
        values = "; ".join(f"{labels[layer]} {_value(scores.get(layer), no_score)}"
                           for layer in layers)
        marks = ", ".join(_("%(band)s from %(min)s", band=b.label, min=_n(b.min)) for b in bands)
        desc = _("Bar chart of scores from 0 to 100 by prevention layer: %(values)s. "
                 "Bands: %(bands)s.", values=values, bands=marks)
    return _svg(width, height, title, desc, parts, chart_id, (title, layers, scores))


def layer_bars_table(scores: Mapping[str, float | None], *,
                     layers: Sequence[str] = LAYER_CODES,
                     layer_labels: Mapping[str, str] | None = None,
                     bands: Sequence[Band] | None = None,
                     band_codes: Mapping[str, str | None] | None = None,
                     caption: str | None = None) -> ChartTable:
    """One row per layer: label, score, band.  Pass ``band_codes`` (e.g. from the score
    document, where gating may cap a band) to show those instead of the score's own band."""
    bands = tuple(bands or default_bands())
    labels = _labels(layers, layer_labels)
    no_score = _(NO_SCORE)
    by_code = {b.code: b.label for b in bands}
    mins = tuple(b.min for b in bands)
    rows = []
    for layer in layers:
        value = scores.get(layer)
        if band_codes is not None:
            code = band_codes.get(layer)
            band = by_code.get(code, code or "") if code else ""
        else:
            i = band_index(mins, value)
            band = "" if i is None else bands[i].label
        rows.append((labels[layer], _value(value, no_score), band))
    caption = _("Readiness by prevention layer (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Layer"), _("Score"), _("Band")), tuple(rows))


# -- colour ----------------------------------------------------------------------------------
def band_colours(count: int) -> tuple[str, ...]:
    """``count`` fills from light to dark along :data:`HEAT_RAMP`."""
    if count <= 1:
        return (HEAT_RAMP[len(HEAT_RAMP) // 2],)
    out = []
    for k in range(count):
        pos = k * (len(HEAT_RAMP) - 1) / (count - 1)
        lo = min(int(pos), len(HEAT_RAMP) - 2)
        t = pos - lo
        a, b = _rgb(HEAT_RAMP[lo]), _rgb(HEAT_RAMP[lo + 1])
        out.append("#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b)))
    return tuple(out)


def band_palette(bands: Sequence[Band]) -> tuple[tuple[str, str], ...]:
    """(ink, background) of each band: :data:`BAND_COLOURS` for the standard codes; a band of
    another rubric gets its step of :func:`band_colours` with black or white ink."""
    ramp = band_colours(len(bands))
    return tuple(BAND_COLOURS.get(b.code) or (text_colour_on(ramp[k]), ramp[k])
                 for k, b in enumerate(bands))


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    la, lb = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#ffffff") else "#ffffff"


def svg_data_uri(svg: str) -> str:
    """A ``data:`` URL of a chart, for an ``<img src>`` where inline SVG is not wanted (give
    the ``<img>`` an ``alt`` with the chart's description)."""
    return "data:image/svg+xml;charset=utf-8," + quote(str(svg), safe="")


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# -- helpers ---------------------------------------------------------------------------------
def _svg(width: float, height: float, title: str, desc: str, parts: Iterable[str],
         chart_id: str | None, identity: Any) -> Markup:
    if chart_id is None:
        chart_id = "chart-" + hashlib.sha1(repr(identity).encode()).hexdigest()[:10]
    cid = escape(chart_id)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT_FAMILY}" '
        f'fill="{TEXT_COLOUR}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>'
        + "".join(parts) + "</svg>")


def _text(x: float, y: float, text: str, *, size: float = 11, anchor: str | None = None,
          fill: str | None = None, weight: str | None = None, max_chars: int | None = None,
          lines: int = 1, valign: str = "middle") -> str:
    """A text element, escaped.  With ``max_chars`` the text is wrapped at word boundaries
    into at most ``lines`` lines of that many characters (``<tspan>``s), the last one
    shortened with an ellipsis if needed, and the full text kept in a ``<title>``.  ``y`` is
    the baseline of the first line (``valign="top"``), the last (``"bottom"``) or the middle
    of the block (``"middle"``)."""
    shown = _wrap(text, max_chars, lines) if max_chars else [text]
    full = text if " ".join(shown) != text else None
    attrs = f'x="{_n(x)}" y="{{y}}" font-size="{_n(size)}"'
    # Each label in its own script's direction (an English label on an Arabic page stays
    # "(a) Knowledge"); an Arabic label keeps its place by anchoring at the mirrored end.
    if script_direction(text) == "rtl":
        attrs += ' direction="rtl"'
        anchor = {"start": "end", "end": "start"}.get(anchor or "start", anchor)
    else:
        attrs += ' direction="ltr"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    tip = f"<title>{escape(full)}</title>" if full else ""
    if len(shown) == 1:
        return f"<text {attrs.format(y=_n(y))}>{tip}{escape(shown[0])}</text>"
    step = size * 1.2
    shift = {"top": 0.0, "bottom": step * (len(shown) - 1)}.get(valign, step * (len(shown) - 1) / 2)
    first = y - shift
    spans = "".join(f'<tspan x="{_n(x)}" y="{_n(first + step * k)}">{escape(line)}</tspan>'
                    for k, line in enumerate(shown))
    return f"<text {attrs.format(y=_n(first))}>{tip}{spans}</text>"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines of ``width`` characters; an overlong
    rest or word is cut with an ellipsis."""
    out: list[str] = []
    words = [w for w in re.split(r"[ \t\r\n]+", text) if w]   # kept: no-break spaces
    current = ""
    while words:
        word = words[0]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            words.pop(0)
            continue
        if not current:                       # a single word longer than the line
            current = word
            words.pop(0)
        out.append(current)
        current = ""
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
    if words or any(len(line) > width for line in out):
        last = out[-1] if out else ""
        rest = " ".join([last, *words]) if words else last
        out[-1:] = [rest[: width - 1].rstrip() + "\u2026"]
    out = [line if len(line) <= width else line[: width - 1].rstrip() + "\u2026" for line in out]
    return out or [""]


def _marker(shape: str, x: float, y: float, colour: str, *, hollow: bool = False,
            tip: str | None = None) -> str:
    fill = "#ffffff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    title = f"<title>{escape(tip)}</title>" if tip else ""
    r = 4.0
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {style}>{title}</circle>'
    if shape == "square":
        return (f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" '
                f'{style}>{title}</rect>')
    if shape == "plus":
        d = (f"M{_n(x - r - 1)},{_n(y)} H{_n(x + r + 1)} M{_n(x)},{_n(y - r - 1)} V{_n(y + r + 1)}")
        return (f'<path d="{d}" fill="none" stroke="{colour}" '
                f'stroke-width="{"1.5" if hollow else "2.5"}">{title}</path>')
    pts = {
        "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
        "triangle-down": [(0, r + 1), (r + 1, -r), (-r - 1, -r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
    }[shape]
    points = " ".join(f"{_n(x + dx)},{_n(y + dy)}" for dx, dy in pts)
    return f'<polygon points="{points}" {style}>{title}</polygon>'


def _series(series: Sequence[Series | tuple[str, Mapping[str, float | None]]]) -> list[Series]:
    out = [s if isinstance(s, Series) else Series(*s) for s in series]
    if not out:
        raise ValueError("a chart needs at least one series")
    if len(out) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series can be told apart; got {len(out)}")
    return out


def _labels(codes: Sequence[str], labels: Mapping[str, str] | None, *,
            with_code: bool = False) -> dict[str, str]:
    labels = labels or {}
    out = {}
    for code in codes:
        label = labels.get(code)
        if with_code:      # "(a) Title", whatever letter the translated title carries
            out[code] = coded_title(code, label)
        else:
            out[code] = label or (_(LAYER_NAMES[code]) if code in LAYER_NAMES
                                  else code.capitalize())
    return out


def _value(value: float | None, missing: str) -> str:
    """A score as the tables beside the chart write it (:mod:`app.display.numbers`)."""
    return missing if value is None else numbers.score(value)


def _n(x: float) -> str:
    """A coordinate or number for an attribute: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
