"""The shadow-assessment part of a report's context (issue 18), from plain ``meta``: whether
the report is marked as an independent civil-society assessment, the key messages, the
citation, and the government's score beside this one (None unless the viewer may see it;
:mod:`app.shadow.presentation` puts these in ``meta``).  Pure, like :mod:`.context`."""
from __future__ import annotations

from typing import Any, Mapping

from app.i18n import translate as _
from app.shadow import is_shadow

#: The scorecard keeps to two pages.  Key messages and the government's score open its second
#: half, so it lists fewer of the highest-priority gaps (the gap report has them all): one gap
#: entry fewer for every GAP_LINES lines they take, a key message's line holding about
#: MESSAGE_LINE characters, the headings HEADING_LINES and the comparison COMPARISON_LINES.
GAP_LINES = 6
MESSAGE_LINE = 105
HEADING_LINES = 3
COMPARISON_LINES = 11


def shadow_block(meta: Mapping[str, Any]) -> dict[str, Any]:
    independent = is_shadow(str(meta.get("organisation_kind") or ""))
    return {
        "independent": independent,
        "label": _("Independent civil-society assessment") if independent else "",
        "statement": _("Prepared by %(organisation)s, a civil-society organisation, independently "
                       "of the government: this is not the government's self-assessment.",
                       organisation=str(meta.get("organisation") or "")) if independent else "",
        "key_messages": [str(m) for m in meta.get("key_messages") or ()],
        "cite": str(meta.get("cite") or ""),
        "comparison": meta.get("comparison") if independent else None,
    }


def scorecard_gap_count(block: Mapping[str, Any], default: int) -> int:
    """How many gap entries the scorecard lists beside ``block`` (:func:`shadow_block`)."""
    messages = block["key_messages"]
    lines = sum(-(-len(m) // MESSAGE_LINE) for m in messages) + (HEADING_LINES if messages else 0)
    lines += COMPARISON_LINES if block["comparison"] else 0
    return max(0, default - -(-lines // GAP_LINES))
