"""Reads of the review area.  Every query starts from the authorization policy
(:func:`app.auth.policy.visible_assessments` / ``visibility_clause``), so a reviewer never
sees a draft; every function issues a fixed number of SQL queries whatever the number of
assessments (tests count them)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, defer, load_only

from ..assessments import store
from ..auth.policy import REVIEWABLE_STATUSES, visibility_clause
from ..errors import ApiError
from ..extensions import db
from ..models import Assessment, Comment, Organisation, QuestionnaireVersion, ReviewEvent, Submission, User
from ..models.accounts import ORG_KINDS
from .compare import MAX_SUBJECTS, Subject

MAX_EXPORT = 500
PER_PAGE_CHOICES = (25, 50, 100)

_score_expr = Assessment.score[("overall", "score")].as_float()
_band_expr = Assessment.score[("overall", "band")].as_string()

#: Sort keys of the list -> SQL expressions (ties broken by id).
SORTS = {
    "submitted": Assessment.submitted_at,
    "jurisdiction": Assessment.jurisdiction,
    "period": Assessment.period,
    "organisation": Organisation.name,
    "status": Assessment.status,
    "title": Assessment.title,
    "score": _score_expr,
}


# -- ids ----------------------------------------------------------------------------------------
def parse_ids(raw: Iterable[str] | str | None, *, minimum: int = 1, maximum: int = MAX_SUBJECTS) -> list[int]:
    """``"1,2,3"`` or ``["1", "2,3"]`` -> [1, 2, 3] (order kept, repeats dropped).
    Bad input is a 422 naming the problem, never a 500."""
    if raw is None:
        parts: list[str] = []
    elif isinstance(raw, str):
        parts = raw.split(",")
    else:
        parts = [p for chunk in raw for p in str(chunk).split(",")]
    ids: list[int] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) < 2**31:
            raise ApiError(422, "ids must be a comma-separated list of assessment ids",
                           {"ids": f"not an assessment id: {part[:20]!r}"})
        if int(part) not in ids:
            ids.append(int(part))
    if not minimum <= len(ids) <= maximum:
        raise ApiError(422, f"give {minimum} to {maximum} assessment ids",
                       {"ids": f"{len(ids)} given; between {minimum} and {maximum} needed"})
    return ids


# -- the reviewer's list ----------------------------------------------------------------------
@dataclass
class ListFilters:
    questionnaire: str = ""          # "id@version"
    jurisdiction: str = ""
    period: str = ""
    organisation_kind: str = ""
    statuses: list[str] = field(default_factory=list)
    sort: str = "submitted"
    direction: str = "desc"
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]


@dataclass
class ListRow:
    assessment: Assessment
    score: float | None
    band: str | None


@dataclass
class ListPage:
    rows: list[ListRow]
    total: int
    page: int
    per_page: int
    counterparts: dict[tuple[str, str], set[str]]   # (jurisdiction, period) -> org kinds present
    periods_of: dict[tuple[str, int], int]          # (jurisdiction, organisation id) -> periods

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def reviewable(user: User):
    """The SQL condition: visible to ``user`` (policy) and past draft (the review area)."""
    return and_(visibility_clause(user), Assessment.status.in_(REVIEWABLE_STATUSES))


def _filtered(user: User, f: ListFilters):
    conditions = [reviewable(user)]
    if f.questionnaire and "@" in f.questionnaire:
        qid, version = f.questionnaire.split("@", 1)
        conditions += [QuestionnaireVersion.questionnaire_id == qid, QuestionnaireVersion.version == version]
    if f.jurisdiction:
        conditions.append(Assessment.jurisdiction == f.jurisdiction.upper())
    if f.period:
        conditions.append(Assessment.period == f.period)
    if f.organisation_kind in ORG_KINDS:
        conditions.append(Organisation.kind == f.organisation_kind)
    statuses = [s for s in f.statuses if s in REVIEWABLE_STATUSES]
    if statuses:
        conditions.append(Assessment.status.in_(statuses))
    return conditions


def review_list(user: User, f: ListFilters) -> ListPage:
    """One page of the assessments ``user`` may review: 3 queries (count, page, the
    counterparts of the page's rows for the named comparisons), whatever the total."""
    conditions = _filtered(user, f)
    joined = (select(Assessment).join(Assessment.organisation)
              .join(Assessment.questionnaire_version).where(*conditions))
    total = db.session.scalar(select(func.count()).select_from(
        joined.with_only_columns(Assessment.id).subquery()))
    sort = SORTS.get(f.sort, SORTS["submitted"])
    order = sort.desc().nulls_last() if f.direction == "desc" else sort.asc().nulls_last()
    page = max(1, min(f.page, max(1, math.ceil(total / f.per_page))))
    stmt = (joined.add_columns(_score_expr, _band_expr)
            .options(contains_eager(Assessment.organisation),
                     contains_eager(Assessment.questionnaire_version), defer(Assessment.score))
            .order_by(order, Assessment.id.desc() if f.direction == "desc" else Assessment.id)
            .limit(f.per_page).offset((page - 1) * f.per_page))
    rows = [ListRow(a, score, band) for a, score, band in db.session.execute(stmt).all()]
    counterparts, periods_of = _neighbours(user, rows)
    return ListPage(rows, total, page, f.per_page, counterparts, periods_of)


def _neighbours(user: User, rows: Sequence[ListRow]):
    """For the named comparisons linked from each row: which organisation kinds assessed
    each (jurisdiction, period) on the page, and how many periods each organisation has
    for each jurisdiction.  One query."""
    jurisdictions = sorted({r.assessment.jurisdiction for r in rows})
    counterparts: dict[tuple[str, str], set[str]] = {}
    periods: dict[tuple[str, int], set[str]] = {}
    if not jurisdictions:
        return counterparts, {}
    stmt = (select(Assessment.jurisdiction, Assessment.period, Organisation.kind, Organisation.id)
            .join(Assessment.organisation)
            .where(reviewable(user), Assessment.jurisdiction.in_(jurisdictions)).distinct())
    for jurisdiction, period, kind, org_id in db.session.execute(stmt):
        counterparts.setdefault((jurisdiction, period), set()).add(kind)
        periods.setdefault((jurisdiction, org_id), set()).add(period)
    return counterparts, {k: len(v) for k, v in periods.items()}


def filter_choices(user: User) -> dict[str, list[str]]:
    """Distinct jurisdictions and periods among what ``user`` may review (two queries)."""
    base = reviewable(user)
    jurisdictions = db.session.scalars(select(Assessment.jurisdiction).where(base).distinct()
                                       .order_by(Assessment.jurisdiction)).all()
    periods = db.session.scalars(select(Assessment.period).where(base).distinct()
                                 .order_by(Assessment.period.desc())).all()
    return {"jurisdictions": list(jurisdictions), "periods": list(periods)}


# -- assessments as comparison subjects ------------------------------------------------------
def load_subjects(user: User, ids: Sequence[int]) -> list[Subject]:
    """The assessments ``ids`` as :class:`Subject` values, in the order given.

    Submitted (and later) assessments are compared as last submitted: the stored score
    (``Assessment.score``) and the answers of the latest :class:`Submission`; a returned
    assessment being edited is therefore seen as the reviewer saw it, never half-edited.
    A draft (only its own organisation sees one) is scored from its current answers.
    Queries: 1 (assessments) + 1 (latest submissions) + 2 if drafts are among them.
    An id ``user`` may not see is a 404 (existence hidden), listing no detail."""
    from ..scoring import score_assessment

    rows = db.session.scalars(select(Assessment).where(
        visibility_clause(user), Assessment.id.in_(list(ids)))).unique().all()
    by_id = {a.id: a for a in rows}
    if len(by_id) != len(set(ids)):
        raise ApiError(404, "some assessments do not exist or are not visible to you",
                       {"ids": [i for i in ids if i not in by_id]})
    snapshots = latest_submissions([a.id for a in rows if a.status != "draft"])
    live = [a.id for a in rows if a.status == "draft" or a.id not in snapshots]
    live_answers = store.answers_for(live) if live else {}
    out = []
    for i in ids:
        a = by_id[i]
        q = store.questionnaire_of(a)
        snap = snapshots.get(a.id)
        if snap is None:
            answers = live_answers.get(a.id, {})
            score = score_assessment(q, answers, explain=False)
            answers_json = store.answers_json(q, answers)
            number = None
        else:
            score = a.score or snap.score
            answers_json = snap.answers
            number = snap.number
            if not score or "items" not in score:   # an older document: rescore, explicitly
                score = _rescore(q, answers_json)
        out.append(Subject(
            id=a.id, title=a.title, organisation=a.organisation.name,
            organisation_kind=a.organisation.kind, jurisdiction=a.jurisdiction, period=a.period,
            status=a.status, questionnaire=q, score=score, answers=answers_json, submission=number,
            submitted_at=a.submitted_at.isoformat() if a.submitted_at else None))
    return out


def _rescore(q, answers_json: dict[str, Any]) -> dict[str, Any]:
    from ..questionnaire.patch import parse_patch
    from ..scoring import score_assessment

    answers, _errors = parse_patch(q, {k: v for k, v in answers_json.items() if k in q.item_map})
    return score_assessment(q, {k: v for k, v in answers.items() if v is not None}, explain=False)


def latest_submissions(ids: Sequence[int]) -> dict[int, Submission]:
    """The latest submission of each assessment, in one query."""
    if not ids:
        return {}
    latest = (select(Submission.assessment_id, func.max(Submission.number).label("n"))
              .where(Submission.assessment_id.in_(list(ids))).group_by(Submission.assessment_id)
              .subquery())
    rows = db.session.scalars(select(Submission).join(latest, and_(
        Submission.assessment_id == latest.c.assessment_id, Submission.number == latest.c.n))).all()
    return {s.assessment_id: s for s in rows}


def submissions_of(assessment: Assessment) -> list[Submission]:
    """Every submission of one assessment, oldest first, without the (large) snapshots."""
    return list(db.session.scalars(
        select(Submission).where(Submission.assessment_id == assessment.id)
        .options(load_only(Submission.id, Submission.assessment_id, Submission.number,
                           Submission.revision, Submission.submitted_at, Submission.submitted_by_id))
        .order_by(Submission.number)).all())


def submission(assessment: Assessment, number: int) -> Submission | None:
    return db.session.scalar(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.number == number))


def submission_pair(assessment: Assessment, number: int) -> tuple[Submission | None, Submission | None]:
    """Submission ``number`` and the one before it (if any), in one query."""
    rows = {s.number: s for s in db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.number.in_([number - 1, number])))}
    return rows.get(number), rows.get(number - 1)


# -- comments and review history ---------------------------------------------------------------
def comments_for(assessment_ids: Sequence[int]) -> dict[int, list[Comment]]:
    """Comments of many assessments, oldest first, in one query (authors joined).  The caller
    has already checked that the assessments are visible."""
    out: dict[int, list[Comment]] = {i: [] for i in assessment_ids}
    if not assessment_ids:
        return out
    for c in db.session.scalars(select(Comment).where(Comment.assessment_id.in_(list(assessment_ids)))
                                .order_by(Comment.created_at, Comment.id)):
        out[c.assessment_id].append(c)
    return out


def events_for(assessment_ids: Sequence[int]) -> dict[int, list[ReviewEvent]]:
    out: dict[int, list[ReviewEvent]] = {i: [] for i in assessment_ids}
    if not assessment_ids:
        return out
    for e in db.session.scalars(select(ReviewEvent).where(ReviewEvent.assessment_id.in_(list(assessment_ids)))
                                .order_by(ReviewEvent.at, ReviewEvent.id)):
        out[e.assessment_id].append(e)
    return out


def comment_json(c: Comment) -> dict[str, Any]:
    return {"id": c.id, "item": c.item_key, "text": c.text,
            "author": {"name": c.author.display_name, "organisation": c.author.organisation.name,
                       "role": c.author.role} if c.author else None,
            "submission": c.submission_number, "created_at": c.created_at.isoformat()}


def comments_by_item(comments: Sequence[Comment]) -> dict[str | None, list[Comment]]:
    out: dict[str | None, list[Comment]] = {}
    for c in comments:
        out.setdefault(c.item_key, []).append(c)
    return out


# -- the named comparisons ----------------------------------------------------------------------
@dataclass
class Candidate:
    id: int
    period: str
    organisation_id: int
    organisation: str
    kind: str
    status: str
    submitted_at: Any


def candidates(user: User, jurisdiction: str, period: str | None = None,
               organisation_id: int | None = None) -> list[Candidate]:
    """Reviewable assessments of a jurisdiction (and period, organisation), newest
    submission first; one query, light columns only."""
    stmt = (select(Assessment.id, Assessment.period, Organisation.id, Organisation.name,
                   Organisation.kind, Assessment.status, Assessment.submitted_at)
            .join(Assessment.organisation)
            .where(reviewable(user), Assessment.jurisdiction == jurisdiction.upper()))
    if period:
        stmt = stmt.where(Assessment.period == period)
    if organisation_id:
        stmt = stmt.where(Organisation.id == organisation_id)
    stmt = stmt.order_by(Assessment.submitted_at.desc().nulls_last(), Assessment.id.desc())
    return [Candidate(*row) for row in db.session.execute(stmt)]


def government_and_ngo(user: User, jurisdiction: str, period: str) -> tuple[Candidate | None, Candidate | None, list[Candidate]]:
    """The latest government and the latest NGO assessment of a jurisdiction and period,
    and every candidate (to offer the others)."""
    found = candidates(user, jurisdiction, period)
    gov = next((c for c in found if c.kind == "government"), None)
    ngo = next((c for c in found if c.kind == "ngo"), None)
    return gov, ngo, found


def trend_candidates(user: User, jurisdiction: str, organisation_id: int | None) -> tuple[list[Candidate], list[tuple[int, str, int]]]:
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


def version_choices(catalog) -> list[tuple[str, str]]:
    return [(f"{q.id}@{q.version}", f"{q.title.get('en', q.id)} {q.version}") for q in catalog.all()]


# -- exports ------------------------------------------------------------------------------------
def export_selection(user: User, ids: Sequence[int]):
    """Subjects, comments and review history of a selection, as plain data: 4 to 6 queries
    whatever the number of assessments."""
    subjects = load_subjects(user, ids)
    comments = {i: [comment_json(c) for c in cs] for i, cs in comments_for(ids).items()}
    events = {i: [{"at": e.at.isoformat(), "action": e.action, "from_status": e.from_status,
                   "to_status": e.to_status, "by": e.user.display_name if e.user else None,
                   "reason": e.reason} for e in es] for i, es in events_for(ids).items()}
    return subjects, comments, events
