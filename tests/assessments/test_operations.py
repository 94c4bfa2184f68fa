"""Assessment operations: the one code path for pages, autosave and the API."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.assessments import completeness, operations as ops, store
from app.errors import ApiError
from app.extensions import db
from app.models import Assessment, AuditEntry, User
from tests.factories import full_answers


@pytest.fixture
def world(app, make_user, make_assessment):
    """Two colleagues of org A, one respondent of org B, and a draft of org A."""
    ids = {"ana": make_user("ana@a.example", org="Org A"), "ben": make_user("ben@a.example", org="Org A"),
           "olga": make_user("olga@b.example", org="Org B", kind="ngo")}
    ids["draft"] = make_assessment(ids["ana"], title="Draft")
    with app.app_context():
        db.session.get(User, ids["ben"]).name = "Ben Mwangi"
        db.session.commit()
    with app.app_context():
        yield SimpleNamespace(**{k: v for k, v in ids.items()},
                              user=lambda k: db.session.get(User, ids[k]),
                              assessment=lambda i=None: db.session.get(Assessment, i or ids["draft"]),
                              q=app.extensions["catalog"].latest("prevention-readiness"))


def fp(assessment, key):
    return ops.answer_fingerprints(assessment, [key])[key]


def test_save_answers_writes_audit_rows_with_old_and_new_values(world):
    a = world.assessment()
    ops.save_answers(a, world.user("ana"), 0, {"a1": {"level": 1}})
    ops.save_answers(a, world.user("ben"), 1, {"a1": {"level": 2, "confidence": "low"}, "a2": {"dont_know": True}})
    db.session.commit()
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.assessment_id == a.id,
                                                       AuditEntry.action == "answer.update")
                              .order_by(AuditEntry.id)).all()
    assert [(r.item_key, r.revision, r.old_value, r.new_value) for r in rows] == [
        ("a1", 1, None, {"level": 1}),
        ("a1", 2, {"level": 1}, {"level": 2, "confidence": "low"}),
        ("a2", 2, None, {"dont_know": True}),
    ]
    assert rows[1].user_id == world.ben and a.revision == 2 and a.updated_by_id == world.ben


def test_save_answers_refuses_a_stale_revision_with_what_changed(world):
    a = world.assessment()
    ops.save_answers(a, world.user("ben"), 0, {"a1": {"level": 3}})
    with pytest.raises(ApiError) as exc:
        ops.save_answers(a, world.user("ana"), 0, {"a2": {"level": 1}})
    assert exc.value.status == 409
    details = exc.value.details
    assert details["current_revision"] == 1
    assert details["changes"][0] | {"at": None} == {"item": "a1", "revision": 1, "by": "Ben Mwangi", "at": None,
                                                    "by_id": world.ben, "old": None, "new": {"level": 3}}


def test_an_invalid_entry_saves_nothing(world):
    a = world.assessment()
    with pytest.raises(ApiError) as exc:
        ops.save_answers(a, world.user("ana"), 0, {"a1": {"level": 2}, "a2": {"level": 7}})
    assert exc.value.status == 422 and set(exc.value.details) == {"a2"}
    db.session.rollback()
    a = world.assessment()
    assert a.revision == 0 and a.answers == []


def test_section_save_merges_with_other_peoples_changes(world):
    """Two colleagues on the same section: different questions merge, nothing is lost."""
    a = world.assessment()
    loaded = ops.answer_fingerprints(a, ["a1", "a2"])   # Ana opens the page at revision 0
    ops.save_answers(a, world.user("ben"), 0, {"a2": {"level": 3}})   # Ben saves a2
    # Ana's page still shows a2 empty; she answers a1. Her stale a2 must not overwrite Ben's.
    result = ops.save_section(a, world.user("ana"), 0, {"a1": {"level": 1}, "a2": None}, loaded)
    db.session.commit()
    answers = store.answers_of(world.assessment())
    assert answers["a1"].value == 1 and answers["a2"].value == 3
    assert result["changed"] == ["a1"]
    assert [c["item"] for c in result["others"]] == ["a2"]     # she is told about Ben's change
    # Her page still shows a2 as it was: it keeps the fingerprint it loaded (not Ben's), so
    # an edit of a2 on that page is a conflict, never an overwrite.
    assert result["outdated"] == ["a2"] and "a2" not in result["fingerprints"]
    assert result["fingerprints"]["a1"] == fp(a, "a1")


def test_section_save_refuses_a_conflict_and_keeps_nothing(world):
    a = world.assessment()
    ops.save_answers(a, world.user("ana"), 0, {"a1": {"level": 1}})
    loaded = ops.answer_fingerprints(a, ["a1", "a2"])
    ops.save_answers(a, world.user("ben"), 1, {"a1": {"level": 3}})
    db.session.commit()
    with pytest.raises(ApiError) as exc:
        ops.save_section(a, world.user("ana"), 1, {"a1": {"level": 2}, "a2": {"level": 4}}, loaded)
    assert exc.value.status == 409
    d = exc.value.details
    assert d["conflicts"] == ["a1"] and d["current_revision"] == 2
    assert [(c["by"], c["old"], c["new"]) for c in d["changes"]] == [("Ben Mwangi", {"level": 1}, {"level": 3})]
    db.session.rollback()
    answers = store.answers_of(world.assessment())
    assert answers["a1"].value == 3 and "a2" not in answers
    # "Keep my version": resend against the fingerprints the conflict returned.
    a = world.assessment()
    result = ops.save_section(a, world.user("ana"), d["current_revision"], {"a1": {"level": 2}, "a2": {"level": 4}},
                              loaded | d["fingerprints"])
    assert sorted(result["changed"]) == ["a1", "a2"]
    assert store.answers_of(a)["a1"].value == 2


def test_section_save_same_answer_is_not_a_conflict(world):
    a = world.assessment()
    loaded = ops.answer_fingerprints(a, ["a1"])
    ops.save_answers(a, world.user("ben"), 0, {"a1": {"level": 2}})
    result = ops.save_section(a, world.user("ana"), 0, {"a1": {"level": 2}}, loaded)
    assert result["changed"] == [] and result["revision"] == 1


def test_progress_counts_scored_items_and_special_answers(world):
    a = world.assessment()
    ops.save_answers(a, world.user("ana"), 0, {"a1": {"dont_know": True}, "a2": {"level": 0},
                                               "a3": {"comment": "only a comment"}})
    p = completeness.progress(world.q, store.answers_of(a))
    assert p["answered"] == 2 and p["scored"] == len(world.q.scored_items)
    first = p["sections"][0]
    assert first["answered"] == 2 and first["state"] == "in_progress"
    assert ops.missing_items(a)[:2] == ["a3", "a4"]


def test_submit_needs_completeness_then_locks(world):
    a = world.assessment()
    with pytest.raises(ApiError) as exc:
        ops.submit(a, world.user("ana"))
    assert exc.value.status == 422 and len(exc.value.details["missing"]) == len(world.q.scored_items)
    ops.save_answers(a, world.user("ana"), 0, full_answers(world.q))
    submission = ops.submit(a, world.user("ana"))
    assert a.status == "submitted" and submission.number == 1 and a.score["completeness"] == 1.0
    with pytest.raises(ApiError) as exc:
        ops.save_answers(a, world.user("ana"), a.revision, {"a1": {"level": 4}})
    assert exc.value.status == 409
    with pytest.raises(ApiError) as exc:
        ops.save_section(a, world.user("ana"), a.revision, {"a1": {"level": 4}}, {})
    assert exc.value.status == 409


def _new(world, **extra):
    return {"questionnaire": world.q.id, "version": world.q.version, "jurisdiction": "KE-30", "period": "2027",
            "title": "Next year"} | extra


def test_copy_from_a_submitted_assessment_of_the_same_organisation(world):
    a = world.assessment()
    answers = full_answers(world.q) | {"a1": {"level": 3, "evidence": [{"type": "law", "reference": "Act 1",
                                                                      "note": "n"}], "comment": "kept"}}
    ops.save_answers(a, world.user("ana"), 0, answers)
    ops.submit(a, world.user("ana"))
    db.session.commit()
    new = ops.create_assessment(world.user("ben"), _new(world, based_on=a.id))
    db.session.commit()
    assert new.based_on_id == a.id and new.status == "draft" and new.revision == 1
    assert store.answers_json(world.q, store.answers_of(new)) == store.answers_json(world.q, store.answers_of(a))
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.assessment_id == new.id,
                                                      AuditEntry.action == "assessment.copy")).new_value == {
        "from": a.id, "items": len(answers)}


def test_copy_conditions_are_enforced(world, make_assessment):
    draft = world.assessment()
    with pytest.raises(ApiError) as exc:
        ops.create_assessment(world.user("ana"), _new(world, based_on=draft.id))
    assert exc.value.status == 422 and "submitted" in exc.value.details["based_on"]
    other = make_assessment(world.olga, answers=full_answers(world.q), submit=True)
    with pytest.raises(ApiError) as exc:
        ops.create_assessment(world.user("ana"), _new(world, based_on=other))
    assert "own organisation" in exc.value.details["based_on"]
    with pytest.raises(ApiError) as exc:
        ops.create_assessment(world.user("ana"), _new(world, based_on=99999))
    assert "based_on" in exc.value.details
    # Same organisation and status, but another questionnaire id.
    source = SimpleNamespace(organisation_id=world.user("ana").organisation_id, status="accepted",
                             questionnaire_version=SimpleNamespace(questionnaire_id="other-questionnaire"))
    assert "same questionnaire" in ops.copy_source_problem(world.user("ana"), source, world.q.id)
    assert ops.copy_source_problem(world.user("ana"), SimpleNamespace(
        organisation_id=source.organisation_id, status="in_review",
        questionnaire_version=SimpleNamespace(questionnaire_id=world.q.id)), world.q.id) is None


def test_create_validates_jurisdiction_period_and_title(world):
    with pytest.raises(ApiError) as exc:
        ops.create_assessment(world.user("ana"), _new(world, jurisdiction="XX-999", period="", title=""))
    assert set(exc.value.details) == {"jurisdiction", "period", "title"}
    from app.jurisdictions import valid_jurisdiction

    assert valid_jurisdiction("ke") and valid_jurisdiction("KE-30") and not valid_jurisdiction("ZZ")


@pytest.mark.parametrize("period", ["2026", "2025-2026", "2025/26", "2026 Q1", "2026Q4", "2026 H2", "2026 q2",
                                    "1990", "2099-2100"])
def test_period_accepts_years_ranges_quarters_and_halves(period):
    assert ops.valid_period(period)


@pytest.mark.parametrize("period", ["next year!!", "", "26", "2026 Q5", "2026-Q1 extra", "1989", "2101",
                                    "2026-2025", "2026-2026", "2025-2101", "2025-260", "2026 H3"])
def test_period_refuses_free_text_and_implausible_years(world, period):
    assert not ops.valid_period(period)
    errors = ops.validate_new(_new(world, period=period))
    assert "a range (2025-2026) or a quarter (2026 Q1)" in errors["period"]


def test_the_lock_is_taken_once_per_transaction_and_again_in_the_next(world):
    """A second ``lock_assessment`` in the transaction that holds the lock only flushes; a
    commit or a rollback ends the lock, and the next call takes it (and rereads) again."""
    from sqlalchemy import event

    from app.assessments.locking import lock_assessment

    taken = []

    def listener(_conn, _cursor, statement, *_rest):
        if statement.startswith("UPDATE assessments SET revision = revision"):
            taken.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        a = world.assessment()
        lock_assessment(a)
        a.title = "Renamed under the lock"
        lock_assessment(a)  # held: flushes what is pending, takes nothing
        assert len(taken) == 1
        assert db.session.scalar(select(Assessment.title).where(Assessment.id == a.id)) == "Renamed under the lock"
        db.session.commit()
        lock_assessment(a)
        assert len(taken) == 2
        db.session.rollback()
        lock_assessment(a)
        assert len(taken) == 3
        db.session.rollback()
        savepoint = db.session.begin_nested()  # a lock taken inside a savepoint ends with it
        lock_assessment(a)
        assert len(taken) == 4
        savepoint.rollback()
        lock_assessment(a)
        assert len(taken) == 5
        db.session.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
