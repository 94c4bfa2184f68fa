"""The heat map of cell scores (areas by prevention layers) and its table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from markupsafe import Markup, escape

from app.i18n import semicolon, translate as _
from app.questionnaire.schema import AREA_CODES, LAYER_CODES
from app.scoring.plan import band_index

from .colours import GRID_COLOUR, band_palette
from .data import NO_ITEMS, Band, ChartTable, band_ranges, code_labels, default_bands, value_text
from .svg import num, svg_document, svg_text, wrap

LABEL_W, CELL_W, CELL_H, TOP = 290.0, 112.0, 34.0, 50.0

Cells = Mapping[str, Mapping[str, float | None]]


@dataclass(frozen=True)
class _Legend:
    """One swatch per band with its range, then the no-items swatch, in a row at ``top``; a
    label longer than its swatch (at about 5.4 units a character) wraps onto a second line."""

    top: float
    swatch_w: float
    chars: int
    texts: list[str]

    @classmethod
    def of(cls, bands: Sequence[Band], width: float, top: float) -> "_Legend":
        swatch_w = (width - 20) / (len(bands) + 1)
        texts = [f"{band.label} {num(band.min)}\u2013{num(upper)}" for band, upper in band_ranges(bands)]
        return cls(top, swatch_w, max(8, int((swatch_w - 6) / 5.4)), texts + [_("No items")])

    @property
    def wraps(self) -> bool:
        return any(len(text) > self.chars for text in self.texts)


def heatmap(cells: Cells, *,
            areas: Sequence[str] = AREA_CODES, layers: Sequence[str] = LAYER_CODES,
            area_labels: Mapping[str, str] | None = None,
            layer_labels: Mapping[str, str] | None = None,
            bands: Sequence[Band] | None = None,
            title: str | None = None,
            desc: str | None = None,
            chart_id: str | None = None) -> Markup:
    """A heat map of cell scores: areas as rows, layers as columns, the value printed in each
    cell, each cell in its band's colours (the one table the band labels and the PDFs use:
    :func:`~.colours.band_palette`), cells without items hatched and labelled."""
    bands = tuple(bands or default_bands())
    colours = band_palette(bands)
    a_labels = code_labels(areas, area_labels, with_code=True)
    l_labels = code_labels(layers, layer_labels)
    title = _("Readiness by area and prevention layer") if title is None else title
    no_items = _(NO_ITEMS)
    width = LABEL_W + CELL_W * len(layers) + 10
    legend = _Legend.of(bands, width, TOP + CELL_H * len(areas) + 24)
    height = legend.top + 44 + (11 if legend.wraps else 0)
    parts = [*_column_heads(layers, l_labels),
             *_rows(cells, areas, layers, a_labels, l_labels, bands, colours, no_items),
             *_legend(legend, colours, no_items)]
    if desc is None:
        desc = _heat_desc(cells, areas, layers, a_labels, l_labels, no_items)
    return svg_document(width, height, title, desc, parts, chart_id, (title, areas, layers, cells))


def _column_heads(layers: Sequence[str], l_labels: Mapping[str, str]) -> Iterator[str]:
    for j, layer in enumerate(layers):
        yield svg_text(LABEL_W + CELL_W * (j + 0.5), TOP - 10, l_labels[layer], size=11,
                       anchor="middle", weight="bold", max_chars=14, lines=2, valign="bottom")


def _rows(cells: Cells, areas: Sequence[str], layers: Sequence[str], a_labels: Mapping[str, str],
          l_labels: Mapping[str, str], bands: Sequence[Band], colours: Sequence[tuple[str, str]],
          no_items: str) -> Iterator[str]:
    """Each area: its label, then a cell per layer on its band's background with the value
    in the band's ink (at least 4.5:1), or hatched where there are no items."""
    mins = tuple(b.min for b in bands)
    for i, area in enumerate(areas):
        y = TOP + CELL_H * i
        yield svg_text(LABEL_W - 8, y + CELL_H / 2 + 4, a_labels[area], size=10.5,
                       anchor="end", max_chars=44, lines=2)
        for j, layer in enumerate(layers):
            x = LABEL_W + CELL_W * j
            value = (cells.get(area) or {}).get(layer)
            tip = _("%(area)s, %(layer)s: %(value)s", area=a_labels[area],
                    layer=l_labels[layer], value=value_text(value, no_items))
            if value is None:
                yield _hatched_cell(x, y, CELL_W, CELL_H, tip, no_items)
                continue
            ink, fill = colours[band_index(mins, value)]
            yield (f'<rect x="{num(x)}" y="{num(y)}" width="{num(CELL_W)}" '
                   f'height="{num(CELL_H)}" fill="{fill}" stroke="#ffffff" '
                   f'stroke-width="1"><title>{escape(tip)}</title></rect>')
            yield svg_text(x + CELL_W / 2, y + CELL_H / 2 + 4, value_text(value, ""), size=12,
                           anchor="middle", fill=ink, weight="bold")


def _legend(legend: _Legend, colours: Sequence[tuple[str, str]], no_items: str) -> Iterator[str]:
    for k, text in enumerate(legend.texts[:-1]):
        x = 10 + legend.swatch_w * k
        yield (f'<rect x="{num(x)}" y="{num(legend.top)}" width="{num(legend.swatch_w - 6)}" '
               f'height="16" fill="{colours[k][1]}" stroke="{colours[k][0]}" stroke-width="1"/>')
        yield svg_text(x, legend.top + 30, text, size=9, max_chars=legend.chars, lines=2, valign="top")
    x = 10 + legend.swatch_w * (len(legend.texts) - 1)
    yield _hatched_cell(x, legend.top, legend.swatch_w - 6, 16, no_items, no_items, label=False)
    yield svg_text(x, legend.top + 30, legend.texts[-1], size=9, max_chars=legend.chars,
                   lines=2, valign="top")


def _heat_desc(cells: Cells, areas: Sequence[str], layers: Sequence[str], a_labels: Mapping[str, str],
               l_labels: Mapping[str, str], no_items: str) -> str:
    rows = semicolon().join(
        _("%(area)s: %(values)s", area=a_labels[a], values=", ".join(
            f"{l_labels[layer]} {value_text((cells.get(a) or {}).get(layer), no_items)}"
            for layer in layers))
        for a in areas)
    return _("Heat map of scores from 0 to 100 by area (rows) and layer (columns). "
             "%(rows)s.", rows=rows)


def heatmap_table(cells: Cells, *,
                  areas: Sequence[str] = AREA_CODES, layers: Sequence[str] = LAYER_CODES,
                  area_labels: Mapping[str, str] | None = None,
                  layer_labels: Mapping[str, str] | None = None,
                  caption: str | None = None) -> ChartTable:
    a_labels = code_labels(areas, area_labels, with_code=True)
    l_labels = code_labels(layers, layer_labels)
    no_items = _(NO_ITEMS)
    rows = tuple((a_labels[a], *(value_text((cells.get(a) or {}).get(layer), no_items)
                                 for layer in layers)) for a in areas)
    caption = _("Readiness by area and prevention layer (0-100)") if caption is None else caption
    return ChartTable(caption, (_("Area"), *(l_labels[layer] for layer in layers)), rows)


def _hatched_cell(x: float, y: float, w: float, h: float, tip: str, text: str,
                  label: bool = True) -> str:
    """A light grey cell with diagonal hatching drawn as clipped-by-geometry lines (no
    pattern, no url()), and ``text`` (``no items``, translated) on a white plate, sized to
    the text, for legibility."""
    out = [f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="#f2f2f2" '
           f'stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></rect>']
    step = 8.0
    c = step
    while c < w + h:
        # the line x - x0 + (y - y0) = c inside the rectangle, from its lower-left end
        x1, y1 = x + max(0.0, c - h), y + min(h, c)
        x2, y2 = x + min(w, c), y + max(0.0, c - w)
        out.append(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                   f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>')
        c += step
    if label:
        max_chars = int((w - 8) / 6)          # about 6 units a character at size 10
        shown = wrap(text, max_chars, 1)[0]
        plate = min(w - 4, max(60.0, 6.0 * len(shown) + 8))
        out.append(f'<rect x="{num(x + w / 2 - plate / 2)}" y="{num(y + h / 2 - 8)}" '
                   f'width="{num(plate)}" height="15" fill="#ffffff"/>')
        out.append(svg_text(x + w / 2, y + h / 2 + 3.5, text, size=10, anchor="middle",
                            max_chars=max_chars))
    return "".join(out)
