"""The spread of independent informants' ratings beside a compared answer (issue 13): pure
data, no Flask, no database.

Built from the levels the informants gave and the agreement figures of
:mod:`app.contributors` (:func:`app.contributors.agreement.spread` and
``ratings.section_agreement``: the same numbers as the gap report's annex on agreement,
never recomputed here).  Which ratings may be shown at all is
:mod:`app.contributors.disclosure`'s decision; nothing here says who rated what.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from . import agreement

#: Ratings this many levels apart or more disagree (the annex's "2 or more levels apart").
APART = 2


@dataclass(frozen=True)
class ItemSpread:
    """The informants' levels for one item: the lowest, the highest, how many gave a level
    and how many rated it at all (a don't know or not applicable gives no level)."""

    low: int
    high: int
    informants: int
    rated: int

    @property
    def width(self) -> int:
        return self.high - self.low

    @property
    def apart(self) -> bool:
        """A disagreement: levels :data:`APART` or more apart."""
        return self.informants >= 2 and self.width >= APART


@dataclass(frozen=True)
class SectionAgreement:
    """One section rated by informants: how many were given it, the items two or more of
    them rated, the share of those :data:`APART` levels apart, Krippendorff's ordinal alpha."""

    key: str
    title: Mapping[str, str]
    informants: int
    items_rated: int
    share_apart: float | None
    alpha: float | None


@dataclass(frozen=True)
class InformantSpread:
    """An assessment's disclosed informant sections: per item key of its own questionnaire
    version, the spread; per section, the agreement."""

    items: Mapping[str, ItemSpread]
    sections: tuple[SectionAgreement, ...]


def item_spread(levels: Sequence[int | None]) -> ItemSpread | None:
    """The spread of one item's ratings (``None`` where no informant gave a level)."""
    given = [v for v in levels if v is not None]
    if not given:
        return None
    low = min(given)
    return ItemSpread(low, low + (agreement.spread(given) or 0), len(given), len(levels))


def informant_spread(questionnaire, levels: Mapping[str, Sequence[int | None]],
                     informants: Mapping[str, int], figures: Mapping[str, Mapping[str, Any]]
                     ) -> InformantSpread | None:
    """``levels``: per item, the levels given (only the items of disclosed sections);
    ``informants``: per disclosed section, how many informants were given it; ``figures``:
    ``ratings.section_agreement`` of the same ratings.  ``None`` when nothing is disclosed."""
    items = {key: s for key, values in levels.items() if (s := item_spread(values)) is not None}
    sections = tuple(
        SectionAgreement(s.key, dict(s.title), informants[s.key], figures[s.key]["items_rated"],
                         figures[s.key]["share_apart_2"], figures[s.key]["alpha_ordinal"])
        for s in questionnaire.sections if s.key in informants and s.key in figures)
    if not items and not sections:
        return None
    return InformantSpread(items, sections)


def spread_json(spread: ItemSpread | None) -> dict[str, Any] | None:
    if spread is None:
        return None
    return {"min": spread.low, "max": spread.high, "informants": spread.informants,
            "rated": spread.rated, "apart": spread.apart}


def agreement_json(spread: InformantSpread | None) -> dict[str, Any] | None:
    if spread is None:
        return None
    return {s.key: {"informants": s.informants, "items_rated": s.items_rated,
                    "share_apart_2": s.share_apart, "alpha_ordinal": s.alpha} for s in spread.sections}
