"""The gap report's annex on agreement (issue 13): per informant section, how many
informants, the share of items whose levels differ by 2 or more, Krippendorff's ordinal
alpha, and per item the spread of the levels and the consensus rationale.  Figures only:
who rated what stays private to each informant."""
from __future__ import annotations

from typing import Any

from ..assessments import store
from ..models import Assessment
from ..reports.parts import text_of
from . import agreement
from .queries import informants_of
from .ratings import agreement_by_section, rationales, ratings_by_item


def agreement_annex(assessment: Assessment, lang: str = "en") -> list[dict[str, Any]]:
    """Plain data for the report (empty: no informant section)."""
    rows = informants_of(assessment)
    if not rows:
        return []
    questionnaire = store.questionnaire_of(assessment)
    by_item = ratings_by_item(assessment, rows)
    figures = agreement_by_section(assessment, by_item)
    reasons = rationales(assessment)
    out = []
    for section in questionnaire.sections:
        given = sum(1 for r in rows if section.key in r.sections)
        if not given:
            continue
        stats = figures.get(section.key, {})
        out.append({"title": text_of(section.title, lang), "informants": given,
                    "share_apart_2": stats.get("share_apart_2"), "alpha": stats.get("alpha_ordinal"),
                    "rows": [{"key": key,
                               "spread": agreement.spread([r.get("level") for r in by_item.get(key, [])]),
                               "rated": len(by_item.get(key, [])),
                               "rationale": (reasons.get(key) or {}).get("rationale", "")}
                              for key in section.items if key in by_item or key in reasons]})
    return out


def annex_key(assessment: Assessment) -> list[Any]:
    """What the annex depends on, for the report's cache key."""
    return [[r.id, r.sections, r.revision] for r in informants_of(assessment)] + \
        sorted((k, v["rationale"]) for k, v in rationales(assessment).items())
