"""Line charts of scores over periods (the review area's trend): the conventions of the other
charts of :mod:`app.charts` (accessible SVG with a title and a full text description, inline
attributes only, series told apart by more than colour, a companion :class:`ChartTable`).

One small chart per score (overall, then each area) rather than ten lines in one: ten
overlapping lines cannot be told apart, and small charts wrap into a column on a phone,
each still readable at the width of the screen."""
from __future__ import annotations

from typing import Sequence

from markupsafe import Markup

from app.i18n import semicolon, translate as _

from .colours import GRID_COLOUR, MUTED_COLOUR, SERIES_STYLES, TEXT_COLOUR
from .data import NO_SCORE, Band, ChartTable, default_bands, value_text
from .svg import num, svg_document, svg_marker, svg_text

WIDTH, HEIGHT = 320.0, 204.0
LEFT, RIGHT, TOP, BOTTOM = 34.0, 18.0, 44.0, 36.0
PAD = 22.0      # between the axis and the first and last periods: their values stay clear of the ticks


def line_chart(title: str, periods: Sequence[str], values: Sequence[float | None], *,
               bands: Sequence[Band] | None = None, chart_id: str | None = None) -> Markup:
    """One score (0-100) over ``periods`` (oldest first): a line through the defined values
    (a missing one breaks it), each value printed above its marker, the band thresholds as
    dashed lines."""
    bands = tuple(bands or default_bands())
    no_score = _(NO_SCORE)
    colour, marker = SERIES_STYLES[0][0], SERIES_STYLES[0][2]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = (plot_w - 2 * PAD) / max(1, len(periods) - 1)

    def x_of(k: int) -> float:
        return LEFT + (PAD + step * k if len(periods) > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    parts = [svg_text(8, 14, title, size=12, weight="bold", max_chars=44, lines=2, valign="top")]
    for tick in sorted({0.0, 100.0} | {b.min for b in bands if b.min > 0}):
        dash = "" if tick in (0.0, 100.0) else ' stroke-dasharray="3 3"'
        parts.append(f'<line x1="{num(LEFT)}" y1="{num(y_of(tick))}" x2="{num(LEFT + plot_w)}" '
                     f'y2="{num(y_of(tick))}" stroke="{GRID_COLOUR}" stroke-width="0.75"{dash}/>')
        parts.append(svg_text(LEFT - 4, y_of(tick) + 3, num(tick), size=9, anchor="end", fill=MUTED_COLOUR))
    for k, period in enumerate(periods):
        parts.append(svg_text(x_of(k), HEIGHT - BOTTOM + 16, period, size=10, anchor="middle", max_chars=10))
    run: list[str] = []
    for k, value in enumerate(list(values) + [None]):
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>')
            run = []
            continue
        run.append(f"{num(x_of(k))},{num(y_of(value))}")
    for k, value in enumerate(values):
        if value is None:
            continue
        tip = _("%(series)s, %(axis)s: %(value)s", series=title, axis=periods[k],
                value=value_text(value, no_score))
        parts.append(svg_marker(marker, x_of(k), y_of(value), colour, tip=tip))
        parts.append(svg_text(x_of(k), y_of(value) - 8, value_text(value, no_score), size=10,
                              anchor="middle", fill=TEXT_COLOUR))
    desc = _("Line chart of %(series)s from 0 to 100 over the periods: %(values)s.", series=title,
             values=semicolon().join(f"{p} {value_text(v, no_score)}" for p, v in zip(periods, values)))
    return svg_document(WIDTH, HEIGHT, title, desc, parts, chart_id, (title, tuple(periods), tuple(values)))


def lines_table(periods: Sequence[str], rows: Sequence[tuple[str, Sequence[float | None]]], *,
                caption: str | None = None) -> ChartTable:
    """The line charts' data: one row per score, one column per period."""
    no_score = _(NO_SCORE)
    caption = _("Scores over the periods (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Score"), *periods),
                      tuple((label, *(value_text(v, no_score) for v in values)) for label, values in rows))
