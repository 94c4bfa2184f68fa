"""Pages of informant mode: an informant rates their sections privately (the same
questions, evidence and comments as the section page, kept apart from the assessment's
answers); the owner sees the ratings side by side with their agreement and records the
consensus with a rationale for each question."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments import display, store
from ..assessments.access import load_writable
from ..assessments import item_state
from ..assessments.forms import (
    build_section_form, parse_revision, place_errors, read_section, translator,
)
from ..assessments.rendering import render_items
from ..auth.forms import EmptyForm
from ..auth.policy import Action, can, contribution, load_assessment
from ..display import numbers
from ..display.bidi import ltr
from ..errors import RequestError
from ..fragments import request_gettext
from ..transaction import attempt
from . import agreement, bp, operations as ops, queries, ratings

_ID = "int(max=2147483647)"


def _section_or_404(questionnaire, key: str):
    section = next((s for s in questionnaire.sections if s.key == key), None)
    if section is None:
        abort(404)
    return section


@bp.route(f"/assessments/<{_ID}:assessment_id>/ratings/<section_key>", methods=["GET", "POST"])
@login_required
def rate(assessment_id: int, section_key: str):
    if request.method == "POST":
        assessment = load_writable(current_user, assessment_id, Action.RATE, section_key)
    else:
        assessment = load_assessment(current_user, assessment_id, Action.VIEW_ASSIGNED)
        if not can(current_user, Action.RATE, assessment, section_key):
            abort(403)
    questionnaire = store.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_key)
    row = contribution(current_user, assessment)
    t = translator()
    errors = []
    if request.method == "POST":
        form = build_section_form(questionnaire, section, t, formdata=request.form)
        payload, _loaded = read_section(form, questionnaire, section)
        with attempt(RequestError) as outcome:
            ops.save_ratings(assessment, row, parse_revision(form.base_revision.data), payload)
        if outcome.refused is not None:
            if outcome.refused.status != 422:
                raise outcome.refused
            errors = place_errors(form, questionnaire, outcome.refused.errors)
        else:
            flash(_("Your ratings are saved. Nobody else sees them until the consensus."), "success")
            return redirect(url_for(".rate", assessment_id=assessment.id, section_key=section.key), 303)
    else:
        mine = {k: v[0] for k, v in ratings.ratings_by_item(assessment, [row]).items()}
        form = build_section_form(questionnaire, section, t, revision=row.revision, answers={
            k: {f: x for f, x in v.items() if f not in ("informant", "name")} for k, v in mine.items()})
    state = item_state.from_form(form, section).with_errors(errors).with_notices(questionnaire, section)
    return render_template(
        "contributors/rate.html", assessment=assessment, questionnaire=questionnaire, section=section,
        form=form, t=t, errors=errors,
        item_html=render_items(questionnaire, section, state, page="rate", first_number=1, t=t, changes={}),
        sections=[s for s in questionnaire.sections if s.key in row.sections], **request_gettext()
    ), 422 if errors else 200


def _choices(entries: list[dict]) -> list[tuple[int, dict, list[str]]]:
    """The distinct answers the informants gave an item: (index, answer, who gave it)."""
    out: list[tuple[int, dict, list[str]]] = []
    for entry in entries:
        answer = {k: v for k, v in entry.items() if k not in ("informant", "name")}
        for _n, known, names in out:
            if known == answer:
                names.append(entry["name"])
                break
        else:
            out.append((len(out), answer, [entry["name"]]))
    return out


@bp.route(f"/assessments/<{_ID}:assessment_id>/consensus/<section_key>", methods=["GET", "POST"])
@login_required
def consensus(assessment_id: int, section_key: str):
    assessment = load_assessment(current_user, assessment_id, Action.MANAGE_CONTRIBUTORS)
    questionnaire = store.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_key)
    by_item = ratings.ratings_by_item(assessment, queries.informants_of(assessment))
    choices = {k: _choices(by_item.get(k, [])) for k in section.items}
    problems: dict = {}
    if request.method == "POST":
        assessment = load_writable(current_user, assessment_id, Action.EDIT)
        if not EmptyForm().validate_on_submit():
            abort(400)
        answers, rationale = {}, {}
        for key in section.items:
            picked = request.form.get(f"{key}-pick", "")
            chosen = next((a for n, a, _who in choices[key] if str(n) == picked), None)
            if chosen is not None:
                answers[key], rationale[key] = chosen, request.form.get(f"{key}-rationale", "")
        with attempt(RequestError) as outcome:
            ops.record_consensus(assessment, current_user, {
                "base_revision": parse_revision(request.form.get("base_revision")), "answers": answers,
                "rationale": rationale})
        if outcome.refused is not None:
            if outcome.refused.status not in (409, 422):
                raise outcome.refused
            problems = outcome.refused.details.get("rationale") or outcome.refused.details
            flash(outcome.refused.message, "error")
        else:
            flash(_("The consensus is recorded as the assessment's answers."), "success")
            return redirect(url_for(".consensus", assessment_id=assessment.id, section_key=section.key), 303)
    answers_now = store.answers_json(questionnaire, store.answers_of(assessment))
    return render_template(
        "contributors/consensus.html", assessment=assessment, questionnaire=questionnaire, section=section,
        t=translator(), by_item=by_item, choices=choices, answers=answers_now, display=display,
        spread=lambda key: agreement.spread([r.get("level") for r in by_item.get(key, [])]),
        figures=_figures_text(ratings.agreement_by_section(assessment, by_item).get(section.key)),
        problems=problems,
        recorded=ratings.rationales(assessment), form=EmptyForm(), posted=request.form,
    ), 422 if problems else 200


def _figures_text(figures: dict | None) -> dict | None:
    """A section's agreement figures as the comparisons write them, in the reader's locale
    (``66,7 %`` and ``-0,22`` in Russian); the alpha kept left to right in Arabic."""
    if figures is None:
        return None
    return {"items_rated": figures["items_rated"], "share_apart_2": numbers.share(figures["share_apart_2"]),
            "alpha_ordinal": ltr(numbers.decimal(figures["alpha_ordinal"], 2))}
