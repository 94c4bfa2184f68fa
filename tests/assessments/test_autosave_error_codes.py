"""The section page's autosave (JSON) 422 names each refusal by its machine code, as the API
does, beside its per-field messages (``details``: items, fields, anchors, unchanged)."""
from __future__ import annotations

from tests.clients import JSON, form_fields, post_data, section_url


def test_autosave_refusals_carry_codes_beside_the_field_messages(client, ana, make_assessment):
    aid = make_assessment(ana, answers={"a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act A"}]}})
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    r = client.post(section_url(aid), data=post_data(fields, a2__level="9", a1__evidence__0__type=""),
                    headers=JSON)
    assert r.status_code == 422
    body = r.get_json()
    assert body["details"]["fields"]["a2-level"] == "Choose a level from 0 to 4."       # unchanged
    assert body["details"]["anchors"]["a2-level"] == "a2-level-0"
    by_code = {e["code"]: e for e in body["errors"]}
    assert set(by_code) == {"level_out_of_range", "evidence_type_missing"}
    assert by_code["level_out_of_range"] == {
        "code": "level_out_of_range", "path": "answers.a2.level", "item": "a2", "field": "level",
        "message": "Choose a level from 0 to 4.", "input": "a2-level", "anchor": "a2-level-0"}
    evidence = by_code["evidence_type_missing"]
    assert (evidence["path"], evidence["row"], evidence["part"]) == ("answers.a1.evidence.0.type", 0, "type")
    assert evidence["input"] in body["details"]["fields"] and evidence["input"] == "a1-evidence-0-type"


def test_autosave_codes_are_the_same_in_french(client, ana, make_assessment):
    aid = make_assessment(ana)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-FR,fr;q=0.9"
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    r = client.post(section_url(aid), data=post_data(fields, a2__level="9"), headers=JSON)
    assert r.status_code == 422
    [error] = r.get_json()["errors"]
    assert (error["code"], error["message"]) == ("level_out_of_range", "Choisissez un niveau de 0 à 4.")
