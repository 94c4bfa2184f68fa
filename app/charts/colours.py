"""The charts' colours: text and grid, the series styles, the heat map's ramp and the bands'
own colours (one table, shared with the results page and the PDFs), and WCAG contrast."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .data import Band

TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#595959"        # 7:1 on white
GRID_COLOUR = "#8c8c8c"         # 3.4:1 on white: visible grid, not text

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


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
