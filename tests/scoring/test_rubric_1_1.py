"""Rubric 1.1 (RUBRIC.md section 9): caps on every scored type, core items need documentary
evidence from level 2, what counts as documentary; rubric 1.0 keeps its rules (and the
content hash of a version published before the new parameters existed stays the same)."""
from __future__ import annotations

from pathlib import Path

from app.questionnaire import load_definition
from app.questionnaire.answers import AnswerData, Evidence
from app.scoring.caps import rule_for
from tests.factories import choice, item, make, score

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_1_1 = dict(evidence_caps_all_types=True, core_evidence_from_level=2, core_evidence_cap=1,
                  documentary_types=["law", "policy", "budget", "data", "evaluation", "other"],
                  documentary_needs_reference=["other"])


def ev(*pairs) -> tuple[Evidence, ...]:
    return tuple(Evidence(t, ref, "") for t, ref in pairs)


def scale(level, *pairs) -> AnswerData:
    return AnswerData(value=level, evidence=ev(*pairs))


def test_published_1_0_is_unchanged_by_the_new_parameters():
    loaded = load_definition(ROOT / "questionnaires" / "prevention-readiness-1.0.yaml")
    # The hash recorded when 1.0 was published (before rubric 1.1 existed).
    assert loaded.content_hash == "3fa3a8568cd4c205fda84d7d649278b245e08e83dd41592f87f1d98488b77930"
    rubric = loaded.questionnaire.rubric
    assert not rubric.evidence_caps_all_types and rubric.core_evidence_from_level is None
    assert rubric.is_documentary("other", "") and not rubric.is_documentary("expert_judgement", "x")


def test_shipped_rubric_1_1_has_the_section_9_rules():
    from app.questionnaire.loader import load_rubric

    rubric = load_rubric(ROOT / "questionnaires" / "prevention-readiness-1.1.rubric.yaml")
    assert rubric.rubric_version == "1.1"
    assert rubric.evidence_caps_all_types and rubric.core_evidence_from_level == 2
    assert rubric.core_evidence_cap == 1
    assert not rubric.is_documentary("other", "  ") and rubric.is_documentary("other", "Decree 12/2024")
    assert not rubric.is_documentary("expert_judgement", "Panel of 2025")
    for t in ("law", "policy", "budget", "data", "evaluation"):
        assert rubric.is_documentary(t, "")


def test_choice_at_the_top_without_evidence_is_capped_under_1_1_only():
    items = [choice("c1", weight="important")]
    top = AnswerData(value="o100")
    old = score(make(items), {"c1": top})["items"]["c1"]
    assert (old["effective_level"], old["capped_by"]) == (4.0, None)        # 1.0: no caps on choices
    new = score(make(items, **RUBRIC_1_1), {"c1": top})["items"]["c1"]
    assert (new["claimed_level"], new["effective_level"], new["capped_by"]) == (4.0, 2, "documentary")
    assert new["s"] == 0.5                                                 # 2 / 4
    with_policy = AnswerData(value="o100", evidence=ev(("policy", "Plan 2024")))
    capped = score(make(items, **RUBRIC_1_1), {"c1": with_policy})["items"]["c1"]
    assert (capped["effective_level"], capped["capped_by"]) == (3, "outcome")
    with_data = AnswerData(value="o100", evidence=ev(("data", "Survey 2025")))
    assert score(make(items, **RUBRIC_1_1), {"c1": with_data})["items"]["c1"]["capped_by"] is None


def test_checklist_and_number_items_are_capped_too():
    checklist = item("k1", "checklist", weight="important",
                     options=[{"code": f"k{i}", "label": {"en": str(i)}, "score": 0.25} for i in range(4)])
    number = item("n1", "number", weight="important", min=0, max=100,
                  bands=[{"min": 0, "max": 50, "score": 0}, {"min": 50, "max": 100, "score": 1}])
    q = make([checklist, number], **RUBRIC_1_1)
    doc = score(q, {"k1": AnswerData(value=("k0", "k1", "k2", "k3")), "n1": AnswerData(value=80)})
    assert doc["items"]["k1"]["capped_by"] == "documentary" and doc["items"]["k1"]["effective_level"] == 2
    assert doc["items"]["n1"]["capped_by"] == "documentary" and doc["items"]["n1"]["s"] == 0.5


def test_core_item_at_level_2_needs_documentary_evidence_and_then_gates():
    items = [item("x1", weight="core"), item("x2", weight="important")]
    q = make(items, **RUBRIC_1_1)
    doc = score(q, {"x1": scale(2), "x2": scale(2)})
    assert (doc["items"]["x1"]["effective_level"], doc["items"]["x1"]["capped_by"]) == (1, "core_documentary")
    assert doc["items"]["x2"]["capped_by"] is None                        # not core: 2 counts
    assert "x1" in doc["areas"]["a"]["gated_by"]
    # expert judgement is not documentary; "other" only with its reference
    assert score(q, {"x1": scale(2, ("expert_judgement", "panel"))})["items"]["x1"]["capped_by"] == "core_documentary"
    assert score(q, {"x1": scale(2, ("other", ""))})["items"]["x1"]["capped_by"] == "core_documentary"
    assert score(q, {"x1": scale(2, ("other", "Minutes of 3 May"))})["items"]["x1"]["capped_by"] is None
    # under 1.0 the same answer counts as 2 and does not gate
    assert score(make(items), {"x1": scale(2)})["items"]["x1"]["capped_by"] is None


def test_level_2_everywhere_without_evidence_scores_below_with_evidence_and_is_gated():
    items = [item(f"x{i}", weight=w, areas=(a,)) for i, (w, a) in
             enumerate([("core", "a"), ("important", "a"), ("core", "b"), ("supplementary", "b")])]
    q = make(items, **RUBRIC_1_1)
    bare = score(q, {it["key"]: scale(2) for it in items})
    documented = score(q, {it["key"]: scale(2, ("law", "Act 5/2020")) for it in items})
    assert bare["overall"]["score"] < documented["overall"]["score"]
    assert bare["areas"]["a"]["gated_by"] and bare["areas"]["b"]["gated_by"]
    assert not documented["areas"]["a"]["gated_by"]


def test_the_rule_given_to_the_page_script_is_the_engines():
    q = make([item("x1")], **RUBRIC_1_1)
    data = rule_for(q.rubric).as_data()
    assert data["core_from"] == 2 and data["documentary_needs_reference"] == ["other"]
    assert rule_for(q.rubric) is rule_for(q.rubric)


def test_on_the_shipped_1_1_level_2_everywhere_without_evidence_is_gated_and_scores_lower():
    """The issue's own check, on the real questionnaire 1.1 and rubric 1.1."""
    from app.questionnaire.answers import AnswerData as A
    from app.scoring import score_assessment

    q = load_definition(ROOT / "questionnaires" / "prevention-readiness-1.1.yaml").questionnaire

    def level_2(evidence):
        out = {}
        for it in q.scored_items:
            if it.type == "scale":
                out[it.key] = A(value=2, evidence=evidence)
            elif it.type == "choice":   # the option nearest to half marks
                out[it.key] = A(value=min(it.options, key=lambda o: abs(o.score - 0.5)).code, evidence=evidence)
            elif it.type == "checklist":
                out[it.key] = A(value=tuple(o.code for o in it.options[: max(1, len(it.options) // 2)]),
                                evidence=evidence)
            elif it.type == "number":
                out[it.key] = A(value=(it.min + it.max) / 2, evidence=evidence)
        return out

    bare = score_assessment(q, level_2(()))
    documented = score_assessment(q, level_2(ev(("law", "Children Act 2022"))))
    assert bare["overall"]["score"] < documented["overall"]["score"]
    gated_bare = {k for area in bare["areas"].values() for k in area["gated_by"]}
    gated_documented = {k for area in documented["areas"].values() for k in area["gated_by"]}
    assert gated_bare and len(gated_documented) < len(gated_bare)
    # with documents, only questions whose own answer is below level 2 still gate
    assert all(documented["items"][k]["claimed_level"] < 2 for k in gated_documented)
    assert all(bare["items"][k]["capped_by"] == "core_documentary" for k in gated_bare - gated_documented)
    # a choice item claimed at the top with no evidence is capped
    top_choice = next(it for it in q.scored_items if it.type == "choice")
    best = max(top_choice.options, key=lambda o: o.score).code
    doc = score_assessment(q, {top_choice.key: A(value=best)})
    assert doc["items"][top_choice.key]["capped_by"] in ("documentary", "core_documentary")


def test_not_applicable_on_a_state_question_is_for_province_assessments_only(app, client):
    """Rubric 1.1's na_subnational_only: a national assessment (KE) cannot mark h1 (a treaty
    question) not applicable, 422 naming it, nothing saved; a county assessment (KE-30) can."""
    from tests.servers import seed_user_with_token

    _, token = seed_user_with_token(app, "official@gov.example")
    headers = {"Authorization": f"Bearer {token}"}
    na = {"h1": {"not_applicable": True, "reason": "Cross-border cooperation is national."}}
    for jurisdiction, expected in (("KE", 422), ("KE-30", 200)):
        r = client.post("/api/v1/assessments", headers=headers, json={
            "questionnaire": "prevention-readiness", "version": "1.1", "jurisdiction": jurisdiction,
            "period": "2026", "title": f"Assessment {jurisdiction}"})
        aid = r.get_json()["id"]
        r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=headers,
                         json={"base_revision": 0, "answers": na | {"a1": {"level": 1}}})
        assert r.status_code == expected, r.get_json()
        if expected == 422:
            assert "province or state" in r.get_json()["details"]["h1"]["not_applicable"]
            assert client.get(f"/api/v1/assessments/{aid}", headers=headers).get_json()["answers"] == {}
