"""The per-questionnaire scoring plan: everything that does not depend on the answers.

A :class:`ScoringPlan` is built once per (questionnaire, rubric) pair and reused for every
assessment: which items are scored, their weights, targets and priority factors, which
aggregates (areas, layers, cells) each item enters, and the band table.  Building it reads
every parameter from the rubric (RUBRIC.md); nothing here is hard-coded.

:func:`plan_for` keeps a small cache keyed by the identity of the questionnaire and rubric
objects (a loaded definition is frozen and never changes), so callers never build a plan by
hand unless they want to.
"""
from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple

from app.questionnaire.definition import Questionnaire, Rubric
from app.questionnaire.items import AnswerValueError, ScaleItem

from .caps import rule_for

#: Answer statuses of a scored item (the ``status`` key of the score document's ``items``).
ANSWERED = "answered"
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
UNANSWERED = "unanswered"
STATUSES = (ANSWERED, DONT_KNOW, NOT_APPLICABLE, UNANSWERED)

#: Scores and levels are floats; a value within EPS of a threshold counts as reaching it, so
#: that floating-point noise (59.99999999999999 for an exact 60) never changes a band, a gate
#: or a gap.  Far below anything shown (one decimal).
EPS = 1e-9

#: Values cached per item (validated and scored once); number items can have many distinct
#: values, so the cache stops growing here and further values are simply computed.
_VALUE_CACHE_LIMIT = 4096


class InvalidAnswerError(ValueError):
    """A stored answer value the item cannot accept (never expected after validation on
    save; raised loudly rather than scored wrongly).  ``key`` names the item."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"{key}: {message}")


class ItemResult(NamedTuple):
    """One scored item's evaluation for one assessment (a named tuple: cheap to create).

    ``claimed_level`` is the level the answer claims (for non-scale items ``4 * s``),
    ``effective_level`` the level after evidence caps (the *current level* of RUBRIC.md);
    both are ``None`` unless the status is ``answered``.  ``s`` is the item score that enters
    the headline: ``0.0`` for don't know and unanswered, ``None`` for not applicable.
    """

    status: str
    claimed_level: float | None = None
    effective_level: float | None = None
    s: float | None = None
    capped_by: str | None = None

    @property
    def known(self) -> bool:
        return self.status == ANSWERED


_UNANSWERED = ItemResult(UNANSWERED, s=0.0)
_DONT_KNOW = ItemResult(DONT_KNOW, s=0.0)
_NOT_APPLICABLE = ItemResult(NOT_APPLICABLE)


@dataclass(frozen=True, slots=True, eq=False)
class PlannedItem:
    """A scored item with everything the engine needs, resolved once."""

    index: int
    key: str
    item: Any
    is_scale: bool
    weight: float
    weight_class: str
    target: int
    enabler: bool
    priority_factor: float          # weight * (enabler multiplier if enabler else 1)
    areas: tuple[str, ...]
    layers: tuple[str, ...]
    first_area: str                 # alphabetically first area letter (gap tie-break)
    gates: bool                     # of the gating weight class
    allow_na: bool
    allow_dont_know: bool
    groups: tuple[int, ...]         # aggregate indices: areas, layers, cells
    gate_groups: tuple[int, ...]    # aggregate indices it can gate: areas and layers
    action: dict
    sources: tuple[tuple[str, tuple[int, ...]], ...]   # (document, paragraphs)
    cache: dict = field(default_factory=dict)


class ScoringPlan:
    """The answer-independent structure of one questionnaire under one rubric."""

    def __init__(self, questionnaire: Questionnaire, rubric: Rubric | None = None):
        rubric = rubric if rubric is not None else questionnaire.rubric
        if rubric is None:
            raise ValueError(f"questionnaire {questionnaire.id} {questionnaire.version} has no rubric")
        self.questionnaire = questionnaire
        self.rubric = rubric
        self.area_codes: tuple[str, ...] = tuple(a.code for a in questionnaire.areas)
        self.layer_codes: tuple[str, ...] = tuple(layer.code for layer in questionnaire.layers)

        # Aggregate ("group") indices: areas first, then layers, then cells row by row.
        self.area_index = {code: i for i, code in enumerate(self.area_codes)}
        offset = len(self.area_codes)
        self.layer_index = {code: offset + i for i, code in enumerate(self.layer_codes)}
        offset += len(self.layer_codes)
        self.cell_index = {
            (a, layer): offset + i * len(self.layer_codes) + j
            for i, a in enumerate(self.area_codes) for j, layer in enumerate(self.layer_codes)}
        self.group_count = offset + len(self.area_codes) * len(self.layer_codes)
        self.gate_group_count = len(self.area_codes) + len(self.layer_codes)

        # Rubric parameters, resolved once.
        self.weights = dict(rubric.weights)
        self.area_weights = {a: float(rubric.area_weights.get(a, 1.0)) for a in self.area_codes}
        self.caps = rule_for(rubric)
        self.caps_from = self.caps.lowest_from
        self.band_codes = tuple(b.code for b in rubric.bands)
        self.band_mins = tuple(float(b.min) for b in rubric.bands)
        self.gate_below = float(rubric.gating.below_level)
        self.gate_cap_rank = self.band_codes.index(rubric.gating.cap_band)
        self.dont_know_threshold = float(rubric.dont_know_threshold)

        items: list[PlannedItem] = []
        group_keys: list[list[str]] = [[] for _ in range(self.group_count)]
        for index, item in enumerate(questionnaire.scored_items):
            weight = float(self.weights[item.weight])
            enabler_factor = rubric.enabler_multiplier if item.enabler else 1.0
            groups = tuple(
                [self.area_index[a] for a in item.areas]
                + [self.layer_index[layer] for layer in item.layers]
                + [self.cell_index[(a, layer)] for a in item.areas for layer in item.layers])
            for g in groups:
                group_keys[g].append(item.key)
            items.append(PlannedItem(
                index=index, key=item.key, item=item, is_scale=isinstance(item, ScaleItem),
                weight=weight, weight_class=item.weight,
                target=item.target if item.target is not None else rubric.default_target,
                enabler=item.enabler, priority_factor=weight * enabler_factor,
                areas=tuple(item.areas), layers=tuple(item.layers), first_area=min(item.areas),
                gates=item.weight == rubric.gating.weight_class,
                allow_na=item.allow_na, allow_dont_know=item.allow_dont_know,
                groups=groups,
                gate_groups=tuple(g for g in groups if g < self.gate_group_count),
                action=dict(item.action),
                sources=tuple((s.document, tuple(s.paragraphs)) for s in item.sources),
            ))
        self.items: tuple[PlannedItem, ...] = tuple(items)
        self.group_keys: tuple[tuple[str, ...], ...] = tuple(tuple(k) for k in group_keys)

    # -- bands ---------------------------------------------------------------
    def band_index(self, score: float | None) -> int | None:
        return band_index(self.band_mins, score)

    def band_code(self, score: float | None) -> str | None:
        i = band_index(self.band_mins, score)
        return None if i is None else self.band_codes[i]

    # -- one item ------------------------------------------------------------
    def evaluate(self, p: PlannedItem, answer: Any) -> ItemResult:
        """RUBRIC sections 1-2 for one item: status, claimed and effective level, s.

        A don't know or N/A that the item does not allow is ignored (the answer then counts
        by its value, or as unanswered): the engine never lets an invalid N/A take an item
        out of the denominators.  Don't know wins over N/A when both are set.
        """
        if answer is None:
            return _UNANSWERED
        if answer.dont_know and p.allow_dont_know:
            return _DONT_KNOW
        if answer.not_applicable and p.allow_na:
            return _NOT_APPLICABLE
        value = answer.value
        if value is None or (value.__class__ is str and not value.strip()):
            return _UNANSWERED
        parsed, s = self._parse_and_score(p, value)
        level = parsed if p.is_scale else 4.0 * s
        effective, capped_by = level, None
        if level >= self.caps_from and self.caps.applies_to(p.is_scale):
            effective, capped_by = self.caps.cap(level, answer.evidence, core=p.weight_class == "core")
        if capped_by is not None:
            # A scale item scores its capped level its own way; any other type's level is 4 * s.
            s = _check_s(p, p.item.score(effective) if p.is_scale else effective / 4.0)
        return ItemResult(ANSWERED, float(level), float(effective), s, capped_by)

    def _parse_and_score(self, p: PlannedItem, value: Any) -> tuple[Any, float]:
        """Validate a value with the item's own ``parse_value`` and score it with its own
        ``score`` (the single source of truth), once per distinct value."""
        if value.__class__ is bool:
            raise InvalidAnswerError(p.key, "a true/false value is not an answer to this item")
        cache_key = tuple(value) if isinstance(value, list) else value
        try:
            hit = p.cache.get(cache_key)
        except TypeError:          # unhashable: validate and score without caching
            cache_key, hit = None, None
        if hit is not None:
            return hit
        try:
            parsed = p.item.parse_value(value)
        except AnswerValueError as exc:
            raise InvalidAnswerError(p.key, str(exc)) from None
        result = (parsed, _check_s(p, p.item.score(parsed)))
        if cache_key is not None and len(p.cache) < _VALUE_CACHE_LIMIT:
            p.cache[cache_key] = result
        return result


def _check_s(p: PlannedItem, s: Any) -> float:
    s = float(s)
    if not (0.0 <= s <= 1.0) or math.isnan(s):
        raise InvalidAnswerError(p.key, f"item score {s!r} is outside [0, 1]")
    return s


def _evidence_type(entry: Any) -> str | None:
    if isinstance(entry, Mapping):
        return entry.get("type")
    return getattr(entry, "type", None)


def band_index(mins: tuple[float, ...], score: float | None) -> int | None:
    """Index of the band whose minimum the score reaches (within EPS); bands rise from 0."""
    if score is None:
        return None
    i = bisect_right(mins, score + EPS) - 1
    return i if i > 0 else 0


# -- the plan cache -----------------------------------------------------------------------
_PLAN_CACHE_SIZE = 32
_plans: OrderedDict[tuple[int, int], tuple[Questionnaire, Rubric | None, ScoringPlan]] = OrderedDict()
_plans_lock = threading.Lock()


def plan_for(questionnaire: Questionnaire, rubric: Rubric | None = None) -> ScoringPlan:
    """The cached plan for this questionnaire (and rubric, default its own).

    Keyed by object identity; the entry keeps the objects alive so an id is never reused
    while cached.  Least recently used plans are dropped beyond a small bound.
    """
    key = (id(questionnaire), id(rubric))
    with _plans_lock:
        entry = _plans.get(key)
        if entry is not None and entry[0] is questionnaire and entry[1] is rubric:
            _plans.move_to_end(key)
            return entry[2]
    plan = ScoringPlan(questionnaire, rubric)
    with _plans_lock:
        _plans[key] = (questionnaire, rubric, plan)
        _plans.move_to_end(key)
        while len(_plans) > _PLAN_CACHE_SIZE:
            _plans.popitem(last=False)
    return plan
