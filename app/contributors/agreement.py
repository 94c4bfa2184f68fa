"""How far independent informants agree: pure functions, no database.

* :func:`share_apart`: the share of items whose ratings differ by ``gap`` levels or more
  (the owner's first look: where to talk);
* :func:`krippendorff_alpha_ordinal`: Krippendorff's alpha with the ordinal difference
  function (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"): 1 is perfect
  agreement, 0 what chance gives, below 0 systematic disagreement.  Items with fewer than two
  ratings are not pairable and are left out; with no variation at all it is undefined (None).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import permutations

Units = Iterable[Sequence[int | None]]  # per item, the levels given (None: no level)


def _pairable(units: Units) -> list[list[int]]:
    out = []
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) >= 2:
            out.append(values)
    return out


def spread(values: Sequence[int | None]) -> int | None:
    """Highest minus lowest level given (None with fewer than two)."""
    levels = [v for v in values if v is not None]
    return max(levels) - min(levels) if len(levels) >= 2 else None


def share_apart(units: Units, gap: int = 2) -> float | None:
    """The share of pairable items whose levels differ by ``gap`` or more (None: none pairable)."""
    pairable = _pairable(units)
    if not pairable:
        return None
    return sum(1 for values in pairable if max(values) - min(values) >= gap) / len(pairable)


def coincidences(units: Units) -> Counter[tuple[int, int]]:
    """Krippendorff's coincidence matrix: each ordered pair of values within an item,
    weighted 1 / (ratings of the item - 1)."""
    matrix: Counter[tuple[int, int]] = Counter()
    for values in _pairable(units):
        weight = 1 / (len(values) - 1)
        for a, b in permutations(values, 2):
            matrix[(a, b)] += weight
    return matrix


def _ordinal_delta(values: list[int], marginals: dict[int, float]) -> dict[tuple[int, int], float]:
    """delta²(c, k) = (sum of n_g for g from c to k, minus (n_c + n_k) / 2)²."""
    out = {}
    for i, c in enumerate(values):
        for k in values[i:]:
            between = sum(marginals[g] for g in values if c <= g <= k)
            out[(c, k)] = out[(k, c)] = (between - (marginals[c] + marginals[k]) / 2) ** 2
    return out


def krippendorff_alpha_ordinal(units: Units) -> float | None:
    matrix = coincidences(units)
    marginals: dict[int, float] = Counter()
    for (c, _k), weight in matrix.items():
        marginals[c] += weight
    n = sum(marginals.values())
    values = sorted(marginals)
    if n <= 1 or len(values) < 2:
        return None
    delta = _ordinal_delta(values, marginals)
    observed = sum(weight * delta[pair] for pair, weight in matrix.items())
    expected = sum(marginals[c] * marginals[k] * delta[(c, k)] for c in values for k in values)
    return 1 - (n - 1) * observed / expected
