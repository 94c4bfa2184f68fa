"""What the charts draw: bands, series, the companion tables, and the words and labels they
fall back on when the caller gives none."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from markupsafe import Markup, escape

from app.display import numbers
from app.display.labels import BAND, coded_title
from app.i18n import N_, locale_code, translate as _
from app.questionnaire.definition import Rubric

from .colours import MAX_SERIES

#: The words for a missing value, in English (the msgids); charts and tables show them
#: translated, through :func:`_`.
NO_SCORE = N_("no score")
NO_ITEMS = N_("no items")
#: Fallback names of the prevention layers when the caller passes no labels.
LAYER_NAMES = {"primary": N_("Primary"), "secondary": N_("Secondary"), "tertiary": N_("Tertiary")}
#: Fallback names of the default rubric's bands (a rubric without a label in the language).
BAND_NAMES = BAND    # the display vocabulary's band names


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


#: A series as callers may give it: a :class:`Series` or a ``(label, values)`` pair.
SeriesLike = Series | tuple[str, Mapping[str, float | None]]


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
            + "".join(f'<td data-label="{escape(col)}">{escape(cell)}</td>'  # read as a card on a phone
                      for col, cell in zip(self.columns[1:], row[1:])) + "</tr>"
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


def band_ranges(bands: Sequence[Band]) -> list[tuple[Band, float]]:
    """Each band with the upper end of its range (the next band's minimum, or 100)."""
    return [(band, bands[k + 1].min if k + 1 < len(bands) else 100.0) for k, band in enumerate(bands)]


def as_series(series: Sequence[SeriesLike]) -> list[Series]:
    """The caller's series as :class:`Series`: at least one, at most :data:`MAX_SERIES`."""
    out = [s if isinstance(s, Series) else Series(*s) for s in series]
    if not out:
        raise ValueError("a chart needs at least one series")
    if len(out) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series can be told apart; got {len(out)}")
    return out


def code_labels(codes: Sequence[str], labels: Mapping[str, str] | None, *,
                with_code: bool = False) -> dict[str, str]:
    """The display label of each code: the caller's, else the fallback (areas: "(a) Title")."""
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


def value_text(value: float | None, missing: str) -> str:
    """A score as the tables beside the chart write it (:mod:`app.display.numbers`)."""
    return missing if value is None else numbers.score(value)
