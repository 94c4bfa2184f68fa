"""Which informants' ratings the comparisons may show (issue 13), and those ratings as they
show them: figures only (the range of the levels, how many gave one, the agreement), never
who rated what.

An informant rates privately; the owner organisation reads the ratings side by side
(``Action.MANAGE_CONTRIBUTORS``) to record the consensus.  Whoever else sees the assessment
whole under app.auth.policy (a reviewer or an admin, of a submitted one) sees a section's
ratings in a comparison only once its round is over:

* the owner recorded a consensus on the section (an ``answer.consensus`` entry on one of
  its items): the ratings were opened and settled; and
* the assessment is not open for changes (``lifecycle.EDITABLE``), so no informant may rate
  any more (``Action.RATE`` needs it open): a draft, or a returned assessment being reworked,
  shows none, since the ratings could still move.

Until then the round is closed: not one of its ratings reaches a comparison page or the
API, and the comparison shows the round's levels for nobody (the owner has the consensus
page).  Queries: 1 for any number of assessments without informants, 2 with.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Sequence

from ..lifecycle import EDITABLE
from .queries import InformantRatings, consensus_items, informants_with_ratings
from .ratings import section_agreement
from .spread import InformantSpread, informant_spread

if TYPE_CHECKING:  # the review area builds on this package, never the other way
    from ..review.compare import Subject


def settled_sections(questionnaire, consensus_keys: Iterable[str]) -> set[str]:
    """The sections holding an item the owner recorded a consensus on."""
    keys = set(consensus_keys)
    return {s.key for s in questionnaire.sections if keys.intersection(s.items)}


def with_spreads(subjects: Sequence[Subject]) -> list[Subject]:
    """``subjects`` with the informant ratings they may show (``Subject.informants``)."""
    spreads = _spreads([s for s in subjects if s.status not in EDITABLE])
    return [replace(s, informants=spreads[s.id]) if s.id in spreads else s for s in subjects]


def _spreads(subjects: Sequence[Subject]) -> dict[int, InformantSpread]:
    if not subjects:
        return {}
    rows = informants_with_ratings(s.id for s in subjects)
    if not rows:
        return {}
    settled = consensus_items({r.assessment_id for r in rows})
    out = {}
    for s in subjects:
        mine = [r for r in rows if r.assessment_id == s.id]
        sections = settled_sections(s.questionnaire, settled.get(s.id, ())) if mine else set()
        if sections and (spread := _spread(s, mine, sections)) is not None:
            out[s.id] = spread
    return out


def _spread(subject: Subject, rows: list[InformantRatings], sections: set[str]) -> InformantSpread | None:
    """The spread of ``sections``' ratings: the other sections' never enter the figures."""
    q = subject.questionnaire
    shown = {k for sec in q.sections if sec.key in sections for k in sec.items}
    by_item: dict[str, list[dict]] = {}
    for row in rows:                    # in the order the informants were given their sections
        for key, answer in sorted(row.ratings.items()):
            if key in shown:
                by_item.setdefault(key, []).append(answer)
    informants = {key: n for key in sections if (n := sum(1 for r in rows if key in r.sections))}
    figures = section_agreement(q, by_item)
    return informant_spread(q, {k: [r.get("level") for r in v] for k, v in by_item.items()}, informants, figures)
