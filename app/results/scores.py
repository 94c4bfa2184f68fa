"""The score of an assessment: live for drafts, stored for submitted ones (RUBRIC 8).

A submitted assessment keeps the score computed at submission, with the
questionnaire and rubric versions that produced it, so that a later rubric
change never silently rewrites a submitted result. Recomputing is explicit
(app.results.operations.recompute) and recorded in the audit log.

A live score is a pure function of the questionnaire (its rubric included) and the answers
seen, and the answers change only with their revision: it is computed once per revision and
kept (:mod:`app.results.cache`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assessments import store
from ..extensions import db
from ..assessments.seen import answers_seen, counts_stored, current_score, revision_seen, shows_submission
from ..models import Assessment
from ..questionnaire.catalog import catalog
from ..scoring import score_assessment
from . import cache


def live_score(assessment: Assessment) -> dict[str, Any]:
    return score_assessment(store.questionnaire_of(assessment), store.answers_of(assessment))


@dataclass(frozen=True)
class SeenScore:
    """The score document a viewer sees, and what it is a function of (``key``; None: not to
    be kept)."""

    document: dict[str, Any]
    key: tuple | None


def seen_score(assessment: Assessment, viewer: Any = None) -> SeenScore:
    """The score ``viewer`` sees (:func:`app.assessments.seen.current_score`), with when and
    by which rubric it was stored (``"stored"``: None for a live score), and its key: a stored
    score's time and rubric; a live score's questionnaire content, rubric and answers seen
    (:func:`app.assessments.seen.revision_seen`)."""
    sees = shows_submission(viewer, assessment)

    def score() -> dict[str, Any]:
        return current_score(assessment, lambda: answers_seen(viewer, assessment), sees_submission=sees)

    if counts_stored(assessment.status, sees):   # current_score's own rule
        scored_at = assessment.scored_at.isoformat() if assessment.scored_at else None
        key = ("stored", scored_at, assessment.score_rubric_version) if scored_at else None
        kept_as = _stored_document_key(assessment, key) if key is not None and cache.may_keep() else None
        kept = cache.kept_only(cache.documents, kept_as) if kept_as is not None else None
        if kept is not None:   # the column (some 300 KB of JSON) is not read, nor decoded
            return SeenScore(kept, key)
        if assessment.score:
            document = dict(score(), stored={"scored_at": scored_at, "rubric_version": assessment.score_rubric_version})
            if kept_as is not None:
                cache.keep(cache.documents, kept_as, document, cache.KEPT_DOCUMENTS)
            return SeenScore(document, key)
    key = _live_key(assessment, viewer)
    return SeenScore(dict(cache.kept(cache.documents, key, score, cache.KEPT_DOCUMENTS), stored=None), key)


def _stored_document_key(assessment: Assessment, key: tuple) -> tuple:
    """A stored score document is kept by what stores it anew (submitting, resubmitting and
    recomputing each set ``scored_at``), the assessment and the database it is read from;
    the overall score, a column of the row, tells apart the same time in a database restored
    under a running server."""
    return ("stored", str(db.engine.url), assessment.id, assessment.overall_score) + key[1:]


def _live_key(assessment: Assessment, viewer: Any) -> tuple | None:
    questionnaire = store.questionnaire_of(assessment)
    loaded = catalog().loaded(questionnaire.id, questionnaire.version)
    if loaded is None or not cache.may_keep():
        return None
    rubric = questionnaire.rubric
    # Read before the answers: a save committed in between leaves the newer score under the
    # older revision, which no request that starts after that save asks for.
    return ("live", loaded.content_hash, rubric.rubric_version if rubric else None, assessment.id,
            revision_seen(viewer, assessment))


def score_document(assessment: Assessment, viewer: Any = None) -> dict[str, Any]:
    """The score ``viewer`` sees (:func:`seen_score`): read it, never change it (a live one
    may be shared with other requests)."""
    return seen_score(assessment, viewer).document
