"""The pure scoring engine: a questionnaire, its rubric and a set of answers in, the score
document of CONTRACTS.md out.  No Flask, no database; every parameter comes from the rubric.

Decisions where RUBRIC.md leaves room (also stated in :func:`score_assessment`):

* **Unanswered scored items** are *not yet known*.  They count like don't know: ``s = 0`` in
  the headline aggregates, left out of every ``known_only`` aggregate, counted as unknown in
  ``knowledge_coverage`` and ``dont_know_share`` (so a half-filled draft is flagged
  ``insufficient_information`` rather than looking well informed), listed in ``missing``
  and in the gap list with ``unknown: true`` (``status: "unanswered"``).  They are presumed
  applicable (nobody has said otherwise).  Completeness is the only place that tells them
  apart from don't know.
* **An unanswered core item gates** its areas and layers, like a don't know (the safe
  choice: a blank is no evidence that the level is 2 or more).
* **Not applicable** takes an item out of every denominator, every share, the gap list and
  gating; only completeness still counts it (as answered).  An N/A or don't know that the
  item does not allow is ignored (the item then counts by its value, or as unanswered).
* Thresholds (bands, gating level, target) are reached within ``EPS`` = 1e-9, so float
  noise never moves a band; ``dont_know_share`` is compared with ``>`` exactly (25 % is not
  flagged, anything above is).
* Answers for keys the questionnaire does not score (text items, items of another version)
  are ignored.  An answer value the item cannot accept raises :class:`InvalidAnswerError`.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from app.questionnaire.definition import Questionnaire, Rubric

from .plan import (
    ANSWERED, EPS, NOT_APPLICABLE, STATUSES, UNANSWERED, ScoringPlan, band_index, plan_for,
)

__all__ = ["score_assessment", "score_with_plan", "band_for", "round_score", "format_score",
           "rounded_document"]


def score_assessment(questionnaire: Questionnaire, answers: Mapping[str, Any], *,
                     rubric: Rubric | None = None, explain: bool = True) -> dict:
    """Score one assessment (RUBRIC.md) and return the score document (CONTRACTS.md).

    ``answers`` maps item keys to :class:`~app.questionnaire.answers.AnswerData` (``None``
    or a missing key means unanswered).  ``rubric`` overrides the questionnaire's own (for
    an explicit, recorded recomputation); ``explain=False`` leaves out ``explanations``.

    Keys beyond the contract: ``known_only`` on areas and layers, ``dont_know_share`` on
    layers, ``missing`` (unanswered scored items, questionnaire order), ``counts`` (items
    per status), ``items`` (per scored item: claimed and effective level, s, weight, status,
    evidence cap), ``explanations`` (per aggregate: the items that entered it, those left
    out as N/A, the unknown ones, the weighted sums; see :mod:`app.scoring.explain`) and
    on each gap ``status``, ``claimed_level``, ``weight_class``, ``enabler``, ``areas``.

    Unanswered scored items count like don't know (s = 0 in the headline, left out of
    known_only, unknown in coverage, gaps marked unknown) and an unanswered core item gates;
    see the module docstring for every decision.  Scores are unrounded (0-100 floats or
    ``None``); the document is plain JSON-serialisable data.
    """
    return score_with_plan(plan_for(questionnaire, rubric), answers, explain=explain)


def score_with_plan(plan: ScoringPlan, answers: Mapping[str, Any], *,
                    explain: bool = True) -> dict:
    """:func:`score_assessment` with an already built :class:`ScoringPlan`: one pass over
    the items (:class:`_Tally`), then the aggregates, the gap list and the document."""
    tally = _Tally(plan)
    get = answers.get
    for p in plan.items:
        tally.add(p, plan.evaluate(p, get(p.key)))
    areas, layers, before_gating = _aggregates(plan, tally)
    cells = {a: {layer: tally.score(plan.cell_index[(a, layer)]) for layer in plan.layer_codes}
             for a in plan.area_codes}
    overall_score, overall_sums = _weighted_mean(plan, {a: v["score"] for a, v in areas.items()})
    overall_known, known_sums = _weighted_mean(plan, {a: v["known_only"] for a, v in areas.items()})
    counts = tally.counts
    applicable = sum(counts.values()) - counts[NOT_APPLICABLE]
    unknown = applicable - counts[ANSWERED]
    n_scored = len(plan.items)
    tally.gaps.sort(key=lambda pair: pair[0])
    doc: dict[str, Any] = {
        "overall": {"score": overall_score, "band": plan.band_code(overall_score),
                    "known_only": overall_known},
        "areas": areas,
        "layers": layers,
        "cells": cells,
        "knowledge_coverage": (applicable - unknown) / applicable if applicable else None,
        "completeness": (n_scored - counts[UNANSWERED]) / n_scored if n_scored else 1.0,
        "gaps": [entry for _, entry in tally.gaps],
        "questionnaire": {"id": plan.questionnaire.id, "version": plan.questionnaire.version},
        "rubric_version": plan.rubric.rubric_version,
        "missing": tally.missing,
        "counts": counts,
        "items": tally.items_out,
    }
    if explain:
        doc["explanations"] = _explanations(plan, tally, areas, before_gating,
                                            overall_sums, known_sums)
    return doc


class _Tally:
    """The running sums of one scoring pass, per aggregate group (areas, layers, cells and
    the overall group share one index space: ``plan.group_count``)."""

    def __init__(self, plan: ScoringPlan):
        G = plan.group_count
        self.plan = plan
        self.num = [0.0] * G          # sum of w * s over applicable items (unknown count s = 0)
        self.den = [0.0] * G          # sum of w over applicable items
        self.knum = [0.0] * G         # the same over known (answered) items only
        self.kden = [0.0] * G
        self.napp = [0] * G           # applicable items
        self.nunk = [0] * G           # of which unknown (don't know or unanswered)
        self.na_keys: dict[int, list[str]] = {}
        self.unknown_keys: dict[int, list[str]] = {}
        self.gated: list[list[str]] = [[] for _ in range(plan.gate_group_count)]
        self.counts = dict.fromkeys(STATUSES, 0)
        self.items_out: dict[str, dict] = {}
        self.gaps: list[tuple[tuple, dict]] = []
        self.missing: list[str] = []
        self.gate_below = plan.gate_below - EPS

    def add(self, p, r) -> None:
        """One scored item ``p`` with its evaluation ``r``."""
        status = r.status
        self.counts[status] += 1
        self.items_out[p.key] = {
            "status": status, "claimed_level": r.claimed_level,
            "effective_level": r.effective_level, "s": r.s, "capped_by": r.capped_by,
            "weight": p.weight, "weight_class": p.weight_class, "target": p.target,
            "enabler": p.enabler, "areas": list(p.areas), "layers": list(p.layers),
        }
        if status == NOT_APPLICABLE:
            for g in p.groups:
                self.na_keys.setdefault(g, []).append(p.key)
            return
        w = p.weight
        known = status == ANSWERED
        if known:
            ws = w * r.s
            for g in p.groups:
                self.num[g] += ws
                self.den[g] += w
                self.napp[g] += 1
                self.knum[g] += ws
                self.kden[g] += w
            current = r.effective_level
        else:                       # unknown: s = 0 adds nothing to num
            if status == UNANSWERED:
                self.missing.append(p.key)
            for g in p.groups:
                self.den[g] += w
                self.napp[g] += 1
                self.nunk[g] += 1
                self.unknown_keys.setdefault(g, []).append(p.key)
            current = 0.0
        if p.gates and (not known or current < self.gate_below):
            for g in p.gate_groups:
                self.gated[g].append(p.key)
        if not known or current < p.target - EPS:
            self._gap(p, r, current, known)

    def _gap(self, p, r, current: float, known: bool) -> None:
        gap = (p.target - current) / 4
        priority = gap * p.priority_factor
        # ties are compared at 1e-9 so float noise never breaks the area/key order
        self.gaps.append(((-int(priority * 1e9 + 0.5), p.first_area, p.key), {
            "key": p.key, "current": float(current), "target": p.target, "gap": gap,
            "priority": priority, "unknown": not known, "action": dict(p.action),
            "sources": [{"document": doc, "paragraphs": list(paragraphs)}
                        for doc, paragraphs in p.sources],
            "status": r.status, "claimed_level": r.claimed_level,
            "weight_class": p.weight_class, "enabler": p.enabler, "areas": list(p.areas),
        }))

    def score(self, g: int) -> float | None:
        return _clamp(100.0 * self.num[g] / self.den[g]) if self.den[g] > 0 else None

    def known_only(self, g: int) -> float | None:
        return _clamp(100.0 * self.knum[g] / self.kden[g]) if self.kden[g] > 0 else None

    def share(self, g: int) -> float | None:
        return self.nunk[g] / self.napp[g] if self.napp[g] else None

    def banded(self, g: int, value: float | None) -> tuple[str | None, str | None]:
        """(band after gating, band before gating)."""
        plan = self.plan
        i = plan.band_index(value)
        if i is None:
            return None, None
        before = plan.band_codes[i]
        if self.gated[g] and i > plan.gate_cap_rank:
            i = plan.gate_cap_rank
        return plan.band_codes[i], before


def _aggregates(plan: ScoringPlan, tally: _Tally) -> tuple[dict, dict, dict[int, str | None]]:
    """The area and layer entries of the document, and each group's band before gating."""
    areas: dict[str, dict] = {}
    before_gating: dict[int, str | None] = {}
    for code in plan.area_codes:
        g = plan.area_index[code]
        value = tally.score(g)
        band, before_gating[g] = tally.banded(g, value)
        dk_share = tally.share(g)
        areas[code] = {
            "score": value, "band": band, "gated_by": list(tally.gated[g]),
            "dont_know_share": dk_share,
            "insufficient_information": dk_share is not None and dk_share > plan.dont_know_threshold,
            "known_only": tally.known_only(g),
        }
    layers: dict[str, dict] = {}
    for code in plan.layer_codes:
        g = plan.layer_index[code]
        value = tally.score(g)
        band, before_gating[g] = tally.banded(g, value)
        layers[code] = {"score": value, "band": band, "gated_by": list(tally.gated[g]),
                        "known_only": tally.known_only(g), "dont_know_share": tally.share(g)}
    return areas, layers, before_gating


def _explanations(plan: ScoringPlan, tally: _Tally, areas: dict, before_gating: dict,
                  overall_sums: tuple[float, float], known_sums: tuple[float, float]) -> dict:
    """Per aggregate: the items that entered it, those left out, and the weighted sums."""
    def group(g: int) -> dict:
        na = tally.na_keys.get(g)
        keys = plan.group_keys[g]
        return {
            "items": [k for k in keys if k not in na] if na else list(keys),
            "not_applicable": na or [], "unknown": tally.unknown_keys.get(g, []),
            "weighted_sum": tally.num[g], "weight_total": tally.den[g],
            "known_weighted_sum": tally.knum[g], "known_weight_total": tally.kden[g],
        }

    def gated_group(g: int) -> dict:
        out = group(g)
        out["gated_by"] = list(tally.gated[g])
        out["band_before_gating"] = before_gating[g]
        return out

    return {
        "overall": {
            "areas": {a: {"score": areas[a]["score"], "known_only": areas[a]["known_only"],
                          "weight": plan.area_weights[a],
                          "included": areas[a]["score"] is not None and plan.area_weights[a] > 0}
                      for a in plan.area_codes},
            "weighted_sum": overall_sums[0], "weight_total": overall_sums[1],
            "known_weighted_sum": known_sums[0], "known_weight_total": known_sums[1],
        },
        "areas": {a: gated_group(plan.area_index[a]) for a in plan.area_codes},
        "layers": {layer: gated_group(plan.layer_index[layer]) for layer in plan.layer_codes},
        "cells": {a: {layer: group(plan.cell_index[(a, layer)]) for layer in plan.layer_codes}
                  for a in plan.area_codes},
    }


def _weighted_mean(plan: ScoringPlan, values: Mapping[str, float | None]
                   ) -> tuple[float | None, tuple[float, float]]:
    """RUBRIC 4 overall: the area-weighted mean of the defined area scores."""
    total = weight = 0.0
    for code in plan.area_codes:
        value = values[code]
        if value is None:
            continue
        w = plan.area_weights[code]
        total += w * value
        weight += w
    return (_clamp(total / weight) if weight > 0 else None), (total, weight)


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 100.0 if value > 100.0 else value


def band_for(score: float | None, rubric: Rubric) -> str | None:
    """The band code of a 0-100 score under ``rubric`` (``None`` for ``None``).

    A band starts at its ``min`` (inclusive; reached within 1e-9 so float noise never drops
    a score below a threshold it equals) and runs up to the next band's ``min`` (exclusive).
    Gating is not applied here; the score document's bands already include it.
    """
    i = band_index(tuple(float(b.min) for b in rubric.bands), score)
    return None if i is None else rubric.bands[i].code


def round_score(value: float | None, digits: int = 1) -> float | None:
    """Round a score for display: half up on the shown decimal (47.25 -> 47.3), ``None``
    stays ``None``.  Display only: the engine keeps scores unrounded."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def format_score(value: float | None, digits: int = 1, missing: str = "\u2013") -> str:
    """``47.3`` as text, or ``missing`` (an en dash) for an undefined score."""
    rounded = round_score(value, digits)
    return missing if rounded is None else f"{rounded:.{digits}f}"


def rounded_document(doc: Mapping[str, Any], digits: int = 1) -> dict:
    """A copy of a score document with every 0-100 score rounded for display (overall,
    areas, layers, cells and known-only scores); shares, levels and gaps stay as they are."""
    out = dict(doc)

    def block(entry: Mapping[str, Any]) -> dict:
        entry = dict(entry)
        for key in ("score", "known_only"):
            if key in entry:
                entry[key] = round_score(entry[key], digits)
        return entry

    out["overall"] = block(doc["overall"])
    out["areas"] = {k: block(v) for k, v in doc["areas"].items()}
    out["layers"] = {k: block(v) for k, v in doc["layers"].items()}
    out["cells"] = {a: {layer: round_score(v, digits) for layer, v in row.items()}
                    for a, row in doc["cells"].items()}
    return out
