"""Independent informants: each rates their sections privately; the owner sees the ratings
side by side with their agreement and records the consensus, which becomes the
assessment's answer (the writes: app.contributors.operations ``save_ratings`` and
``record_consensus``).  What the owner and the report see of them, from rows already read."""
from __future__ import annotations

from typing import Any

from ..assessments import store
from ..models import Assessment, Contributor
from . import agreement, queries


def ratings_by_item(assessment: Assessment, rows: list[Contributor]) -> dict[str, list[dict[str, Any]]]:
    """Per item, each informant's rating in the API's answer form with ``informant``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        for rating in sorted(row.ratings, key=lambda r: r.item_key):
            out.setdefault(rating.item_key, []).append(
                {"informant": row.user.email, "name": row.user.display_name} | rating.answer)
    return out


def agreement_by_section(assessment: Assessment, by_item: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per section with ratings (the areas of the questionnaire) and overall: items rated by
    two or more, the share whose levels differ by 2 or more, Krippendorff's ordinal alpha."""
    return section_agreement(store.questionnaire_of(assessment), by_item)


def section_agreement(questionnaire, by_item: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """:func:`agreement_by_section` of a questionnaire version (the comparison has it, not
    the assessment row); ``by_item`` as :func:`ratings_by_item` gives it."""

    def figures(keys: list[str]) -> dict[str, Any]:
        units = [[r.get("level") for r in by_item[k]] for k in keys
                 if k in by_item and questionnaire.item_map[k].value_key == "level"]
        alpha = agreement.krippendorff_alpha_ordinal(units)
        apart = agreement.share_apart(units)
        return {"items_rated": sum(1 for u in units if len([v for v in u if v is not None]) >= 2),
                "share_apart_2": None if apart is None else round(apart, 4),
                "alpha_ordinal": None if alpha is None else round(alpha, 4)}

    out = {s.key: figures(list(s.items)) for s in questionnaire.sections if any(k in by_item for k in s.items)}
    out["overall"] = figures([k for s in questionnaire.sections for k in s.items])
    return out


def rationales(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """The latest recorded consensus per item: rationale, when, by whom."""
    out = {}
    for entry in queries.consensus_entries(assessment):
        out[entry.item_key] = {"rationale": (entry.new_value or {}).get("rationale", ""), "at": entry.at,
                               "by": entry.user.display_name if entry.user else None}
    return out
