"""What changed between compared assessments: what improved and what regressed from one
subject to another (the trend page), and the order of periods.  Pure functions of a
:class:`~app.review.compare.Comparison`, like it: no Flask, no database."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .compare import EPS, Comparison, Row, Subject


@dataclass(frozen=True)
class Change:
    code: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Trend:
    """What improved and what regressed between two subjects (``first`` and ``last``: their
    indices in the comparison)."""

    overall: Change
    improved_areas: tuple[Change, ...]
    regressed_areas: tuple[Change, ...]
    improved_layers: tuple[Change, ...]
    regressed_layers: tuple[Change, ...]
    improved_items: tuple[Change, ...]
    regressed_items: tuple[Change, ...]
    first: int = 0
    last: int = 0


def trend(comparison: Comparison, first: int = 0, last: int | None = None) -> Trend:
    """Subject ``first`` against subject ``last`` (default: the first against the last;
    order them by period first).  Changes are sorted by size, largest first; a change of
    zero or an undefined one is neither."""
    last = len(comparison.subjects) - 1 if last is None else last

    def changes(rows: Sequence[Row]) -> list[Change]:
        return [Change(r.code, r.scores[first], r.scores[last]) for r in rows]

    def split(items: list[Change]) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
        up = sorted((c for c in items if (c.delta or 0) > EPS), key=lambda c: -c.delta)
        down = sorted((c for c in items if (c.delta or 0) < -EPS), key=lambda c: c.delta)
        return tuple(up), tuple(down)

    # Levels that count (after evidence caps), as everywhere else in the comparison.
    item_changes = [Change(r.key, r.answers[first].counted, r.answers[last].counted)
                    for r in comparison.items]
    ia, ra = split(changes(comparison.areas))
    il, rl = split(changes(comparison.layers))
    ii, ri = split(item_changes)
    return Trend(Change("overall", comparison.overall.scores[first], comparison.overall.scores[last]),
                 ia, ra, il, rl, ii, ri, first, last)


def steps(comparison: Comparison) -> list[Trend]:
    """Each subject against the one before: a fall between two periods shows even when the
    last period is back up (issue 18: first against last alone said "no area regressed"
    while one fell from 62.0 to 45.0 between the last two)."""
    return [trend(comparison, k - 1, k) for k in range(1, len(comparison.subjects))]


def period_key(period: str) -> tuple[int, float, str]:
    """Sort key of a period: numeric periods compare as numbers and come before the others,
    which compare as text (the latest period is the largest key)."""
    p = period.strip()
    return (0, float(p), "") if _is_number(p) else (1, 0.0, p)


def order_by_period(subjects: Sequence[Subject]) -> list[Subject]:
    """Oldest period first (numeric periods compare as numbers), then submission time, id."""
    return sorted(subjects, key=lambda s: (period_key(s.period), s.submitted_at or "", s.id))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
