"""Fixtures of the workbook modules (the round trip's helpers are in tests/clients.py)."""
from __future__ import annotations

import pytest


@pytest.fixture
def people(app, make_user):
    """A respondent (Org A) and their token; tokens for a colleague, another organisation's
    respondent and a reviewer."""
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import User

    ids = {"ana": make_user("ana@a.example"), "bob": make_user("bob@a.example"),
           "olga": make_user("olga@b.example", org="Org B"),
           "rita": make_user("rita@un.example", role="reviewer", org="UN", kind="other")}
    with app.app_context():
        headers = {name: {"Authorization": f"Bearer {accounts.issue_token(db.session.get(User, uid), 't')}"}
                   for name, uid in ids.items()}
        db.session.commit()
    return ids, headers
