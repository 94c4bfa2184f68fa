"""A refused answer patch names each refusal by a machine code and a path, beside the messages
of ``details`` (kept as they were); the API's messages are in the caller's language."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.servers import seed_user_with_token


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


@pytest.fixture
def ana(app):
    """(user id, headers with a bearer token) of a respondent."""
    uid, token = seed_user_with_token(app, "ana@a.example")
    return uid, {"Authorization": f"Bearer {token}"}


def _patch(client, aid, headers, answers, base_revision=0):
    return client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers,
                        json={"base_revision": base_revision, "answers": answers})


def test_each_refusal_has_its_code_and_path_beside_the_details(client, ana, make_assessment, q):
    uid, headers = ana
    aid = make_assessment(uid)
    national = next(k for k in q.rubric.na_subnational_only if q.item_map[k].allow_na)
    r = _patch(client, aid, headers, {
        "a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act 12"}, {"type": "", "reference": "x"}]},
        "a2": {"level": 5}, "nope": {"level": 1}})
    assert r.status_code == 422
    body = r.get_json()
    assert body["error"] == "some answers are not valid; nothing was saved"
    assert body["details"]["a2"] == {"level": "Choose a level from 0 to 4."}          # unchanged
    assert body["details"]["a1"]["evidence"].startswith("Evidence entry 2: choose a type (law, ")
    by_path = {e["path"]: e for e in body["errors"]}
    assert set(by_path) == {"answers.a1.evidence.1.type", "answers.a2.level", "answers.nope"}
    assert by_path["answers.a1.evidence.1.type"] == {
        "code": "evidence_type_missing", "path": "answers.a1.evidence.1.type", "item": "a1", "field": "evidence",
        "row": 1, "part": "type", "message": body["details"]["a1"]["evidence"]}
    assert by_path["answers.a2.level"]["code"] == "level_out_of_range"
    assert by_path["answers.nope"] | {"message": ""} == {
        "code": "item_unknown", "path": "answers.nope", "item": "nope", "field": "answer", "message": ""}
    # the rubric's rule beside the parser: 'not applicable' kept for a province, in a national assessment
    r = _patch(client, aid, headers, {national: {"not_applicable": True, "reason": "federal matter"}})
    assert r.status_code == 422
    assert [(e["code"], e["path"]) for e in r.get_json()["errors"]] == [
        ("not_applicable_national", f"answers.{national}.not_applicable")]
    # other refusals have no list of their own: nothing added where nothing was
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers, json={"answers": {}})
    assert r.status_code == 422 and "errors" not in r.get_json()


def test_messages_in_french_by_accept_language_and_by_the_accounts_language(app, client, ana, make_assessment):
    uid, headers = ana
    aid = make_assessment(uid)
    french = headers | {"Accept-Language": "fr-FR,fr;q=0.9"}
    r = _patch(client, aid, french, {"a1": {"level": 5}, "a2": {"confidence": "sure"}})
    body = r.get_json()
    assert r.status_code == 422
    assert body["error"] == "certaines réponses ne sont pas valides\u00a0; rien n'a été enregistré"
    assert body["details"]["a2"]["confidence"] == "Choisissez high, medium ou low."
    assert {e["code"] for e in body["errors"]} == {"level_out_of_range", "confidence_invalid"}   # codes do not
    assert [e["message"] for e in body["errors"] if e["item"] == "a2"] == ["Choisissez high, medium ou low."]
    r = client.get("/api/v1/assessments?status=lost", headers=french)               # an API-only message
    assert r.status_code == 400 and r.get_json()["error"] == "statut inconnu"
    r = client.get("/api/v1/assessments", headers={"Accept-Language": "fr"})         # not signed in
    assert r.status_code == 401 and r.get_json()["error"].startswith("authentification requise")
    with app.app_context():                                                         # the account's language
        db.session.get(User, uid).locale = "fr"
        db.session.commit()
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers, json={"base_revision": 0})
    assert r.status_code == 422
    assert r.get_json()["error"] == "le corps de la requête doit contenir «\u00a0base_revision\u00a0» et «\u00a0answers\u00a0»"
