"""The results page's score sections, rendered once per stored score and language.

From the headline to the explanations (``results/_score.html``), the results page shows only
the score document as :mod:`app.results.presenter` shapes it, the definition's texts and the
interface strings. Shaping and rendering them took some 50 ms of a page's 60. A stored score
(a submitted assessment, or the submission a reviewer sees of a returned one) does not
change until it is stored again, and every viewer the policy lets open the page sees the
same document; so the two rendered parts are kept per process, keyed by:

- the questionnaire edition (:func:`app.fragments.edition_key`: version, translation and
  interface catalogue revisions, language);
- the assessment, and when and with which rubric its score was stored (a recomputation or
  a resubmission stores it again: a new key, nothing to expire);
- the kind of the questions' links (to the section page while the viewer may still edit
  the answers, else to the read-only answers page).

A live score (a draft's) is computed and rendered per request. Nothing of the viewer goes in:
the view looks the parts up only after the policy let the viewer see the assessment, and
the page's per-viewer parts (breadcrumbs, downloads, the shadow assessment's part) are
rendered per request around them.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from flask import current_app
from markupsafe import Markup

from ..fragments import edition_key, request_gettext
from . import presenter

#: Score sections kept per process (some 300-400 KB each, before compression).
KEPT = 32

_kept: OrderedDict[tuple, "ScoreSections"] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class ScoreSections:
    headline: Markup
    sections: Markup


def score_sections(questionnaire, assessment, document: Mapping[str, Any], lang: str,
                   item_url: Callable[[str], str | None], links: str) -> ScoreSections:
    """The rendered score sections of ``document`` (``links`` names the kind of
    ``item_url``: "edit" or "read")."""
    key = _key(questionnaire, assessment, document, lang, links)
    if key is None:
        return _render(questionnaire, document, lang, item_url)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = _render(questionnaire, document, lang, item_url)
    with _lock:
        _kept[key] = found
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return found


def _key(questionnaire, assessment, document: Mapping[str, Any], lang: str, links: str) -> tuple | None:
    stored = document.get("stored")
    edition = edition_key(questionnaire, lang)
    if not stored or edition is None or not stored.get("scored_at"):
        return None
    return (edition, assessment.id, stored["scored_at"], stored.get("rubric_version"), links)


def _render(questionnaire, document: Mapping[str, Any], lang: str, item_url) -> ScoreSections:
    view = presenter.present(questionnaire, document, lang=lang)
    module = current_app.jinja_env.get_template("results/_score.html").make_module(request_gettext())
    return ScoreSections(module.headline(view), module.sections(view, item_url))
