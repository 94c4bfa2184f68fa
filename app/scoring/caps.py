"""The evidence caps (RUBRIC.md sections 2 and 9), in one place.

A claimed level counts only as far as the evidence attached supports it:

* at ``documentary_evidence_from_level`` (3) or above with no documentary evidence, the level
  counts as ``documentary_evidence_cap`` (2);
* at ``outcome_evidence_from_level`` (4) with no outcome evidence (data, evaluation), it
  counts as ``outcome_evidence_cap`` (3);
* rubric 1.1: a core item at ``core_evidence_from_level`` (2) or above with no documentary
  evidence counts as ``core_evidence_cap`` (1), so that it gates (section 5);
* rubric 1.1: with ``evidence_caps_all_types`` the caps apply to choice, checklist and number
  items too, on their level ``4 * s``.

What "documentary" means is the rubric's (``Rubric.is_documentary``): in 1.1, ``other`` counts
only with its reference filled in.  The lowest applicable cap wins; on a tie the rule listed
first in :data:`RULES` is named.  A cap never raises a level.

The scoring engine, the section page's notice and the page script (through
:meth:`CapRule.as_data`) all use this, so the three can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

#: Rule names, as the score document's ``capped_by`` gives them, in tie-break order.
CORE_DOCUMENTARY = "core_documentary"
DOCUMENTARY = "documentary"
OUTCOME = "outcome"
RULES = (CORE_DOCUMENTARY, DOCUMENTARY, OUTCOME)


def _type_and_reference(entry: Any) -> tuple[str | None, str]:
    if isinstance(entry, Mapping):
        return entry.get("type"), str(entry.get("reference") or "")
    return getattr(entry, "type", None), str(getattr(entry, "reference", "") or "")


@dataclass(frozen=True)
class CapRule:
    """One rubric's caps, resolved once (a plan keeps one)."""

    on: bool
    all_types: bool
    documentary_from: int
    documentary_cap: int
    outcome_from: int
    outcome_cap: int
    outcome_types: frozenset[str]
    core_from: int | None
    core_cap: int
    rubric: Any

    @classmethod
    def of(cls, rubric) -> "CapRule":
        return cls(on=bool(rubric.evidence_caps), all_types=bool(rubric.evidence_caps_all_types),
                   documentary_from=rubric.documentary_evidence_from_level,
                   documentary_cap=rubric.documentary_evidence_cap,
                   outcome_from=rubric.outcome_evidence_from_level,
                   outcome_cap=rubric.outcome_evidence_cap,
                   outcome_types=frozenset(rubric.outcome_evidence_types),
                   core_from=rubric.core_evidence_from_level, core_cap=rubric.core_evidence_cap,
                   rubric=rubric)

    @property
    def lowest_from(self) -> float:
        """Below this level no rule applies (a fast path for the engine)."""
        froms = [self.documentary_from, self.outcome_from]
        if self.core_from is not None:
            froms.append(self.core_from)
        return min(froms)

    def applies_to(self, is_scale: bool) -> bool:
        return self.on and (is_scale or self.all_types)

    def cap(self, level: float, evidence: Iterable[Any], *, core: bool) -> tuple[float, str | None]:
        """(effective level, the rule that capped it or None)."""
        if not self.on or level < self.lowest_from:
            return level, None
        entries = [_type_and_reference(e) for e in evidence]
        documentary = any(self.rubric.is_documentary(t, ref) for t, ref in entries if t)
        outcome = any(t in self.outcome_types for t, _ in entries)
        effective, capped_by = level, None
        candidates = (
            (CORE_DOCUMENTARY, core and self.core_from is not None and level >= self.core_from
             and not documentary, self.core_cap),
            (DOCUMENTARY, level >= self.documentary_from and not documentary, self.documentary_cap),
            (OUTCOME, level >= self.outcome_from and not outcome, self.outcome_cap),
        )
        for name, applies, cap in candidates:
            if applies and cap < effective:
                effective, capped_by = cap, name
        return effective, capped_by

    def as_data(self) -> dict[str, Any]:
        """The rule for the section page's script, which shows the notice as the user types."""
        return {"on": self.on, "all_types": self.all_types,
                "documentary_from": self.documentary_from, "documentary_cap": self.documentary_cap,
                "outcome_from": self.outcome_from, "outcome_cap": self.outcome_cap,
                "outcome_types": sorted(self.outcome_types),
                "core_from": self.core_from, "core_cap": self.core_cap,
                "documentary_types": (self.rubric.documentary_types if self.rubric.documentary_types
                                      is not None else None),
                "non_documentary_types": list(self.rubric.non_documentary_evidence_types),
                "documentary_needs_reference": list(self.rubric.documentary_needs_reference)}


_rules: dict[int, tuple[Any, CapRule]] = {}


def rule_for(rubric) -> CapRule:
    """The rule of a loaded (frozen) rubric, resolved once; keyed by identity, the entry
    keeps the rubric alive so that an id is never reused."""
    entry = _rules.get(id(rubric))
    if entry is None or entry[0] is not rubric:
        entry = _rules[id(rubric)] = (rubric, CapRule.of(rubric))
    return entry[1]
