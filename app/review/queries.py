"""Reads of the review area: the reviewer's list, the assessments to compare (with their
light score documents and latest submissions), submissions, comments and review history,
the candidates of the named comparisons.  Every query of assessments starts from the
authorization policy's ``visibility_clause`` (``reviewable``: past draft too), so a reviewer
never sees a draft; every function issues a fixed number of SQL queries whatever the number
of assessments (tests count them).  app.review.subjects makes comparison subjects of them."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import defer, load_only

from ..auth.policy import visibility_clause
from ..extensions import db
from ..lifecycle import REVIEWABLE
from ..models import Assessment, Comment, Organisation, QuestionnaireVersion, ReviewEvent, Submission, User
from .changes import period_key

MAX_EXPORT = 200   # an XLSX of 200 assessments (17,400 item rows) takes seconds, not minutes
PER_PAGE_CHOICES = (25, 50, 100)

_band_expr = Assessment.score[("overall", "band")].as_string()

#: Sort keys of the list -> SQL expressions (ties broken by id).
SORTS = {
    "submitted": Assessment.submitted_at,
    "jurisdiction": Assessment.jurisdiction,
    "period": Assessment.period,
    "organisation": Organisation.name,
    "status": Assessment.status,
    "title": Assessment.title,
    "score": Assessment.overall_score,   # indexed: sorts thousands in the database
}


# -- the reviewer's list ----------------------------------------------------------------------
@dataclass
class ListFilters:
    """The list's filters, already checked (app.review.pages.list_filters): None or empty
    filters nothing."""
    questionnaire_id: str | None = None      # with its version: both or neither
    questionnaire_version: str | None = None
    jurisdiction: str | None = None          # upper case
    period: str | None = None
    organisation_kind: str | None = None     # one of ORG_KINDS
    statuses: list[str] = field(default_factory=list)   # among REVIEWABLE
    sort: str = "submitted"                  # a key of SORTS
    direction: str = "desc"                  # else ascending
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
    return and_(visibility_clause(user), Assessment.status.in_(REVIEWABLE))


def _filtered(user: User, f: ListFilters):
    """(conditions, whether they need the organisations join, the questionnaire versions join)."""
    conditions = [reviewable(user)]
    needs_org = needs_version = False
    if f.questionnaire_id is not None and f.questionnaire_version is not None:
        conditions += [QuestionnaireVersion.questionnaire_id == f.questionnaire_id,
                       QuestionnaireVersion.version == f.questionnaire_version]
        needs_version = True
    if f.jurisdiction:
        conditions.append(Assessment.jurisdiction == f.jurisdiction)
    if f.period:
        conditions.append(Assessment.period == f.period)
    if f.organisation_kind:
        conditions.append(Organisation.kind == f.organisation_kind)
        needs_org = True
    if f.statuses:
        conditions.append(Assessment.status.in_(f.statuses))
    return conditions, needs_org, needs_version


def _ids_query(conditions, needs_org: bool, needs_version: bool):
    stmt = select(Assessment.id)
    if needs_org:
        stmt = stmt.join(Organisation, Organisation.id == Assessment.organisation_id)
    if needs_version:
        stmt = stmt.join(QuestionnaireVersion, QuestionnaireVersion.id == Assessment.questionnaire_version_id)
    return stmt.where(*conditions)


def review_list(user: User, f: ListFilters) -> ListPage:
    """One page of the assessments ``user`` may review: 4 queries (count, the page's ids,
    their rows with the stored overall scores, the counterparts for the named comparisons),
    whatever the total and whatever the sort (the overall score has an indexed column of its
    own).  Only the page's rows are read in full, and their score documents only for the
    band."""
    conditions, needs_org, needs_version = _filtered(user, f)
    total = db.session.scalar(select(func.count()).select_from(
        _ids_query(conditions, needs_org, needs_version).subquery()))
    sort = SORTS[f.sort]
    order = sort.desc().nulls_last() if f.direction == "desc" else sort.asc().nulls_last()
    page = max(1, min(f.page, max(1, math.ceil(total / f.per_page))))
    ids = db.session.scalars(
        _ids_query(conditions, needs_org or f.sort == "organisation", needs_version)
        .order_by(order, Assessment.id.desc() if f.direction == "desc" else Assessment.id)
        .limit(f.per_page).offset((page - 1) * f.per_page)).all()
    found = {a.id: ListRow(a, score, band) for a, score, band in db.session.execute(
        select(Assessment, Assessment.overall_score, _band_expr).options(defer(Assessment.score))
        .where(Assessment.id.in_(ids)))} if ids else {}
    rows = [found[i] for i in ids if i in found]
    counterparts, periods_of = _neighbours(user, rows)
    return ListPage(rows, total, page, f.per_page, counterparts, periods_of)


def matching_ids(user: User, f: ListFilters, limit: int) -> tuple[list[int], int]:
    """The ids of every assessment the list's filters match (in the list's order, at most
    ``limit``) and how many match: "export everything matching the filters"."""
    conditions, needs_org, needs_version = _filtered(user, f)
    total = db.session.scalar(select(func.count()).select_from(
        _ids_query(conditions, needs_org, needs_version).subquery()))
    sort = SORTS[f.sort]
    order = sort.desc().nulls_last() if f.direction == "desc" else sort.asc().nulls_last()
    ids = db.session.scalars(_ids_query(conditions, needs_org or f.sort == "organisation", needs_version)
                             .order_by(order, Assessment.id).limit(limit)).all()
    return list(ids), total


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
    """Distinct jurisdictions and periods among what ``user`` may review (one query)."""
    pairs = db.session.execute(select(Assessment.jurisdiction, Assessment.period)
                               .where(reviewable(user)).distinct()).all()
    return {"jurisdictions": sorted({j for j, _p in pairs}),
            "periods": sorted({p for _j, p in pairs}, reverse=True)}


# -- assessments as comparison subjects ------------------------------------------------------
#: Parts of a stored score document a comparison, an export or the review page never reads:
#: left in the database (they are most of its size).
UNUSED_SCORE_PARTS = ("gaps", "explanations", "missing")


def score_without_unused_parts():
    """The stored score document minus :data:`UNUSED_SCORE_PARTS`, as cheaply as each
    database allows: SQLite cuts them out in C (``json_remove``, one parse per row) so that
    Python decodes a third of the text; PostgreSQL sends the stored text untouched (its
    ``json`` operators would re-parse the whole compressed document, several times slower
    than decoding it here) and :func:`decoded_score` drops the parts."""
    from sqlalchemy import JSON, Text, cast, type_coerce

    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        return type_coerce(func.json_remove(Assessment.score, *[f"$.{p}" for p in UNUSED_SCORE_PARTS]), JSON)
    if dialect == "postgresql":
        return cast(Assessment.score, Text)
    return Assessment.score


def decoded_score(value: Any) -> dict | None:
    """What :func:`score_without_unused_parts` selected, as a dict without the unused parts."""
    import json

    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, dict):
        for part in UNUSED_SCORE_PARTS:
            value.pop(part, None)
    return value


def visible_with_light_scores(user: User, ids: Sequence[int]) -> dict[int, tuple[Assessment, dict | None]]:
    """The assessments ``ids`` that ``user`` may see, by id, each with its stored score
    document without :data:`UNUSED_SCORE_PARTS` (the ORM rows leave the column unloaded).
    One query."""
    rows = db.session.execute(
        select(Assessment, score_without_unused_parts()).options(defer(Assessment.score))
        .where(visibility_clause(user), Assessment.id.in_(list(ids)))).all()
    return {a.id: (a, decoded_score(score)) for a, score in rows}


def visible_without_scores(user: User, ids: Sequence[int]) -> dict[int, Assessment]:
    """The assessments ``ids`` that ``user`` may see, by id, their score documents left in the
    database (what a page kept by app.review.cache needs to find its key).  One query."""
    return {a.id: a for a in db.session.scalars(
        select(Assessment).options(defer(Assessment.score))
        .where(visibility_clause(user), Assessment.id.in_(list(ids))))}


def latest_submissions(ids: Sequence[int], *, with_answers: bool = True) -> dict[int, tuple[int, dict | None]]:
    """The latest submission of each assessment: (number, answers or None), in one query.
    The snapshot's own score is never read (the stored score is the assessment's)."""
    if not ids:
        return {}
    latest = (select(Submission.assessment_id, func.max(Submission.number).label("n"))
              .where(Submission.assessment_id.in_(list(ids))).group_by(Submission.assessment_id))
    if not with_answers:
        return {i: (n, None) for i, n in db.session.execute(latest)}
    latest = latest.subquery()
    rows = db.session.execute(select(Submission.assessment_id, Submission.number, Submission.answers)
                              .join(latest, and_(Submission.assessment_id == latest.c.assessment_id,
                                                 Submission.number == latest.c.n)))
    return {i: (n, answers) for i, n, answers in rows}


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


def divergence_periods(user: User, jurisdiction: str) -> tuple[list[str], list[str]]:
    """The periods of a jurisdiction among what ``user`` may review, latest first, and
    those of them with both a government and an NGO assessment.  One query."""
    kinds: dict[str, set[str]] = {}
    for period, kind in db.session.execute(
            select(Assessment.period, Organisation.kind).join(Assessment.organisation)
            .where(reviewable(user), Assessment.jurisdiction == jurisdiction.upper()).distinct()):
        kinds.setdefault(period, set()).add(kind)
    periods = sorted(kinds, key=period_key, reverse=True)
    return periods, [p for p in periods if {"government", "ngo"} <= kinds[p]]
