"""Reviewer pages: the list, comparisons (any selection, a trend, government against
civil society), an assessment's review page (workflow, comments, submissions).  Thin
views: parse the request, authorize through the policy, call one function, render."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments import display
from ..auth.policy import Action, can, load_assessment
from ..errors import RequestError
from ..transaction import attempt
from ..jurisdictions import jurisdiction_name
from . import bp, operations as ops, pages, queries, reports
from .forms import CompareOptionsForm, DivergenceForm, FilterForm, TransitionForm, TrendForm, version_choices
from .links import assessment_links
from .presenters import answer_words, helpers


@bp.context_processor
def _helpers():
    return {"rv": helpers(), "answer_text": answer_words, "unanswered": display.is_unanswered}


def _require_review_area():
    if not can(current_user, Action.USE_REVIEW):
        abort(403)


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    choices = queries.filter_choices(current_user)
    form.set_choices(version_choices(current_app.extensions["catalog"]),
                     [(c, jurisdiction_name(c)) for c in choices["jurisdictions"]], choices["periods"])
    return form


@bp.route("/review")
@login_required
def index():
    _require_review_area()
    form = _filter_form()
    listing = queries.review_list(current_user, pages.list_filters(form.valid_data(), request.args))
    return render_template("review/index.html", form=form, listing=listing, **reports.batch_choices(),
                           page_url=pages.page_url(request.args), export_all_url=pages.export_all_url(request.args),
                           filter_args=[(k, v) for k in pages.FILTER_ARGS for v in request.args.getlist(k)])


@bp.route("/review/export")
@login_required
def export():
    """The list's export buttons: the selection, or everything the filters match."""
    _require_review_area()
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    return pages.export_redirect(current_user, fmt, request.args,
                                 pages.list_filters(_filter_form().valid_data(), request.args))


@bp.route("/review/reports", methods=["POST"])
@login_required
def batch_start():
    """The list's "Download reports (ZIP)": one job for the selection, then its page."""
    _require_review_area()
    return reports.start_from_form(current_user, request.form)


@bp.route("/review/reports/confirm")
@login_required
def batch_confirm():
    """The list's "Download reports (ZIP)" (a GET form): the choice, to start by POST."""
    _require_review_area()
    return reports.confirm_from_args(request.args)


@bp.route("/review/reports/<job_id>")
@login_required
def batch(job_id: str):
    _require_review_area()
    return render_template("review/batch.html", **reports.batch_context(current_user, job_id))


@bp.route("/review/compare")
@login_required
def compare():
    _require_review_area()
    ids = pages.ids_or_redirect(request.args.getlist("ids"))
    if not isinstance(ids, list):
        return ids
    form = CompareOptionsForm(request.args)
    return render_template("review/compare.html", mode="compare", form=form,
                           **pages.compare_context(current_user, ids, bool(form.large_only.data)))


@bp.route("/review/divergence")
@login_required
def divergence():
    _require_review_area()
    form = DivergenceForm(request.args)
    ctx = pages.divergence_context(current_user, form, bool(form.large_only.data))
    return render_template("review/divergence.html", form=form, **ctx)


@bp.route("/review/trend")
@login_required
def trend():
    _require_review_area()
    form = TrendForm(request.args)
    ctx = pages.trend_context(current_user, form, bool(request.args.get("large_only")))
    return render_template("review/trend.html", form=form, **ctx)


@bp.route("/review/assessments/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    # The stored score is read, light, only to build an answers table not kept (answers_table).
    a = load_assessment(current_user, assessment_id, Action.VIEW, with_score=False)
    return render_template("review/assessment.html", **pages.assessment_context(current_user, a))


@bp.route("/review/assessments/<int:assessment_id>/transition", methods=["POST"])
@login_required
def transition(assessment_id: int):
    a = load_assessment(current_user, assessment_id, Action.REVIEW)
    form = TransitionForm()
    if form.validate_on_submit():
        with attempt(RequestError) as outcome:
            ops.apply_review(a, current_user, form.action.data, form.reason.data)
        if outcome.refused is not None:
            return pages.refused(current_user, a, outcome.refused, transition_form=form)
        flash(pages.transition_message(a.status), "success")
        return redirect(url_for("review.assessment", assessment_id=a.id))
    return pages.refused(current_user, a, RequestError(400, _("The form was not complete.")),
                         transition_form=form)


@bp.route("/review/assessments/<int:assessment_id>/comments", methods=["POST"])
@login_required
def comment(assessment_id: int):
    a = load_assessment(current_user, assessment_id, Action.COMMENT)
    form = pages.comment_form(a)
    if form.validate_on_submit():
        with attempt(RequestError) as outcome:
            c = ops.post_comment(a, current_user, form.item.data, form.text.data)
        if outcome.refused is not None:
            return pages.refused(current_user, a, outcome.refused, comment_form=form)
        flash(_("Your comment is posted."), "success")
        return redirect(url_for("review.assessment", assessment_id=a.id, _anchor=f"comment-{c.id}"))
    return pages.refused(current_user, a, None, comment_form=form)


@bp.route("/review/assessments/<int:assessment_id>/submissions/<int:number>")
@login_required
def submission(assessment_id: int, number: int):
    a = load_assessment(current_user, assessment_id, Action.VIEW)
    return render_template("review/submission.html", **pages.submission_context(a, number),
                           **assessment_links(current_user, a))
