"""The assessments list reads only what completeness needs of the answers (value, don't know,
not applicable: ``queries.answered_for``); it counts what the full answers count."""
from __future__ import annotations

from app.assessments import queries
from app.assessments.completeness import completeness_of, progress
from app.extensions import db
from app.models import Assessment
from tests.factories import full_answers, questionnaire


def test_the_list_counts_what_the_full_answers_count(app, make_user, make_assessment):
    q = questionnaire(app)
    uid = make_user("ana@gov.example")
    answers = full_answers(q, 2)
    keys = list(answers)
    partial = {k: answers[k] for k in keys[: len(keys) // 2]} | {keys[-1]: {"dont_know": True}}
    aids = [make_assessment(uid, partial), make_assessment(uid, answers, submit=True), make_assessment(uid)]
    with app.app_context():
        rows = [db.session.get(Assessment, aid) for aid in aids]
        light = completeness_of(rows)
        full = queries.answers_for(aids)
        for aid in aids:
            assert light[aid] == progress(q, full.get(aid, {})), aid
        assert 0 < light[aids[0]]["answered"] < light[aids[0]]["scored"]
        assert light[aids[1]]["completeness"] == 1.0 and light[aids[2]]["answered"] == 0
