"""The workbook page of an assessment: download, upload, and the choice between the online
and the workbook's version of each conflicting answer. Thin: the operations are
:mod:`.upload` and, for the choices, the section pages' save (``save_section``), so that an
answer changed online yet again meanwhile is again a conflict, never overwritten."""
from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..assessments import display, operations as ops, store
from ..assessments.forms import translator
from ..auth.policy import section_scope
from ..errors import RequestError
from ..transaction import attempt
from ..http_input import loads
from . import bp, service, upload as uploads

MAX_CELLS_SHOWN = 200


def _page(assessment, status: int = 200, **context):
    questionnaire = store.questionnaire_of(assessment)
    scope = section_scope(current_user, assessment)  # a contributor: their sections only
    sections = [(n, s) for n, s in enumerate(questionnaire.sections, 1) if scope is None or s.key in scope]
    return render_template("workbooks/workbook.html", assessment=assessment, t=translator(),
                           sections=sections, partial=scope is not None, **context), status


@bp.route("/assessments/<int:assessment_id>/workbook")
@login_required
def page(assessment_id: int):
    return _page(service.writable(current_user, assessment_id))


@bp.route("/assessments/<int:assessment_id>/workbook", methods=["POST"])
@login_required
def upload(assessment_id: int):
    assessment = service.writable(current_user, assessment_id)
    sent = request.files.get("workbook")
    if sent is None or not sent.filename:
        return _page(assessment, 400, problem=_("Choose the workbook file to upload."))
    with attempt(RequestError) as outcome:
        result = uploads.upload(assessment, current_user, sent.read())
    exc = outcome.refused
    if exc is not None:
        if exc.status not in (400, 403, 413, 422):
            raise exc
        cells = sorted(((k, v) for k, v in exc.details.items()
                        if k.startswith("answers!") or exc.status == 403), key=_cell_order)
        return _page(assessment, exc.status, problem=exc.message, cells=cells[:MAX_CELLS_SHOWN])
    if result["saved"]:
        flash(ngettext("%(num)s answer saved from the workbook.", "%(num)s answers saved from the workbook.",
                       len(result["saved"])), "success")
    elif not result["conflicts"]:
        flash(_("No answer in the workbook differs from the answers it was downloaded with: "
                "nothing to save."), "info")
    if not result["conflicts"]:
        return redirect(url_for("assessments.overview", assessment_id=assessment.id), 303)
    return _page(assessment, conflicts=_conflicts(assessment, result["conflict_answers"]))


def _cell_order(pair) -> tuple[int, str]:
    ref = pair[0].split("!", 1)[-1]
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):] or 0), letters


def _conflicts(assessment, answers: dict) -> list[dict]:
    questionnaire, t = store.questionnaire_of(assessment), translator()
    out = []
    for key, pair in answers.items():
        item = questionnaire.item_map[key]
        out.append({"key": key, "prompt": t(item.prompt), "row": pair.get("row", ""),
                    "online": display.short_value(item, pair["online"], t, limit=300),
                    "workbook": display.short_value(item, pair["workbook"], t, limit=300),
                    "workbook_json": json.dumps(pair["workbook"], ensure_ascii=False),
                    "fingerprint": pair["fingerprint"]})
    return out


@bp.route("/assessments/<int:assessment_id>/workbook/resolve", methods=["POST"])
@login_required
def resolve(assessment_id: int):
    assessment = service.writable(current_user, assessment_id)
    chosen = [name[len("keep-"):] for name, value in request.form.items()
              if name.startswith("keep-") and value == "workbook"]
    payload = {key: loads(request.form.get(f"answer-{key}", "null")) for key in chosen}
    loaded = {key: request.form.get(f"base-{key}", "") for key in chosen}
    with attempt(RequestError) as outcome:
        result = ops.save_section(assessment, current_user, assessment.revision, payload, loaded)
    exc = outcome.refused
    if exc is not None:
        if exc.status == 409 and "conflicts" in exc.details:
            stored = store.answers_json(store.questionnaire_of(assessment), store.answers_of(assessment))
            again = {k: {"online": stored.get(k), "workbook": payload[k], "fingerprint": fp}
                     for k, fp in exc.details["fingerprints"].items()}
            return _page(assessment, 409, problem=_("These answers were changed online again meanwhile: "
                                                    "choose again."), conflicts=_conflicts(assessment, again))
        if exc.status not in (400, 422):
            raise exc
        return _page(assessment, exc.status, problem=exc.message)
    flash(ngettext("%(num)s answer taken from the workbook.", "%(num)s answers taken from the workbook.",
                   len(result["changed"])), "success")
    return redirect(url_for("assessments.overview", assessment_id=assessment.id), 303)
