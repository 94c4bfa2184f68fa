"""Translatable from day one: the interface follows the browser's language, and
questionnaire texts are language maps with an English fallback."""
from app.i18n import localize


def test_login_page_in_french(client):
    html = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "Se connecter" in html and "Mot de passe" in html


def test_login_page_in_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign in" in html


def test_unknown_language_falls_back_to_english(client):
    html = client.get("/login", headers={"Accept-Language": "sw"}).get_data(as_text=True)
    assert 'lang="en"' in html


def test_questionnaire_texts_fall_back_to_english():
    text = {"en": "Birth registration", "fr": "Enregistrement des naissances"}
    assert localize(text, "fr") == "Enregistrement des naissances"
    assert localize(text, "fr_CA") == "Enregistrement des naissances"
    assert localize(text, "es") == "Birth registration"
    assert localize(None, "fr") == ""
