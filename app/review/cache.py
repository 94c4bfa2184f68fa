"""The comparison pages' bodies, rendered once per set of stored scores and language.

A comparison, a trend and the government-against-civil-society page show, below their
forms, what the compared assessments' stored scores make of them: tables of every area,
layer, cell and diverging item, the radar and line charts, the changes from period to
period. Computing and rendering them took most of each page's time, on every request,
though none of it changes until one of the assessments is scored again. So the rendered
body is kept per process and application, keyed by everything it is made of:

- each subject's metadata as shown (id, title, organisation and its kind, jurisdiction,
  period, status, questionnaire version, submission compared, when submitted);
- each subject's stored score: when and with which rubric it was stored
  (``Subject.score_key``; submitting and recomputing store it anew, with a new time: a
  new key, nothing to expire), as app/results/cache.py keys the results page;
- each subject's disclosed informant figures, as app.contributors.disclosure let them into
  the comparison on this request (its rules are applied first, on every request: a round
  not settled, or an assessment open again, or an informant removed, is another key);
- each questionnaire version's edition (:func:`app.fragments.edition_key`: content,
  translation and interface catalogue revisions, language) and the page's own options.

A subject compared by a live score (a draft, seen only by its own organisation) makes the
page uncached. Nothing of the viewer goes in: the views load the subjects through the policy
(``visibility_clause``: an id the viewer may not see is a 404) before any look-up, and the
bodies' templates (:data:`TEMPLATES`) use nothing of the viewer, the session or the request
(tests/review/test_review_cache.py reads them); the page around a body (navigation, forms,
choices among what the viewer may see) is rendered per request.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Sequence

from flask import current_app, request
from markupsafe import Markup

from ..contributors.spread import InformantSpread
from ..fragments import edition_key, request_gettext
from ..i18n import one_locale
from .compare import Subject
from .presenters import helpers

#: Bodies kept per application (some 80-100 KB each for a few assessments; a 50-way
#: comparison's runs to megabytes, hence a budget in characters too).
KEPT = 32
KEPT_CHARACTERS = 16_000_000

#: The templates of the bodies kept (what they may use: see the module's docstring).
TEMPLATES = ("review/_comparison.html", "review/_divergence_body.html", "review/_trend_body.html")

_lock = threading.Lock()


def body(kind: str, subjects: Sequence[Subject], options: tuple,
         build: Callable[[], tuple[Markup, Sequence[Subject]]]) -> Markup:
    """The body ``kind`` of a page comparing ``subjects`` (loaded through the policy without
    their scores, with the informant figures disclosed) with ``options``: kept, or built.
    ``build()`` gives the body and the subjects it was built from (loaded again, with their
    scores): it is kept only if those have the key looked up (an assessment scored again
    in between is built from its new score, which its new key finds)."""
    key = _key(kind, subjects, options)
    if key is None:
        return build()[0]
    kept: OrderedDict = current_app.extensions.setdefault("review_bodies", OrderedDict())
    with _lock:
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
    with one_locale():                   # thousands of numbers and strings: the locale looked up once
        found, built_from = build()
    if _key(kind, built_from, options) == key and len(found) <= KEPT_CHARACTERS // 4:
        with _lock:
            kept[key] = found
            while len(kept) > KEPT or sum(map(len, kept.values())) > KEPT_CHARACTERS:
                kept.popitem(last=False)
    return found


def render(template: str, context: dict[str, Any]) -> Markup:
    """``template`` rendered with ``context``, the review pages' display helpers (``rv``) and
    this request's translations: no context processor, so nothing of the viewer."""
    if template not in TEMPLATES:
        raise ValueError(f"{template} is not a kept body")
    html = current_app.jinja_env.get_template(template).render(**request_gettext(), rv=helpers(), **context)
    return Markup(html)


def _key(kind: str, subjects: Sequence[Subject], options: tuple) -> tuple | None:
    editions: dict[str, tuple] = {}
    parts = []
    for s in subjects:
        if s.score_key is None or s.submission is None:
            return None      # a live score; or (older data) no kept submission's answers
        if s.ref not in editions:
            edition = edition_key(s.questionnaire)
            if edition is None:
                return None
            editions[s.ref] = edition
        parts.append((s.id, s.title, s.organisation, s.organisation_kind, s.jurisdiction, s.period,
                      s.status, s.ref, s.submission, s.submitted_at, s.score_key, informants_key(s.informants)))
    return (kind, options, request.script_root, tuple(editions.items()), tuple(parts))


def informants_key(spread: InformantSpread | None) -> tuple | None:
    """Every figure of the disclosed informant ratings (their dictionaries as tuples)."""
    if spread is None:
        return None
    return (tuple(sorted(spread.items.items())),
            tuple((a.key, a.informants, a.items_rated, a.share_apart, a.alpha) for a in spread.sections))
