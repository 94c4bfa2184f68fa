"""/api/v1/assessments: create, list, read, patch answers, submit (CONTRACTS.md).

The same operations as the pages (app.assessments.operations), the same parser of
answers, the same policy. Errors are ``{"error", "details"}`` with their status code.
"""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from ..assessments import completeness, operations as ops, queries, store
from ..assessments.access import load_writable
from ..assessments.seen import seen_by
from ..auth.policy import Action, can_create_assessment, item_scope, load_assessment
from ..errors import ApiError
from ..http_input import json_body, parse_id, parse_int
from ..lifecycle import STATUSES
from . import bp

MAX_PER_PAGE = 100


def _writable(assessment_id: int, action: Action):
    return load_writable(current_user, assessment_id, action)


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_int(raw, lo, hi)
    if value is None:
        raise ApiError(400, _("'%(name)s' must be a whole number from %(low)s to %(high)s", name=name, low=lo,
                              high=hi), {name: raw[:20]})
    return value


@bp.post("/assessments")
def create_assessment():
    if not can_create_assessment(current_user):
        raise ApiError(403, _("only respondents and administrators create assessments"))
    assessment = ops.create_assessment(current_user, json_body())
    response = jsonify({"id": assessment.id, "revision": assessment.revision})
    response.status_code = 201
    response.headers["Location"] = url_for(".get_assessment", assessment_id=assessment.id)
    return response


@bp.get("/assessments")
def list_assessments():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(400, _("unknown status"), {"status": status, "allowed": list(STATUSES)})
    filters = _list_filters(status)
    page = _int_arg("page", 1, 1, 10**6)
    per_page = _int_arg("per_page", 20, 1, MAX_PER_PAGE)
    rows, total = queries.page_of(queries.filtered(current_user, filters), page, per_page)
    progress = completeness.completeness_of(rows)
    return jsonify({
        "items": [ops.assessment_meta(a) | {"completeness": round(progress[a.id]["completeness"], 4)}
                  for a in rows],
        "total": total, "page": page, "per_page": per_page,
        "pages": (total + per_page - 1) // per_page})


def _list_filters(status: str | None) -> queries.AssessmentFilters:
    """The list's filters from the query string: ``jurisdiction`` (a country code also finds
    its subdivisions), ``questionnaire`` ("id" or "id@version"), ``organisation`` (an id, else
    a name)."""
    jurisdiction = request.args.get("jurisdiction") or None
    questionnaire = request.args.get("questionnaire") or None
    qid, _at, version = questionnaire.partition("@") if questionnaire else (None, "", None)
    organisation = request.args.get("organisation") or None
    org = organisation.strip() if organisation else None
    org_id = parse_id(org) if org is not None else None  # strict: "²".isdigit() is true, and 10**20 overflows
    return queries.AssessmentFilters(
        status=status, jurisdiction=jurisdiction.strip().upper() if jurisdiction else None,
        questionnaire_id=qid, questionnaire_version=version or None,
        organisation_id=org_id, organisation_name=org if org_id is None else None)


@bp.get("/assessments/<int:assessment_id>")
def get_assessment(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
    questionnaire = store.questionnaire_of(assessment)
    seen = seen_by(current_user, assessment)  # a reviewer of a returned one: the submission
    scope = item_scope(current_user, assessment)  # a contributor: their sections' answers only
    answers = seen.answers if scope is None else {k: v for k, v in seen.answers.items() if k in scope}
    progress = completeness.progress(questionnaire, seen.answers)
    return jsonify(ops.assessment_meta(assessment) | {
        "revision": seen.revision,
        "based_on": assessment.based_on_id,
        "completeness": round(progress["completeness"], 4),
        "missing": [k for k in ops.missing_items(assessment, seen.answers) if scope is None or k in scope],
        "answers": store.answers_json(questionnaire, answers)})


@bp.patch("/assessments/<int:assessment_id>/answers")
def patch_answers(assessment_id: int):
    assessment = _writable(assessment_id, Action.EDIT_ASSIGNED)  # a contributor: their items only
    body = json_body()
    if "answers" not in body:
        raise ApiError(422, _("the body needs 'base_revision' and 'answers'"), {"answers": "required"})
    result = ops.save_answers(assessment, current_user, body.get("base_revision"), body["answers"])
    return jsonify({"revision": result["revision"], "changed": result["changed"]})


@bp.post("/assessments/<int:assessment_id>/submit")
def submit_assessment(assessment_id: int):
    assessment = _writable(assessment_id, Action.SUBMIT)
    submission = ops.submit(assessment, current_user)
    return jsonify({"id": assessment.id, "status": assessment.status, "revision": assessment.revision,
                    "submission": submission.number,
                    "submitted_at": assessment.submitted_at.isoformat()})
