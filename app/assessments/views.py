"""Assessment pages: list, start, overview, one page per section, read-only answers, submit.

Views are thin: parse the request, call one operation, then redirect or render. The
section page works without JavaScript (plain POST, redirect or re-render); with it, the
same endpoint answers autosaves in JSON (``Accept: application/json``).
"""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..attachments import operations as attachment_ops
from ..auth.policy import Action, can, can_create_assessment, load_assessment, section_scope
from ..display.labels import questionnaire_name, status_label
from ..errors import RequestError, wants_json
from ..fragments import fragments_for, request_gettext
from ..transaction import attempt
from ..jurisdictions import jurisdiction_name
from ..lifecycle import FEEDBACK
from ..models._common import utcnow
from ..questionnaire.catalog import catalog
from ..timezones import local
from . import bp, completeness, display, nav, operations as ops, queries, store
from .access import load_writable
from ..contributors.progress import section_people
from ..contributors.queries import contributors_of, has_contributions, last_savers
from ..contributors.notify import role_label
from ..results.scores import score_document
from .seen import answers_seen
from .fields import choices
from . import item_state
from .forms import (
    NewAssessmentForm, build_section_form, clear_choice, coded_errors, fmt_level, needed_evidence, parse_revision,
    place_errors, read_section, section_form_class, translator,
)
from .rendering import comment_boxes, page_urls, render_items, script_messages

#: The flash category of a message that the page shows in its own error summary (base.html
#: leaves it out of the other flashes): a refused submit, on the overview it redirects to.
SUMMARY = "error-summary"


@bp.context_processor
def _helpers():
    return {"when": display.when, "jurisdiction_name": jurisdiction_name,
            "completeness_text": display.completeness_text, "action_label": display.action_label,
            "version_name": display.version_name}


def _load_writable(assessment_id: int, action: Action, section: str | None = None):
    return load_writable(current_user, assessment_id, action, section)


def _section_or_404(questionnaire, key: str):
    section = next((s for s in questionnaire.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


# -- list and start ----------------------------------------------------------------------------

@bp.route("/assessments")
@login_required
def index():
    rows = queries.organisation_assessments(current_user)
    return render_template("assessments/index.html", assessments=rows,
                           progress=completeness.completeness_of(rows),
                           can_create=can_create_assessment(current_user),
                           has_tasks=not rows and has_contributions(current_user))


@bp.route("/assessments/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_assessment(current_user):
        abort(403)
    form = _new_form()
    if request.method != "POST":
        return render_template("assessments/new.html", form=form)
    # Every problem at once: the form's own checks and the operation's, merged per field.
    form_ok = form.validate_on_submit()
    problems, _source = ops.new_errors(current_user, _new_data(form))
    if form_ok and not problems:
        with attempt(RequestError) as outcome:
            assessment = ops.create_assessment(current_user, _new_data(form))
        if outcome.refused is not None:
            problems = outcome.refused.details
        else:
            flash(_("Assessment started.") if not assessment.based_on_id else
                  _("Assessment started with the answers of the earlier assessment: review and "
                    "update each section."), "success")
            return redirect(url_for(".overview", assessment_id=assessment.id))
    _merge_errors(form, problems)
    return render_template("assessments/new.html", form=form), 422


def _merge_errors(form: NewAssessmentForm, problems: dict) -> None:
    """Add the operation's messages to the fields' own (an unknown name goes to the
    questionnaire field), without repeating a message."""
    for name, message in problems.items():
        field = form[name] if name in form else form.questionnaire
        errors = list(field.errors)
        if message not in errors:
            errors.append(message)
        field.errors = errors


def _new_form() -> NewAssessmentForm:
    form = NewAssessmentForm()
    form.questionnaire.choices = choices([
        (q.ref, questionnaire_name(q.title, q.version))
        for q in reversed(catalog().all())])
    form.based_on.choices = choices([("", _("No: start with empty answers"))] + [
        (str(a.id), f"{a.title} ({a.period}, {status_label(a.status).lower()})")
        for a in queries.previous_candidates(current_user)])
    if request.method == "GET":
        form.jurisdiction.data = form.jurisdiction.data or current_user.organisation.country or ""
        form.period.data = form.period.data or str(utcnow().year)
        form.based_on.data = request.args.get("based_on", "")
    return form


def _new_data(form: NewAssessmentForm) -> dict:
    qid, _sep, version = (form.questionnaire.data or "").partition("@")
    return {"questionnaire": qid, "version": version, "jurisdiction": form.jurisdiction.data or "",
            "period": form.period.data or "", "title": form.title.data or "",
            "based_on": form.based_on.data or None}


# -- overview, read-only answers, submit ------------------------------------------------------

@bp.route("/assessments/<int:assessment_id>")
@login_required
def overview(assessment_id: int):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
    if not can(current_user, Action.VIEW, assessment):  # given sections only: they are listed there
        return redirect(url_for("contributors.tasks", _anchor=f"assessment-{assessment.id}"))
    return render_template("assessments/overview.html", **_overview_context(assessment))


def _feedback(assessment) -> dict | None:
    """The reviewers' word, for the organisation: shown once a review has begun."""
    if assessment.status not in FEEDBACK:
        return None
    return {"returned": queries.latest_return(assessment),
            "review_url": url_for("review.assessment", assessment_id=assessment.id)}


def _overview_context(assessment) -> dict:
    questionnaire = store.questionnaire_of(assessment)
    t = translator()
    answers = answers_seen(current_user, assessment)
    missing = set(ops.missing_items(assessment, answers))
    changes = [(entry, questionnaire.item_map.get(entry.item_key or ""))
               for entry in queries.recent_changes(assessment)]
    feedback = _feedback(assessment)
    if feedback:
        comments = queries.reviewer_comments(assessment)
        feedback["comments"] = comments.pop(None, [])
        feedback["item_comments"] = [
            (s, key, len(comments[key])) for s in questionnaire.sections for key in s.items if key in comments]
    return {"assessment": assessment, "questionnaire": questionnaire, "t": t,
            "progress": completeness.progress(questionnaire, answers),
            "missing": [(s, [questionnaire.item_map[k] for k in s.items if k in missing])
                        for s in questionnaire.sections],
            "missing_count": len(missing), "changes": changes,
            "feedback": feedback,
            "can_edit": can(current_user, Action.EDIT, assessment),
            "can_submit": can(current_user, Action.SUBMIT, assessment),
            "can_manage": can(current_user, Action.MANAGE_CONTRIBUTORS, assessment),
            "people": section_people(assessment, contributors_of(assessment)), "role_label": role_label}


@bp.route("/assessments/<int:assessment_id>/answers")
@login_required
def answers(assessment_id: int):
    # The stored score document is read from the row only when it is not kept (score_document).
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED, with_score=False)
    questionnaire = store.questionnaire_of(assessment)
    scope = section_scope(current_user, assessment)
    if scope is not None and not scope:
        abort(403)
    # Which answers count for less than claimed, and by which rule: the score document's own
    # verdict (the engine's one evidence rule), whatever the item type.
    scored = score_document(assessment, current_user).get("items", {})
    return render_template("assessments/answers.html", assessment=assessment, questionnaire=questionnaire,
                           answers=store.answers_json(questionnaire, answers_seen(current_user, assessment)),
                           sections=[s for s in questionnaire.sections if scope is None or s.key in scope],
                           t=translator(), display=display, needed=needed_evidence, fmt_level=fmt_level,
                           capped={k: v for k, v in scored.items() if v.get("capped_by")},
                           attachments=attachment_ops.by_item(attachment_ops.visible(current_user, assessment)),
                           can_edit=can(current_user, Action.EDIT, assessment))


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET"])
@login_required
def submit_confirm(assessment_id: int):
    """The confirmation step before a submit, which locks the assessment (issue 18: one
    click locked it).  Not submittable (any more): the overview, which says why."""
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    if not can(current_user, Action.SUBMIT, assessment):
        return redirect(url_for(".overview", assessment_id=assessment.id))
    return render_template("assessments/submit_confirm.html", **_overview_context(assessment))


@bp.route("/assessments/<int:assessment_id>/submit", methods=["POST"])
@login_required
def submit(assessment_id: int):
    assessment = _load_writable(assessment_id, Action.SUBMIT)
    with attempt(RequestError) as outcome:
        ops.submit(assessment, current_user)
    exc = outcome.refused
    if exc is not None:
        if wants_json() or exc.status != 422:
            raise exc
        # Post/redirect/get: the overview says why (its error summary) and lists what is missing.
        missing = len(exc.details.get("missing", ()))
        flash(ngettext("%(num)s scored question has no answer. Every scored question needs one before "
                       "submitting; 'Don't know' and 'Not applicable' count as answers.",
                       "%(num)s scored questions have no answer. Every scored question needs one before "
                       "submitting; 'Don't know' and 'Not applicable' count as answers.", missing),
              SUMMARY)
        return redirect(url_for(".overview", assessment_id=assessment.id), 303)
    flash(_("Assessment submitted. It is now read-only; reviewers can see it."), "success")
    return redirect(url_for(".overview", assessment_id=assessment.id))


# -- one section ------------------------------------------------------------------------------

@bp.route("/assessments/<int:assessment_id>/sections/<section_key>", methods=["GET"])
@login_required
def section(assessment_id: int, section_key: str):
    assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
    questionnaire = store.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_key)
    if not can(current_user, Action.VIEW, assessment, section.key):
        if can(current_user, Action.RATE, assessment, section.key):  # an informant rates privately
            return redirect(url_for("contributors.rate", assessment_id=assessment.id, section_key=section.key))
        abort(403)
    if not can(current_user, Action.EDIT, assessment, section.key):
        return redirect(url_for(".answers", assessment_id=assessment.id, _anchor=f"section-{section.key}"))
    # Plain queries, not the ORM relationship: this section's answers (with who saved them),
    # and of the others only whether they are answered, for the progress of each section. The
    # answers are shown without building a WTForms form (item_state.from_answers holds the same data).
    found = queries.section_answers(assessment.id, section.items)
    stored = store.answers_json(questionnaire, found.answers)
    state = item_state.from_answers(section_form_class(questionnaire, section, translator()), questionnaire, section,
                                    stored, {key: ops.fingerprint(stored.get(key)) for key in section.items})
    state.answered_by = found.savers
    return _render_section(assessment, questionnaire, section, state, assessment.revision)


@bp.route("/assessments/<int:assessment_id>/sections/<section_key>", methods=["POST"])
@login_required
def save_section(assessment_id: int, section_key: str):
    try:
        assessment = _load_writable(assessment_id, Action.EDIT, section_key)
    except RequestError as exc:
        if exc.status != 409 or wants_json():
            raise
        return _section_now_read_only(assessment_id, section_key, exc)
    questionnaire = store.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_key)
    form = build_section_form(questionnaire, section, translator(), formdata=request.form)
    cleared = clear_choice(form, questionnaire, section, request.form.get("clear", ""))
    skip = set(filter(None, request.form.get("skip", "").split(",")))
    payload, loaded = read_section(form, questionnaire, section, skip)
    with attempt(RequestError) as outcome:
        result = ops.save_section(assessment, current_user, parse_revision(form.base_revision.data),
                                  payload, loaded)
    if outcome.refused is not None:
        rest_saved = _save_the_rest(assessment, questionnaire, section, form, skip, outcome.refused)
        return _section_refused(assessment, questionnaire, section, form, outcome.refused, rest_saved)
    return _section_saved(assessment, questionnaire, section, result, cleared)


def _save_the_rest(assessment, questionnaire, section, form, skip: set[str], exc: RequestError) -> bool:
    """A plain Save refused for some invalid answers saves the others, as autosave does
    (issue 18: "Nothing on this page was saved" after autosave had saved all but one, and
    an official may type everything again).  The re-rendered form then carries the new
    revision and fingerprints.  True when every other answer of the page is stored; False
    when there is no other answer or saving them failed too (a conflict: nothing saved).
    Autosave (JSON) does this itself, with ``skip``."""
    bad = set(exc.details) & set(section.items) if exc.status == 422 else set()
    if wants_json() or not bad or "base_revision" in exc.details or not set(section.items) - bad - skip:
        return False
    payload, loaded = read_section(form, questionnaire, section, skip | bad)
    with attempt(RequestError) as outcome:
        result = ops.save_section(assessment, current_user, parse_revision(form.base_revision.data), payload, loaded)
    if outcome.refused is not None:
        return False
    form.base_revision.data = result["revision"]
    for key, fingerprint in result["fingerprints"].items():
        form[f"{key}-base"].data = fingerprint
    return True


def _section_saved(assessment, questionnaire, section, result, cleared: str | None = None):
    t = translator()
    others = display.describe_changes(
        questionnaire, [c for c in result["others"] if c["item"] in section.items], t, current_user.id)
    if wants_json():
        return jsonify({"revision": result["revision"], "changed": result["changed"],
                        "saved_at": utcnow().isoformat(), "fingerprints": result["fingerprints"],
                        "outdated": result.get("outdated", []), "others": others, "progress": display.progress_counts(
                            completeness.progress_of(questionnaire, store.answered_keys(assessment)))})
    moment, zone = local(utcnow())
    flash(_("Saved at %(time)s.", time=f"{moment:%H:%M} {zone}"), "success")
    for c in others:
        flash(_("Meanwhile %(by)s changed question %(item)s: %(old)s → %(new)s.", **c), "warning")
    if cleared:
        flash(_("The answer to question %(key)s is cleared: it counts as not answered. "
                "Its evidence and comment are kept.", key=cleared), "success")
        return redirect(url_for(".section", assessment_id=assessment.id, section_key=section.key,
                                _anchor=f"item-{cleared}"))
    if request.form.get("action") == "continue":
        return redirect(_next_url(assessment, questionnaire, section))
    return redirect(url_for(".section", assessment_id=assessment.id, section_key=section.key))


def _next_url(assessment, questionnaire, section) -> str:
    scope = section_scope(current_user, assessment)  # a contributor goes on to their own sections
    keys = [s.key for s in questionnaire.sections]
    later = [k for k in keys[keys.index(section.key) + 1:] if scope is None or k in scope]
    if later:
        return url_for(".section", assessment_id=assessment.id, section_key=later[0])
    return url_for(".overview", assessment_id=assessment.id)


def _section_now_read_only(assessment_id: int, section_key: str, exc: RequestError):
    """A page saved after its assessment was submitted (in another tab, by a colleague):
    409 with the page as the user had it, typed input included, and why nothing was saved;
    never a bare error page that loses the input."""
    assessment = load_assessment(current_user, assessment_id, Action.VIEW)
    questionnaire = store.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_key)
    form = build_section_form(questionnaire, section, translator(), formdata=request.form)
    return _render_form(assessment, questionnaire, section, form, read_only_notice=exc.message), 409


def _section_refused(assessment, questionnaire, section, form, exc: RequestError, rest_saved: bool = False):
    """422: messages next to the fields, the typed input kept, and what was saved: nothing,
    or (``rest_saved``) every answer but the refused ones.
    409: what others changed, the user's input kept, and the way to keep it."""
    if exc.status == 422 and "base_revision" not in exc.details:
        errors = place_errors(form, questionnaire, exc.errors)
        if wants_json():
            return _json_error(exc, {"items": exc.details, "fields": {e.field: e.message for e in errors},
                                     "anchors": {e.field: e.anchor for e in errors}},
                               coded_errors(form, questionnaire, exc.errors))
        return _render_form(assessment, questionnaire, section, form, errors=errors, rest_saved=rest_saved), 422
    if exc.status == 409 and "conflicts" in exc.details:
        conflict = _conflict(questionnaire, form, exc.details)
        html = render_template("assessments/_conflict.html", conflict=conflict, assessment=assessment)
        if wants_json():
            return _json_error(exc, dict(exc.details, html=html, described=conflict["changes"]))
        return _render_form(assessment, questionnaire, section, form, conflict=conflict), 409
    raise exc


def _conflict(questionnaire, form, details: dict) -> dict:
    """Re-base the form on the current answers of the conflicting items, so that saving
    again keeps the user's version (knowingly), and describe what the others changed."""
    form.base_revision.data = details["current_revision"]
    for key, fp in details["fingerprints"].items():
        form[f"{key}-base"].data = fp
    changes = display.describe_changes(questionnaire, details["changes"], translator(), current_user.id)
    return {"changes": changes, "items": details["conflicts"], "mine": all(c["mine"] for c in changes)}


def _json_error(exc: RequestError, details: dict, errors: list | None = None):
    response = jsonify({"error": exc.message, "details": details} | ({"errors": errors} if errors else {}))
    response.status_code = exc.status
    return response


def _render_form(assessment, questionnaire, section, form, errors=(), **page):
    """The page re-shown with what was posted (``form``), and its messages."""
    state = item_state.from_form(form, section).with_errors(errors)
    state.answered_by = last_savers(assessment, section.items)
    return _render_section(assessment, questionnaire, section, state, form.base_revision.data,
                           errors=errors, **page)


def _render_section(assessment, questionnaire, section, state: item_state.SectionState, base_revision,
                    errors=(), conflict=None, read_only_notice: str | None = None, rest_saved: bool = False):
    """The page from ``state`` (its ``answered_by`` filled in by the caller)."""
    t = translator()
    keys = [s.key for s in questionnaire.sections]
    first = 1 + sum(len(s.items) for s in questionnaire.sections[: keys.index(section.key)])
    feedback = assessment.status in FEEDBACK
    review_url = url_for("review.assessment", assessment_id=assessment.id) if feedback else None
    if feedback:
        state.comments = comment_boxes(queries.reviewer_comments(assessment, list(section.items)), review_url)
    state.with_notices(questionnaire, section)
    changes = fragments_for(questionnaire).shared("item-changes", "", display.item_changes, catalog(), questionnaire)
    progress = completeness.progress_of(questionnaire, queries.answered_keys(assessment.id))
    scope = section_scope(current_user, assessment)
    progress["sections"] = [s for s in progress["sections"] if scope is None or s["key"] in scope]
    urls = page_urls(questionnaire, assessment.id)
    return render_template(
        "assessments/section.html", assessment=assessment, questionnaire=questionnaire,
        section=section, t=t, base_revision=base_revision, messages=script_messages(questionnaire),
        item_html=render_items(questionnaire, section, state, page="section", first_number=first, t=t,
                               changes=changes),
        errors=list(errors), conflict=conflict, read_only_notice=read_only_notice, rest_saved=rest_saved,
        position=keys.index(section.key) + 1, urls=urls,
        nav_rows=nav.section_rows(questionnaire, progress["sections"], section.key, urls.sections, t),
        **request_gettext())
