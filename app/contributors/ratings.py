"""Independent informants: each rates their sections privately; the owner sees the ratings
side by side with their agreement and records the consensus, which becomes the
assessment's answer through the one save path (operations.save_answers: validation, the
assessment's lock, revision, audit)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..assessments import operations as ops, store
from ..assessments.locking import lock_assessment
from ..errors import RequestError
from ..extensions import db
from ..lifecycle import EDITABLE
from ..models import Assessment, AuditEntry, Contributor, Rating, User
from ..models._common import utcnow
from ..questionnaire.patch import parse_patch
from . import agreement

MAX_RATIONALE = 5_000


def _items_of(assessment: Assessment, sections) -> set[str]:
    questionnaire = store.questionnaire_of(assessment)
    return {k for s in questionnaire.sections if s.key in sections for k in s.items}


def save_ratings(assessment: Assessment, row: Contributor, base_revision: Any, payload: Any) -> dict[str, Any]:
    """An informant's patch of their own ratings, all or nothing: 403 for items outside
    their sections, 422 for invalid answers, 409 when ``base_revision`` is not their
    latest save."""
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise RequestError(422, "base_revision must be the integer revision your changes are based on",
                       {"base_revision": "required"})
    if isinstance(payload, dict):
        mine = _items_of(assessment, row.sections)
        outside = {str(k)[:64]: _("This question is not in the sections you were given.")
                   for k in payload if k not in mine}
        if outside:
            raise RequestError(403, _("Some answers are outside the sections you were given; nothing was saved."),
                           outside)
    questionnaire = store.questionnaire_of(assessment)
    changes, errors = parse_patch(questionnaire, payload)
    if errors:
        raise RequestError(422, "some answers are not valid; nothing was saved", errors)
    lock_assessment(assessment)  # serialises with every save, a submit and the consensus
    db.session.refresh(row, attribute_names=["revision"])
    if assessment.status not in EDITABLE:
        raise RequestError(409, "the assessment is not open for changes", {"status": assessment.status})
    if base_revision != row.revision:
        raise RequestError(409, "your ratings changed since you loaded them; nothing was saved",
                       {"current_revision": row.revision, "base_revision": base_revision})
    stored = {r.item_key: r for r in row.ratings}
    changed = []
    for key, answer in changes.items():
        new = answer.to_json(questionnaire.item_map[key].value_key) if answer is not None else None
        old = stored.get(key)
        if (old.answer if old else None) == new:
            continue
        if new is None:
            row.ratings.remove(old)
        elif old is None:
            row.ratings.append(Rating(item_key=key, answer=new, updated_at=utcnow()))
        else:
            old.answer, old.updated_at = new, utcnow()
        changed.append(key)
    if changed:
        row.revision += 1
        # Which items, never the values: the log is read by others than the owner.
        db.session.add(AuditEntry(user_id=row.user_id, assessment_id=assessment.id, action="rating.update",
                                  revision=assessment.revision, new_value={"items": changed}))
    db.session.flush()
    return {"revision": row.revision, "changed": changed}


def informants(assessment: Assessment) -> list[Contributor]:
    return list(db.session.scalars(select(Contributor).where(
        Contributor.assessment_id == assessment.id, Contributor.role == "informant").order_by(Contributor.id)))


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
    questionnaire = store.questionnaire_of(assessment)

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


def record_consensus(assessment: Assessment, owner: User, body: Any) -> dict[str, Any]:
    """The owner's consensus answers with a written rationale for each: saved as the
    assessment's answers (operations.save_answers), each rationale audited with the
    ratings it settled."""
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        raise RequestError(422, "the body needs 'base_revision', 'answers' and 'rationale'", {"answers": "required"})
    rationale = body.get("rationale")
    rationale = rationale if isinstance(rationale, dict) else {}
    missing = {str(k)[:64]: _("Give the reason for this consensus answer (at most %(n)s characters).",
                              n=MAX_RATIONALE)
               for k in body["answers"] if not isinstance(rationale.get(k), str)
               or not rationale[k].strip() or len(rationale[k]) > MAX_RATIONALE}
    if missing:
        raise RequestError(422, _("Every consensus answer needs its rationale; nothing was saved."),
                       {"rationale": missing})
    by_item = ratings_by_item(assessment, informants(assessment))
    result = ops.save_answers(assessment, owner, body.get("base_revision"), body["answers"])
    for key in body["answers"]:
        db.session.add(AuditEntry(
            user_id=owner.id, assessment_id=assessment.id, item_key=key, action="answer.consensus",
            revision=result["revision"], new_value={
                "rationale": rationale[key].strip(),
                "ratings": [{"informant": r["informant"], "level": r.get("level")} for r in by_item.get(key, [])]}))
    db.session.flush()
    return result


def rationales(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """The latest recorded consensus per item: rationale, when, by whom."""
    out = {}
    for entry in db.session.scalars(select(AuditEntry).where(
            AuditEntry.assessment_id == assessment.id, AuditEntry.action == "answer.consensus")
            .order_by(AuditEntry.id)):
        out[entry.item_key] = {"rationale": (entry.new_value or {}).get("rationale", ""), "at": entry.at,
                               "by": entry.user.display_name if entry.user else None}
    return out
