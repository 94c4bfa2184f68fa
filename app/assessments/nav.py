"""The section page's list of sections, from per-edition skeletons (app/fragments.py).

Each row (``templates/assessments/_section_nav.html``) is the same for everyone but for its
URL (the assessment's id), whether it is the page's own section and the section's progress:
those are holes, filled per request from a :class:`NavState`. Rendering the list in the page
template cost a URL build, a title look-up and a formatted message per section, per request.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from flask import current_app
from markupsafe import Markup, escape

from ..fragments import fragments_for
from ..i18n import N_
from .item_state import EMPTY, Labels

TEMPLATE = "assessments/_section_nav.html"


@dataclass
class NavState:
    current: str                                  # the page's section key
    urls: Mapping[str, str]                       # section key -> its page
    progress: Mapping[str, Mapping[str, Any]]     # section key -> its progress (completeness.progress_of)
    labels: Labels = field(default_factory=Labels)


def _answered(s: NavState, key: str) -> Markup:
    p = s.progress[key]
    return s.labels[N_("%(a)s of %(n)s answered")] % {"a": p["answered"], "n": p["scored"]}


FILLERS: dict[str, Callable[..., Markup]] = {
    "url": lambda s, key: escape(s.urls[key]),
    "if_current": lambda s, key, markup: markup if key == s.current else EMPTY,
    "if_complete": lambda s, key, markup: markup if s.progress[key]["state"] == "complete" else EMPTY,
    "answered": _answered,
}


def section_rows(questionnaire, sections: list[Mapping[str, Any]], current: str, urls: Mapping[str, str],
                 t) -> Markup:
    """The rows of ``sections`` (their progress, in order: those the user may see), the
    page's own ``current``."""
    frags = fragments_for(questionnaire, getattr(t, "lang", None))
    state = NavState(current, urls, {s["key"]: s for s in sections})
    return Markup("".join([frags.filled("nav-row", s["key"], _row, s["section"], t, fillers=FILLERS, state=state)
                           for s in sections]))


def _row(section, t, hole) -> Markup:
    return current_app.jinja_env.get_template(TEMPLATE).module.row(section, t, hole)
