"""The pure comparison (app.review.compare) against numbers computed by hand.

The mini questionnaire (tests/fixtures/mini-1.0.yaml; default rubric: core 3, important 2,
supplementary 1; level 4 needs data or evaluation evidence, else it counts as 3):

    a1 scale      core          areas a, i   layer primary
    b1 checklist  important     area b       layers primary, tertiary  (crc 1, opsc 2, palermo 1)
    c1 number     core          area c       layer primary  (0-50: 0, 50-90: 0.5, 90-100: 1)
    d1 choice     supplementary area d       layer secondary (none 0, partly .5, national 1; N/A allowed)

A: a1 level 2; b1 crc+opsc (3/4 -> level 3); c1 95 (s 1, level 4); d1 partly (level 2)
B: a1 level 4 with only a law (capped to 3); b1 crc (1/4 -> level 1); c1 don't know; d1 N/A

Areas  A: a 50, b 75, c 100, d 50, i 50 -> overall (50+75+100+50+50)/5 = 65
       B: a 75, b 25, c 0, d none, i 75  -> overall (75+25+0+75)/4 = 43.75; known only 175/3
Layers A: primary (3*.5 + 2*.75 + 3*1)/8 = 75;  B: (3*.75 + 2*.25 + 3*0)/8 = 34.375
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.questionnaire.answers import AnswerData, Evidence
from app.questionnaire.definition import Questionnaire
from app.questionnaire.loader import load_definition
from app.review import changes, compare as cmp
from app.review.compare_json import comparison_json
from app.scoring import score_assessment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = load_definition(FIXTURES / "mini-1.0.yaml").questionnaire

A = {"a1": AnswerData(value=2), "b1": AnswerData(value=("crc", "opsc")), "c1": AnswerData(value=95),
     "d1": AnswerData(value="partly")}
B = {"a1": AnswerData(value=4, evidence=(Evidence("law", "Act 12 of 2010"),)),
     "b1": AnswerData(value=("crc",)), "c1": AnswerData(dont_know=True),
     "d1": AnswerData(not_applicable=True, na_reason="No such services")}


def subject(ident, answers, q=MINI, period="2025", kind="government", org="Ministry", score=None):
    data = {k: v.to_json(q.item_map[k].value_key) for k, v in answers.items() if k in q.item_map}
    return cmp.Subject(id=ident, title=f"A{ident}", organisation=org, organisation_kind=kind,
                       jurisdiction="KE", period=period, status="submitted", questionnaire=q,
                       score=score or score_assessment(q, answers), answers=data, submission=1)


def test_scores_side_by_side_with_differences():
    c = cmp.compare([subject(1, A), subject(2, B, kind="ngo", org="Coalition")])
    assert c.overall.scores == pytest.approx((65.0, 43.75))
    assert c.overall.differences[0] is None and c.overall.differences[1] == pytest.approx(-21.25)
    assert c.overall.spread == pytest.approx(21.25)
    assert c.known_only.scores == pytest.approx((65.0, 175 / 3))
    areas = {r.code: r for r in c.areas}
    assert [r.code for r in c.areas] == list("abcdefghi")
    assert areas["a"].scores == pytest.approx((50.0, 75.0)) and areas["a"].differences[1] == pytest.approx(25.0)
    assert areas["b"].scores == pytest.approx((75.0, 25.0)) and areas["b"].differences[1] == pytest.approx(-50.0)
    assert areas["c"].scores == pytest.approx((100.0, 0.0)) and areas["c"].differences[1] == pytest.approx(-100.0)
    assert areas["d"].scores[0] == pytest.approx(50.0) and areas["d"].scores[1] is None
    assert areas["d"].differences[1] is None and areas["d"].spread is None
    assert areas["e"].scores == (None, None)
    assert areas["i"].differences[1] == pytest.approx(25.0)
    layers = {r.code: r for r in c.layers}
    assert layers["primary"].scores == pytest.approx((75.0, 34.375))
    assert layers["primary"].differences[1] == pytest.approx(-40.625)
    assert layers["secondary"].scores[0] == pytest.approx(50.0) and layers["secondary"].scores[1] is None
    assert layers["tertiary"].scores == pytest.approx((75.0, 25.0))
    cells = {(r.area, r.layer): r for r in c.cells}
    assert len(cells) == 27
    assert cells[("a", "primary")].scores == pytest.approx((50.0, 75.0))
    assert cells[("b", "tertiary")].differences[1] == pytest.approx(-50.0)
    assert cells[("c", "primary")].scores == pytest.approx((100.0, 0.0))
    assert cells[("a", "secondary")].scores == (None, None)
    assert [b for b in c.overall.bands] == ["established", "developing"]


def test_items_levels_gaps_and_divergence_order():
    c = cmp.compare([subject(1, A), subject(2, B)])
    items = {r.key: r for r in c.items}
    assert list(items) == ["a1", "b1", "c1", "d1"]          # scored items only, in order
    a1 = items["a1"]
    assert [a.level for a in a1.answers] == [2.0, 4.0]       # as answered ...
    assert [a.effective for a in a1.answers] == [2.0, 3.0]   # ... and as counted
    assert a1.answers[1].capped and not a1.answers[0].capped
    assert a1.gap == 1.0 and a1.changes == (None, 1.0)        # the levels that count: 3 - 2
    assert [a.level for a in items["b1"].answers] == [3.0, 1.0] and items["b1"].gap == 2.0
    assert items["b1"].answers[0].display == "crc, opsc"
    assert [a.status for a in items["c1"].answers] == ["answered", "dont_know"]
    assert items["c1"].gap is None and items["c1"].differs
    assert [a.status for a in items["d1"].answers] == ["answered", "not_applicable"]
    assert [r.key for r in c.divergence_list()] == ["b1", "a1", "c1", "d1"]   # gaps 2, 1, kind, kind
    assert [r.key for r in c.diverging(2)] == ["b1"]
    assert c.diverging(2.5) == []
    assert [r.code for r in c.area_divergence()][:3] == ["c", "b", "a"]   # 100, 50, 25 (a before i)


def test_item_differences_use_the_level_that_counts():
    """QA: government claims 4 with no documentary evidence (counts as 2, RUBRIC 2), civil
    society answers 1.  The difference, the order and the min-gap filter use 2 - 1, not 4 - 1;
    the claimed level is still shown beside the level that counts."""
    gov = A | {"a1": AnswerData(value=4, evidence=(Evidence("expert_judgement", "Minister"),))}
    ngo = A | {"a1": AnswerData(value=1), "b1": AnswerData(value=())}     # b1: 3 -> 0, gap 3
    c = cmp.compare([subject(1, gov), subject(2, ngo, kind="ngo", org="Coalition")])
    a1 = {r.key: r for r in c.items}["a1"]
    assert [(a.level, a.effective, a.counted) for a in a1.answers] == [(4.0, 2.0, 2.0), (1.0, 1.0, 1.0)]
    assert a1.gap == 1.0 and a1.changes == (None, -1.0) and a1.differs
    assert [r.key for r in c.divergence_list()] == ["b1", "a1"]           # 3 before 1, not 3 vs 3
    assert [r.key for r in c.diverging(2)] == ["b1"]                      # a1 no longer "2 or more"
    body = comparison_json(c)
    item = next(i for i in body["items"] if i["key"] == "a1")
    assert item["levels"] == [4.0, 1.0] and item["effective_levels"] == [2.0, 1.0] and item["gap"] == 1.0
    # claims that differ but count alike still differ (shown, with no level difference)
    same = cmp.compare([subject(1, gov), subject(2, A | {"a1": AnswerData(value=3)})])
    row = {r.key: r for r in same.items}["a1"]
    assert row.gap == 0.0 and row.changes == (None, 0.0) and row.differs
    assert same.diverging(1) == []


def test_identical_answers_do_not_diverge():
    c = cmp.compare([subject(1, A), subject(2, A)])
    assert c.diverging() == [] and all(r.gap == 0 for r in c.items)
    assert c.overall.differences[1] == 0 and c.overall.spread == 0


def test_several_subjects_differ_from_the_baseline_or_the_previous():
    s = [subject(1, A), subject(2, B), subject(3, A | {"a1": AnswerData(value=0)})]
    base = cmp.compare(s)
    area_a = base.areas[0]
    assert area_a.scores == pytest.approx((50.0, 75.0, 0.0))
    assert area_a.differences[1:] == pytest.approx((25.0, -50.0))
    assert area_a.spread == pytest.approx(75.0)
    prev = cmp.compare(s, reference="previous")
    assert prev.areas[0].differences[1:] == pytest.approx((25.0, -75.0))
    assert [r.gap for r in prev.items if r.key == "a1"] == [3.0]    # counted 2, 3 (4 capped), 0


def test_stored_scores_are_used_as_given():
    doc = score_assessment(MINI, A)
    doc = doc | {"overall": doc["overall"] | {"score": 12.5}}
    c = cmp.compare([subject(1, A, score=doc), subject(2, A)])
    assert c.overall.scores == pytest.approx((12.5, 65.0))


def test_number_of_subjects():
    with pytest.raises(ValueError):
        cmp.compare([subject(1, A)])
    with pytest.raises(ValueError):
        cmp.compare([subject(i, A) for i in range(51)])
    assert len(cmp.compare([subject(i, A) for i in range(50)]).subjects) == 50


def _mini_v11() -> Questionnaire:
    """Version 1.1 of mini: b1 renamed b9, d1 dropped, a new scale item e1."""
    data = yaml.safe_load((FIXTURES / "mini-1.0.yaml").read_text(encoding="utf-8"))
    data["version"] = "1.1"
    for item in data["items"]:
        if item["key"] == "b1":
            item["key"] = "b9"
    data["items"] = [i for i in data["items"] if i["key"] != "d1"]
    a1 = next(i for i in data["items"] if i["key"] == "a1")
    data["items"].append(a1 | {"key": "e1", "areas": ["e"], "enabler": False, "screening": False})
    data["sections"] = [{"key": "s1", "title": {"en": "First"}, "items": ["a1", "b9", "c1"]},
                        {"key": "s2", "title": {"en": "Second"}, "items": ["x1", "e1"]}]
    data.pop("rubric_file", None)
    return Questionnaire.model_validate(data).model_copy(update={"rubric": MINI.rubric})


def test_across_versions_only_matching_keys_are_compared():
    v11 = _mini_v11()
    answers = {"a1": AnswerData(value=1), "b9": AnswerData(value=("crc",)), "c1": AnswerData(value=10),
               "e1": AnswerData(value=4, evidence=(Evidence("data", "x"),))}
    c = cmp.compare([subject(1, A), subject(2, answers, q=v11)])
    assert c.mixed_versions and c.versions == ("mini@1.0", "mini@1.1")
    assert [r.key for r in c.items] == ["a1", "c1"]
    assert c.excluded_items == {"mini@1.0": ("b1", "d1"), "mini@1.1": ("b9", "e1")}
    assert {r.key: r.gap for r in c.items} == {"a1": 1.0, "c1": 4.0}
    body = comparison_json(c)
    assert body["mixed_versions"] and body["compared_items"] == 2
    assert body["excluded_items"]["mini@1.1"] == ["b9", "e1"]
    # scores are each version's own: area e exists only in 1.1's answers
    assert {r.code: r.scores for r in c.areas}["e"] == (None, 100.0)
    same = cmp.compare([subject(1, A), subject(2, B)])
    assert not same.mixed_versions and same.excluded_items == {}


def test_trend_first_to_last_by_period():
    s2023 = subject(1, B, period="2023")
    s2024 = subject(2, A | {"a1": AnswerData(value=1)}, period="2024")
    s2025 = subject(3, A, period="2025")
    ordered = changes.order_by_period([s2025, s2023, s2024])
    assert [s.period for s in ordered] == ["2023", "2024", "2025"]
    c = cmp.compare(ordered, reference="previous")
    t = changes.trend(c)
    assert t.overall.before == pytest.approx(43.75) and t.overall.after == pytest.approx(65.0)
    assert t.overall.delta == pytest.approx(21.25)
    # area c 0 -> 100, i 75 -> 50 and a 75 -> 50, b 25 -> 75
    assert [(ch.code, round(ch.delta, 6)) for ch in t.improved_areas] == [("c", 100.0), ("b", 50.0)]
    assert [(ch.code, round(ch.delta, 6)) for ch in t.regressed_areas] == [("a", -25.0), ("i", -25.0)]
    assert [(ch.code, ch.before, ch.after) for ch in t.improved_items] == [("b1", 1.0, 3.0)]
    # a1 was claimed 4 in 2023 but counted as 3 (evidence cap): the trend uses the levels
    # that count, like the area scores (a: 75 -> 50).
    assert [(ch.code, ch.before, ch.after) for ch in t.regressed_items] == [("a1", 3.0, 2.0)]
    # tertiary 25 -> 75 (+50), primary 34.375 -> 75 (+40.625); secondary undefined in 2023
    assert [ch.code for ch in t.improved_layers] == ["tertiary", "primary"]
    assert [ch.delta for ch in t.improved_layers] == pytest.approx([50.0, 40.625])
    assert t.regressed_layers == ()
    # c1 went from don't know to level 4: no level to compare, so neither list
    assert "c1" not in {ch.code for ch in t.improved_items + t.regressed_items}


def test_periods_that_are_not_numbers_sort_after_numbers():
    s = [subject(1, A, period="2024-Q2"), subject(2, A, period="2023"), subject(3, A, period="2022")]
    assert [x.period for x in changes.order_by_period(s)] == ["2022", "2023", "2024-Q2"]


def test_comparison_json_is_aligned_with_ids():
    c = cmp.compare([subject(7, A), subject(9, B)])
    body = comparison_json(c)
    assert body["ids"] == [7, 9] and body["reference"] == "baseline"
    assert body["overall"]["scores"] == pytest.approx([65.0, 43.75])
    assert body["overall"]["differences"][0] is None
    assert body["overall"]["known_only"] == pytest.approx([65.0, 175 / 3])
    assert body["areas"]["b"]["differences"][1] == pytest.approx(-50.0)
    assert body["layers"]["primary"]["bands"] == ["established", "initiating"]
    assert body["cells"]["c"]["primary"]["scores"] == pytest.approx([100.0, 0.0])
    assert body["items"][0] == {"key": "a1", "levels": [2.0, 4.0], "effective_levels": [2.0, 3.0],
                                "statuses": ["answered", "answered"], "gap": 1.0, "differs": True}


def test_answer_display():
    item = MINI.item_map
    assert cmp.answer_display(item["c1"], {"value": 87.5}) == "87.5%"
    assert cmp.answer_display(item["c1"], {"value": 90.0}) == "90%"
    assert cmp.answer_display(item["b1"], {"selected": []}) == "None selected"   # one wording (issue 17)
    assert cmp.answer_display(item["d1"], {"not_applicable": True, "reason": "x"}) == "not applicable"
    assert cmp.answer_display(item["a1"], {"dont_know": True}) == "don't know"
    assert cmp.answer_display(item["a1"], {}) == ""
