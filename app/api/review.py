"""The review area of /api/v1 (CONTRACTS.md): compare, exports, the review workflow,
comments.  Thin views: parse, authorize through the policy, call one function, answer."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response, jsonify, request
from flask_login import current_user
from flask_babel import gettext as _

from ..auth.policy import Action, load_assessment
from ..errors import ApiError
from ..http_input import assessment_ids, json_body
from ..contributors.disclosure import with_spreads
from ..review import compare as cmp, export, operations as ops, queries
from ..review.subjects import comment_json, export_selection, load_subjects
from ..review.compare_json import comparison_json
from ..review.codebook import Labels
from . import bp


@bp.get("/compare")
def review_compare():
    """Area, layer, cell and overall scores side by side, differences from the first id,
    and the per-item levels (``min_gap`` keeps only items whose levels differ by that much)."""
    ids = assessment_ids(request.args.getlist("ids"), minimum=cmp.MIN_SUBJECTS, maximum=cmp.MAX_SUBJECTS)
    reference = request.args.get("reference", "baseline")
    if reference not in ("baseline", "previous"):
        raise ApiError(422, _("reference must be baseline or previous"), {"reference": reference})
    min_gap = _min_gap(request.args.get("min_gap"))
    subjects = with_spreads(load_subjects(current_user, ids, with_answers=False))
    comparison = cmp.compare(subjects, reference=reference)
    body = comparison_json(comparison)
    if min_gap is not None:
        keep = {r.key for r in comparison.diverging(min_gap)}
        body["items"] = [i for i in body["items"] if i["key"] in keep]
    body["assessments"] = [_subject_meta(s) for s in subjects]
    return jsonify(body)


def _min_gap(raw: str | None) -> float | None:
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(422, _("min_gap must be a number from 0 to 4"), {"min_gap": raw[:20]}) from None
    if not 0 <= value <= 4:
        raise ApiError(422, _("min_gap must be a number from 0 to 4"), {"min_gap": raw[:20]})
    return value


def _subject_meta(s: cmp.Subject) -> dict:
    return {"id": s.id, "title": s.title, "jurisdiction": s.jurisdiction, "period": s.period,
            "status": s.status, "organisation": {"name": s.organisation, "kind": s.organisation_kind},
            "questionnaire": {"id": s.questionnaire.id, "version": s.questionnaire.version},
            "submission": s.submission, "submitted_at": s.submitted_at}


def _export_args():
    ids = assessment_ids(request.args.getlist("ids"), minimum=1, maximum=queries.MAX_EXPORT)
    return (*export_selection(current_user, ids), _labels())


def _labels() -> Labels:
    """The words beside the export's codes, in the requester's language (app.display)."""
    from ..display.labels import BAND, ORGANISATION_KIND, STATUS, labels
    from ..i18n import localize

    return Labels(text=localize, kinds=labels(ORGANISATION_KIND), statuses=labels(STATUS), bands=labels(BAND))


def _filename(ext: str) -> str:
    return f"assessments-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.{ext}"


@bp.get("/export.csv")
def review_export_csv():
    """One sheet as CSV: ``sheet=answers`` (default: one row per assessment and item),
    ``scores``, ``comments``, ``history`` or ``codebook`` (what each item key means)."""
    sheet = request.args.get("sheet", "answers")
    if sheet not in export.SHEETS:
        raise ApiError(422, _("sheet must be one of: %(sheets)s", sheets=", ".join(export.SHEETS)),
                       {"sheet": sheet[:20]})
    header, rows = export.sheets(*_export_args())[sheet]
    body = export.to_csv(header, rows).encode("utf-8-sig")
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_filename(sheet + ".csv")}"'})


@bp.get("/export.xlsx")
def review_export_xlsx():
    """Every sheet (answers, scores, comments, history) in one workbook."""
    body = export.to_xlsx(export.sheets(*_export_args()))
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_filename("xlsx")}"'})


@bp.post("/assessments/<int:assessment_id>/review")
def review_transition(assessment_id: int):
    """``{"action": "start" | "return" | "accept", "reason": "..."}`` -> 200 with the new
    status; 409 for a transition the workflow does not allow; 422 for a return without a
    reason."""
    assessment = load_assessment(current_user, assessment_id, Action.REVIEW)
    data = json_body()
    event = ops.apply_review(assessment, current_user, data.get("action"), data.get("reason", ""))
    return jsonify({"id": assessment.id, "status": assessment.status, "action": event.action,
                    "from_status": event.from_status, "reason": event.reason,
                    "at": event.at.isoformat()})


@bp.get("/assessments/<int:assessment_id>/comments")
def review_comments(assessment_id: int):
    """The comments on the assessment and its items, oldest first."""
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    rows = queries.comments_for([assessment.id])[assessment.id]
    return jsonify([comment_json(c) for c in rows])


@bp.post("/assessments/<int:assessment_id>/comments")
def review_post_comment(assessment_id: int):
    """``{"item": "b3" or null, "text": "..."}`` -> 201.  Comments are never edited or deleted."""
    assessment = load_assessment(current_user, assessment_id, Action.COMMENT)
    data = json_body()
    comment = ops.post_comment(assessment, current_user, data.get("item"), data.get("text"))
    return jsonify(comment_json(comment)), 201
