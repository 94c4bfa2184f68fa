"""The attachments page of an assessment: documents attached to each answer's evidence,
an upload form for whoever may edit, and downloads for whoever may view."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments import store
from ..assessments.access import load_writable
from ..auth.policy import Action, can, load_assessment
from ..errors import RequestError
from ..i18n import localize
from ..transaction import attempt
from . import operations as ops
from .content import ACCEPTED
from .web import read_upload, send

bp = Blueprint("attachments", __name__, template_folder="templates")


@bp.get("/assessments/<int:assessment_id>/attachments")
@login_required
def page(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return render_template("attachments/page.html", **_context(assessment))


def _context(assessment, error: RequestError | None = None) -> dict:
    questionnaire = store.questionnaire_of(assessment)
    from flask import current_app

    return {"assessment": assessment, "questionnaire": questionnaire, "localize": localize,
            "attachments": ops.by_item(ops.visible(current_user, assessment)),
            "can_edit": can(current_user, Action.EDIT, assessment), "error": error,
            "selected_item": request.values.get("item"), "accepted": ACCEPTED,
            "max_mb": int(current_app.config["ATTACHMENT_MAX_BYTES"]) // (1024 * 1024)}


@bp.post("/assessments/<int:assessment_id>/attachments")
@login_required
def upload(assessment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    with attempt(RequestError) as outcome:
        item, data, filename = read_upload()
        row = ops.attach(assessment, current_user, item, filename, data)
    if outcome.refused is not None:
        error = outcome.refused
        return render_template("attachments/page.html", **_context(assessment, error)), error.status
    flash(_("%(name)s is attached to question %(key)s.", name=row.filename, key=row.item_key), "success")
    # The question stays chosen: the next document is often for the same one.
    return redirect(url_for(".page", assessment_id=assessment.id, item=row.item_key,
                            _anchor=f"item-{row.item_key}"), 303)


@bp.post("/assessments/<int:assessment_id>/attachments/<int:attachment_id>/remove")
@login_required
def remove(assessment_id: int, attachment_id: int):
    assessment = load_writable(current_user, assessment_id, Action.EDIT)
    ops.remove(assessment, current_user, attachment_id)
    flash(_("The attachment was removed."), "success")
    return redirect(url_for(".page", assessment_id=assessment.id), 303)


@bp.get("/assessments/<int:assessment_id>/attachments/<int:attachment_id>")
@login_required
def download(assessment_id: int, attachment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    return send(ops.find_visible(current_user, assessment, attachment_id))
