"""The results page of one assessment: headline, charts, gating, gap list, explanations.

Thin: authorize through the policy, take the score document (live for drafts, stored for
submitted assessments, :func:`~app.results.scores.seen_score`), shape it with the pure
:mod:`~app.results.presenter`, render; the score sections are kept per score and language
(:mod:`~app.results.cache`).
"""
from __future__ import annotations

from typing import Callable

from flask import render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from ..assessments import store
from ..auth.policy import Action, can, load_assessment
from ..fragments import request_gettext
from ..jurisdictions import jurisdiction_name
from ..models import Assessment
from ..shadow import presentation as shadow_presentation
from . import bp, cache, presenter
from .reports import report_downloads
from .scores import seen_score


@bp.route("/assessments/<int:assessment_id>/results")
@login_required
def results(assessment_id: int):
    # The stored score document is read from the row only when it is not kept (seen_score).
    assessment = load_assessment(current_user, assessment_id, Action.VIEW, with_score=False)
    questionnaire = store.questionnaire_of(assessment)
    seen = seen_score(assessment, current_user)
    document = seen.document
    may_edit = can(current_user, Action.EDIT, assessment)
    score = cache.score_sections(questionnaire, assessment, document, seen.key, str(get_locale() or "en"),
                                 _item_linker(assessment, may_edit), "edit" if may_edit else "read")
    return render_template(
        "results/results.html", assessment=assessment, questionnaire=questionnaire, score=score,
        provenance=presenter.provenance(questionnaire, document),
        shadow=shadow_presentation.for_page(current_user, assessment, document),
        may_edit=may_edit, jurisdiction=jurisdiction_name(assessment.jurisdiction),
        downloads=report_downloads(assessment),
        overview_url=url_for("assessments.overview", assessment_id=assessment.id),
        **request_gettext())


def _item_linker(assessment: Assessment, may_edit: bool) -> Callable[[str], str | None]:
    """item key -> where to read it: the item on its section page while the user may
    still change the answer (so a gap can be closed from the list), else on the
    read-only answers page."""
    if may_edit:
        questionnaire = store.questionnaire_of(assessment)
        section_of = questionnaire.section_of
        # Built once per section: a page links its hundred questions some 650 times.
        section_urls = {s.key: url_for("assessments.section", assessment_id=assessment.id, section_key=s.key)
                        for s in questionnaire.sections}

        def to_section(key: str) -> str | None:
            section = section_of.get(key)
            return f"{section_urls[section.key]}#item-{key}" if section else None

        return to_section
    base = url_for("assessments.answers", assessment_id=assessment.id)
    return lambda key: f"{base}#item-{key}"
