"""What the section page reads (issue 14): the section's answers with who saved them, and of
the other sections only which items are answered. Both must say what the answers of the
whole assessment say (app.assessments.queries.answers_for, contributors' last_savers,
AnswerData.has_answer), on both databases, whatever is stored: a blank text, a JSON null,
don't know, N/A, evidence in order."""
from __future__ import annotations

from sqlalchemy import select

from app.assessments import queries
from app.assessments.completeness import progress, progress_of
from app.contributors.queries import last_savers
from app.extensions import db
from app.models import Answer, Assessment, User
from app.questionnaire.answers import counts_as_answered
from tests.factories import full_answers


def odd_answers(q) -> dict:
    """Answers of every kind: levels with evidence, don't know, N/A, options, free text."""
    answers = full_answers(q, 3)
    scale = [i for i in q.items if i.type == "scale"]
    answers[scale[0].key] = {"dont_know": True, "comment": "dk <b>", "confidence": "low"}
    answers[scale[1].key] = {"level": 2, "evidence": [
        {"type": "law", "reference": "Act <9>", "note": "n"}, {"type": "other", "reference": "x", "note": ""},
        {"type": "policy", "reference": "Plan 2", "note": "third"}]}
    for item in q.items:
        if item.type == "text":
            answers[item.key] = {"text": "Free <text>"}
    return answers


def test_section_answers_and_answered_keys_say_what_all_the_answers_say(app, make_user, make_assessment):
    q = app.extensions["catalog"].latest("prevention-readiness")
    uid = make_user("ana@a.example", org="Org A")
    aid = make_assessment(uid, odd_answers(q))
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        rows = {row.item_key: row for row in db.session.scalars(select(Answer).where(Answer.assessment_id == aid))}
        # What a save would not store, but a row may hold: blank text, a JSON null, a
        # blank string elsewhere, an answer nobody is recorded to have saved.
        text = next(k for k, row in rows.items() if isinstance(row.value, str))  # an option code
        plain, nulled, unsaved = [k for k, row in rows.items()
                                  if k != text and not (row.dont_know or row.not_applicable)][:3]
        rows[text].value = "  \n "
        rows[nulled].value = None
        rows[plain].value = "   "
        rows[unsaved].updated_by_id = None
        colleague = make_user("cy@a.example", org="Org A")
        any_key = next(k for k in rows if k not in (text, nulled, plain, unsaved))
        rows[any_key].updated_by_id = colleague
        db.session.get(User, colleague).name = ""  # a user without a name: their email
        db.session.commit()

        everything = queries.answers_for([aid])[aid]
        assert queries.answered_keys(aid) == {k for k, a in everything.items() if a.has_answer}
        assert progress_of(q, queries.answered_keys(aid)) == progress(q, everything)
        assert not {text, plain, nulled} & queries.answered_keys(aid) and unsaved in queries.answered_keys(aid)
        for section in q.sections:
            found = queries.section_answers(aid, section.items)
            assert found.answers == {k: a for k, a in everything.items() if k in section.items}, section.key
            assert found.savers == last_savers(assessment, section.items), section.key
        assert queries.section_answers(aid, [any_key]).savers == {any_key: ("cy@a.example", "Org A")}
        assert unsaved not in queries.section_answers(aid, [unsaved]).savers


def test_counts_as_answered_is_the_rule_of_has_answer():
    from app.questionnaire.answers import AnswerData

    for value in (None, "", "  ", "x", 0, 2, 2.5, (), ("a",), True):
        for dont_know, na in ((False, False), (True, False), (False, True)):
            assert counts_as_answered(value, dont_know, na) == AnswerData(
                value=value, dont_know=dont_know, not_applicable=na).has_answer
