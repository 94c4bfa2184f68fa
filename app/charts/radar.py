"""The radar chart of area scores (one polygon per series) and its table."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from markupsafe import Markup

from app.i18n import semicolon, translate as _
from app.questionnaire.schema import AREA_CODES

from .colours import GRID_COLOUR, MUTED_COLOUR, SERIES_STYLES, TEXT_COLOUR
from .data import (NO_SCORE, Band, ChartTable, Series, SeriesLike, as_series, code_labels, default_bands,
                   value_text)
from .svg import num, svg_document, svg_marker, svg_text

WIDTH = 760.0


@dataclass(frozen=True)
class _Geometry:
    """Where things go: ``n`` axes clockwise from the top around (cx, cy), 100 at ``radius``."""

    n: int
    cx: float = 380.0
    cy: float = 205.0
    radius: float = 150.0

    def angle(self, k: int) -> float:
        return -math.pi / 2 + 2 * math.pi * k / self.n

    def point(self, k: int, value: float) -> tuple[float, float]:
        """The point of ``value`` (clamped to 0-100) on axis ``k``."""
        angle = self.angle(k)
        r = self.radius * max(0.0, min(100.0, value)) / 100
        return self.cx + r * math.cos(angle), self.cy + r * math.sin(angle)


def radar_chart(series: Sequence[SeriesLike], *,
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
    series = as_series(series)
    bands = tuple(bands or default_bands())
    labels = code_labels(axes, axis_labels, with_code=True)
    title = _("Readiness by area") if title is None else title
    no_score = _(NO_SCORE)
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    geo = _Geometry(len(axes))
    legend_top = geo.cy + geo.radius + 62
    has_missing = any(s.values.get(a) is None for s in series for a in axes)
    height = legend_top + 20 * len(series) + (22 if has_missing else 0) + 8
    parts = [*_rings(geo, bands), *_spokes(geo, axes, labels),
             *_polygons(geo, series, axes, labels, no_score),
             *_legend(series, legend_top, has_missing)]
    if desc is None:
        desc = _radar_desc(series, axes, labels, no_score)
    return svg_document(WIDTH, height, title, desc, parts, chart_id, (title, axes, series))


def _rings(geo: _Geometry, bands: Sequence[Band]) -> Iterator[str]:
    """A ring at every band threshold above 0, and at 100, with its value on the first axis."""
    for level in sorted({b.min for b in bands if b.min > 0} | {100.0}):
        ring = " ".join(f"{num(x)},{num(y)}" for x, y in (geo.point(k, level) for k in range(geo.n)))
        yield (f'<polygon points="{ring}" fill="none" stroke="{GRID_COLOUR}" '
               f'stroke-width="0.75"/>')
        x, y = geo.point(0, level)
        yield svg_text(x + 4, y + 4, num(level), size=9, fill=MUTED_COLOUR)


def _spokes(geo: _Geometry, axes: Sequence[str], labels: Mapping[str, str]) -> Iterator[str]:
    """Each axis from the centre to 100, its label just beyond, anchored away from the centre."""
    for k, code in enumerate(axes):
        x, y = geo.point(k, 100)
        yield (f'<line x1="{num(geo.cx)}" y1="{num(geo.cy)}" x2="{num(x)}" y2="{num(y)}" '
               f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>')
        angle = geo.angle(k)
        lx = geo.cx + (geo.radius + 14) * math.cos(angle)
        ly = geo.cy + (geo.radius + 14) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        sin = math.sin(angle)
        valign = "top" if sin > 0.3 else "bottom" if sin < -0.3 else "middle"
        ly += 4 + (6 if sin > 0.9 else 0)
        yield svg_text(lx, ly, labels[code], size=11, anchor=anchor, max_chars=30, lines=2, valign=valign)


def _polygons(geo: _Geometry, series: Sequence[Series], axes: Sequence[str], labels: Mapping[str, str],
              no_score: str) -> Iterator[str]:
    """Each series' polygon in its style, with a marker (and tooltip) per axis: hollow, at 0,
    where there is no score."""
    for index, s in enumerate(series):
        colour, dash, marker = SERIES_STYLES[index]
        pts = [geo.point(k, s.values.get(code) or 0.0) for k, code in enumerate(axes)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        yield (f'<polygon points="{" ".join(f"{num(x)},{num(y)}" for x, y in pts)}" fill="{colour}" '
               f'fill-opacity="0.08" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for (x, y), code in zip(pts, axes):
            value = s.values.get(code)
            tip = _("%(series)s, %(axis)s: %(value)s", series=s.label, axis=labels[code],
                    value=value_text(value, no_score))
            yield svg_marker(marker, x, y, colour, hollow=value is None, tip=tip)


def _legend(series: Sequence[Series], top: float, has_missing: bool) -> Iterator[str]:
    """A sample line with its dash and marker, then the label, per series; the hollow marker
    explained when a score is missing."""
    for index, s in enumerate(series):
        colour, dash, marker = SERIES_STYLES[index]
        y = top + 20 * index
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        yield (f'<line x1="40" y1="{num(y)}" x2="84" y2="{num(y)}" stroke="{colour}" '
               f'stroke-width="2"{dash_attr}/>')
        yield svg_marker(marker, 62, y, colour)
        yield svg_text(94, y + 4, s.label, size=11, max_chars=80)
    if has_missing:
        y = top + 20 * len(series) + 6
        yield svg_marker("circle", 62, y, TEXT_COLOUR, hollow=True)
        yield svg_text(94, y + 4, _("Hollow marker: no score for this area (drawn at 0)."),
                       size=10, fill=MUTED_COLOUR, max_chars=110)


def radar_table(series: Sequence[SeriesLike], *,
                axes: Sequence[str] = AREA_CODES,
                axis_labels: Mapping[str, str] | None = None,
                caption: str | None = None) -> ChartTable:
    """The radar chart's data: one row per axis, one column per series."""
    series = as_series(series)
    labels = code_labels(axes, axis_labels, with_code=True)
    no_score = _(NO_SCORE)
    rows = tuple((labels[a], *(value_text(s.values.get(a), no_score) for s in series)) for a in axes)
    caption = _("Readiness by area (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Area"), *(s.label for s in series)), rows)


def _radar_desc(series: Sequence[Series], axes: Sequence[str], labels: Mapping[str, str],
                no_score: str) -> str:
    out = [_("Radar chart of scores from 0 to 100 by area.")]
    for s in series:
        values = semicolon().join(f"{labels[a]} {value_text(s.values.get(a), no_score)}" for a in axes)
        out.append(_("%(series)s: %(values)s.", series=s.label, values=values))
    return " ".join(out)
