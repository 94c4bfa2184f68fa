"""Shape a score document into what the results page shows: pure functions, no request,
no database.

:func:`present` takes the questionnaire definition (for titles, prompts and band labels)
and a score document (live or stored, CONTRACTS.md plus the engine's ``items`` and
``explanations``) and returns a :class:`ResultsView` of display-ready rows: every score
formatted to one decimal with :func:`app.scoring.format_score`, every band as a word with
its code (for colour), the gap list in the engine's priority order, the gating items of
each capped area and layer, and the explanation of every aggregate (overall, area, layer,
cell) expanded with :func:`app.scoring.explain`.  The charts come from :mod:`app.charts`,
with translated titles, descriptions and companion data tables.

Nothing here re-scores: every number is read from the document, so a stored score is shown
exactly as it was stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from flask_babel import gettext as _, ngettext
from markupsafe import Markup

from .. import charts
from ..i18n import localize, when
from ..questionnaire.definition import Questionnaire
from ..scoring import explain, format_score

DASH = "\u2013"
_CODE_PREFIX = re.compile(r"^\(\s*[a-z]\s*\)\s*", re.IGNORECASE)


# -- small display types ----------------------------------------------------------------------
@dataclass(frozen=True)
class BandView:
    """A band as a word (never colour alone) with its code for the colour class."""

    code: str | None
    label: str

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
    """An area or a layer: score, band (after gating), the band the score alone would have,
    the known-answers-only score, the unknown share, the gating items."""

    kind: str                     # "area" or "layer"
    code: str
    title: str                    # e.g. "(a) Knowledge: ..." or "Primary prevention"
    short_title: str
    score: float | None
    score_text: str
    band: BandView
    band_before_gating: BandView | None   # only when gating changed the band
    known_only_text: str
    dont_know_share_text: str
    insufficient_information: bool
    gated_by: tuple[ItemRef, ...]
    anchor: str                   # id of its explanation

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
class ExplanationRow:
    """One item that entered an aggregate."""

    item: ItemRef
    s: str
    contribution: str
    known: bool


@dataclass(frozen=True)
class OverallRow:
    """One area as it enters the overall score."""

    code: str
    title: str
    score_text: str
    known_only_text: str
    weight: str
    included: bool


@dataclass(frozen=True)
class Explanation:
    kind: str                     # overall, area, layer, cell
    anchor: str
    title: str
    label: str                    # the title inside its area's explanation (cells: the layer)
    score_text: str
    known_only_text: str
    band: BandView | None
    band_before_gating: BandView | None
    formula: str
    known_formula: str
    rows: tuple[ExplanationRow, ...] = ()
    overall_rows: tuple[OverallRow, ...] = ()
    not_applicable: tuple[ItemRef, ...] = ()
    unknown: tuple[str, ...] = ()
    gated_by: tuple[ItemRef, ...] = ()
    cells: tuple["Explanation", ...] = ()
    empty: bool = False


@dataclass(frozen=True)
class Headline:
    score: float | None
    score_text: str
    band: BandView
    known_only_text: str
    known_only_note: str


@dataclass(frozen=True)
class Coverage:
    knowledge: float | None
    knowledge_text: str
    completeness_text: str
    counts: Mapping[str, int]
    applicable: int
    unknown: int
    threshold_text: str
    flagged: tuple[AggregateRow, ...]


@dataclass(frozen=True)
class ChartView:
    svg: Markup
    table: charts.ChartTable


@dataclass(frozen=True)
class Provenance:
    """Live (a draft's provisional score) or stored (when and with which rubric)."""

    live: bool
    stored_at: str
    rubric_version: str
    questionnaire_version: str
    missing: int


@dataclass(frozen=True)
class ResultsView:
    headline: Headline
    provenance: Provenance
    coverage: Coverage
    areas: tuple[AggregateRow, ...]
    layers: tuple[AggregateRow, ...]
    gated: tuple[AggregateRow, ...]
    gaps: tuple[GapRow, ...]
    overall_explanation: Explanation | None
    area_explanations: tuple[Explanation, ...]
    layer_explanations: tuple[Explanation, ...]
    radar: ChartView
    heatmap: ChartView
    layer_bars: ChartView
    bands: tuple[tuple[BandView, str], ...] = field(default_factory=tuple)   # (band, "20–40")
    gating_rule: str = ""
    gating_cap: BandView | None = None

    @property
    def has_explanations(self) -> bool:
        return self.overall_explanation is not None


# -- formatting --------------------------------------------------------------------------------
def format_percent(share: float | None) -> str:
    """A 0-1 share as a percentage to one decimal (``0.925`` -> ``92.5%``)."""
    if share is None:
        return DASH
    return _("%(value)s%%", value=format_score(share * 100))


def format_level(level: float | None) -> str:
    """A 0-4 level: whole levels as integers, others to one decimal; a dash for none."""
    if level is None:
        return DASH
    if abs(level - round(level)) < 1e-9:
        return str(int(round(level)))
    return format_score(level)


def format_number(value: float | None, digits: int = 2) -> str:
    """Weights, item scores and priorities: at most ``digits`` decimals, no trailing zeros."""
    if value is None:
        return DASH
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_when(value: Any) -> str:
    """An ISO timestamp (or datetime) as '3 May 2026, 14:02 UTC' (the app's one date style)."""
    return when(value) if value else ""


def format_sources(sources: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """``[{"document": "A/68/275", "paragraphs": [111, 122]}]`` -> ``("A/68/275, paras 111, 122",)``."""
    out = []
    for source in sources:
        paras = [str(p) for p in source.get("paragraphs", [])]
        out.append(ngettext("%(doc)s, para %(paras)s", "%(doc)s, paras %(paras)s", len(paras),
                            doc=source.get("document", ""), paras=", ".join(paras)))
    return tuple(out)


def bare_title(title: str) -> str:
    """An area title without its leading "(a) " (the page and the charts add the code)."""
    return _CODE_PREFIX.sub("", title).strip()


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


def status_labels() -> dict[str, str]:
    return {"answered": _("Answered"), "dont_know": _("Don't know"),
            "not_applicable": _("Not applicable"), "unanswered": _("Not answered yet")}


def weight_class_labels() -> dict[str, str]:
    return {"core": _("Core"), "important": _("Important"), "supplementary": _("Supplementary")}


def cap_notes() -> dict[str, str]:
    return {"documentary": _("capped: no documentary evidence"),
            "outcome": _("capped: no evaluation or data evidence"),
            "core_documentary": _("capped: a core question needs documentary evidence")}


def band_view(code: str | None, questionnaire: Questionnaire, lang: str = "en") -> BandView:
    if not code:
        return BandView(None, _("No band"))
    rubric = questionnaire.rubric
    base = lang.replace("-", "_").split("_")[0]
    for band in (rubric.bands if rubric else ()):
        if band.code == code and band.label:
            # The rubric's label in the language; else its English label through the
            # catalogue (as the charts and the PDFs do), so a page never says "Developing"
            # where its PDF says "En développement".
            label = band.label.get(lang) or band.label.get(base)
            if label:
                return BandView(code, label)
            english = band.label.get("en")
            if english:
                return BandView(code, english if base == "en" else _(english))
    fallback = {"absent": _("Absent"), "initiating": _("Initiating"), "developing": _("Developing"),
                "established": _("Established"), "sustained": _("Sustained")}
    return BandView(code, fallback.get(code, code.replace("_", " ").capitalize()))


# -- the view ----------------------------------------------------------------------------------
class _Presenter:
    def __init__(self, questionnaire: Questionnaire, doc: Mapping[str, Any], lang: str):
        self.q = questionnaire
        self.doc = doc
        self.lang = lang
        self.items = doc.get("items") or {}
        self.area_titles = {a.code: bare_title(localize(a.title, lang)) for a in questionnaire.areas}
        self.area_short = {a.code: short_title(localize(a.title, lang)) for a in questionnaire.areas}
        self.layer_titles = {layer.code: localize(layer.title, lang) for layer in questionnaire.layers}
        self.statuses = status_labels()
        self.weights = weight_class_labels()
        self.caps = cap_notes()
        self.band_cache: dict[str | None, BandView] = {}
        self.has_explanations = "explanations" in doc and "items" in doc

    # helpers
    def band(self, code: str | None) -> BandView:
        if code not in self.band_cache:
            self.band_cache[code] = band_view(code, self.q, self.lang)
        return self.band_cache[code]

    def area_title(self, code: str) -> str:
        return f"({code}) {self.area_titles.get(code, '')}".strip()

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
            claimed=format_level(entry.get("claimed_level")),
            effective=format_level(entry.get("effective_level")),
            capped_by=capped_by, cap_note=self.caps.get(capped_by, "") if capped_by else "",
            weight_class=weight_class,
            weight_class_label=self.weights.get(weight_class, weight_class),
            weight=format_number(entry.get("weight")))

    def aggregate(self, kind: str, code: str, entry: Mapping[str, Any]) -> AggregateRow:
        score = entry.get("score")
        band = self.band(entry.get("band"))
        before_code = None
        if self.has_explanations:
            exp = self.doc["explanations"]["areas" if kind == "area" else "layers"].get(code, {})
            before_code = exp.get("band_before_gating")
        before = self.band(before_code) if before_code and before_code != band.code else None
        title = self.area_title(code) if kind == "area" else self.layer_titles.get(code, code)
        short = self.area_short.get(code, code) if kind == "area" else title
        return AggregateRow(
            kind=kind, code=code, title=title, short_title=short, score=score,
            score_text=format_score(score), band=band, band_before_gating=before,
            known_only_text=format_score(entry.get("known_only")),
            dont_know_share_text=format_percent(entry.get("dont_know_share")),
            insufficient_information=bool(entry.get("insufficient_information")),
            gated_by=tuple(self.item(k) for k in entry.get("gated_by", [])),
            anchor=f"why-{kind}-{code}")

    def gap(self, rank: int, entry: Mapping[str, Any]) -> GapRow:
        unknown = bool(entry.get("unknown"))
        status = entry.get("status")
        if unknown:
            why = self.statuses.get(status or "dont_know", self.statuses["dont_know"])
            current = _("Unknown (%(why)s)", why=why.lower())
        else:
            current = _("Level %(level)s", level=format_level(entry.get("current")))
        key = entry["key"]
        areas = tuple(entry.get("areas", ()))
        target = format_level(entry.get("target"))
        return GapRow(
            rank=rank, item=self.item(key), areas=areas, current_text=current, target=target,
            target_text=_("Level %(level)s", level=target),
            areas_text=ngettext("Area %(areas)s", "Areas %(areas)s", len(areas),
                                areas=", ".join(areas)),
            gap_text=_fixed(entry.get("gap")),
            priority_text=_fixed(entry.get("priority")), unknown=unknown,
            enabler=bool(entry.get("enabler")), action=localize(entry.get("action"), self.lang),
            sources=format_sources(entry.get("sources", [])))

    # explanations
    def formula(self, exp: Mapping[str, Any], known: bool = False) -> str:
        total = exp["known_weighted_sum" if known else "weighted_sum"]
        weight = exp["known_weight_total" if known else "weight_total"]
        if weight <= 0:
            return _("No applicable items: no score.") if not known else \
                _("No known answers: no known-answers-only score.")
        return _("100 × Σ(weight × s) ÷ Σ weight = 100 × %(total)s ÷ %(weight)s = %(score)s",
                 total=format_number(total, 4), weight=format_number(weight, 4),
                 score=format_score(100.0 * total / weight))

    def explanation(self, kind: str, code: str, layer: str | None = None) -> Explanation:
        data = explain(self.doc, kind, code, layer)
        if kind == "cell":
            exp = self.doc["explanations"]["cells"][code][layer]
            title = _("%(area)s × %(layer)s", area=self.area_title(code),
                      layer=self.layer_titles.get(layer, layer))
            anchor = f"why-cell-{code}-{layer}"
            label = self.layer_titles.get(layer, layer)
        else:
            exp = self.doc["explanations"]["areas" if kind == "area" else "layers"][code]
            title = self.area_title(code) if kind == "area" else self.layer_titles.get(code, code)
            anchor = f"why-{kind}-{code}"
            label = title
        band = self.band(data["band"]) if kind != "cell" else None
        before = data.get("band_before_gating")
        rows = tuple(ExplanationRow(
            item=self.item(r["key"]), s=format_number(r["s"]),
            contribution=format_number(r["contribution"]), known=r["known"]) for r in data["rows"])
        cells = ()
        if kind == "area":
            cells = tuple(self.explanation("cell", code, lc) for lc in self.layer_titles)
        return Explanation(
            kind=kind, anchor=anchor, title=title, label=label,
            score_text=format_score(data["score"]),
            known_only_text=format_score(data["known_only"]), band=band,
            band_before_gating=self.band(before) if before and band and before != band.code else None,
            formula=self.formula(exp), known_formula=self.formula(exp, known=True), rows=rows,
            not_applicable=tuple(self.item(k) for k in data["not_applicable"]),
            unknown=tuple(data["unknown"]),
            gated_by=tuple(self.item(k) for k in data["gated_by"]), cells=cells,
            empty=not rows and not data["not_applicable"])

    def overall_explanation(self) -> Explanation:
        data = explain(self.doc, "overall")
        exp = self.doc["explanations"]["overall"]
        rows = tuple(OverallRow(
            code=r["area"], title=self.area_title(r["area"]), score_text=format_score(r["score"]),
            known_only_text=format_score(r.get("known_only")), weight=format_number(r["weight"]),
            included=bool(r["included"])) for r in data["rows"])

        def mean(total_key: str, weight_key: str) -> str:
            total, weight = exp[total_key], exp[weight_key]
            if weight <= 0:
                return _("No area has a score: no overall score.")
            return _("Σ(area weight × area score) ÷ Σ area weight = %(total)s ÷ %(weight)s = %(score)s",
                     total=format_number(total, 4), weight=format_number(weight, 4),
                     score=format_score(total / weight))

        return Explanation(
            kind="overall", anchor="why-overall", title=_("Overall readiness"),
            label=_("Overall readiness"),
            score_text=format_score(data["score"]), known_only_text=format_score(data["known_only"]),
            band=self.band(data["band"]), band_before_gating=None,
            formula=mean("weighted_sum", "weight_total"),
            known_formula=mean("known_weighted_sum", "known_weight_total"), overall_rows=rows)

    # charts
    def charts(self, areas: Sequence[AggregateRow], layers: Sequence[AggregateRow]
               ) -> tuple[ChartView, ChartView, ChartView]:
        bands = charts.bands_from_rubric(self.q.rubric, self.lang) if self.q.rubric else None
        no_score, no_items = _("no score"), _("no items")
        area_codes = tuple(self.area_titles)
        layer_codes = tuple(self.layer_titles)
        scores = {r.code: r.score for r in areas}
        label = _("This assessment")
        values = "; ".join(f"({r.code}) {r.short_title} {r.score_text if r.score is not None else no_score}"
                           for r in areas)
        radar = ChartView(
            charts.radar_chart([charts.Series(label, scores)], axes=area_codes,
                               axis_labels=self.area_short, bands=bands,
                               title=_("Readiness by area, 0 to 100"),
                               desc=_("Radar chart of the area scores from 0 to 100: %(values)s.",
                                      values=values),
                               chart_id="chart-radar"),
            _relabel(charts.radar_table([charts.Series(label, scores)], axes=area_codes,
                                        axis_labels=self.area_titles),
                     _("Scores by area (0 to 100), the data of the radar chart"),
                     (_("Area"), _("Score")), {charts.NO_SCORE: no_score}))
        cells = self.doc.get("cells", {})
        rows = "; ".join(
            f"({a}) {self.area_short[a]}: " + ", ".join(
                f"{self.layer_titles[lc]} {_cell_text(cells, a, lc, no_items)}" for lc in layer_codes)
            for a in area_codes)
        heat = ChartView(
            charts.heatmap(cells, areas=area_codes, layers=layer_codes,
                           area_labels=self.area_short,
                           layer_labels=strip_common_suffix(self.layer_titles), bands=bands,
                           title=_("Readiness by area and prevention layer"),
                           desc=_("Heat map of cell scores from 0 to 100, areas as rows and "
                                  "prevention layers as columns; cells without items are hatched. "
                                  "%(rows)s.", rows=rows),
                           chart_id="chart-heatmap"),
            _relabel(charts.heatmap_table(cells, areas=area_codes, layers=layer_codes,
                                          area_labels=self.area_titles,
                                          layer_labels=self.layer_titles),
                     _("Cell scores by area and prevention layer (0 to 100), the data of the heat map"),
                     (_("Area"), *(self.layer_titles[lc] for lc in layer_codes)),
                     {charts.NO_ITEMS: no_items}))
        layer_scores = {r.code: r.score for r in layers}
        bars = ChartView(
            charts.layer_bars(layer_scores, layers=layer_codes, layer_labels=self.layer_titles,
                              bands=bands, title=_("Readiness by prevention layer, 0 to 100"),
                              desc=_("Bar chart of the layer scores from 0 to 100: %(values)s.",
                                     values="; ".join(
                                         f"{r.title} {r.score_text if r.score is not None else no_score}"
                                         for r in layers)),
                              chart_id="chart-layers"),
            _relabel(charts.layer_bars_table(layer_scores, layers=layer_codes,
                                             layer_labels=self.layer_titles, bands=bands,
                                             band_codes={r.code: r.band.code for r in layers}),
                     _("Scores by prevention layer (0 to 100), the data of the bar chart"),
                     (_("Layer"), _("Score"), _("Band")), {charts.NO_SCORE: no_score}))
        return radar, heat, bars

    def band_ranges(self) -> tuple[tuple[BandView, str], ...]:
        bands = list(self.q.rubric.bands) if self.q.rubric else []
        out = []
        for n, band in enumerate(bands):
            upper = bands[n + 1].min if n + 1 < len(bands) else 100
            out.append((self.band(band.code), f"{format_number(band.min)}{DASH}{format_number(upper)}"))
        return tuple(out)

    # all together
    def view(self) -> ResultsView:
        doc = self.doc
        areas = tuple(self.aggregate("area", code, doc["areas"][code])
                      for code in self.area_titles if code in doc.get("areas", {}))
        layers = tuple(self.aggregate("layer", code, doc["layers"][code])
                       for code in self.layer_titles if code in doc.get("layers", {}))
        overall = doc["overall"]
        counts = dict(doc.get("counts") or {})
        applicable = sum(counts.values()) - counts.get("not_applicable", 0) if counts else 0
        unknown = counts.get("dont_know", 0) + counts.get("unanswered", 0)
        known_only = overall.get("known_only")
        if known_only is None:
            note = _("No answer is known yet.")
        elif overall.get("score") is not None and abs(known_only - overall["score"]) < 0.05:
            note = _("No unknown answers lower the score.")
        else:
            note = _("Leaving out the don't-know and unanswered questions instead of counting them as zero.")
        headline = Headline(score=overall.get("score"), score_text=format_score(overall.get("score")),
                            band=self.band(overall.get("band")),
                            known_only_text=format_score(known_only), known_only_note=note)
        stored = doc.get("stored") or None
        version = (doc.get("questionnaire") or {}).get("version", self.q.version)
        provenance = Provenance(
            live=stored is None,
            stored_at=format_when(stored.get("scored_at")) if stored else "",
            rubric_version=str((stored or {}).get("rubric_version") or doc.get("rubric_version") or ""),
            questionnaire_version=str(version),
            missing=len(doc.get("missing") or ()))
        rubric = self.q.rubric
        threshold = rubric.dont_know_threshold if rubric else 0.25
        coverage = Coverage(
            knowledge=doc.get("knowledge_coverage"),
            knowledge_text=format_percent(doc.get("knowledge_coverage")),
            completeness_text=format_percent(doc.get("completeness")),
            counts=counts, applicable=applicable, unknown=unknown,
            threshold_text=format_percent(threshold),
            flagged=tuple(r for r in areas if r.insufficient_information))
        gating_rule = ""
        if rubric:
            gating_rule = _(
                "Where any %(weight)s item of an area or layer is below level %(level)s (don't know "
                "and unanswered included), its band is capped at %(band)s. The score itself is "
                "not changed.", weight=self.weights.get(rubric.gating.weight_class,
                                                         rubric.gating.weight_class).lower(),
                level=format_level(rubric.gating.below_level),
                band=self.band(rubric.gating.cap_band).label)
        radar, heat, bars = self.charts(areas, layers)
        return ResultsView(
            headline=headline, provenance=provenance, coverage=coverage, areas=areas,
            layers=layers, gated=tuple(r for r in (*areas, *layers) if r.gated),
            gaps=tuple(self.gap(n, g) for n, g in enumerate(doc.get("gaps", []), start=1)),
            overall_explanation=self.overall_explanation() if self.has_explanations else None,
            area_explanations=tuple(self.explanation("area", r.code) for r in areas)
            if self.has_explanations else (),
            layer_explanations=tuple(self.explanation("layer", r.code) for r in layers)
            if self.has_explanations else (),
            radar=radar, heatmap=heat, layer_bars=bars,
            bands=self.band_ranges(),
            gating_rule=gating_rule,
            gating_cap=self.band(rubric.gating.cap_band) if rubric else None)


def present(questionnaire: Questionnaire, doc: Mapping[str, Any], lang: str = "en") -> ResultsView:
    """Everything the results page shows, from a questionnaire and a score document."""
    return _Presenter(questionnaire, doc, lang).view()


def _fixed(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def strip_common_suffix(titles: Mapping[str, str]) -> dict[str, str]:
    """Drop a last word every title shares ("Primary prevention", "Secondary prevention" ->
    "Primary", "Secondary"), for the narrow column headings of the heat map."""
    words = [t.split() for t in titles.values()]
    if len(words) > 1 and all(len(w) > 1 for w in words) and len({w[-1].lower() for w in words}) == 1:
        return {code: " ".join(t.split()[:-1]) for code, t in titles.items()}
    return dict(titles)


def _cell_text(cells: Mapping[str, Mapping[str, float | None]], area: str, layer: str,
               missing: str) -> str:
    value = (cells.get(area) or {}).get(layer)
    return missing if value is None else format_score(value)


def _relabel(table: charts.ChartTable, caption: str, columns: Sequence[str],
             replace: Mapping[str, str]) -> charts.ChartTable:
    """A chart's companion table with translated caption, headings and missing-value words."""
    rows = tuple(tuple(replace.get(cell, cell) for cell in row) for row in table.rows)
    return charts.ChartTable(caption, tuple(columns), rows, table.notes)
