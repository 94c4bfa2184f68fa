"""Shape a score document into what the results page shows: pure functions, no request,
no database.

:func:`present` takes the questionnaire definition (for titles, prompts and band labels)
and a score document (live or stored, CONTRACTS.md plus the engine's ``items`` and
``explanations``) and returns a :class:`ResultsView` of display-ready rows: every score
formatted to one decimal with :mod:`app.display.numbers`, every band as a word with
its code (for colour), the gap list in the engine's priority order, the gating items of
each capped area and layer, and the explanation of every aggregate (overall, area, layer,
cell) expanded with :func:`app.scoring.explain`.  The charts come from :mod:`app.charts`,
with translated titles, descriptions and companion data tables.

Nothing here re-scores: every number is read from the document, so a stored score is shown
exactly as it was stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from markupsafe import Markup

from .. import charts
from ..display import labels as L, numbers as n
from ..display.rows import (  # noqa: F401  (the row types, re-exported for the page's callers)
    AggregateRow, BandView, GapRow, Headline, ItemRef, Rows, band_view, bare_title, short_title,
    shorten,
)
from ..i18n import colon, semicolon, translate as _, when
from ..questionnaire.definition import Questionnaire
from ..scoring import explain


# -- the page's own display types (the shared rows are in app.display.rows) ------------------
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
def format_when(value: Any) -> str:
    """An ISO timestamp (or datetime) as '3 May 2026, 14:02 UTC' (the app's one date style)."""
    return when(value) if value else ""


# -- the view ----------------------------------------------------------------------------------
class _Presenter(Rows):
    """The shared rows (:class:`~app.display.rows.Rows`) plus what only the page shows: the
    explanations of every aggregate and the charts with their data tables."""

    # explanations
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
            item=self.item(r["key"]), s=n.number(r["s"]),
            contribution=n.number(r["contribution"]), known=r["known"]) for r in data["rows"])
        cells = ()
        if kind == "area":
            cells = tuple(self.explanation("cell", code, lc) for lc in self.layer_titles)
        return Explanation(
            kind=kind, anchor=anchor, title=title, label=label,
            score_text=n.score(data["score"]),
            known_only_text=n.score(data["known_only"]), band=band,
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
            code=r["area"], title=self.area_title(r["area"]), score_text=n.score(r["score"]),
            known_only_text=n.score(r.get("known_only")), weight=n.number(r["weight"]),
            included=bool(r["included"])) for r in data["rows"])

        def mean(total_key: str, weight_key: str) -> str:
            total, weight = exp[total_key], exp[weight_key]
            if weight <= 0:
                return _("No area has a score: no overall score.")
            return _("Σ(area weight × area score) ÷ Σ area weight = %(total)s ÷ %(weight)s = %(score)s",
                     total=n.number(total, 4), weight=n.number(weight, 4),
                     score=n.score(total / weight))

        return Explanation(
            kind="overall", anchor="why-overall", title=_("Overall readiness"),
            label=_("Overall readiness"),
            score_text=n.score(data["score"]), known_only_text=n.score(data["known_only"]),
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
        values = semicolon().join(f"({r.code}) {r.short_title} {r.score_text if r.score is not None else no_score}"
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
        rows = semicolon().join(
            f"({a}) {self.area_short[a]}{colon()}" + ", ".join(
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
                                     values=semicolon().join(
                                         f"{r.title} {r.score_text if r.score is not None else no_score}"
                                         for r in layers)),
                              chart_id="chart-layers"),
            _relabel(charts.layer_bars_table(layer_scores, layers=layer_codes,
                                             layer_labels=self.layer_titles, bands=bands,
                                             band_codes={r.code: r.band.code for r in layers}),
                     _("Scores by prevention layer (0 to 100), the data of the bar chart"),
                     (_("Layer"), _("Score"), _("Band")), {charts.NO_SCORE: no_score}))
        return radar, heat, bars

    # all together
    def view(self) -> ResultsView:
        doc = self.doc
        areas, layers = self.areas(), self.layers()
        counts = dict(doc.get("counts") or {})
        applicable = sum(counts.values()) - counts.get("not_applicable", 0) if counts else 0
        unknown = counts.get("dont_know", 0) + counts.get("unanswered", 0)
        headline = self.headline()
        rubric = self.q.rubric
        threshold = rubric.dont_know_threshold if rubric else 0.25
        coverage = Coverage(
            knowledge=doc.get("knowledge_coverage"),
            knowledge_text=headline.coverage_text, completeness_text=headline.completeness_text,
            counts=counts, applicable=applicable, unknown=unknown,
            threshold_text=n.share(threshold),
            flagged=tuple(r for r in areas if r.insufficient_information))
        gating_rule = ""
        if rubric:
            gating_rule = _(
                "Where any %(weight)s item of an area or layer is below level %(level)s (don't know "
                "and unanswered included), its band is capped at %(band)s. The score itself is "
                "not changed.", weight=L.weight_label(rubric.gating.weight_class).lower(),
                level=n.level(rubric.gating.below_level),
                band=self.band(rubric.gating.cap_band).label)
        radar, heat, bars = self.charts(areas, layers)
        return ResultsView(
            headline=headline, provenance=provenance(self.q, doc), coverage=coverage, areas=areas,
            layers=layers, gated=tuple(r for r in (*areas, *layers) if r.gated),
            gaps=self.gaps(),
            overall_explanation=self.overall_explanation() if self.has_explanations else None,
            area_explanations=tuple(self.explanation("area", r.code) for r in areas)
            if self.has_explanations else (),
            layer_explanations=tuple(self.explanation("layer", r.code) for r in layers)
            if self.has_explanations else (),
            radar=radar, heatmap=heat, layer_bars=bars,
            bands=self.band_ranges(),
            gating_rule=gating_rule,
            gating_cap=self.band(rubric.gating.cap_band) if rubric else None)


def provenance(questionnaire: Questionnaire, doc: Mapping[str, Any]) -> Provenance:
    """Live or stored, when, with which rubric and questionnaire version (the page's header)."""
    stored = doc.get("stored") or None
    version = (doc.get("questionnaire") or {}).get("version", questionnaire.version)
    return Provenance(
        live=stored is None,
        stored_at=format_when(stored.get("scored_at")) if stored else "",
        rubric_version=str((stored or {}).get("rubric_version") or doc.get("rubric_version") or ""),
        questionnaire_version=str(version),
        missing=len(doc.get("missing") or ()))


def present(questionnaire: Questionnaire, doc: Mapping[str, Any], lang: str = "en") -> ResultsView:
    """Everything the results page shows, from a questionnaire and a score document."""
    return _Presenter(questionnaire, doc, lang).view()


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
    return missing if value is None else n.score(value)


def _relabel(table: charts.ChartTable, caption: str, columns: Sequence[str],
             replace: Mapping[str, str]) -> charts.ChartTable:
    """A chart's companion table with translated caption, headings and missing-value words."""
    rows = tuple(tuple(replace.get(cell, cell) for cell in row) for row in table.rows)
    return charts.ChartTable(caption, tuple(columns), rows, table.notes)
