"""The words the section page's fillers write (app/assessments/item_state.py) are extracted
and translated: "Answered by ..." under an answer given by another person, in French and Arabic."""
from __future__ import annotations

import pytest

from app.assessments import store
from app.extensions import db
from app.models import Assessment, User
from tests.factories import AuthActions


@pytest.mark.parametrize("lang, phrase", [("fr", "Réponse donnée par ivo@justice.example, Ministry of Justice"),
                                          ("ar", "أجاب ivo@justice.example، Ministry of Justice")])
def test_answered_by_is_translated_on_the_section_page(app, client, make_user, make_assessment, lang, phrase):
    from app.auth import operations as accounts

    owner = make_user("ana@a.example", org="Ministry of Foreign Affairs")
    ivo = make_user("ivo@justice.example", org="Ministry of Justice")
    aid = make_assessment(owner, title="National assessment")
    with app.app_context():
        q = store.questionnaire_of(db.session.get(Assessment, aid))
        section = q.sections[0]
        key = next(k for k in section.items if q.item_map[k].type == "scale")
        owner_token = accounts.issue_token(db.session.get(User, owner), "t")
        ivo_token = accounts.issue_token(db.session.get(User, ivo), "t")
        db.session.get(User, owner).locale = lang
        db.session.commit()
    r = client.post(f"/api/v1/assessments/{aid}/contributors", headers={"Authorization": f"Bearer {owner_token}"},
                    json={"email": "ivo@justice.example", "role": "contributor", "sections": [section.key]})
    assert r.status_code == 201
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers={"Authorization": f"Bearer {ivo_token}"},
                     json={"base_revision": 0, "answers": {key: {"level": 1}}})
    assert r.status_code == 200
    AuthActions(client).login("ana@a.example")
    html = client.get(f"/assessments/{aid}/sections/{section.key}").get_data(as_text=True)
    assert f'lang="{lang}"' in html
    assert phrase in html and "Answered by" not in html
