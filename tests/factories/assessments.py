"""Assessments and their answers, made through the real operations: complete answers, an
assessment created (answered, submitted), its stored score overwritten, comments, a review
that returns it, bulk copies of a submitted one."""
from __future__ import annotations

from sqlalchemy import insert, select


def create_assessment(app, user_id, answers=None, submit=False, **meta) -> int:
    """Create (and optionally answer and submit) an assessment through the real operations."""
    from app.assessments import operations as ops
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        q = app.extensions["catalog"].latest("prevention-readiness") or app.extensions["catalog"].all()[-1]
        data = {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE",
                "period": "2026", "title": "Test assessment"} | meta
        a = ops.create_assessment(user, data)
        if answers:
            ops.save_answers(a, user, a.revision, answers)
        if submit:
            ops.submit(a, user)
        db.session.commit()
        return a.id


def new_assessment(app, user_id: int, answers: dict | None = None, submit: bool = False,
                   **meta) -> int:
    return create_assessment(app, user_id, answers, submit, **({"title": "Report test assessment"} | meta))


def full_answers(questionnaire, level=2) -> dict:
    """A complete, valid answer patch for every scored item (a helper for tests)."""
    from app.questionnaire.answers import AnswerData

    return {item.key: AnswerData(value=item.example_value(level)).to_json(item.value_key)
            for item in questionnaire.scored_items}


def full_answer_data(questionnaire, level=2) -> dict:
    """``full_answers`` as parsed AnswerData (for the pure functions); scale levels come with a
    law as evidence, so that no evidence cap applies."""
    from app.questionnaire.answers import AnswerData, Evidence

    law = (Evidence("law", "Act 1 of 2020"),)
    return {item.key: AnswerData(value=item.example_value(level), evidence=law if item.type == "scale" else ())
            for item in questionnaire.scored_items}


def na_for_a_country(questionnaire, item) -> bool:
    """Whether a national assessment (the tests' KE) may answer ``item`` "not applicable":
    the item allows it, and not only for province assessments (rubric 1.1)."""
    only = questionnaire.rubric.na_subnational_only if questionnaire.rubric else ()
    return item.allow_na and item.key not in only


def add_comment(app, assessment_id: int, author_id: int, text: str, item: str | None = None):
    from app.extensions import db
    from app.models import Comment

    with app.app_context():
        db.session.add(Comment(assessment_id=assessment_id, author_id=author_id, text=text,
                               item_key=item, submission_number=1))
        db.session.commit()


def set_scores(app, assessment_id: int, overall: float | None = None, areas: dict | None = None,
               levels: dict | None = None) -> None:
    """Overwrite parts of an assessment's stored score document (the comparisons read it),
    stored anew as every write of a stored score does (a new ``scored_at``: the pages kept
    per stored score, app/results/cache.py and app/review/cache.py, are keyed by it)."""
    import copy

    from app.extensions import db
    from app.models import Assessment
    from app.models._common import utcnow

    with app.app_context():
        a = db.session.get(Assessment, assessment_id)
        doc = copy.deepcopy(a.score)
        if overall is not None:
            doc["overall"]["score"] = overall
        for code, value in (areas or {}).items():
            doc["areas"][code]["score"] = value
        for key, value in (levels or {}).items():
            doc["items"][key].update(claimed_level=value, effective_level=value, status="answered")
        a.score = doc
        a.scored_at = utcnow()
        db.session.commit()


def return_with_comments(app, aid, reviewer_id) -> int:
    """The reviewer starts the review of ``aid``, comments on the whole and on a1, and returns
    it with a reason; the number of its comments."""
    from app.extensions import db
    from app.models import Assessment, Comment, User
    from app.review import operations as review_ops

    with app.app_context():
        a, rev = db.session.get(Assessment, aid), db.session.get(User, reviewer_id)
        review_ops.apply_review(a, rev, "start")
        review_ops.post_comment(a, rev, None, "Please check the whole of section B.")
        review_ops.post_comment(a, rev, "a1", "Cite the act's section number.")
        review_ops.apply_review(a, rev, "return", "Evidence for a1 is missing.")
        db.session.commit()
        return db.session.query(Comment).filter_by(assessment_id=aid).count()


def clone_submitted(app, source_id: int, count: int, **overrides) -> list[int]:
    """``count`` copies of a submitted assessment (its stored score and its latest
    submission), each with the metadata ``overrides`` (values may be callables of the copy's
    index).  Two bulk inserts."""
    from app.extensions import db
    from app.models import Assessment, Submission
    from app.models.assessments import overall_of

    with app.app_context():
        a = db.session.get(Assessment, source_id)
        snap = db.session.scalar(select(Submission).where(Submission.assessment_id == source_id)
                                 .order_by(Submission.number.desc()))
        first = (db.session.scalar(select(Assessment.id).order_by(Assessment.id.desc())) or 0) + 1
        rows = []
        for n in range(count):
            row = {"id": first + n, "organisation_id": a.organisation_id,
                   "questionnaire_version_id": a.questionnaire_version_id,
                   "jurisdiction": a.jurisdiction, "period": a.period, "title": f"{a.title} copy {n}",
                   "status": a.status, "revision": a.revision, "submitted_at": a.submitted_at,
                   "created_at": a.created_at, "updated_at": a.updated_at, "score": a.score,
                   "score_rubric_version": a.score_rubric_version, "scored_at": a.scored_at}
            row.update({k: (v(n) if callable(v) else v) for k, v in overrides.items()})
            # A bulk insert runs no validator: the indexed overall score is set here.
            row["overall_score"] = overall_of(row["score"])
            rows.append(row)
        db.session.execute(insert(Assessment), rows)
        db.session.execute(insert(Submission), [
            {"assessment_id": first + n, "number": 1, "revision": snap.revision,
             "submitted_by_id": snap.submitted_by_id, "submitted_at": snap.submitted_at,
             "answers": snap.answers, "score": snap.score} for n in range(count)])
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequence on
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('assessments', 'id'), "
                                       "(SELECT max(id) FROM assessments))"))
        db.session.commit()
        return [first + n for n in range(count)]
