"""The questions of a section page (and of an informant's rating page), as HTML.

Each question is its type's template (``item.template``, macro ``item``) rendered once per
questionnaire version, language and page into a skeleton (app/fragments.py), then filled
per request from a :class:`~app.assessments.item_state.SectionState`. The templates get only
the definition, a blank form of the section (for the fields' choices and labels) and the
interface strings; never the answers, the user or the request.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping, NamedTuple

from flask import current_app, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..fragments import fragments_for, request_gettext
from ..scoring.caps import rule_for
from . import display
from .fields import evidence_type_labels
from .forms import needed_evidence, section_form_class
from .item_state import BLANK, FILLERS, SectionState

PARTS = "assessments/items/_parts.html"


@dataclass(frozen=True)
class PageStatics:
    """What the questions' templates take from the definition, besides the item."""

    t: Callable[[Any], str]
    rubric: Any
    changes: Mapping[str, str]      # item key -> its change in this version ({}: not shown)

    @staticmethod
    def cap_rule(rubric) -> dict:
        return rule_for(rubric).as_data()

    needed = staticmethod(needed_evidence)


class _Builder:
    """Makes a question's HTML when its skeleton is not cached yet: the template modules
    and the blank form, each made once per page."""

    def __init__(self, questionnaire, section, t) -> None:
        self.questionnaire, self.section, self.t = questionnaire, section, t
        self._modules: dict[str, Any] = {}

    @cached_property
    def form(self):
        return section_form_class(self.questionnaire, self.section, self.t)()

    def module(self, name: str):
        if name not in self._modules:
            self._modules[name] = current_app.jinja_env.get_template(name).make_module(template_vars())
        return self._modules[name]

    def item(self, item, number: int, page: PageStatics, hole) -> Markup:
        return self.module(item.template).item(item, number, self.form, hole, page)


def template_vars() -> dict[str, Any]:
    """The names the questions' templates use: this request's translations, the evidence
    types in its language, the date style."""
    return {**request_gettext(), "when": display.when,
            "evidence_types": [("", _("Choose a type"))] + list(evidence_type_labels().items())}


def render_items(questionnaire, section, state: SectionState, *, page: str, first_number: int,
                 t, changes: Mapping[str, str]) -> list[Markup]:
    """The HTML of each question of ``section``, numbered from ``first_number``; ``page``
    names the page kind (its own skeletons: numbers and shown changes differ)."""
    frags = fragments_for(questionnaire, getattr(t, "lang", None))
    statics = PageStatics(t, questionnaire.rubric, changes)
    build = _Builder(questionnaire, section, t)
    quiet = state.quiet()
    return [frags.filled("item", f"{page}:{n}:{key}", build.item, questionnaire.item_map[key], n, statics,
                         fillers=FILLERS, state=state, quiet=quiet, blank=BLANK)
            for n, key in enumerate(section.items, start=first_number)]


def comment_boxes(comments: Mapping[str, list], review_url: str | None) -> dict[str, Markup]:
    """item key -> the box of reviewers' comments shown in the question (per request)."""
    if not comments:
        return {}
    parts = current_app.jinja_env.get_template(PARTS).make_module(template_vars())
    return {key: parts.reviewer_comments(key, rows, review_url) for key, rows in comments.items() if rows}


def script_messages(questionnaire) -> Markup:
    """The messages the section page's script shows (saving, saved, conflicts...)."""
    def build() -> Markup:
        module = current_app.jinja_env.get_template("assessments/_script_messages.html")
        return module.make_module(request_gettext()).messages()

    return fragments_for(questionnaire).get("script-messages", "", build)




#: The assessment id of the URLs built once (:func:`page_urls`): the page's own replaces it.
_STAND_IN = 2_147_483_647


class PageUrls(NamedTuple):
    overview: str
    sections: dict[str, str]    # section key -> its page


def page_urls(questionnaire, assessment_id: int) -> PageUrls:
    """The URLs the section page links with the assessment's id. ``url_for`` cost more than
    the rest of the list of sections: each URL is built once per edition with a stand-in id
    and cut around it; a page joins its own id in."""
    cut = _cut_urls(questionnaire)
    if cut is None:
        urls = _urls(questionnaire, assessment_id)
    else:
        number = str(assessment_id)
        urls = {name: number.join(parts) for name, parts in cut.items()}
    return PageUrls(urls.pop(""), urls)


def _urls(questionnaire, assessment_id: int) -> dict[str, str]:
    """Section key -> its page, and "" -> the overview."""
    return {"": url_for("assessments.overview", assessment_id=assessment_id)} | {
        s.key: url_for("assessments.section", assessment_id=assessment_id, section_key=s.key)
        for s in questionnaire.sections}


def _cut_urls(questionnaire) -> dict[str, list[str]] | None:
    """The URLs cut at the stand-in, per script root the app is served under (a few at
    most); None where the stand-in shows elsewhere in a URL too."""
    known = fragments_for(questionnaire).shared("page-urls", "", dict)
    root = request.script_root
    if root not in known:
        cut: dict[str, list[str]] | None = {
            name: url.split(str(_STAND_IN)) for name, url in _urls(questionnaire, _STAND_IN).items()}
        if any(len(parts) != 2 for parts in cut.values()):
            cut = None
        if len(known) >= 8:
            return cut
        known[root] = cut
    return known[root]
