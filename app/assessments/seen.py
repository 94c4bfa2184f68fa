"""What a viewer sees of an assessment: its working copy, or its last submission.

A reviewer can trust what was submitted only if they see nothing else.  While an assessment
is returned, its organisation edits the working copy towards a resubmission; everyone outside
the organisation (reviewers, admins of other organisations) keeps seeing the answers and the
score as last submitted, in the API, on the pages and in the reports, until the resubmission.
In every other status the working copy *is* the submission (it cannot change), or it is a
draft only the organisation sees.

One place decides (:func:`shows_submission`); the readers below are what views and reports
call instead of reading ``assessment.answers`` themselves.  The score follows the same rule:
:func:`current_score` is the one place that picks the stored score or a live one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..lifecycle import LIVE_SCORE, REEDITED
from ..models import Assessment, Submission
from ..questionnaire.answers import AnswerData
from . import store
from .queries import answer_languages, latest_submission, latest_submission_light

def shows_submission(viewer: Any, assessment: Assessment) -> bool:
    """True when ``viewer`` (a user, or None for the organisation's own processes) must see
    the last submission rather than the working copy."""
    if assessment.status not in REEDITED or viewer is None:
        return False
    return getattr(viewer, "organisation_id", None) != assessment.organisation_id


def snapshot_answers(questionnaire, answers_json: dict[str, Any]) -> dict[str, AnswerData]:
    """A submission's answers (their API form) as AnswerData, through the one parser."""
    from ..questionnaire.patch import parse_patch

    answers, _errors = parse_patch(questionnaire, {k: v for k, v in (answers_json or {}).items()
                                                   if k in questionnaire.item_map})
    return {k: v for k, v in answers.items() if v is not None}


@dataclass(frozen=True)
class SeenState:
    """The answers a viewer sees, the revision they were saved at, and the submission they
    come from (None: the working copy)."""

    answers: dict[str, AnswerData]
    revision: int
    submission: Submission | None = None

    @property
    def is_submission(self) -> bool:
        return self.submission is not None


def seen_by(viewer: Any, assessment: Assessment) -> SeenState:
    if shows_submission(viewer, assessment):
        submission = latest_submission(assessment)
        if submission is not None:
            questionnaire = store.questionnaire_of(assessment)
            return SeenState(snapshot_answers(questionnaire, submission.answers), submission.revision,
                             submission)
    return SeenState(store.answers_of(assessment), assessment.revision)


def revision_seen(viewer: Any, assessment: Assessment) -> tuple:
    """What names the answers :func:`seen_by` gives ``viewer``, without reading them: the last
    submission's (id, revision, time), or the working copy's (revision, time of its last
    save).  Answers change only through :func:`app.assessments.operations.save_answers`,
    which moves the revision and that time together; the time also tells one revision apart
    from the same number in another database (each test's; one restored under a running
    server) or in a save that was rolled back.  For keeping what is computed from them."""
    if shows_submission(viewer, assessment):
        submission = latest_submission(assessment)
        if submission is not None:
            return ("submission", submission.id, submission.revision, _instant(submission.submitted_at))
    return ("working", assessment.revision, _instant(assessment.updated_at))


def _instant(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""


def languages_seen(viewer: Any, assessment: Assessment) -> dict[str, str]:
    """Item key -> the language the answer ``viewer`` sees was written in (where known)."""
    if shows_submission(viewer, assessment):
        submission = latest_submission_light(assessment)
        if submission is not None:
            return dict(submission[1] or {})
    return answer_languages(assessment)


def key_messages_seen(viewer: Any, assessment: Assessment) -> list[str]:
    """The key messages ``viewer`` sees (app.shadow.messages): those kept with the last
    submission where :func:`shows_submission` says so (a returned assessment's organisation
    may change them towards its resubmission), else the assessment's own."""
    from ..shadow import messages

    if shows_submission(viewer, assessment):
        submission = latest_submission(assessment)
        if submission is not None:
            return messages.texts(submission.key_messages)
    return messages.of(assessment)


def answers_seen(viewer: Any, assessment: Assessment) -> dict[str, AnswerData]:
    return seen_by(viewer, assessment).answers


Answers = Mapping[str, AnswerData]
_ASSESSMENT_SCORE: Any = object()   # "the stored score is assessment.score"


def counts_stored(status: str, sees_submission: bool = False) -> bool:
    """Whether the score stored on submit is the one that counts (RUBRIC 8): once the answers
    are locked, and for a viewer shown the last submission of a returned assessment.  While
    the organisation may change the answers, the score is computed from them."""
    return status not in LIVE_SCORE or sees_submission


def current_score(assessment: Assessment, answers: Answers | Callable[[], Answers], *,
                  sees_submission: bool = False, stored: Any = _ASSESSMENT_SCORE,
                  explain: bool = True) -> dict[str, Any]:
    """The score that counts for ``assessment``: the stored one where :func:`counts_stored`
    says so, else computed live from ``answers`` (what the viewer sees: AnswerData by item
    key, or a function returning them, called only when needed).  A stored score from before
    per-item levels were kept keeps its headline; its per-item levels are computed for display.
    ``stored``: the stored score document when the caller read it itself (a list that defers
    the column); by default ``assessment.score``."""
    from ..scoring import score_assessment

    stored = assessment.score if stored is _ASSESSMENT_SCORE else stored
    questionnaire = store.questionnaire_of(assessment)
    if stored and counts_stored(assessment.status, sees_submission):
        if "items" in stored:
            return stored
        return dict(stored, items=score_assessment(questionnaire, _read(answers), explain=False)["items"])
    return score_assessment(questionnaire, _read(answers), explain=explain)


def _read(answers: Answers | Callable[[], Answers]) -> Answers:
    return answers() if callable(answers) else answers


def submission_score(questionnaire, submission: Submission) -> dict[str, Any]:
    """A kept submission's own score: stored with it, else (older data) computed from its
    answers."""
    from ..scoring import score_assessment

    return submission.score or score_assessment(
        questionnaire, snapshot_answers(questionnaire, submission.answers), explain=False)
