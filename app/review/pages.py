"""What the review pages show, assembled from the queries and the pure comparison, so
that the views stay thin."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext
from werkzeug.datastructures import MultiDict

from ..assessments import store
from ..contributors.disclosure import with_spreads
from ..assessments.seen import languages_seen, submission_score
from ..attachments import operations as attachment_ops
from ..auth.policy import Action, can
from ..errors import RequestError
from ..display.labels import status_label
from ..http_input import assessment_ids
from ..i18n import localize
from ..jurisdictions import jurisdiction_name
from ..models import Assessment, User
from ..models.accounts import ORG_KINDS
from ..shadow import messages as key_messages
from .. import lifecycle
from . import answers_table, cache, changes, compare as cmp, queries
from .subjects import comments_by_item, government_and_ngo, load_subjects, trend_candidates
from .links import assessment_links
from .spread_view import agreement_rows, has_spreads
from .forms import CommentForm, TransitionForm
from .trend import charts as trend_charts, steps_view as trend_steps
from .presenters import (area_divergence_rows, coded_area_labels, id_list, questionnaire_note, radar,
                         tables, trend_view)

LARGE_GAP = 2


# -- list -----------------------------------------------------------------------------------------
def list_filters(data: Mapping[str, Any], args: MultiDict) -> queries.ListFilters:
    """The list's filters from the filter form's valid data and the page number: a
    questionnaire as "id@version", only known organisation kinds, statuses and sort keys."""
    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    questionnaire = data.get("questionnaire") or ""
    qid, version = questionnaire.split("@", 1) if "@" in questionnaire else (None, None)
    kind = data.get("organisation_kind") or ""
    sort = data.get("sort") or "submitted"
    return queries.ListFilters(
        questionnaire_id=qid, questionnaire_version=version,
        jurisdiction=(data.get("jurisdiction") or "").upper() or None, period=data.get("period") or None,
        organisation_kind=kind if kind in ORG_KINDS else None,
        statuses=[s for s in data.get("status") or [] if s in lifecycle.REVIEWABLE],
        sort=sort if sort in queries.SORTS else "submitted", direction=data.get("direction") or "desc",
        per_page=data.get("per_page") if data.get("per_page") in queries.PER_PAGE_CHOICES
        else queries.PER_PAGE_CHOICES[0], page=min(page, 10**6))


def page_url(args: MultiDict):
    """A function page -> the list URL with the same filters."""
    def build(page: int) -> str:
        params = MultiDict(args)
        params.setlist("page", [str(page)])
        params.pop("submit", None)
        return url_for("review.index", **params.to_dict(flat=False))
    return build


# -- exports from the list -----------------------------------------------------------------------------
#: What the list's filter form sends (kept when a refused export goes back to the list).
FILTER_ARGS = ("questionnaire", "jurisdiction", "period", "organisation_kind", "status", "sort",
               "direction", "per_page")


def _filter_params(args: MultiDict) -> dict[str, list[str]]:
    return {k: args.getlist(k) for k in FILTER_ARGS if k in args}


def export_all_url(args: MultiDict):
    """A function format -> the URL exporting everything the list's filters match."""
    return lambda fmt: url_for("review.export", format=fmt, all=1, **_filter_params(args))


def export_redirect(user: User, fmt: str, args: MultiDict, filters: queries.ListFilters):
    """The selected assessments (or, with ``all``, every one the filters match) to the
    export endpoint; nothing selected, or too many, back to the list saying so (issue 18:
    a raw JSON error page, where "Compare selected" said what to do)."""
    back = url_for("review.index", **_filter_params(args))
    if args.get("all"):
        ids, total = queries.matching_ids(user, filters, queries.MAX_EXPORT)
        if total > queries.MAX_EXPORT:
            flash(_("%(num)d assessments match these filters; an export holds at most %(max)d. "
                    "Narrow the filters, or select assessments.", num=total, max=queries.MAX_EXPORT), "warning")
            return redirect(back)
    else:
        try:
            ids = assessment_ids(args.getlist("ids"), minimum=1, maximum=queries.MAX_EXPORT)
        except RequestError:
            ids = []
    if not ids:
        flash(_("Select from 1 to %(max)d assessments to export, or export all those matching the filters.",
                max=queries.MAX_EXPORT), "warning")
        return redirect(back)
    return redirect(url_for(f"api.review_export_{fmt}", ids=",".join(map(str, ids))), 303)


# -- comparisons -----------------------------------------------------------------------------------
def ids_or_redirect(raw: list[str]):
    """The ids of a comparison, or a redirect to the list explaining what to select."""
    try:
        return assessment_ids(raw, minimum=cmp.MIN_SUBJECTS, maximum=cmp.MAX_SUBJECTS)
    except RequestError:
        flash(_("Select from %(min)d to %(max)d assessments to compare.", min=cmp.MIN_SUBJECTS,
                max=cmp.MAX_SUBJECTS), "warning")
        return redirect(url_for("review.index"))


def compare_context(user: User, ids: list[int], large_only: bool) -> dict[str, Any]:
    """The compare page: how many assessments, and the comparison's body (app.review.cache)."""
    subjects = _light_subjects(user, ids)

    def build():
        full = _scored(user, subjects)
        return cache.render("review/_comparison.html", comparison_context(cmp.compare(full), large_only)), full

    return {"compared": len(subjects), "comparison_body": cache.body("compare", subjects, (large_only,), build)}


def _light_subjects(user: User, ids: list[int]) -> list[cmp.Subject]:
    """The subjects ``ids`` as the policy lets ``user`` see them, with the informant figures
    the disclosure rules let into a comparison, without their scores: what a kept body is
    looked up by (app.review.cache)."""
    return with_spreads(load_subjects(user, ids, with_answers=False, with_scores=False))


def _scored(user: User, light: list[cmp.Subject]) -> list[cmp.Subject]:
    """``light`` with their scores, to build a body that is not kept: loaded again, in the
    same order (the informant figures stay those the key was made of)."""
    full = load_subjects(user, [s.id for s in light], with_answers=False)
    return [replace(f, informants=s.informants) for f, s in zip(full, light)]


def comparison_context(comparison: cmp.Comparison, large_only: bool = False) -> dict[str, Any]:
    ids = id_list(comparison.subjects)
    first = comparison.subjects[0]
    area_labels = coded_area_labels(first.questionnaire)
    layer_labels = {layer.code: localize(layer.title) for layer in first.questionnaire.layers}
    items = comparison.diverging(LARGE_GAP if large_only else None)
    return {
        "comparison": comparison,
        "radar": radar(comparison),
        "items": items,
        "t": tables(comparison, area_labels, layer_labels, items, LARGE_GAP),
        "large_only": large_only,
        "large_gap": LARGE_GAP,
        "note": questionnaire_note(comparison),
        "ids": ids,
        "area_labels": area_labels,
        "layer_labels": layer_labels,
        "exports": _exports(ids),
        "agreement": agreement_rows(comparison),
        "has_spreads": has_spreads(comparison),
    }


def _exports(ids: str) -> dict[str, str]:
    return {"xlsx": url_for("api.review_export_xlsx", ids=ids),
            "csv": url_for("api.review_export_csv", ids=ids),
            "scores_csv": url_for("api.review_export_csv", ids=ids, sheet="scores")}


def _jurisdiction_choices(user: User) -> tuple[list, list[str]]:
    from wtforms.fields.choices import SelectChoice

    choices = queries.filter_choices(user)
    return ([SelectChoice(c, f"{jurisdiction_name(c)} ({c})") for c in choices["jurisdictions"]],
            choices["periods"])


def divergence_context(user: User, form, large_only: bool = False) -> dict[str, Any]:
    """Government against civil society for one jurisdiction and period: the latest of each.
    With no period chosen, the most recent period that has both (else the latest period of
    the jurisdiction), and a note saying which period is shown."""
    from wtforms.fields.choices import SelectChoice

    jurisdictions, periods = _jurisdiction_choices(user)
    form.jurisdiction.choices = jurisdictions
    form.period.choices = [SelectChoice(p, p) for p in periods]
    ctx: dict[str, Any] = {"pair": None, "others": [], "default_period": None, "paired_periods": []}
    jurisdiction = form.jurisdiction.data or (jurisdictions[0].value if jurisdictions else None)
    form.jurisdiction.data = jurisdiction
    if not jurisdiction:
        return ctx
    own_periods, paired = queries.divergence_periods(user, jurisdiction)
    ctx["paired_periods"] = paired
    period = form.period.data
    if not period:
        period = (paired or own_periods or periods or [None])[0]
        ctx["default_period"] = {"period": period, "paired": bool(paired)} if period else None
    form.period.data = period
    ctx["jurisdiction_name"] = jurisdiction_name(jurisdiction)
    if not period:
        return ctx
    gov, ngo, found = government_and_ngo(user, jurisdiction, period)
    ctx["others"] = [c for c in found if c not in (gov, ngo)]
    ctx["missing"] = [kind for kind, c in (("government", gov), ("ngo", ngo)) if c is None]
    if gov and ngo:
        ctx["pair"] = (gov, ngo)
        subjects = _light_subjects(user, [gov.id, ngo.id])
        ctx["divergence_body"] = cache.body("divergence", subjects, (large_only, jurisdiction, period),
                                            lambda: _divergence_body(user, subjects, large_only, jurisdiction, period))
    return ctx


def _divergence_body(user: User, light: list[cmp.Subject], large_only: bool, jurisdiction: str, period: str):
    full = _scored(user, light)
    comparison = cmp.compare(full)
    ctx = comparison_context(comparison, large_only)
    ctx.update(pair=tuple(full), period=period, jurisdiction_name=jurisdiction_name(jurisdiction),
               divergence=comparison.divergence_list(LARGE_GAP if large_only else None),
               area_divergence=area_divergence_rows(comparison, ctx["area_labels"]))
    return cache.render("review/_divergence_body.html", ctx), full


def trend_context(user: User, form, large_only: bool = False) -> dict[str, Any]:
    """One organisation's assessments of a jurisdiction over periods, oldest first."""
    from wtforms.fields.choices import SelectChoice

    jurisdictions, _periods = _jurisdiction_choices(user)
    form.jurisdiction.choices = jurisdictions
    jurisdiction = form.jurisdiction.data or (jurisdictions[0].value if jurisdictions else None)
    form.jurisdiction.data = jurisdiction
    ctx: dict[str, Any] = {"series": [], "organisations": []}
    if not jurisdiction:
        form.organisation.choices = []
        return ctx
    try:
        organisation_id = int(form.organisation.data) if form.organisation.data else None
    except ValueError:
        organisation_id = None
    series, organisations = trend_candidates(user, jurisdiction, organisation_id)
    form.organisation.choices = [
        SelectChoice(str(o), ngettext("%(name)s (%(num)d period)", "%(name)s (%(num)d periods)", n, name=name))
        for o, name, n in organisations]
    if organisation_id is None and organisations:
        organisation_id = organisations[0][0]
        series, _orgs = trend_candidates(user, jurisdiction, organisation_id)
    form.organisation.data = str(organisation_id) if organisation_id else None
    ctx.update(series=series, organisations=organisations, jurisdiction_name=jurisdiction_name(jurisdiction))
    if len(series) >= cmp.MIN_SUBJECTS:
        subjects = changes.order_by_period(_light_subjects(user, [c.id for c in series][:cmp.MAX_SUBJECTS]))
        extra_params = [("jurisdiction", form.jurisdiction.data), ("organisation", form.organisation.data)]
        ctx["trend_body"] = cache.body("trend", subjects, (large_only, tuple(extra_params)),
                                       lambda: _trend_body(user, subjects, large_only, extra_params))
    return ctx


def _trend_body(user: User, light: list[cmp.Subject], large_only: bool, extra_params: list):
    full = _scored(user, light)
    comparison = cmp.compare(full, reference="previous")
    ctx = comparison_context(comparison, large_only)
    ctx.update(extra_params=extra_params,
               trend=trend_view(changes.trend(comparison), ctx["area_labels"], ctx["layer_labels"],
                                {r.key: localize(r.prompt) for r in comparison.items}),
               steps=trend_steps(comparison, ctx["area_labels"], ctx["layer_labels"]),
               trend_charts=trend_charts(comparison, ctx["area_labels"]))
    return cache.render("review/_trend_body.html", ctx), full


# -- one assessment ----------------------------------------------------------------------------------
def comment_form(a: Assessment, formdata=None) -> CommentForm:
    form = CommentForm() if formdata is None else CommentForm(formdata=formdata)
    form.set_items(store.questionnaire_of(a), localize)
    return form


def assessment_context(user: User, a: Assessment, error: RequestError | None = None,
                       transition_form: TransitionForm | None = None,
                       comment_form_: CommentForm | None = None) -> dict[str, Any]:
    q = store.questionnaire_of(a)
    comments = queries.comments_for([a.id])[a.id]
    by_item = comments_by_item(comments)
    submissions = queries.submissions_of(a)
    seen = answers_table.seen_now(languages_seen(user, a),
                                  attachment_ops.by_item(attachment_ops.visible(user, a)), by_item)
    answers = answers_table.table(user, a, q, submissions, seen)
    may_review = can(user, Action.REVIEW, a)
    return {
        "assessment": a, "questionnaire": q, "answer_rows": answers.rows, "overall": answers.overall,
        "submission_number": answers.submission,
        "comments": comments, "general_comments": by_item.get(None, []),
        "events": queries.events_for([a.id])[a.id], "submissions": submissions,
        "actions": lifecycle.allowed_actions(a.status) if may_review else [],
        "transition_form": transition_form or TransitionForm(),
        "comment_form": comment_form_ or (comment_form(a, formdata=None)
                                          if can(user, Action.COMMENT, a) else None),
        "may_comment": can(user, Action.COMMENT, a), "error": error,
        "error_summary": error_summary(error, comment_form_), "event_labels": event_labels(),
        "jurisdiction_name": jurisdiction_name(a.jurisdiction),
        **assessment_links(user, a),
    }


def refused(user: User, a: Assessment, error: RequestError | None, transition_form=None, comment_form=None):
    """The review page again, with what went wrong (422 or the operation's status): an
    error summary at the top linking to the fields, each field's error beside it, and what
    was typed kept."""
    if comment_form is not None:
        comment_form.set_items(store.questionnaire_of(a), localize)
        for name in COMMENT_FIELDS:       # the operation refused a field: say so beside it too
            if error is not None and name in error.details:
                comment_form[name].errors = [*comment_form[name].errors, error_text(error)]
    ctx = assessment_context(user, a, error, transition_form, comment_form)
    status = error.status if error else 422
    return render_template("review/assessment.html", **ctx), status


COMMENT_FIELDS = ("item", "text")


def error_summary(error: RequestError | None, comment_form_: CommentForm | None = None) -> list[dict[str, str | None]]:
    """The entries of the review page's error summary: each a message and, when a field
    of the page is concerned, the id of that field to link to.  A comment form's field
    errors, else the refused action's."""
    entries: list[dict[str, str | None]] = []
    for name, errors in (comment_form_.errors if comment_form_ is not None else {}).items():
        entries.append({"target": comment_form_[name].id if name in COMMENT_FIELDS else None,
                        "text": " ".join(str(e) for e in errors)})
    if error is not None and not entries:
        target = next((name for name in ("reason", *COMMENT_FIELDS) if name in error.details), None)
        entries.append({"target": target, "text": error_text(error)})
    return entries


def event_labels() -> dict[str, str]:
    return {"submit": _("Submitted"), "resubmit": _("Resubmitted"), "start": _("Review started"),
            "return": _("Returned to the organisation"), "accept": _("Accepted")}


def error_text(error: RequestError) -> str:
    """A refused action, in the reader's language (operations speak English to the API)."""
    if error.status == 409:
        return _("This step is not possible now: the assessment is %(status)s.",
                 status=status_label(str(error.details.get("status", ""))).lower())
    if "reason" in error.details:
        return _("Say why you return the assessment: the organisation needs to know what to change.")
    if "text" in error.details:
        return _("Write the comment (at most 20,000 characters).")
    if "item" in error.details:
        return _("Choose an item of this questionnaire, or the whole assessment.")
    return _("The form was not complete. Check it and try again.")


def transition_message(status: str) -> str:
    return {
        "in_review": _("The review has started. The organisation can no longer change the answers."),
        "returned": _("The assessment is returned to the organisation with your reason."),
        "accepted": _("The assessment is accepted."),
    }.get(status, _("The status is now %(status)s.", status=status_label(status).lower()))


def submission_context(a: Assessment, number: int) -> dict[str, Any]:
    """A kept submission as it was submitted, and what changed since the one before."""
    current, previous = queries.submission_pair(a, number)
    if current is None:
        abort(404)
    q = store.questionnaire_of(a)

    def subject(s) -> cmp.Subject:
        return cmp.Subject(id=a.id, title=a.title, organisation=a.organisation.name,
                           organisation_kind=a.organisation.kind, jurisdiction=a.jurisdiction,
                           period=a.period, status=a.status, questionnaire=q,
                           score=submission_score(q, s), answers=s.answers,
                           submission=s.number, submitted_at=s.submitted_at.isoformat())

    cur = subject(current)
    changed = []
    if previous is not None:
        diff = cmp.compare([subject(previous), cur])
        changed = [r for r in diff.items if r.differs or _answer_changed(previous.answers, current.answers, r.key)]
    comments = queries.comments_for([a.id])[a.id]
    scored = cur.score.get("items") or {}
    written_in = current.languages or {}
    rows = [{"item": it, "answer": cmp.item_answer(q, it.key, cur.answers.get(it.key), scored.get(it.key))
             if it.scored else None, "raw": cur.answers.get(it.key) or {},
             "language": written_in.get(it.key)} for it in q.items]
    messages_then = key_messages.texts(current.key_messages)
    return {"assessment": a, "submission": current, "previous": previous, "subject": cur,
            "changed": changed, "rows": rows, "key_messages": messages_then,
            "key_messages_changed": previous is not None
            and key_messages.texts(previous.key_messages) != messages_then,
            "asked": [c for c in comments if previous is not None and c.submission_number == previous.number],
            "hole": answers_table.direct(answers_table.seen_now(written_in)),
            "jurisdiction_name": jurisdiction_name(a.jurisdiction)}


def _answer_changed(before: Mapping[str, Any], after: Mapping[str, Any], key: str) -> bool:
    return (before or {}).get(key) != (after or {}).get(key)
