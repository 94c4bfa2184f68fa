"""Shadow assessments (issue 18): key messages, read and replaced; and what the reports show
of an assessment as an independent civil-society assessment (the marking, the government's
score beside it where the caller may see that, the citation)."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from flask_babel import gettext as _

from ..assessments.access import load_writable
from ..assessments.seen import key_messages_seen
from ..auth.policy import Action, load_assessment
from ..errors import ApiError
from ..http_input import json_body
from ..shadow import messages, presentation
from ..shadow.operations import save_key_messages
from . import bp


@bp.get("/assessments/<int:assessment_id>/key-messages")
def get_key_messages(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return jsonify(_messages_body(key_messages_seen(current_user, assessment)))


@bp.put("/assessments/<int:assessment_id>/key-messages")
def put_key_messages(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    body = json_body()
    if "key_messages" not in body:
        raise ApiError(422, _("the body needs 'key_messages', a list of texts"),
                       {"key_messages": "required"})
    parsed = messages.parse(body["key_messages"])
    changed = save_key_messages(assessment, current_user, parsed)
    return jsonify(_messages_body(messages.of(assessment)) | {"changed": changed})


@bp.get("/assessments/<int:assessment_id>/shadow")
def get_shadow(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    view = presentation.for_page(current_user, assessment)
    return jsonify({"independent": view["independent"], "key_messages": view["key_messages"],
                    "cite": view["cite"], "government": view["comparison"]})


def _messages_body(texts: list[str]) -> dict:
    return {"key_messages": texts, "max_messages": messages.MAX_MESSAGES,
            "max_length": messages.MAX_LENGTH}
