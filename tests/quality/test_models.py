"""Integrity lives in the database: constraints hold on SQLite and PostgreSQL."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Answer, Assessment, Comment, ImmutableError, Organisation, QuestionnaireVersion, User


@pytest.fixture
def base(app_ctx):
    org = Organisation(name="Org", kind="government")
    qv = QuestionnaireVersion(questionnaire_id="q", version="1.0", content_hash="x")
    user = User(email="u@x.example", password_hash="h", role="respondent", organisation=org)
    db.session.add_all([org, qv, user])
    db.session.flush()
    a = Assessment(organisation_id=org.id, questionnaire_version_id=qv.id, jurisdiction="KE",
                   period="2026", title="t")
    db.session.add(a)
    db.session.commit()
    return {"org": org, "qv": qv, "user": user, "assessment": a}


def _fails(stmt):
    with pytest.raises(IntegrityError):
        db.session.execute(stmt)
        db.session.flush()
    db.session.rollback()


def test_enumerations_are_checked(base):
    _fails(sa.update(Organisation).values(kind="company"))
    _fails(sa.update(User).values(role="superuser"))
    _fails(sa.update(Assessment).values(status="deleted"))


def test_answer_unique_per_item_and_flags_consistent(base):
    aid = base["assessment"].id
    db.session.add(Answer(assessment_id=aid, item_key="a1", value=2))
    db.session.commit()
    _fails(sa.insert(Answer).values(assessment_id=aid, item_key="a1", value=3, dont_know=False,
                                    not_applicable=False, na_reason="", comment=""))
    _fails(sa.insert(Answer).values(assessment_id=aid, item_key="a2", dont_know=True, not_applicable=True,
                                    na_reason="x", comment=""))
    _fails(sa.insert(Answer).values(assessment_id=aid, item_key="a3", dont_know=False, not_applicable=True,
                                    na_reason="", comment=""))
    _fails(sa.insert(Answer).values(assessment_id=aid, item_key="a4", confidence="certain", dont_know=False,
                                    not_applicable=False, na_reason="", comment=""))


def test_foreign_keys_are_enforced(base):
    _fails(sa.insert(Answer).values(assessment_id=99999, item_key="a1", dont_know=False,
                                    not_applicable=False, na_reason="", comment=""))


def test_revision_cannot_go_negative(base):
    _fails(sa.update(Assessment).values(revision=-1))


def test_comments_are_immutable(base):
    c = Comment(assessment_id=base["assessment"].id, text="first", author_id=base["user"].id)
    db.session.add(c)
    db.session.commit()
    c.text = "changed"
    with pytest.raises(ImmutableError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(Comment, c.id))
    with pytest.raises(ImmutableError):
        db.session.commit()
    db.session.rollback()
