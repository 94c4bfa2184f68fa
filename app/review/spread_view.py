"""Independent informants on the comparison pages (issue 13), as display values: below an
answer, how many informants gave a level and the lowest and highest of them, marked as a
disagreement when 2 or more levels apart (the gap report's annex on agreement says the
same); per assessment and informant section, the agreement figures.  Only what
:mod:`app.contributors.disclosure` let into the comparison is here."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _, ngettext
from markupsafe import Markup

from ..contributors.spread import ItemSpread
from ..display import numbers as n
from ..display.bidi import SLOT, ltr, ltr_in
from ..i18n import localize
from .compare import Comparison

_NONE = Markup("")


def range_text(spread: ItemSpread) -> str:
    """``2``, or ``1–3`` (levels as everywhere: :func:`app.display.numbers.level`)."""
    if spread.low == spread.high:
        return n.level(spread.low)
    return f"{n.level(spread.low)}{n.DASH}{n.level(spread.high)}"


def spread_html(spread: ItemSpread | None) -> Markup:
    """``3 informants: 1–3`` and, 2 or more levels apart, ``disagreement``; the range
    isolated left to right (in Arabic ``1–3`` must not read ``3–1``)."""
    if spread is None:
        return _NONE
    text = ltr_in(ngettext("%(num)d informant: %(range)s", "%(num)d informants: %(range)s",
                           spread.informants, range=SLOT), range_text(spread))
    if spread.apart:
        text += Markup(' <strong class="rv-spread-apart">%s</strong>') % _("disagreement")
    return Markup('<span class="rv-spread">%s</span>') % text


def agreement_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per compared assessment and informant section shown, in the order compared."""
    return [{"assessment": f"#{s.id} {s.organisation} ({s.jurisdiction} {s.period})",
             "section": localize(a.title), "informants": a.informants, "items_rated": a.items_rated,
             "share_apart": n.share(a.share_apart), "alpha": ltr(n.decimal(a.alpha, 2))}
            for s in comparison.subjects if s.informants for a in s.informants.sections]


def has_spreads(comparison: Comparison) -> bool:
    return any(s.informants for s in comparison.subjects)
