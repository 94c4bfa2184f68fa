"""The refusals of the operations, of the request-body reader and of the error handlers reach an
API client in the caller's language (Accept-Language, else the account's language); English
wording unchanged."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.servers import seed_user_with_token

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
NB = "\u00a0"


@pytest.fixture
def ana(app):
    uid, token = seed_user_with_token(app, "ana@a.example")
    return uid, {"Authorization": f"Bearer {token}"}


def _patch(client, aid, headers, **body):
    return client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers, json=body)


def test_operations_refuse_in_french_by_accept_language_and_in_english_otherwise(client, ana, make_assessment):
    uid, headers = ana
    aid = make_assessment(uid, answers={"a1": {"level": 2}})
    french = headers | FRENCH
    r = _patch(client, aid, french, base_revision="3", answers={})
    assert (r.status_code, r.get_json()["error"]) == (
        422, "base_revision doit être le numéro entier de la révision sur laquelle reposent vos modifications")
    assert r.get_json()["details"] == {"base_revision": "required"}               # details stay machine words
    r = _patch(client, aid, headers, base_revision="3", answers={})
    assert r.get_json()["error"] == "base_revision must be the integer revision your changes are based on"
    r = _patch(client, aid, french, base_revision=10**12, answers={})
    assert r.get_json()["error"] == "base_revision doit être une révision de 0 à 2147483647"
    r = _patch(client, aid, french, base_revision=0, answers={"a2": {"level": 1}})
    assert r.status_code == 409
    assert r.get_json()["error"] == f"l'évaluation a changé depuis que vous l'avez chargée{NB}; rien n'a été enregistré"
    r = client.post(f"/api/v1/assessments/{aid}/submit", headers=french)
    assert r.status_code == 422 and r.get_json()["error"].startswith(
        f"répondez à toutes les questions notées avant de soumettre («{NB}je ne sais pas{NB}»")
    r = client.post(f"/api/v1/assessments/{aid}/submit", headers=headers)
    assert r.get_json()["error"] == ("answer every scored question before submitting (don't know and "
                                     "not applicable count as answers)")


def test_request_bodies_and_addresses_refused_in_french(client, ana, make_assessment):
    uid, headers = ana
    aid = make_assessment(uid)
    french = headers | FRENCH | {"Content-Type": "application/json"}
    url = f"/api/v1/assessments/{aid}/answers"
    r = client.patch(url, headers=french, data=b"{not json")
    assert (r.status_code, r.get_json()["error"]) == (400, "le corps de la requête doit être du JSON valide")
    r = client.patch(url, headers=french, data=b"[1]")
    assert r.get_json()["error"] == "le corps de la requête doit être un objet JSON"
    r = client.patch(url, headers=french, data=b"\xff\xfe")
    assert r.get_json()["error"] == "le corps de la requête doit être du JSON encodé en UTF-8"
    r = client.patch(url, headers=headers | {"Content-Type": "application/json"}, data=b"[1]")
    assert r.get_json()["error"] == "the body must be a JSON object"
    r = client.get("/api/v1/compare?ids=1,x", headers=french)
    assert (r.status_code, r.get_json()["error"]) == (
        422, "ids doit être une liste d'identifiants d'évaluations séparés par des virgules")
    r = client.get("/api/v1/no-such-thing", headers=french)
    assert r.status_code == 404 and r.get_json()["error"].startswith("L'adresse demandée n'existe pas")
    r = client.get("/api/v1/no-such-thing", headers=headers)
    assert r.get_json()["error"].startswith("The requested URL was not found on the server.")
    r = client.delete("/api/v1/questionnaires", headers=french)
    assert (r.status_code, r.get_json()["error"]) == (
        405, "Cette méthode n'est pas autorisée pour l'adresse demandée.")


def test_the_accounts_language_without_accept_language(app, client, ana, make_assessment):
    uid, headers = ana
    aid = make_assessment(uid, answers={"a1": {"level": 2}})
    with app.app_context():
        db.session.get(User, uid).locale = "fr"
        db.session.commit()
    r = _patch(client, aid, headers, base_revision=0, answers={"a2": {"level": 1}})
    assert r.get_json()["error"] == f"l'évaluation a changé depuis que vous l'avez chargée{NB}; rien n'a été enregistré"
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers | {"Content-Type": "application/json"},
                     data=b"")
    assert r.get_json()["error"] == "le corps de la requête doit être un objet JSON"


def test_the_handlers_csrf_413_and_500_answer_in_french(app):
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import RequestEntityTooLarge

    from app import errors

    with app.test_request_context("/api/v1/assessments", headers=FRENCH):
        assert errors._csrf(CSRFError("missing")).get_json()["error"] == "jeton CSRF manquant ou non valide"
        assert errors._too_large(RequestEntityTooLarge()).get_json()["error"] == "corps de la requête trop volumineux"
        app.config["PROPAGATE_UNEXPECTED"] = False
        try:
            response = errors._unexpected(RuntimeError("boom"))
        finally:
            app.config["PROPAGATE_UNEXPECTED"] = True
        assert response.get_json()["error"] == f"erreur interne{NB}; rien n'a été enregistré"
    with app.test_request_context("/api/v1/assessments"):
        assert errors._csrf(CSRFError("missing")).get_json()["error"] == "CSRF token missing or invalid"
        assert errors._too_large(RequestEntityTooLarge()).get_json()["error"] == "request body too large"
