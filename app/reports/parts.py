"""The fixed parts of a report, as plain data: names of areas and layers in their report
forms, dates, the band key, the charts, the methodology's numbers and the logo.  Pure
functions, like :mod:`app.reports.context`, which assembles them."""
from __future__ import annotations

import base64
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Mapping, Sequence

from app import charts, print_charts
from app.display import labels as L, numbers as n
from app.display.rows import Rows, bare_title
from app.i18n import day, script_direction, translate as _, when
from app.questionnaire.definition import Questionnaire


# -- small pure helpers ---------------------------------------------------------------------
def text_of(text: Mapping[str, str] | None, lang: str = "en") -> str:
    """A definition text in ``lang``, falling back to English."""
    if not text:
        return ""
    return text.get(lang) or text.get(lang.split("_")[0]) or text.get("en", "")


direction = script_direction  # the templates' ``dir`` filter (app.i18n owns the rule)


def fmt_date(value: date | datetime | str | None) -> str:
    """``12 March 2026`` in the report's language (``12 mars 2026``)."""
    return day(value, "d MMMM y")


def fmt_moment(value: date | datetime | str | None, zone: str | None) -> str:
    """``12 March 2026, 13:05 UTC+3``: the day and time in ``zone`` (an IANA name; UTC when
    none), its offset named, in the report's language (:func:`app.i18n.when`)."""
    return when(value, zone or "UTC", month="MMMM")


def iso_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value[:10]
    return value.strftime("%Y-%m-%d")


_LABEL_STOP = {"and", "of", "the", "for", "to", "a", "an", "in", "on", "with",
               "et", "de", "des", "du", "la", "le", "les", "y", "del", "и", "в"}  # a word that ends no label


def short_area_label(title: str, limit: int = 28) -> str:
    """A chart label from an area title: the ``(a)`` prefix dropped, cut at the first colon
    or comma, shortened at a word boundary to ``limit`` characters without a dangling
    ``and``/``of``.  ``"(a) Knowledge: risk factors, ..."`` -> ``"Knowledge"``."""
    text = bare_title(title)
    text = re.split(r"[:,;]", text, maxsplit=1)[0].strip()
    if len(text) <= limit:
        return text
    words, out = text.split(), []
    for word in words:
        if len(" ".join(out + [word])) > limit:
            break
        out.append(word)
    while out and out[-1].lower() in _LABEL_STOP:
        out.pop()
    return " ".join(out) or text[:limit]


def logo_data_url(logo: Mapping[str, Any] | None) -> str | None:
    """The organisation's logo as a ``data:`` URL (the only way a logo enters a PDF).
    ``logo`` is ``{"mime": "image/png" | "image/svg+xml", "data": bytes}``, already
    sanitised; anything else gives ``None``."""
    if not logo or not logo.get("data"):
        return None
    mime = logo.get("mime")
    if mime not in ("image/png", "image/svg+xml"):
        return None
    return f"data:{mime};base64,{base64.b64encode(logo['data']).decode('ascii')}"


# -- bands ------------------------------------------------------------------------------------
def band_table(rows: Rows) -> list[dict[str, Any]]:
    """The rubric's bands with range, label and the heat-map colours of the shared rows."""
    return [dict(asdict(band), range=text) for band, text in rows.band_ranges()]


def home_areas(questionnaire: Questionnaire) -> dict[str, str]:
    """The area under which each item is detailed in the gap report: its section's dominant
    area when the item is tagged with it, else its first area.  Items tagged with further
    areas are cross-referenced there."""
    out = {}
    for section in questionnaire.sections:
        items = [questionnaire.item_map[k] for k in section.items]
        tally = Counter(a for it in items for a in it.areas)
        dominant = min(tally, key=lambda a: (-tally[a], a)) if tally else None
        for it in items:
            out[it.key] = dominant if dominant in it.areas else it.areas[0]
    return out


@dataclass(frozen=True)
class Labels:
    """Area and layer names in their long, plain and short (chart) forms."""

    area_titles: dict[str, str]
    area_names: dict[str, str]
    area_short: dict[str, str]
    layer_titles: dict[str, str]
    layer_short: dict[str, str]

    @classmethod
    def of(cls, questionnaire: Questionnaire, lang: str = "en") -> "Labels":
        titles = {a.code: text_of(a.title, lang) for a in questionnaire.areas}
        layers = {layer.code: text_of(layer.title, lang) for layer in questionnaire.layers}
        return cls(
            area_titles=titles,
            area_names={c: bare_title(t) for c, t in titles.items()},
            area_short={c: short_area_label(t) for c, t in titles.items()},
            layer_titles=layers,
            layer_short={c: t.replace(" prevention", "").strip() or t for c, t in layers.items()})


def chart_images(kind: str, questionnaire: Questionnaire, score: Mapping[str, Any],
                 areas: Sequence[Mapping[str, Any]], layers: Sequence[Mapping[str, Any]],
                 labels: Labels, meta: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """The radar, the heat map and the layer bars, their text as HTML in the report's
    language (:mod:`app.print_charts`: WeasyPrint draws SVG text slowly and left to right only)."""
    return print_charts.report_charts(score, areas, layers, charts.bands_from_rubric(questionnaire.rubric, lang),
                                      str(meta.get("organisation") or _("Score")))


def methodology(questionnaire: Questionnaire, rows: Rows, lang: str = "en") -> dict[str, Any]:
    """The numbers the methodology section states, read from the rubric (never restated)."""
    rubric = questionnaire.rubric
    weights = rubric.weights
    return {
        "layers": [{"title": text_of(layer.title, lang), "description": text_of(layer.description, lang)}
                   for layer in questionnaire.layers],
        "areas": [{"code": a.code, "name": bare_title(text_of(a.title, lang))}
                  for a in questionnaire.areas],
        "item_count": len(questionnaire.scored_items),
        "weights": [{"label": L.weight_label(k), "value": n.number(weights[k])}
                    for k in ("core", "important", "supplementary") if k in weights],
        "bands": [{"label": band.label, "range": text} for band, text in rows.band_ranges()],
        "gate_class": L.weight_label(rubric.gating.weight_class).lower(),
        "gate_below": n.level(rubric.gating.below_level),
        "gate_cap": rows.band(rubric.gating.cap_band).label,
        "caps_on": rubric.evidence_caps,
        "doc_from": rubric.documentary_evidence_from_level,
        "doc_cap": rubric.documentary_evidence_cap,
        "non_documentary": ", ".join(L.evidence_label(t).lower()
                                     for t in rubric.non_documentary_evidence_types),
        "outcome_from": rubric.outcome_evidence_from_level,
        "outcome_cap": rubric.outcome_evidence_cap,
        "outcome_types": _(" or ").join(L.evidence_label(t).lower()
                                     for t in rubric.outcome_evidence_types),
        "default_target": rubric.default_target,
        "dont_know_threshold": n.share(rubric.dont_know_threshold),
        "enabler_multiplier": n.number(rubric.enabler_multiplier),
        "rubric_version": rubric.rubric_version,
    }
