"""Fixtures of the shadow modules.  ``world`` here replaces the review world of tests/conftest.py
for tests/shadow: the small test questionnaire on each database, a ministry's respondent (G),
an NGO's (N) and a reviewer (V) with their tokens, and a draft of G's and of N's with the same
complete answers."""
from __future__ import annotations

import pytest

from tests.factories import FIXTURES, PASSWORD, SHADOW_PEOPLE, create_assessment, full_answers, make_app


@pytest.fixture
def world(db_url, tmp_path):
    from app.auth import operations as accounts
    from app.extensions import db

    app = make_app(db_url, tmp_path, QUESTIONNAIRE_DIR=str(FIXTURES))
    people, tokens = {}, {}
    with app.app_context():
        for key, (email, org, kind, role) in SHADOW_PEOPLE.items():
            organisation = accounts.get_or_create_organisation(org, kind, "KE")
            user = accounts.create_user(email, PASSWORD, organisation, role, f"User {key}")
            people[key] = user.id
            tokens[key] = accounts.issue_token(user, "test")
        db.session.commit()
        answers = full_answers(app.extensions["catalog"].all()[-1])
    ngo = create_assessment(app, people["N"], answers, title="Shadow report 2026")
    gov = create_assessment(app, people["G"], answers, title="Self-assessment 2026")
    yield {"app": app, "people": people, "tokens": tokens, "ngo": ngo, "gov": gov, "answers": answers}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
