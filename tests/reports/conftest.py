"""Fixtures of the report modules.  ``world`` here replaces the review world of tests/conftest.py
for tests/reports (no module here uses that one): the small test questionnaire, the four
people of ``make_people``, a draft and a submitted assessment of R's, and everyone's token."""
from __future__ import annotations

import pytest

from tests.factories import FIXTURES, MINI_ANSWERS, make_people, new_assessment, seed_app


@pytest.fixture
def world(tmp_path):
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    draft = new_assessment(app, people["R"], MINI_ANSWERS, title="A draft")
    submitted = new_assessment(app, people["R"], MINI_ANSWERS, submit=True, title="A submitted")
    tokens = {}
    with app.app_context():
        from app.auth import operations as ops
        from app.extensions import db
        from app.models import User

        for key, uid in people.items():
            tokens[key] = ops.issue_token(db.session.get(User, uid), "test")
        db.session.commit()
    return {"app": app, "people": people, "draft": draft, "submitted": submitted, "tokens": tokens,
            "tmp": tmp_path}
