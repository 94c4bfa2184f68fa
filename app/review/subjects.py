"""The assessments a comparison, a trend or an export is made of: chosen among the candidates
of the named comparisons, loaded as :class:`~app.review.compare.Subject` values (read by
app.review.queries), with their comments and review history as plain data."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from flask_babel import gettext as _

from ..assessments import store
from ..assessments.queries import answers_for
from ..assessments.seen import current_score, snapshot_answers
from ..contributors.answerers import answerers
from ..errors import RequestError
from ..lifecycle import DRAFT, REVIEWABLE
from ..models import Comment, User
from .compare import Subject
from .queries import (Candidate, candidates, comments_for, events_for, latest_submissions,
                      visible_with_light_scores, visible_without_scores)


def load_subjects(user: User, ids: Sequence[int], *, with_answers: bool = True,
                  with_scores: bool = True) -> list[Subject]:
    """The assessments ``ids`` as :class:`Subject` values, in the order given.

    Submitted (and later) assessments are compared as last submitted: the stored score
    (``Assessment.score``, without app.review.queries.UNUSED_SCORE_PARTS) and the answers of
    the latest :class:`Submission`; a returned assessment being edited is therefore seen as the reviewer
    saw it, never half-edited.  A draft (only its own organisation sees one) is scored from its
    current answers.  ``with_answers=False`` leaves the answers out (a comparison reads the
    levels from the score document) and reads no snapshot.  ``with_scores=False`` leaves the
    score documents and the answers in the database (``score`` None): enough for
    app.review.cache to find a page it keeps (``score_key``) and for the informants'
    disclosure; the page is built, when it is not kept, from subjects loaded in full.
    Queries: 1 (assessments) + 1 (latest submissions) + 2 if drafts are among them (with scores).
    An id ``user`` may not see is a 404 (existence hidden)."""
    by_id = (visible_with_light_scores(user, ids) if with_scores
             else {i: (a, None) for i, a in visible_without_scores(user, ids).items()})
    if len(by_id) != len(set(ids)):
        raise RequestError(404, _("some assessments do not exist or are not visible to you"),
                       {"ids": [i for i in ids if i not in by_id]})
    snapshots = latest_submissions([i for i, (a, _s) in by_id.items() if a.status != DRAFT],
                                   with_answers=with_answers and with_scores)
    live = [i for i, (a, _s) in by_id.items() if a.status == DRAFT or i not in snapshots]
    live_answers = answers_for(live) if live and with_scores else {}
    out = []
    for i in ids:
        a, stored = by_id[i]
        q = store.questionnaire_of(a)
        snap = snapshots.get(a.id)
        score = None
        if snap is None:     # a draft; or (older data) a submitted one without a kept snapshot
            answers: Any = live_answers.get(a.id, {})
            number, answers_json = None, store.answers_json(q, answers) if with_scores else {}
        else:
            number, answers_json = snap[0], snap[1] or {}
            answers = _snapshot_reader(q, a.id, answers_json if with_answers else None)
        if with_scores:      # compared as last submitted, whoever looks: the stored score once submitted
            score = current_score(a, answers, sees_submission=a.status in REVIEWABLE, stored=stored,
                                  explain=False)
        out.append(Subject(
            id=a.id, title=a.title, organisation=a.organisation.name,
            organisation_kind=a.organisation.kind, jurisdiction=a.jurisdiction, period=a.period,
            status=a.status, questionnaire=q, score=score, answers=answers_json, submission=number,
            submitted_at=a.submitted_at.isoformat() if a.submitted_at else None,
            score_key=_stored_score_key(a)))
    return out


def _stored_score_key(a) -> tuple[str, str | None] | None:
    """When and by which rubric the score a comparison shows was stored (None: a live score).
    Past draft, the stored score is the one compared (``current_score``, seen as submitted);
    submitting and recomputing store it with a new ``scored_at``."""
    if a.status not in REVIEWABLE or a.scored_at is None:
        return None
    return a.scored_at.isoformat(), a.score_rubric_version


def _snapshot_reader(q, assessment_id: int, answers_json: dict[str, Any] | None):
    """The latest submission's answers as AnswerData, read when a score needs them (an older
    stored score without per-item levels); ``None``: not loaded yet, read then."""
    def read():
        kept = answers_json if answers_json is not None else latest_submissions([assessment_id])[assessment_id][1]
        return snapshot_answers(q, kept or {})
    return read


# -- comments -----------------------------------------------------------------------------------
def comment_json(c: Comment) -> dict[str, Any]:
    """A comment in its API form (the OpenAPI ``Comment`` schema)."""
    return {"id": c.id, "item": c.item_key, "text": c.text,
            "author": c.author.display_name if c.author else None,
            "author_organisation": c.author.organisation.name if c.author else None,
            "author_role": c.author.role if c.author else None,
            "submission": c.submission_number, "created_at": c.created_at.isoformat()}


def comments_by_item(comments: Sequence[Comment]) -> dict[str | None, list[Comment]]:
    out: dict[str | None, list[Comment]] = {}
    for c in comments:
        out.setdefault(c.item_key, []).append(c)
    return out


# -- the named comparisons ----------------------------------------------------------------------
def government_and_ngo(user: User, jurisdiction: str, period: str
                       ) -> tuple[Candidate | None, Candidate | None, list[Candidate]]:
    """The latest government and the latest NGO assessment of a jurisdiction and period,
    and every candidate (to offer the others)."""
    found = candidates(user, jurisdiction, period)
    gov = next((c for c in found if c.kind == "government"), None)
    ngo = next((c for c in found if c.kind == "ngo"), None)
    return gov, ngo, found


def trend_candidates(user: User, jurisdiction: str, organisation_id: int | None
                     ) -> tuple[list[Candidate], list[tuple[int, str, int]]]:
    """The assessments of one organisation for a jurisdiction, one per period (the latest
    submitted), oldest period first; and the organisations with assessments there, with
    their number of periods.  One query."""
    found = candidates(user, jurisdiction)
    orgs: dict[int, tuple[str, set[str]]] = {}
    for c in found:
        orgs.setdefault(c.organisation_id, (c.organisation, set()))[1].add(c.period)
    organisations = sorted(((oid, name, len(ps)) for oid, (name, ps) in orgs.items()),
                           key=lambda o: (-o[2], o[1]))
    if organisation_id is None and len(organisations) == 1:
        organisation_id = organisations[0][0]
    per_period: dict[str, Candidate] = {}
    for c in found:                      # newest submission first: keep the first per period
        if c.organisation_id == organisation_id:
            per_period.setdefault(c.period, c)
    return list(per_period.values()), organisations


# -- exports ------------------------------------------------------------------------------------
def export_selection(user: User, ids: Sequence[int]):
    """Subjects, comments and review history of a selection, as plain data: 4 to 6 queries
    whatever the number of assessments."""
    subjects = load_subjects(user, ids)
    who = answerers(subjects)
    subjects = [replace(s, answered_by=who.get(s.id, {})) for s in subjects]
    comments = {i: [comment_json(c) for c in cs] for i, cs in comments_for(ids).items()}
    events = {i: [{"at": e.at.isoformat(), "action": e.action, "from_status": e.from_status,
                   "to_status": e.to_status, "by": e.user.display_name if e.user else None,
                   "reason": e.reason} for e in es] for i, es in events_for(ids).items()}
    return subjects, comments, events
