"""The review page's answers table, rendered once per kept submission and language.

Past draft, an assessment's review page shows its last submission: every item with the
answer as submitted, its level in the stored score, its evidence. Rendering those 90-odd
rows took half the page's time on every request, though they change only with a new
submission or a new stored score. So the rows are kept per process and application as a
skeleton (:class:`app.fragments.Skeleton`), keyed by the questionnaire's edition
(:func:`app.fragments.edition_key`: content, translation and interface revisions, language),
the assessment, its last submission's number and when and with which rubric its score was
stored (as app/results/cache.py and app/review/cache.py key theirs: a resubmission or a
recomputation is a new key). With the rows go the headline figures of the stored score.

What depends on the viewer is a hole (``hole(kind, item key)`` in ``review/_answer.html``
and ``review/_macros.html``), filled per request from :class:`Seen`: the language each answer
was written in (``languages_seen``: a returned assessment's organisation sees its working
copy's), the documents the viewer sees (``attachments.visible``), the comments on each item.
The rows are rendered with the review pages' helpers and this request's translations only
(no context processor: nothing of the viewer); the view looks them up after the policy let
the viewer see the assessment. A draft (its live answers and score) is rendered per request,
through the same template with every hole filled as it renders (:class:`app.fragments.Direct`),
as is every page when ``PAGE_FRAGMENT_CACHE`` is off.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from ..assessments.display import is_unanswered
from ..fragments import Direct, Skeleton, edition_key, request_gettext, skeleton_of
from ..i18n import one_locale
from ..lifecycle import DRAFT, REVIEWABLE
from ..models import Assessment, Submission, User
from . import compare as cmp
from .presenters import answer_words, helpers
from .subjects import load_subjects

#: Tables kept per application (some 60 KB each).
KEPT = 32

_lock = threading.Lock()
_EMPTY = Markup("")


@dataclass(frozen=True)
class Seen:
    """What fills the holes: per item key, the language the viewer's answer was written in,
    the documents they see and the comments; the page's language."""

    languages: Mapping[str, str] = field(default_factory=dict)
    attachments: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    comments: Mapping[str | None, Sequence[Any]] = field(default_factory=dict)
    locale: str = "en"


@dataclass(frozen=True)
class Table:
    rows: Markup                      # the answers table's rows, holes filled
    overall: Mapping[str, Any]        # the score's headline figures
    submission: int | None            # the submission shown (None: the working copy)


@dataclass(frozen=True)
class _Kept:
    rows: Skeleton
    overall: Mapping[str, Any]
    submission: int


def table(user: User, a: Assessment, questionnaire, submissions: Sequence[Submission], seen: Seen) -> Table:
    """The answers table of ``a`` for ``user`` (whom the policy let see it): kept, or built."""
    module = _module()
    fillers = _fillers(module)
    key = _key(a, questionnaire, submissions)
    kept = current_app.extensions.setdefault("review_answer_tables", OrderedDict())
    with _lock:
        found = kept.get(key) if key is not None else None
        if found is not None:
            kept.move_to_end(key)
    if found is None:
        subject = load_subjects(user, [a.id])[0]
        with one_locale():               # some 90 rows of strings: the locale looked up once
            rows = _rows(subject)
            if key is None or (subject.submission, subject.score_key) != (key[2], key[3:5]):
                return Table(module.answer_rows(rows, Direct(fillers, seen)), _overall(subject), subject.submission)
            found = _Kept(skeleton_of(module.answer_rows, rows), _overall(subject), subject.submission)
        with _lock:
            kept[key] = found
            while len(kept) > KEPT:
                kept.popitem(last=False)
    return Table(found.rows.fill(fillers, seen), found.overall, found.submission)


def direct(seen: Seen):
    """A ``hole`` for ``review/_macros.html``'s ``answer_cells`` filled as it renders (the
    submission page)."""
    return Direct(_fillers(_module()), seen)


def seen_now(languages: Mapping[str, str], attachments=None, comments=None) -> Seen:
    return Seen(languages or {}, attachments or {}, comments or {}, str(get_locale() or "en"))


def _key(a: Assessment, questionnaire, submissions: Sequence[Submission]) -> tuple | None:
    """Past draft with a kept submission and a stored score: what the rows are made of
    (app.review.subjects.load_subjects shows the last submission and the stored score)."""
    if a.status == DRAFT or a.status not in REVIEWABLE or a.scored_at is None or not submissions:
        return None
    edition = edition_key(questionnaire)
    if edition is None:
        return None
    return (edition, a.id, submissions[-1].number, a.scored_at.isoformat(), a.score_rubric_version,
            request.script_root)


def _rows(subject: cmp.Subject) -> list[dict[str, Any]]:
    q, scored = subject.questionnaire, subject.score.get("items") or {}
    return [{"item": it, "raw": subject.answers.get(it.key) or {},
             "answer": cmp.item_answer(q, it.key, subject.answers.get(it.key), scored.get(it.key))
             if it.scored else None} for it in q.items]


def _overall(subject: cmp.Subject) -> dict[str, Any]:
    overall = subject.score.get("overall") or {}
    return {k: overall.get(k) for k in ("score", "band", "known_only")}


def _module():
    """``review/_macros.html`` with the review pages' helpers and this request's translations."""
    return current_app.jinja_env.get_template("review/_macros.html").make_module(
        {**request_gettext(), "rv": helpers(), "answer_text": answer_words, "unanswered": is_unanswered})


def _fillers(module) -> dict[str, Any]:
    """Each hole's filler: nothing where there is nothing to show (most rows), else the macro
    of ``review/_macros.html`` that shows it."""
    def note_lang(seen: Seen, key: str) -> Markup:
        language = seen.languages.get(key)
        return module.note_lang(language) if language else _EMPTY

    def written_in(seen: Seen, key: str) -> Markup:
        language = seen.languages.get(key)
        return module.written_in(language) if language and language != seen.locale else _EMPTY

    def attachments(seen: Seen, key: str) -> Markup:
        found = seen.attachments.get(key)
        return module.attachment_links(found) if found else _EMPTY

    def comments(seen: Seen, key: str) -> Markup:
        found = seen.comments.get(key)
        return module.comment_list(found) if found else _EMPTY

    return {"note_lang": note_lang, "written_in": written_in, "attachments": attachments, "comments": comments}
