"""The SVG drawing kit the charts share: the document around a chart, text (wrapped,
escaped, in its own script's direction), markers, and numbers for attributes."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Iterable
from urllib.parse import quote

from markupsafe import Markup, escape

from app.i18n import script_direction

from .colours import TEXT_COLOUR

FONT_FAMILY = "DejaVu Sans, sans-serif"


def svg_document(width: float, height: float, title: str, desc: str, parts: Iterable[str],
                 chart_id: str | None, identity: Any) -> Markup:
    """The ``<svg>`` element around ``parts``: accessible (``role="img"``, a title and a
    description it is labelled by), scalable, on a white background.  Without ``chart_id`` the
    ids derive from ``identity`` (what the chart shows), stable across renders."""
    if chart_id is None:
        chart_id = "chart-" + hashlib.sha1(repr(identity).encode()).hexdigest()[:10]
    cid = escape(chart_id)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT_FAMILY}" '
        f'fill="{TEXT_COLOUR}" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="#ffffff"/>'
        + "".join(parts) + "</svg>")


def svg_data_uri(svg: str) -> str:
    """A ``data:`` URL of a chart, for an ``<img src>`` where inline SVG is not wanted (give
    the ``<img>`` an ``alt`` with the chart's description)."""
    return "data:image/svg+xml;charset=utf-8," + quote(str(svg), safe="")


#: A code in brackets at the start of a label: "(b) ", "(a1) ".
_LEADING_CODE = re.compile(r"^\s*\([A-Za-z0-9]{1,3}\)\s*")


def svg_text(x: float, y: float, text: str, *, size: float = 11, anchor: str | None = None,
             fill: str | None = None, weight: str | None = None, max_chars: int | None = None,
             lines: int = 1, valign: str = "middle") -> str:
    """A text element, escaped.  With ``max_chars`` the text is wrapped at word boundaries
    into at most ``lines`` lines of that many characters (``<tspan>``s), the last one
    shortened with an ellipsis if needed, and the full text kept in a ``<title>``.  ``y`` is
    the baseline of the first line (``valign="top"``), the last (``"bottom"``) or the middle
    of the block (``"middle"``)."""
    shown = wrap(text, max_chars, lines) if max_chars else [text]
    full = text if "".join("".join(shown).split()) != "".join(text.split()) else None
    attrs = f'x="{num(x)}" y="{{y}}" font-size="{num(size)}"'
    # Each label in its own script's direction (an English label on an Arabic page stays
    # "(a) Knowledge"); an Arabic label keeps its place by anchoring at the mirrored end.
    # An area's Latin code before an Arabic label ("(b) الإطار…") does not make it left to
    # right (its code on the left, its ellipsis at its start).
    if script_direction(_LEADING_CODE.sub("", text, count=1)) == "rtl":
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
        return f"<text {attrs.format(y=num(y))}>{tip}{escape(shown[0])}</text>"
    step = size * 1.2
    shift = {"top": 0.0, "bottom": step * (len(shown) - 1)}.get(valign, step * (len(shown) - 1) / 2)
    first = y - shift
    spans = "".join(f'<tspan x="{num(x)}" y="{num(first + step * k)}">{escape(line)}</tspan>'
                    for k, line in enumerate(shown))
    return f"<text {attrs.format(y=num(first))}>{tip}{spans}</text>"


#: Marks that close a phrase in Chinese (and Japanese) text: never the first of a line.
_CLOSING = set("，、。：；！？）」』】》〉")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def columns(text: str) -> int:
    """How wide ``text`` is in Latin letters: a Chinese character takes two."""
    return sum(2 if _wide(c) else 1 for c in text)


def _units(text: str) -> list[tuple[str, str]]:
    """What a line may break before, each with what joins it to the one before (a space
    between words; nothing inside a Chinese phrase, which breaks between its characters)."""
    out: list[tuple[str, str]] = []
    for word in (w for w in re.split(r"[ \t\r\n]+", text) if w):   # kept: no-break spaces
        joiner = " " if out else ""
        run = ""
        for char in word:
            if _wide(char) and char not in _CLOSING:
                if run:
                    out.append((joiner, run))
                    joiner = ""
                run = char
            elif _wide(char) and not run and out and not joiner:
                out[-1] = (out[-1][0], out[-1][1] + char)      # a closing mark after a break
            else:
                run += char
            if _wide(char) and char not in _CLOSING:
                out.append((joiner, run))
                joiner, run = "", ""
        if run:
            out.append((joiner, run))
    return out


def _cut(text: str, width: int) -> str:
    """``text`` shortened to ``width`` columns with an ellipsis."""
    kept = ""
    for char in text:
        if columns(kept + char) > width - 1:
            break
        kept += char
    return kept.rstrip() + "\u2026"


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy wrap into at most ``lines`` lines of ``width`` columns (a Chinese character
    counts two), at spaces, and between the characters of Chinese text; an overlong rest or
    word is cut with an ellipsis."""
    out: list[str] = []
    units = _units(text)
    current, i = "", 0
    while i < len(units):
        joiner, unit = units[i]
        candidate = f"{current}{joiner}{unit}" if current else unit
        if columns(candidate) <= width:
            current = candidate
            i += 1
            continue
        if not current:                       # a single word longer than the line
            current = unit
            i += 1
        out.append(current)
        current = ""
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
    rest = units[i:]
    if rest or any(columns(line) > width for line in out):
        last = out[-1] if out else ""
        out[-1:] = [_cut(last + "".join(j + u for j, u in rest), width)]
    out = [line if columns(line) <= width else _cut(line, width) for line in out]
    return out or [""]


def svg_marker(shape: str, x: float, y: float, colour: str, *, hollow: bool = False,
               tip: str | None = None) -> str:
    """A series' marker (one of the shapes of :data:`~app.charts.colours.SERIES_STYLES`) at
    (x, y); hollow for a missing value, with ``tip`` as its tooltip."""
    fill = "#ffffff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    title = f"<title>{escape(tip)}</title>" if tip else ""
    r = 4.0
    if shape == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" {style}>{title}</circle>'
    if shape == "square":
        return (f'<rect x="{num(x - r)}" y="{num(y - r)}" width="{num(2 * r)}" height="{num(2 * r)}" '
                f'{style}>{title}</rect>')
    if shape == "plus":
        d = (f"M{num(x - r - 1)},{num(y)} H{num(x + r + 1)} M{num(x)},{num(y - r - 1)} V{num(y + r + 1)}")
        return (f'<path d="{d}" fill="none" stroke="{colour}" '
                f'stroke-width="{"1.5" if hollow else "2.5"}">{title}</path>')
    pts = {
        "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
        "triangle-down": [(0, r + 1), (r + 1, -r), (-r - 1, -r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
    }[shape]
    points = " ".join(f"{num(x + dx)},{num(y + dy)}" for dx, dy in pts)
    return f'<polygon points="{points}" {style}>{title}</polygon>'


def num(x: float) -> str:
    """A coordinate or number for an attribute: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
