"""`demo seed`: the demo organisations, users and assessments, loaded idempotently."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, Organisation, User


def test_demo_seed_is_complete_and_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "official@ministry.example" in first.output and "demo-password-2026" in first.output
    with app.app_context():
        counts = (db.session.scalar(select(func.count(User.id))),
                  db.session.scalar(select(func.count(Assessment.id))))
        kinds = {o.kind: o.country for o in db.session.scalars(select(Organisation))}
        assert kinds["government"] == kinds["ngo"] == "KE"  # the same country
        roles = sorted(u.role for u in db.session.scalars(select(User)))
        # two organisations' respondents, and five people of other ministries given sections (issue 13)
        assert roles.count("reviewer") == 1 and roles.count("admin") == 1 and roles.count("respondent") == 7
        statuses = sorted(a.status for a in db.session.scalars(select(Assessment)))
        assert statuses.count("draft") == 1 and statuses.count("submitted") >= 2
        for a in db.session.scalars(select(Assessment).where(Assessment.status == "submitted")):
            assert a.score and a.score["completeness"] == 1.0
            assert a.questionnaire_version.version == "1.0"       # answered before 1.1 existed
            # dated within their period, not on the day the demo was seeded (issue 18)
            assert a.submitted_at.year == int(a.period) and a.created_at <= a.submitted_at
            from app.models import Submission

            assert {row.submitted_at for row in db.session.scalars(
                select(Submission).where(Submission.assessment_id == a.id))} == {a.submitted_at}
        # This year's draft: on the latest version, started from last year's through the crosswalk.
        draft = db.session.scalar(select(Assessment).where(Assessment.status == "draft"))
        assert draft.questionnaire_version.version == "1.1" and draft.based_on_id is not None
        from app.models import AuditEntry

        copy = db.session.scalar(select(AuditEntry).where(AuditEntry.assessment_id == draft.id,
                                                          AuditEntry.action == "assessment.copy"))
        assert copy.new_value["items"] >= 50     # the comparable items of 1.0 carried over
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert (db.session.scalar(select(func.count(User.id))),
                db.session.scalar(select(func.count(Assessment.id)))) == counts


def test_demo_has_contributors_informants_and_a_consensus(app):
    """The 2026 draft: contributors from two other ministries, one section in informant mode
    with three informants' ratings and a recorded consensus."""
    from app.models import AuditEntry, Contributor

    app.test_cli_runner().invoke(args=["demo", "seed"])
    with app.app_context():
        draft = db.session.scalar(select(Assessment).where(Assessment.status == "draft"))
        rows = db.session.scalars(select(Contributor).where(Contributor.assessment_id == draft.id)).all()
        contributors = [r for r in rows if r.role == "contributor"]
        informants = [r for r in rows if r.role == "informant"]
        assert len({r.user.organisation_id for r in contributors}) == 2
        assert all(r.user.organisation_id != draft.organisation_id for r in rows)
        assert len(informants) == 3 and {tuple(r.sections) for r in informants} == {("s_e_social_norms",)}
        assert all(len(r.ratings) >= 5 for r in informants)
        consensus = db.session.scalars(select(AuditEntry).where(
            AuditEntry.assessment_id == draft.id, AuditEntry.action == "answer.consensus")).all()
        assert len(consensus) == 3 and all(len(e.new_value["ratings"]) == 3 for e in consensus)
        by_contributor = {a.updated_by_id for a in draft.answers} & {r.user_id for r in contributors}
        assert len(by_contributor) == 2  # their answers carry their names


def test_demo_users_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "seed"])
    from tests.factories import csrf_token

    r = client.post("/login", data={"email": "reviewer@un.example", "password": "demo-password-2026",
                                    "csrf_token": csrf_token(client)})
    assert r.status_code == 302


def test_the_printed_demo_logins_name_sections_as_people_do():
    """QA pass: ``make run`` printed 'contributor of s_b_law_justice'."""
    from app.contributors import demo as contributors_demo

    printed = dict(contributors_demo.logins())
    assert printed["justice@justice.example"].startswith("contributor of section (b) of the 2026 draft")
    assert printed["informant@health.example"].startswith("informant of section (e)")
    assert not any("s_" in what.split(",")[0] for what in printed.values())
