"""The PDF reports' charts, with their text as HTML (issues 14 and 12).

WeasyPrint lays out each SVG ``<text>`` slowly (about 7.5 ms apiece: the three SVG charts of a
gap report cost it 0.7 s) and draws SVG text left to right only, so an Arabic label came out
reversed.  Here the charts are plain data for the report templates (``_charts.html``): the
heat map a table of cells coloured by band, the layer bars CSS bars over the bands' zones,
the radar an SVG of shapes only (no text at all) with its axis labels as HTML boxes placed
around it.  Every text is then HTML, shaped by Pango in its own direction and in the report's
language, and tagged in the PDF's structure.  The web pages keep the SVG charts of
:mod:`app.charts`; the colours come from the same table (:func:`app.charts.band_palette`).

Geometry is in millimetres, the unit of the report's stylesheet: the templates write the
numbers into ``style`` attributes.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from app import charts
from app.charts.svg import num, svg_document
from app.display import numbers
from app.i18n import semicolon, translate as _
from app.scoring.plan import band_index

#: The radar's box: width and height, centre and radius of the 100 ring (mm).
RADAR_W, RADAR_H, RADAR_R = 160.0, 96.0, 36.0
LABEL_GAP, LABEL_W = 3.0, 52.0


def palette(bands: Sequence[charts.Band]) -> list[dict[str, Any]]:
    """Each band with its range and its colours (``ink``, ``bg``): the legend of the charts."""
    out = []
    for k, (band, (ink, bg)) in enumerate(zip(bands, charts.band_palette(bands))):
        upper = bands[k + 1].min if k + 1 < len(bands) else 100.0
        out.append({"code": band.code, "label": band.label, "min": band.min, "max": upper,
                    "width": round(upper - band.min, 2), "ink": ink, "bg": bg})
    return out


def _band_of(value: float | None, zones: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    i = band_index(tuple(z["min"] for z in zones), value)
    return None if i is None else zones[i]


def heatmap(cells: Mapping[str, Mapping[str, float | None]], areas: Sequence[tuple[str, str]],
            layers: Sequence[tuple[str, str]], zones: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per area (``(code, label)``): its label and a cell per layer, each with its
    value (``None``: no items) and the colours of its band."""
    rows = []
    for code, label in areas:
        row = []
        for layer, _label in layers:
            value = (cells.get(code) or {}).get(layer)
            zone = _band_of(value, zones)
            row.append({"value": None if value is None else numbers.score(value),
                        "ink": zone["ink"] if zone else charts.MUTED_COLOUR,
                        "bg": zone["bg"] if zone else "#ffffff"})
        rows.append({"label": label, "cells": row})
    return rows


def layer_bars(scores: Mapping[str, float | None], layers: Sequence[tuple[str, str]],
               zones: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One bar per layer: label, value, length (0-100 %) and the colour of its band."""
    rows = []
    for code, label in layers:
        value = scores.get(code)
        zone = _band_of(value, zones)
        rows.append({"label": label, "value": None if value is None else numbers.score(value),
                     "width": 0.0 if value is None else round(max(0.0, min(100.0, value)), 2),
                     "ink": zone["ink"] if zone else charts.MUTED_COLOUR})
    return rows


def radar(values: Mapping[str, float | None], axes: Sequence[tuple[str, str]],
          zones: Sequence[Mapping[str, Any]], *, title: str, desc: str) -> dict[str, Any]:
    """The radar of one series: ``svg`` (shapes only: rings at the band thresholds, spokes,
    the polygon and its markers, hollow where there is no score) and the HTML boxes around
    it, ``labels`` (an axis each) and ``rings`` (the ring values), placed in mm."""
    n = len(axes)
    cx, cy, r = RADAR_W / 2, RADAR_H / 2, RADAR_R
    colour = charts.SERIES_STYLES[0][0]

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        reach = r * max(0.0, min(100.0, value)) / 100
        return cx + reach * math.cos(angle), cy + reach * math.sin(angle)

    levels = sorted({z["min"] for z in zones if z["min"] > 0} | {100.0})
    n_ = num
    parts = [f'<polygon points="{" ".join(f"{n_(x)},{n_(y)}" for x, y in (point(k, lv) for k in range(n)))}" '
             f'fill="none" stroke="{charts.GRID_COLOUR}" stroke-width="0.2"/>' for lv in levels]
    parts += [f'<line x1="{n_(cx)}" y1="{n_(cy)}" x2="{n_(x)}" y2="{n_(y)}" stroke="{charts.GRID_COLOUR}" '
              f'stroke-width="0.2"/>' for x, y in (point(k, 100) for k in range(n))]
    pts = [point(k, values.get(code) or 0.0) for k, (code, _label) in enumerate(axes)]
    parts.append(f'<polygon points="{" ".join(f"{n_(x)},{n_(y)}" for x, y in pts)}" fill="{colour}" '
                 f'fill-opacity="0.1" stroke="{colour}" stroke-width="0.6"/>')
    parts += [f'<circle cx="{n_(x)}" cy="{n_(y)}" r="1.1" stroke="{colour}" stroke-width="0.4" '
              f'fill="{"#ffffff" if values.get(code) is None else colour}"/>'
              for (x, y), (code, _label) in zip(pts, axes)]
    svg = svg_document(RADAR_W, RADAR_H, title, desc, parts, "radar-print", None)
    return {"svg": charts.svg_data_uri(svg), "width": RADAR_W, "height": RADAR_H, "colour": colour,
            "labels": [_axis_label(k, n, label) for k, (_code, label) in enumerate(axes)],
            "rings": [{"text": n_(lv), "style": f"left:{cx + 0.8:.1f}mm;top:{point(0, lv)[1] - 1.4:.1f}mm"}
                      for lv in levels],
            "missing": any(values.get(code) is None for code, _label in axes)}


def _axis_label(k: int, n: int, text: str) -> dict[str, str]:
    """The label of axis ``k``: a box beside the end of its spoke, away from the centre,
    placed by the edge nearest the spoke (its ``style``: our own numbers, in mm)."""
    angle = -math.pi / 2 + 2 * math.pi * k / n
    cos, sin = math.cos(angle), math.sin(angle)
    x = RADAR_W / 2 + (RADAR_R + LABEL_GAP) * cos
    y = RADAR_H / 2 + (RADAR_R + LABEL_GAP) * sin
    if abs(cos) < 0.3:
        across = f"left:{x - LABEL_W / 2:.1f}mm;text-align:center"
    elif cos > 0:
        across = f"left:{x:.1f}mm;text-align:left"
    else:
        across = f"right:{RADAR_W - x:.1f}mm;text-align:right"
    if sin > 0.3:
        down = f"top:{y:.1f}mm"
    elif sin < -0.3:
        down = f"bottom:{RADAR_H - y:.1f}mm"
    else:
        down = f"top:{y - 3.2:.1f}mm"
    return {"text": text, "style": f"{across};{down};width:{LABEL_W:g}mm"}


def report_charts(score: Mapping[str, Any], areas: Sequence[Mapping[str, Any]],
                  layers: Sequence[Mapping[str, Any]], bands: Sequence[charts.Band],
                  series_label: str) -> dict[str, Any]:
    """The three charts of a report from its area and layer rows (``code``, ``short``,
    ``score_text``; layers also ``score``), in the report's language."""
    zones = palette(bands)
    area_axes = [(a["code"], f"({a['code']}) {a['short']}") for a in areas]
    layer_axes = [(layer["code"], layer["short"]) for layer in layers]
    area_scores = {code: ((score.get("areas") or {}).get(code) or {}).get("score") for code, _l in area_axes}
    alt = _("Radar chart of the area scores, 0 to 100: %(scores)s.",
            scores=semicolon().join(f"{label} {a['score_text']}" for (_c, label), a in zip(area_axes, areas)))
    shape = radar(area_scores, area_axes, zones, title=_("Readiness by area (0-100)"), desc=alt)
    stops = ", ".join(f"{z['bg']} {z['min']:g}%, {z['bg']} {z['max']:g}%" for z in zones)
    return {
        "radar": {**shape, "alt": alt, "series": series_label},
        "heatmap": {"columns": [label for _c, label in layer_axes],
                    "rows": heatmap(score.get("cells") or {}, area_axes, layer_axes, zones)},
        "layers": {"rows": layer_bars({layer["code"]: layer["score"] for layer in layers}, layer_axes, zones),
                   "zones": zones, "stops": stops},
    }
