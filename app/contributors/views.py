"""Pages: a person's tasks; the owner's page of who works on which sections (invite,
remind, remove)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments import completeness, store
from ..assessments.forms import translator
from ..auth.forms import EmptyForm
from ..auth.policy import Action, load_assessment
from ..errors import RequestError
from ..jurisdictions import jurisdiction_name
from ..transaction import attempt
from . import bp, notify, operations as ops, progress, queries
from .forms import InviteForm

_ID = "int(max=2147483647)"


@bp.context_processor
def _helpers():
    return {"jurisdiction_name": jurisdiction_name, "role_label": notify.role_label,
            "role_sentence": notify.role_sentence}


@bp.route("/tasks")
@login_required
def tasks():
    return render_template("contributors/tasks.html", tasks=progress.tasks_of(current_user), t=translator())


@bp.route(f"/assessments/<{_ID}:assessment_id>/contributors", methods=["GET", "POST"])
@login_required
def manage(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    questionnaire = store.questionnaire_of(assessment)
    t = translator()
    form = InviteForm()
    form.sections.choices = [(s.key, t(s.title)) for s in questionnaire.sections]
    if form.validate_on_submit():
        data = {"email": form.email.data, "role": form.role.data, "sections": form.sections.data,
                "organisation": form.organisation.data or "",
                "due_date": form.due_date.data.isoformat() if form.due_date.data else None}
        with attempt(RequestError) as outcome:
            row, _created, new_account = ops.invite(current_user, assessment, data)
        if outcome.refused is not None:
            for name, message in outcome.refused.details.items():
                form[name].errors = list(form[name].errors) + [message]
        else:
            sent = notify.invited(assessment, row, new_account)
            flash(_("%(email)s was given the sections and told by mail.", email=row.user.email) if sent else
                  _("%(email)s was given the sections, but the mail could not be sent.", email=row.user.email),
                  "success" if sent else "warning")
            return redirect(url_for(".manage", assessment_id=assessment.id), 303)
    rows = queries.contributors_of(assessment)
    return render_template(
        "contributors/manage.html", assessment=assessment, questionnaire=questionnaire, t=t, form=form,
        rows=[(row, progress.person_progress(assessment, row)) for row in rows],
        people=progress.section_people(assessment, rows),
        overall=completeness.progress_of(questionnaire, store.answered_keys(assessment)),
    ), 422 if form.errors else 200


def _row_action(assessment_id: int, contributor_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    row = next((r for r in queries.contributors_of(assessment) if r.id == contributor_id), None)
    if row is None or not EmptyForm().validate_on_submit():
        abort(404)
    return assessment, row


@bp.route(f"/assessments/<{_ID}:assessment_id>/contributors/<{_ID}:contributor_id>/remove", methods=["POST"])
@login_required
def remove(assessment_id: int, contributor_id: int):
    assessment, row = _row_action(assessment_id, contributor_id)
    email = row.user.email
    ops.remove(current_user, assessment, row.id)
    flash(_("%(email)s no longer has access to this assessment.", email=email), "success")
    return redirect(url_for(".manage", assessment_id=assessment.id), 303)


@bp.route(f"/assessments/<{_ID}:assessment_id>/contributors/<{_ID}:contributor_id>/remind", methods=["POST"])
@login_required
def remind(assessment_id: int, contributor_id: int):
    assessment, row = _row_action(assessment_id, contributor_id)
    if notify.remind(assessment, row):
        flash(_("A reminder was sent to %(email)s.", email=row.user.email), "success")
    else:
        flash(_("The reminder to %(email)s could not be sent.", email=row.user.email), "warning")
    return redirect(url_for(".manage", assessment_id=assessment.id), 303)
