"""Every number a person reads, written one way: levels, scores, shares, weights, priorities
and document sources, in the reader's locale.

One rounding rule: half up on the last shown decimal, computed in decimal (2.25 -> 2.3,
47.25 -> 47.3; never banker's rounding, never binary float drift), then written with Babel
in the current locale: ``48.6`` in English and Chinese, ``48,6`` in French, Spanish and
Russian, and the locale's own percent pattern (``97.7%``, ``97,7 %`` with a no-break space
in French, as CLDR writes it).  Arabic keeps Latin digits (Babel's default numbering system
for every locale; UN Arabic documents write them too), so the PDFs' fonts and the charts
agree with the tables.

Machine-readable values (API, CSV, XLSX, JSON) never pass through here: they stay numbers.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from ..i18n import list_separator, locale_code, semicolon
from .labels import ngettext

DASH = "\u2013"
MINUS = "\u2212"


def rounded(value: float | None, digits: int = 1) -> Decimal | None:
    """``value`` rounded half up to ``digits`` decimals, exactly (from its shortest repr)."""
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=256)
def _pattern(code: str, pattern: str | int) -> NumberPattern:
    """A parsed Babel pattern; an int: the locale's percent pattern with that many decimals."""
    if isinstance(pattern, int):
        # The locale's own percent pattern ("#,##0%", "#,##0\u00a0%"), decimals added.
        decimals = "." + "0" * pattern if pattern else ""
        pattern = re.sub(r"0(?![0#])", "0" + decimals, _locale(code).percent_formats[None].pattern,
                         count=1)
    return parse_pattern(pattern)


def _write(value: Decimal, pattern: str | int) -> str:
    return _written(locale_code(), str(value), pattern)


@lru_cache(maxsize=8192)
def _written(code: str, value: str, pattern: str | int) -> str:
    """Babel's formatting, once per locale, value and pattern: a results page writes some
    2,800 numbers, mostly the same few levels and shares, at ~80 microseconds each."""
    return _pattern(code, pattern).apply(Decimal(value), _locale(code))


def decimal(value: float | None, digits: int = 1) -> str:
    """Exactly ``digits`` decimals, rounded half up: ``47.3``, ``0.45`` (``47,3`` in French)."""
    exact = rounded(value, digits)
    if exact is None:
        return DASH
    return _write(exact, "#,##0." + "0" * digits if digits else "#,##0")


def score(value: float | None, digits: int = 1) -> str:
    """A 0-100 score to one decimal: ``62.5``; an en dash when there is none."""
    return decimal(value, digits)


def level(value: float | None) -> str:
    """A 0-4 level: a whole level as a whole number (``2``), any other to one decimal
    (``2.25`` -> ``2.3``, ``1.96`` -> ``2.0``: a level that is not whole never reads as one)."""
    if value is None:
        return DASH
    if abs(float(value) - round(float(value))) < 1e-9:
        return decimal(round(float(value)), 0)
    return decimal(value, 1)


def number(value: float | None, digits: int = 2) -> str:
    """Weights, item scores, sums: at most ``digits`` decimals, no trailing zeros (``3``,
    ``0.5``, ``1.25``)."""
    exact = rounded(value, digits)
    if exact is None:
        return DASH
    return _write(exact, "#,##0." + "#" * digits if digits else "#,##0")


def typed(value: float) -> str:
    """A number as a person types it in the reader's locale, every decimal kept and nothing
    grouped, so that the field it prefills reads it back: ``87.5`` (``87,5`` in French,
    Spanish and Russian), ``90`` for ``90.0``."""
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", _locale(locale_code()).number_symbols["latn"]["decimal"])


def share(value: float | None, digits: int = 1) -> str:
    """A 0-1 share as a percentage to one decimal: ``0.977`` -> ``97.7%`` (``97,7 %``)."""
    exact = rounded(None if value is None else float(value) * 100, digits)
    if exact is None:
        return DASH
    return _write(exact / 100, digits)


def signed(value: float | None, digits: int = 1, *, whole: bool = False) -> str:
    """A difference with its sign: ``+3.2``, ``\u22121.0``, ``0.0`` (``whole``: written as a
    level, ``+1``, ``\u22120.5``, ``0``)."""
    if value is None:
        return DASH
    text = level(abs(value)) if whole else decimal(abs(value), digits)
    exact = rounded(value, 9 if whole else digits)
    if not exact:
        return text
    return f"+{text}" if exact > 0 else f"{MINUS}{text}"


def sources(entries: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """``[{"document": "A/68/275", "paragraphs": [111, 122]}]`` -> ``("A/68/275, paras. 111, 122",)``
    (the UN's citation form, as the section titles cite A/68/275: "A/68/275, para. 122 (a)")."""
    out = []
    for source in entries:
        paras = [str(p) for p in source.get("paragraphs") or ()]
        out.append(ngettext("%(doc)s, para. %(paras)s", "%(doc)s, paras. %(paras)s", len(paras),
                          doc=source.get("document", ""), paras=list_separator().join(paras)))
    return tuple(out)


def sources_text(entries: Iterable[Mapping[str, Any]]) -> str:
    """The sources on one line, separated by semicolons (the reader's language's)."""
    return semicolon().join(sources(entries))
