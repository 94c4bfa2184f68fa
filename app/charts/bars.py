"""The bars of the prevention layers' scores on a 0-100 axis over the bands, and their table."""
from __future__ import annotations

from typing import Iterator, Mapping, Sequence

from markupsafe import Markup, escape

from app.i18n import semicolon, translate as _
from app.questionnaire.schema import LAYER_CODES
from app.scoring.plan import band_index

from .colours import GRID_COLOUR, MUTED_COLOUR, TEXT_COLOUR, band_palette
from .data import NO_SCORE, Band, ChartTable, band_ranges, code_labels, default_bands, value_text
from .svg import num, svg_document, svg_text

LABEL_W, PLOT_W, BAR_H, GAP, TOP = 150.0, 420.0, 24.0, 14.0, 44.0


def _x_of(value: float) -> float:
    """The x of a score, clamped to 0-100."""
    return LABEL_W + PLOT_W * max(0.0, min(100.0, value)) / 100


def layer_bars(scores: Mapping[str, float | None], *,
               layers: Sequence[str] = LAYER_CODES,
               layer_labels: Mapping[str, str] | None = None,
               bands: Sequence[Band] | None = None,
               title: str | None = None,
               desc: str | None = None,
               chart_id: str | None = None) -> Markup:
    """Horizontal bars on a 0-100 axis, one per layer, over the bands' backgrounds, the band
    thresholds marked by dashed lines and named above the axis, each bar in its band's ink
    (the one table the band labels and the PDFs use: :func:`~.colours.band_palette`), the
    value printed after each bar (``no score`` for ``None``)."""
    bands = tuple(bands or default_bands())
    labels = code_labels(layers, layer_labels)
    title = _("Readiness by prevention layer") if title is None else title
    no_score = _(NO_SCORE)
    width = LABEL_W + PLOT_W + 80
    bottom = TOP + (BAR_H + GAP) * len(layers)
    height = bottom + 30
    parts = [*_scale(bands, bottom), *_bars(scores, layers, labels, no_score, bands)]
    if desc is None:
        values = semicolon().join(f"{labels[layer]} {value_text(scores.get(layer), no_score)}"
                           for layer in layers)
        marks = ", ".join(_("%(band)s from %(min)s", band=b.label, min=num(b.min)) for b in bands)
        desc = _("Bar chart of scores from 0 to 100 by prevention layer: %(values)s. "
                 "Bands: %(bands)s.", values=values, bands=marks)
    return svg_document(width, height, title, desc, parts, chart_id, (title, layers, scores))


def _scale(bands: Sequence[Band], bottom: float) -> Iterator[str]:
    """The bands' backgrounds, their names centred over their segments, a dashed line at each
    threshold, and the axis with a tick (and its number) at 0, 100 and every threshold."""
    for (band, upper), (_ink, background) in zip(band_ranges(bands), band_palette(bands)):
        yield (f'<rect x="{num(_x_of(band.min))}" y="{num(TOP - 6)}" width="{num(_x_of(upper) - _x_of(band.min))}" '
               f'height="{num(bottom - TOP + 6)}" fill="{background}"/>')
    for band, upper in band_ranges(bands):
        yield svg_text((_x_of(band.min) + _x_of(upper)) / 2, TOP - 22, band.label, size=9,
                       anchor="middle", fill=MUTED_COLOUR, max_chars=14, lines=2, valign="bottom")
        if band.min > 0:
            yield (f'<line x1="{num(_x_of(band.min))}" y1="{num(TOP - 14)}" '
                   f'x2="{num(_x_of(band.min))}" y2="{num(bottom)}" stroke="{GRID_COLOUR}" '
                   f'stroke-width="1" stroke-dasharray="3 3"/>')
    yield (f'<line x1="{num(LABEL_W)}" y1="{num(bottom)}" x2="{num(LABEL_W + PLOT_W)}" '
           f'y2="{num(bottom)}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    for tick in sorted({0.0, 100.0} | {b.min for b in bands}):
        yield (f'<line x1="{num(_x_of(tick))}" y1="{num(bottom)}" x2="{num(_x_of(tick))}" '
               f'y2="{num(bottom + 4)}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
        yield svg_text(_x_of(tick), bottom + 16, num(tick), size=9, anchor="middle")


def _bars(scores: Mapping[str, float | None], layers: Sequence[str], labels: Mapping[str, str],
          no_score: str, bands: Sequence[Band]) -> Iterator[str]:
    """Each layer: its label, the frame of its bar, the bar in its band's ink (none without a
    score) and the value after it on a white plate."""
    inks = [ink for ink, _background in band_palette(bands)]
    mins = tuple(b.min for b in bands)
    for i, layer in enumerate(layers):
        y = TOP + (BAR_H + GAP) * i
        value = scores.get(layer)
        yield svg_text(LABEL_W - 8, y + BAR_H / 2 + 4, labels[layer], size=11,
                       anchor="end", max_chars=20, lines=2)
        yield (f'<rect x="{num(LABEL_W)}" y="{num(y)}" width="{num(PLOT_W)}" '
               f'height="{num(BAR_H)}" fill="none" stroke="{GRID_COLOUR}" stroke-width="0.5"/>')
        tip = _("%(layer)s: %(value)s", layer=labels[layer], value=value_text(value, no_score))
        if value is not None:
            yield (f'<rect x="{num(LABEL_W)}" y="{num(y)}" '
                   f'width="{num(_x_of(value) - LABEL_W)}" height="{num(BAR_H)}" '
                   f'fill="{inks[band_index(mins, value)]}"><title>{escape(tip)}</title></rect>')
        shown = value_text(value, no_score)
        yield (f'<rect x="{num(_x_of(value or 0.0) + 3)}" y="{num(y + 4)}" '
               f'width="{num(7.5 * len(shown) + 6)}" height="{num(BAR_H - 8)}" fill="#ffffff"/>')
        yield svg_text(_x_of(value or 0.0) + 6, y + BAR_H / 2 + 4, shown,
                       size=11, weight="bold" if value is not None else None,
                       fill=TEXT_COLOUR if value is not None else MUTED_COLOUR)


def layer_bars_table(scores: Mapping[str, float | None], *,
                     layers: Sequence[str] = LAYER_CODES,
                     layer_labels: Mapping[str, str] | None = None,
                     bands: Sequence[Band] | None = None,
                     band_codes: Mapping[str, str | None] | None = None,
                     caption: str | None = None) -> ChartTable:
    """One row per layer: label, score, band.  Pass ``band_codes`` (e.g. from the score
    document, where gating may cap a band) to show those instead of the score's own band."""
    bands = tuple(bands or default_bands())
    labels = code_labels(layers, layer_labels)
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
        rows.append((labels[layer], value_text(value, no_score), band))
    caption = _("Readiness by prevention layer (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Layer"), _("Score"), _("Band")), tuple(rows))
