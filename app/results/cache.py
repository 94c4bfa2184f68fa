"""The results page's score sections, rendered once per score and language; and live score
documents, computed once per revision of the answers.

From the headline to the explanations (``results/_score.html``), the results page shows only
the score document as :mod:`app.results.presenter` shapes it, the definition's texts and the
interface strings. Shaping and rendering them took some 50 ms of a page's 60. The score a
viewer sees is a pure function of what :func:`app.results.scores.seen_score` keys it by:

- a stored score (a submitted assessment, or the submission a reviewer sees of a returned
  one): when and with which rubric it was stored (a recomputation or a resubmission stores
  it again: a new key, nothing to expire);
- a live score (a draft's, or the working copy its organisation sees of a returned one):
  the questionnaire's content (its rubric included) and the answers seen, named by their
  revision (:func:`app.assessments.seen.revision_seen`; every save that changes an answer
  moves it).

So the two rendered parts are kept per process, keyed by that, the questionnaire edition
(:func:`app.fragments.edition_key`: version, translation and interface catalogue revisions,
language), the assessment and the kind of the questions' links (to the section page while
the viewer may still edit the answers, else to the read-only answers page). A live score
document is kept by its own key too (``documents``), so that a page or an API call that
hits it neither reads the answers nor scores them again; so is a stored one, so that the
results page reads its row without the score column (some 300 KB of JSON, two of a page's
six milliseconds to decode). Kept documents are shared: read them, never change them.

Nothing of the viewer goes in but which answers they see: the view looks the parts up only
after the policy let the viewer see the assessment, and the page's per-viewer parts
(breadcrumbs, downloads, the shadow assessment's part) are rendered per request around them.
``PAGE_FRAGMENT_CACHE = False`` keeps nothing (the reference the tests compare with).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Mapping, TypeVar

from flask import current_app
from markupsafe import Markup

from ..fragments import edition_key, request_gettext
from ..i18n import one_locale
from . import presenter

#: Score sections kept per process (some 300-400 KB each, before compression).
KEPT = 32
#: Score documents kept per process, live and stored (some 200 KB of objects each).
KEPT_DOCUMENTS = 32

T = TypeVar("T")

_kept: OrderedDict[tuple, "ScoreSections"] = OrderedDict()
documents: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class ScoreSections:
    headline: Markup
    sections: Markup


def kept(store: OrderedDict, key: Hashable | None, make: Callable[[], T], limit: int) -> T:
    """``store[key]``, made by ``make()`` on a miss and kept (the ``limit`` most recently used);
    ``make()`` every time when ``key`` is None."""
    if key is None:
        return make()
    found = kept_only(store, key)
    if found is None:
        found = make()   # outside the lock: two first requests may both make it, alike
        keep(store, key, found, limit)
    return found


def kept_only(store: OrderedDict, key: Hashable) -> Any:
    """``store[key]`` if kept (now the most recently used), else None; makes nothing."""
    with _lock:
        found = store.get(key)
        if found is not None:
            store.move_to_end(key)
        return found


def keep(store: OrderedDict, key: Hashable, value: Any, limit: int) -> None:
    """Keep ``value`` as ``store[key]``, dropping the least recently used beyond ``limit``."""
    with _lock:
        store[key] = value
        while len(store) > limit:
            store.popitem(last=False)


def may_keep() -> bool:
    return current_app.config.get("PAGE_FRAGMENT_CACHE", True)


def score_sections(questionnaire, assessment, document: Mapping[str, Any], score_key: tuple | None,
                   lang: str, item_url: Callable[[str], str | None], links: str) -> ScoreSections:
    """The rendered score sections of ``document`` (``score_key``: what it is a function of,
    :func:`app.results.scores.seen_score`; ``links`` names the kind of ``item_url``: "edit"
    or "read")."""
    edition = edition_key(questionnaire, lang)
    key = None if edition is None or score_key is None else (edition, assessment.id, score_key, links)
    return kept(_kept, key, lambda: _render(questionnaire, document, lang, item_url), KEPT)


def _render(questionnaire, document: Mapping[str, Any], lang: str, item_url) -> ScoreSections:
    # Some 3,000 numbers and a thousand strings: the locale and its catalogue looked up once.
    with one_locale():
        view = presenter.present(questionnaire, document, lang=lang)
        module = current_app.jinja_env.get_template("results/_score.html").make_module(request_gettext())
        return ScoreSections(module.headline(view), module.sections(view, item_url))
