"""Reads of the review area.  Every query starts from the authorization policy
(:func:`app.auth.policy.visible_assessments` / ``visibility_clause``), so a reviewer never
sees a draft; every function issues a fixed number of SQL queries whatever the number of
assessments (tests count them)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import defer, load_only

from ..contributors.answerers import answerers
from ..assessments import store
from ..assessments.queries import answers_for
from ..assessments.seen import current_score, snapshot_answers
from ..auth.policy import visibility_clause
from ..errors import RequestError
from ..extensions import db
from ..lifecycle import DRAFT, REVIEWABLE
from ..models import Assessment, Comment, Organisation, QuestionnaireVersion, ReviewEvent, Submission, User
from ..models.accounts import ORG_KINDS
from .changes import period_key
from .compare import Subject

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
    return and_(visibility_clause(user), Assessment.status.in_(REVIEWABLE))


def _filtered(user: User, f: ListFilters):
    """(conditions, whether they need the organisations join, the questionnaire versions join)."""
    conditions = [reviewable(user)]
    needs_org = needs_version = False
    if f.questionnaire and "@" in f.questionnaire:
        qid, version = f.questionnaire.split("@", 1)
        conditions += [QuestionnaireVersion.questionnaire_id == qid, QuestionnaireVersion.version == version]
        needs_version = True
    if f.jurisdiction:
        conditions.append(Assessment.jurisdiction == f.jurisdiction.upper())
    if f.period:
        conditions.append(Assessment.period == f.period)
    if f.organisation_kind in ORG_KINDS:
        conditions.append(Organisation.kind == f.organisation_kind)
        needs_org = True
    statuses = [s for s in f.statuses if s in REVIEWABLE]
    if statuses:
        conditions.append(Assessment.status.in_(statuses))
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
    key = f.sort if f.sort in SORTS else "submitted"
    sort = SORTS[key]
    order = sort.desc().nulls_last() if f.direction == "desc" else sort.asc().nulls_last()
    page = max(1, min(f.page, max(1, math.ceil(total / f.per_page))))
    ids = db.session.scalars(
        _ids_query(conditions, needs_org or key == "organisation", needs_version)
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
    key = f.sort if f.sort in SORTS else "submitted"
    order = SORTS[key].desc().nulls_last() if f.direction == "desc" else SORTS[key].asc().nulls_last()
    ids = db.session.scalars(_ids_query(conditions, needs_org or key == "organisation", needs_version)
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


def load_subjects(user: User, ids: Sequence[int], *, with_answers: bool = True) -> list[Subject]:
    """The assessments ``ids`` as :class:`Subject` values, in the order given.

    Submitted (and later) assessments are compared as last submitted: the stored score
    (``Assessment.score``, without :data:`UNUSED_SCORE_PARTS`) and the answers of the latest
    :class:`Submission`; a returned assessment being edited is therefore seen as the reviewer
    saw it, never half-edited.  A draft (only its own organisation sees one) is scored from its
    current answers.  ``with_answers=False`` leaves the answers out (a comparison reads the
    levels from the score document) and reads no snapshot.
    Queries: 1 (assessments) + 1 (latest submissions) + 2 if drafts are among them.
    An id ``user`` may not see is a 404 (existence hidden)."""
    rows = db.session.execute(
        select(Assessment, score_without_unused_parts()).options(defer(Assessment.score))
        .where(visibility_clause(user), Assessment.id.in_(list(ids)))).all()
    by_id = {a.id: (a, decoded_score(score)) for a, score in rows}
    if len(by_id) != len(set(ids)):
        raise RequestError(404, "some assessments do not exist or are not visible to you",
                       {"ids": [i for i in ids if i not in by_id]})
    snapshots = latest_submissions([i for i, (a, _s) in by_id.items() if a.status != DRAFT],
                                   with_answers=with_answers)
    live = [i for i, (a, _s) in by_id.items() if a.status == DRAFT or i not in snapshots]
    live_answers = answers_for(live) if live else {}
    out = []
    for i in ids:
        a, stored = by_id[i]
        q = store.questionnaire_of(a)
        snap = snapshots.get(a.id)
        if snap is None:     # a draft; or (older data) a submitted one without a kept snapshot
            answers: Any = live_answers.get(a.id, {})
            number, answers_json = None, store.answers_json(q, answers)
        else:
            number, answers_json = snap[0], snap[1] or {}
            answers = _snapshot_reader(q, a.id, answers_json if with_answers else None)
        # Compared as last submitted, whoever looks: the stored score once submitted.
        score = current_score(a, answers, sees_submission=a.status in REVIEWABLE, stored=stored,
                              explain=False)
        out.append(Subject(
            id=a.id, title=a.title, organisation=a.organisation.name,
            organisation_kind=a.organisation.kind, jurisdiction=a.jurisdiction, period=a.period,
            status=a.status, questionnaire=q, score=score, answers=answers_json, submission=number,
            submitted_at=a.submitted_at.isoformat() if a.submitted_at else None))
    return out


def _snapshot_reader(q, assessment_id: int, answers_json: dict[str, Any] | None):
    """The latest submission's answers as AnswerData, read when a score needs them (an older
    stored score without per-item levels); ``None``: not loaded yet, read then."""
    def read():
        kept = answers_json if answers_json is not None else latest_submissions([assessment_id])[assessment_id][1]
        return snapshot_answers(q, kept or {})
    return read


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


def government_and_ngo(user: User, jurisdiction: str, period: str
                       ) -> tuple[Candidate | None, Candidate | None, list[Candidate]]:
    """The latest government and the latest NGO assessment of a jurisdiction and period,
    and every candidate (to offer the others)."""
    found = candidates(user, jurisdiction, period)
    gov = next((c for c in found if c.kind == "government"), None)
    ngo = next((c for c in found if c.kind == "ngo"), None)
    return gov, ngo, found


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


def version_choices(catalog) -> list[tuple[str, str]]:
    return [(f"{q.id}@{q.version}", f"{q.title.get('en', q.id)} {q.version}") for q in catalog.all()]


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
