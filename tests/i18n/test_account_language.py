"""The user's language, chosen on the account page: pages and reports follow it."""
from __future__ import annotations

from tests.factories import csrf_token


def test_language_chosen_on_the_account_page_is_used_and_can_be_undone(app, client, make_user, auth):
    from app.extensions import db
    from app.models import AuditEntry, User

    uid = make_user("ana@gov.example")
    auth.login("ana@gov.example")
    html = client.get("/account").get_data(as_text=True)
    assert 'name="language"' in html and '<option lang="fr" value="fr">Français</option>' in html
    r = client.post("/account/language", data={"language": "fr", "csrf_token": csrf_token(client, "/account")})
    assert r.status_code == 303
    page = client.get("/account").get_data(as_text=True)
    assert 'lang="fr"' in page and "Votre compte" in page      # the page itself, in French
    assert "Langue enregistrée." in page                          # said in the new language
    assert '<option lang="fr" selected value="fr">' in page or 'selected value="fr"' in page
    with app.app_context():
        assert db.session.get(User, uid).locale == "fr"
        entry = db.session.query(AuditEntry).filter_by(action="user.locale").one()
        assert (entry.old_value, entry.new_value) == (None, "fr")
    # Back to the browser's language (English here).
    r = client.post("/account/language", data={"language": "", "csrf_token": csrf_token(client, "/account")})
    assert r.status_code == 303
    assert 'lang="en"' in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).locale is None


def test_an_unknown_language_is_refused_and_nothing_changes(app, client, make_user, auth):
    from app.extensions import db
    from app.models import User

    uid = make_user("ana@gov.example")
    auth.login("ana@gov.example")
    r = client.post("/account/language", data={"language": "xx", "csrf_token": csrf_token(client, "/account")},
                    follow_redirects=True)
    assert r.status_code == 200 and "Choose one of the languages offered." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).locale is None
    r = client.post("/account/language", data={"language": "fr"})      # no CSRF token
    assert r.status_code == 400
