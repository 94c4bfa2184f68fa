"""The key messages page of an assessment: up to :data:`~.messages.MAX_MESSAGES` texts,
edited by whoever may edit the assessment (404 for one they may not see, 403 or 409 for one
they may not change, as every other editing page).  Saved through :mod:`.messages`, the
same parser and save as ``PUT /api/v1/assessments/{id}/key-messages``."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments.access import load_writable
from ..auth.policy import Action, can, load_assessment
from ..errors import ApiError
from ..transaction import attempt
from . import is_shadow, messages
from .operations import save_key_messages

bp = Blueprint("shadow", __name__, template_folder="templates")


def _page(assessment, texts: list[str], status: int = 200, problems: dict | None = None,
          general: str = ""):
    slots = list(texts)[:messages.MAX_MESSAGES]
    slots += [""] * (messages.MAX_MESSAGES - len(slots))
    return render_template("shadow/key_messages.html", assessment=assessment, slots=slots,
                           problems=problems or {}, general=general,
                           max_length=messages.MAX_LENGTH,
                           independent=is_shadow(assessment.organisation.kind)), status


@bp.route("/assessments/<int:assessment_id>/key-messages")
@login_required
def page(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
    if not assessment.editable and can(current_user, Action.VIEW, assessment):
        # Only looking: a submitted assessment's key messages are read where they are shown
        # (a 409 "nothing was saved" belongs to a save, not to a visit).
        return redirect(url_for("results.results", assessment_id=assessment.id) + "#key-messages", 303)
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    return _page(assessment, messages.of(assessment))


@bp.route("/assessments/<int:assessment_id>/key-messages", methods=["POST"])
@login_required
def save(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    sent = request.form.getlist("message")
    with attempt(ApiError) as outcome:
        changed = save_key_messages(assessment, current_user, messages.parse(sent))
    refused = outcome.refused
    if refused is not None:
        if refused.status != 422:
            raise refused
        return _page(assessment, sent, 422, _slot_problems(refused.details),
                     str(refused.details.get("key_messages") or ""))
    flash(_("Key messages saved.") if changed else _("The key messages were already as sent."),
          "success")
    return redirect(url_for("results.results", assessment_id=assessment.id) + "#key-messages", 303)


def _slot_problems(details: dict) -> dict[int, str]:
    """``key_messages[2]`` -> slot 2's problem (the form sends every slot, blank or not, so
    the indexes are the slots')."""
    out = {}
    for where, problem in details.items():
        if where.startswith("key_messages[") and where.endswith("]"):
            index = where[len("key_messages["):-1]
            if index.isdigit():
                out[int(index)] = problem
    return out
