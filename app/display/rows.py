"""The rows a score document is read in, built once for the results page and the PDFs.

:class:`Rows` turns a questionnaire and a score document (live or stored, CONTRACTS.md plus
the engine's ``items`` and ``explanations``) into frozen rows of plain values: the headline,
one row per area and per layer, the gap list in the engine's priority order, the band key.
Every number is written by :mod:`app.display.numbers` and every code by
:mod:`app.display.labels`, so the page (which reads these rows) and the PDF (whose context
holds them as dicts, :func:`dataclasses.asdict`) show the same strings.  Nothing here
re-scores: a stored score is shown as it was stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from .. import charts
from ..i18n import localize, translate as _
from ..questionnaire.definition import Questionnaire
from . import labels as L, numbers as n
from .labels import bare_title

NO_BAND_COLOUR, NO_BAND_TEXT = "#f2f2f2", "#1a1a1a"


@dataclass(frozen=True)
class BandView:
    """A band as a word (never colour alone), with its code and the chart colours."""

    code: str | None
    label: str
    colour: str = NO_BAND_COLOUR
    text_colour: str = NO_BAND_TEXT

    @property
    def css_class(self) -> str:
        return f"band-{self.code}" if self.code else "band-none"


@dataclass(frozen=True)
class ItemRef:
    """A scored item as the page names it: key, prompt, and its answer in short."""

    key: str
    prompt: str
    short_prompt: str
    status: str
    status_label: str
    claimed: str
    effective: str
    capped_by: str | None
    cap_note: str
    weight_class: str
    weight_class_label: str
    weight: str


@dataclass(frozen=True)
class AggregateRow:
    """An area or a layer: score, band (after gating), the band the score alone would have
    (only when gating changed it), the known-answers-only score, the unknown share, the
    gating items."""

    kind: str                     # "area" or "layer"
    code: str
    title: str                    # e.g. "(a) Knowledge: ..." or "Primary prevention"
    short_title: str
    score: float | None
    score_text: str
    band: BandView
    band_before_gating: BandView | None
    known_only_text: str
    dont_know_share_text: str
    insufficient_information: bool
    gated_by: tuple[ItemRef, ...]
    anchor: str                   # id of its explanation on the results page

    @property
    def gated(self) -> bool:
        return bool(self.gated_by)


@dataclass(frozen=True)
class GapRow:
    rank: int
    item: ItemRef
    areas: tuple[str, ...]
    current_text: str             # "Level 1" or "Unknown (don't know)"
    target: str
    target_text: str              # "Level 3"
    areas_text: str               # "Areas e, f"
    gap_text: str
    priority_text: str
    unknown: bool
    enabler: bool
    action: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Headline:
    score: float | None
    score_text: str
    band: BandView
    known_only_text: str
    known_only_note: str
    coverage_text: str
    completeness_text: str
    gap_count: int
    unknown_count: int


def short_title(title: str, limit: int = 40, minimum: int = 8) -> str:
    """The head of a title, up to its first colon or comma and at most ``limit`` characters
    (cut at a word): "Legal framework, child-sensitive justice ..." -> "Legal framework"
    (for chart axes, where space is short)."""
    bare = bare_title(title)
    match = re.search(r"[:,;]", bare)
    if match and match.start() >= minimum:
        bare = bare[: match.start()].strip()
    return shorten(bare, limit)


def shorten(text: str, limit: int = 140) -> str:
    """Cut a prompt at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "\u2026"


def cap_notes() -> dict[str, str]:
    return {"documentary": _("capped: no documentary evidence"),
            "outcome": _("capped: no evaluation or data evidence"),
            "core_documentary": _("capped: a core question needs documentary evidence")}


def band_view(code: str | None, questionnaire: Questionnaire, lang: str = "en") -> BandView:
    """A band code as the reader sees it: the rubric's label in ``lang`` (else its English
    label through the catalogue, as the charts do), with its colours: the results page's
    (:func:`app.charts.band_palette`, one table), background and ink."""
    if not code:
        return BandView(None, _(L.NO_BAND))
    bands = charts.bands_from_rubric(questionnaire.rubric, lang) if questionnaire.rubric else ()
    palette = charts.band_palette(bands) if bands else ()
    for k, band in enumerate(bands):
        if band.code == code:
            ink, background = palette[k]
            return BandView(code, band.label, background, ink)
    return BandView(code, L.label(L.BAND, code))


class Rows:
    """The rows of one score document in one language (``lang``: the questionnaire texts')."""

    def __init__(self, questionnaire: Questionnaire, doc: Mapping[str, Any], lang: str = "en"):
        self.q, self.doc, self.lang = questionnaire, doc, lang
        self.items = doc.get("items") or {}
        self.area_titles = {a.code: bare_title(localize(a.title, lang)) for a in questionnaire.areas}
        self.area_short = {a.code: short_title(localize(a.title, lang)) for a in questionnaire.areas}
        self.layer_titles = {layer.code: localize(layer.title, lang) for layer in questionnaire.layers}
        self.statuses = L.labels(L.ANSWER_STATUS)
        self.caps = cap_notes()
        self._bands: dict[str | None, BandView] = {}
        self.has_explanations = "explanations" in doc and "items" in doc

    def band(self, code: str | None) -> BandView:
        if code not in self._bands:
            self._bands[code] = band_view(code, self.q, self.lang)
        return self._bands[code]

    def area_title(self, code: str) -> str:
        return L.coded_title(code, self.area_titles.get(code))

    def item(self, key: str) -> ItemRef:
        definition = self.q.item_map.get(key)
        prompt = localize(definition.prompt, self.lang) if definition else key
        entry = self.items.get(key, {})
        status = entry.get("status", "")
        weight_class = entry.get("weight_class") or (definition.weight if definition else "")
        capped_by = entry.get("capped_by")
        return ItemRef(
            key=key, prompt=prompt, short_prompt=shorten(prompt), status=status,
            status_label=self.statuses.get(status, status),
            claimed=n.level(entry.get("claimed_level")),
            effective=n.level(entry.get("effective_level")),
            capped_by=capped_by, cap_note=self.caps.get(capped_by, "") if capped_by else "",
            weight_class=weight_class, weight_class_label=L.weight_label(weight_class),
            weight=n.number(entry.get("weight")))

    def aggregate(self, kind: str, code: str) -> AggregateRow:
        entry = self.doc["areas" if kind == "area" else "layers"][code]
        band = self.band(entry.get("band"))
        before_code = None
        if self.has_explanations:
            exp = self.doc["explanations"]["areas" if kind == "area" else "layers"].get(code, {})
            before_code = exp.get("band_before_gating")
        before = self.band(before_code) if before_code and before_code != band.code else None
        title = self.area_title(code) if kind == "area" else self.layer_titles.get(code, code)
        return AggregateRow(
            kind=kind, code=code, title=title,
            short_title=self.area_short.get(code, code) if kind == "area" else title,
            score=entry.get("score"), score_text=n.score(entry.get("score")), band=band,
            band_before_gating=before, known_only_text=n.score(entry.get("known_only")),
            dont_know_share_text=n.share(entry.get("dont_know_share")),
            insufficient_information=bool(entry.get("insufficient_information")),
            gated_by=tuple(self.item(k) for k in entry.get("gated_by", [])),
            anchor=f"why-{kind}-{code}")

    def areas(self) -> tuple[AggregateRow, ...]:
        present = self.doc.get("areas") or {}
        return tuple(self.aggregate("area", c) for c in self.area_titles if c in present)

    def layers(self) -> tuple[AggregateRow, ...]:
        present = self.doc.get("layers") or {}
        return tuple(self.aggregate("layer", c) for c in self.layer_titles if c in present)

    def gap(self, rank: int, entry: Mapping[str, Any]) -> GapRow:
        unknown = bool(entry.get("unknown"))
        if unknown:
            why = self.statuses.get(entry.get("status") or "dont_know", self.statuses["dont_know"])
            current = _("Unknown (%(why)s)", why=why.lower())
        else:
            current = _("Level %(level)s", level=n.level(entry.get("current")))
        areas = tuple(entry.get("areas", ()))
        target = n.level(entry.get("target"))
        return GapRow(
            rank=rank, item=self.item(entry["key"]), areas=areas, current_text=current,
            target=target, target_text=_("Level %(level)s", level=target),
            areas_text=_areas_text(areas), gap_text=n.decimal(entry.get("gap"), 2),
            priority_text=n.decimal(entry.get("priority"), 2), unknown=unknown,
            enabler=bool(entry.get("enabler")), action=localize(entry.get("action"), self.lang),
            sources=n.sources(entry.get("sources", [])))

    def gaps(self) -> tuple[GapRow, ...]:
        return tuple(self.gap(k, g) for k, g in enumerate(self.doc.get("gaps") or [], start=1))

    def headline(self) -> Headline:
        overall = self.doc["overall"]
        known_only = overall.get("known_only")
        if known_only is None:
            note = _("No answer is known yet.")
        elif overall.get("score") is not None and abs(known_only - overall["score"]) < 0.05:
            note = _("No unknown answers lower the score.")
        else:
            note = _("Leaving out the don't-know and unanswered questions instead of counting them as zero.")
        gaps = self.doc.get("gaps") or []
        return Headline(
            score=overall.get("score"), score_text=n.score(overall.get("score")),
            band=self.band(overall.get("band")), known_only_text=n.score(known_only),
            known_only_note=note, coverage_text=n.share(self.doc.get("knowledge_coverage")),
            completeness_text=n.share(self.doc.get("completeness")), gap_count=len(gaps),
            unknown_count=sum(1 for g in gaps if g.get("unknown")))

    def formula(self, exp: Mapping[str, Any], known: bool = False) -> str:
        """The arithmetic of an area's, a layer's or a cell's score (``exp``: its entry in
        the document's ``explanations``), with the numbers as they are shown."""
        total = exp["known_weighted_sum" if known else "weighted_sum"]
        weight = exp["known_weight_total" if known else "weight_total"]
        if weight <= 0:
            return _("No applicable items: no score.") if not known else \
                _("No known answers: no known-answers-only score.")
        return _("100 × Σ(weight × s) ÷ Σ weight = 100 × %(total)s ÷ %(weight)s = %(score)s",
                 total=n.number(total, 4), weight=n.number(weight, 4),
                 score=n.score(100.0 * total / weight))

    def band_ranges(self) -> tuple[tuple[BandView, str], ...]:
        """Each band of the rubric with its score range ("20–40")."""
        bands = list(self.q.rubric.bands) if self.q.rubric else []
        out = []
        for k, band in enumerate(bands):
            upper = bands[k + 1].min if k + 1 < len(bands) else 100
            out.append((self.band(band.code), f"{n.number(band.min)}{n.DASH}{n.number(upper)}"))
        return tuple(out)



def _areas_text(areas: tuple[str, ...]) -> str:
    return L.ngettext("Area %(areas)s", "Areas %(areas)s", len(areas), areas=", ".join(areas))
