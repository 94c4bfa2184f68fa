"""The shadow-assessment part of a report's context (issue 18), from plain ``meta``: whether
the report is marked as an independent civil-society assessment, the key messages, the
citation, and the government's score beside this one (None unless the viewer may see it;
:mod:`app.shadow.presentation` puts these in ``meta``).  Pure, like :mod:`.context`."""
from __future__ import annotations

from typing import Any, Mapping

from app.i18n import translate as _
from app.shadow import is_shadow


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
