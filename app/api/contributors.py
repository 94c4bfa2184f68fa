"""/api/v1/assessments/{id}/contributors, /ratings and /consensus (CONTRACTS.md,
"Contributors and informants"): the same operations as the pages, the same policy."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from flask_babel import gettext as _

from ..assessments.access import load_writable
from ..auth.policy import Action, can, contribution, load_assessment
from ..contributors import notify, operations as contrib, progress, queries as contrib_queries, ratings
from ..errors import ApiError
from ..http_input import json_body
from . import bp


def _entry(assessment, row) -> dict:
    return contrib.describe(row) | {"progress": progress.person_progress(assessment, row)}


@bp.post("/assessments/<int:assessment_id>/contributors")
def add_contributor(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    row, created, new_account = contrib.invite(current_user, assessment, json_body())
    notify.invited(assessment, row, new_account)
    return jsonify(_entry(assessment, row)), 201 if created else 200


@bp.get("/assessments/<int:assessment_id>/contributors")
def list_contributors(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    return jsonify({"items": [_entry(assessment, row) for row in contrib_queries.contributors_of(assessment)]})


@bp.delete("/assessments/<int:assessment_id>/contributors/<int:contributor_id>")
def remove_contributor(assessment_id: int, contributor_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    if not contrib.remove(current_user, assessment, contributor_id):
        raise ApiError(404, _("no such contributor of this assessment"))
    return "", 204


@bp.patch("/assessments/<int:assessment_id>/ratings")
def patch_ratings(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.RATE)
    body = json_body()
    if "answers" not in body:
        raise ApiError(422, _("the body needs 'base_revision' and 'answers'"), {"answers": "required"})
    result = contrib.save_ratings(assessment, contribution(current_user, assessment),
                                  body.get("base_revision"), body["answers"])
    return jsonify(result)


@bp.get("/assessments/<int:assessment_id>/ratings")
def get_ratings(assessment_id: int):
    """The owner: everyone's, with the agreement figures; an informant: their own only."""
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
    if can(current_user, Action.MANAGE_CONTRIBUTORS, assessment):
        by_item = ratings.ratings_by_item(assessment, contrib_queries.informants_of(assessment))
        return jsonify({"items": by_item, "agreement": ratings.agreement_by_section(assessment, by_item),
                        "revision": assessment.revision})
    row = contribution(current_user, assessment)
    if row is None or row.role != "informant":
        raise ApiError(403, _("only the owner organisation and the informants read ratings"))
    return jsonify({"items": ratings.ratings_by_item(assessment, [row]), "revision": row.revision})


@bp.post("/assessments/<int:assessment_id>/consensus")
def post_consensus(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    if not can(current_user, Action.MANAGE_CONTRIBUTORS, assessment):
        raise ApiError(403, _("only the owner organisation records the consensus"))
    result = contrib.record_consensus(assessment, current_user, json_body())
    return jsonify({"revision": result["revision"], "changed": result["changed"]})
