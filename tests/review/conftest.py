"""Fixtures of the review area's tests."""
from __future__ import annotations

import pytest

from tests.factories import full_answers, questionnaire

INFORMANTS = ("una@health.example", "ben@police.example", "eva@social.example")
# Per item, the levels of informants 0, 1, 2: section A's first three scale items k0, k1, k2 ...
A_LEVELS = [(1, 1, 1), (0, 2, 1), (2, 3, 4)]
# ... and section B's first two, rated by informants 0 and 1 and never settled.
B_LEVELS = [(4, 0), (0, 4)]


def _scale(q, section, n):
    return [k for k in section.items if q.item_map[k].type == "scale"][:n]


@pytest.fixture
def rated(app, client, world, make_user, make_assessment):
    """The ministry's second 2025 assessment, answered in full; three informants
    (``informants``) rated its first section (a consensus recorded on one item) and two of
    them its second section (no consensus).  Still a draft: ``submit`` submits it."""
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import User

    q = questionnaire(app)
    aid = make_assessment(world.gov, full_answers(q, 2), period="2025", title="With informants")
    users = [make_user(email, org=email.split("@")[1]) for email in INFORMANTS]
    with app.app_context():
        tokens = [{"Authorization": f"Bearer {accounts.issue_token(db.session.get(User, u), 't')}"} for u in users]
        db.session.commit()
    a_sec, b_sec = q.sections[0], q.sections[1]
    a_keys, b_keys = _scale(q, a_sec, 3), _scale(q, b_sec, 2)
    owner = world.headers("gov")
    for n, email in enumerate(INFORMANTS):
        sections = [a_sec.key, b_sec.key] if n < 2 else [a_sec.key]
        r = client.post(f"/api/v1/assessments/{aid}/contributors", headers=owner,
                        json={"email": email, "role": "informant", "sections": sections})
        assert r.status_code == 201, r.get_json()
        answers = {k: {"level": levels[n]} for k, levels in zip(a_keys, A_LEVELS)}
        if n < 2:
            answers |= {k: {"level": levels[n]} for k, levels in zip(b_keys, B_LEVELS)}
        r = client.patch(f"/api/v1/assessments/{aid}/ratings", headers=tokens[n],
                         json={"base_revision": 0, "answers": answers})
        assert r.status_code == 200, r.get_json()

    def consensus():
        revision = client.get(f"/api/v1/assessments/{aid}", headers=owner).get_json()["revision"]
        r = client.post(f"/api/v1/assessments/{aid}/consensus", headers=owner, json={
            "base_revision": revision, "answers": {a_keys[1]: {"level": 1}},
            "rationale": {a_keys[1]: "Adopted, not funded."}})
        assert r.status_code == 200, r.get_json()

    def submit():
        assert client.post(f"/api/v1/assessments/{aid}/submit", headers=owner).status_code == 200

    return {"aid": aid, "q": q, "a": a_sec, "b": b_sec, "a_keys": a_keys, "b_keys": b_keys,
            "consensus": consensus, "submit": submit, "informants": INFORMANTS}
