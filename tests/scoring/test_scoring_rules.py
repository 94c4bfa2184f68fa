"""Hand-computed examples for every rule of RUBRIC.md, one small definition per rule.

Expected numbers are literals with the arithmetic in a comment, so a reader can check them
without running anything.  Scale answers carry ``data`` evidence (documentary *and* outcome)
unless the test is about evidence caps, so caps never interfere by accident.
"""
from __future__ import annotations

import pytest

from app.questionnaire import load_definition
from app.questionnaire.answers import AnswerData, Evidence
from app.questionnaire.definition import Rubric
from app.scoring import (
    InvalidAnswerError, band_for, explain, format_score, plan_for, round_score, rounded_document,
)
from tests.factories import AREAS, FIXTURES, LAYERS, choice, item, make, score


# -- answers --------------------------------------------------------------------------------
def lvl(level, *evidence) -> AnswerData:
    """A scale answer; default evidence ``data`` satisfies both caps."""
    evidence = evidence or ("data",)
    return AnswerData(value=level, evidence=tuple(Evidence(t, f"ref {t}") for t in evidence))


def bare(level) -> AnswerData:
    return AnswerData(value=level)


def val(value) -> AnswerData:
    return AnswerData(value=value)


def opt(s: float) -> AnswerData:
    return AnswerData(value=f"o{int(round(s * 100))}")


DK = AnswerData(dont_know=True)
NA = AnswerData(not_applicable=True, na_reason="No coastline.")


# -- 1. item scores ---------------------------------------------------------------------------
@pytest.mark.parametrize("level, s", [(0, 0.0), (1, 0.25), (2, 0.5), (3, 0.75), (4, 1.0)])
def test_scale_s_is_level_over_4(level, s):
    q = make([item("x1")])
    doc = score(q, {"x1": lvl(level)})
    assert doc["items"]["x1"]["s"] == s
    assert doc["items"]["x1"]["effective_level"] == level
    assert doc["areas"]["a"]["score"] == 100 * s          # one item: 100 * 3s / 3


@pytest.mark.parametrize("s", [0, 0.25, 0.5, 0.75, 1])
def test_choice_s_is_the_option_score_and_level_is_4s(s):
    q = make([choice("c1")])
    doc = score(q, {"c1": opt(s)})
    assert doc["items"]["c1"]["s"] == s
    assert doc["items"]["c1"]["effective_level"] == 4 * s
    assert doc["items"]["c1"]["claimed_level"] == 4 * s


CHECKLIST = [{"code": "crc", "label": {"en": "CRC"}, "score": 1},
             {"code": "opsc", "label": {"en": "OPSC"}, "score": 2},
             {"code": "palermo", "label": {"en": "Palermo"}, "score": 1},
             {"code": "none", "label": {"en": "Declaration only"}, "score": 0}]


@pytest.mark.parametrize("selected, s", [
    ((), 0.0),                                   # 0 / 4
    (("crc",), 0.25),                            # 1 / 4
    (("none",), 0.0),                            # a zero-point option adds nothing
    (("opsc", "palermo"), 0.75),                 # (2 + 1) / 4
    (("crc", "opsc", "palermo"), 1.0),           # 4 / 4
    (("crc", "opsc", "palermo", "none"), 1.0),   # min(1, 4 / 4): never above 1
    (["palermo", "crc", "crc"], 0.5),            # list, repeated code counted once: 2 / 4
])
def test_checklist_s_is_min_1_selected_over_total(selected, s):
    q = make([item("k1", "checklist", options=CHECKLIST)])
    doc = score(q, {"k1": val(selected)})
    assert doc["items"]["k1"]["s"] == s
    assert doc["items"]["k1"]["effective_level"] == 4 * s


NUMBER = dict(min=0, max=100, unit="%", bands=[
    {"min": 0, "max": 50, "score": 0}, {"min": 50, "max": 90, "score": 0.5},
    {"min": 90, "max": 100, "score": 1}])


@pytest.mark.parametrize("value, s", [
    (0, 0.0), (49.999, 0.0),       # [0, 50)
    (50, 0.5), (89.99, 0.5),       # [50, 90): a band includes its min
    (90, 1.0), (100, 1.0),         # the last band includes max
])
def test_number_s_is_the_band_score_at_boundaries(value, s):
    q = make([item("n1", "number", **NUMBER)])
    doc = score(q, {"n1": val(value)})
    assert doc["items"]["n1"]["s"] == s
    assert doc["items"]["n1"]["effective_level"] == 4 * s    # 0, 2 or 4


def test_text_items_are_not_scored_and_not_required():
    q = make([item("x1"), item("t1", "text")])
    doc = score(q, {"x1": lvl(2)})
    assert "t1" not in doc["items"]
    assert doc["missing"] == []
    assert doc["completeness"] == 1.0


def test_invalid_values_raise_instead_of_scoring():
    q = make([item("x1"), choice("c1"), item("n1", "number", **NUMBER)])
    for answers in ({"x1": val(5)}, {"x1": val(True)}, {"c1": val("nope")},
                    {"n1": val(101)}, {"n1": val(-1)}):
        with pytest.raises(InvalidAnswerError) as info:
            score(q, answers)
        assert info.value.key == next(iter(answers))


# -- 2. evidence caps ---------------------------------------------------------------------------
@pytest.mark.parametrize("level, evidence, effective, capped_by", [
    (3, ("expert_judgement",), 2, "documentary"),  # 3 without a documentary type -> 2
    (3, (), 2, "documentary"),                      # no evidence at all -> 2
    (3, ("law",), 3, None),
    (3, ("expert_judgement", "budget"), 3, None),   # one documentary entry is enough
    (4, ("policy",), 3, "outcome"),                 # 4 without evaluation/data -> 3
    (4, ("other",), 3, "outcome"),                  # "other" is documentary, not outcome
    (4, ("expert_judgement",), 2, "documentary"),   # both caps: the lower wins
    (4, ("data",), 4, None),                        # data is documentary and outcome
    (4, ("evaluation", "expert_judgement"), 4, None),
    (2, (), 2, None),                               # caps start at level 3
    (1, ("expert_judgement",), 1, None),
])
def test_evidence_caps(level, evidence, effective, capped_by):
    q = make([item("x1")])
    answer = AnswerData(value=level, evidence=tuple(Evidence(t, "r") for t in evidence))
    doc = score(q, {"x1": answer})
    entry = doc["items"]["x1"]
    assert (entry["claimed_level"], entry["effective_level"], entry["capped_by"]) == (
        level, effective, capped_by)
    assert doc["areas"]["a"]["score"] == 100 * effective / 4    # scoring uses the effective level


def test_evidence_caps_off_in_the_rubric():
    q = make([item("x1")], evidence_caps=False)
    doc = score(q, {"x1": bare(4)})
    assert doc["items"]["x1"]["effective_level"] == 4
    assert doc["items"]["x1"]["capped_by"] is None
    assert doc["areas"]["a"]["score"] == 100.0


def test_evidence_cap_levels_and_types_come_from_the_rubric():
    q = make([item("x1")], documentary_evidence_cap=1, outcome_evidence_types=["evaluation"])
    assert score(q, {"x1": bare(3)})["items"]["x1"]["effective_level"] == 1
    # data is no longer outcome evidence under this rubric: 4 -> 3
    assert score(q, {"x1": lvl(4, "data")})["items"]["x1"]["effective_level"] == 3


def test_evidence_caps_apply_to_scale_items_only():
    q = make([choice("c1")])
    doc = score(q, {"c1": opt(1)})                 # no evidence at all
    assert doc["items"]["c1"]["effective_level"] == 4.0
    assert doc["items"]["c1"]["capped_by"] is None


def test_evidence_as_plain_mappings_counts_too():
    q = make([item("x1")])
    doc = score(q, {"x1": AnswerData(value=4, evidence=({"type": "data", "reference": "r"},))})
    assert doc["items"]["x1"]["effective_level"] == 4


# -- 3. weights, N/A, don't know ----------------------------------------------------------------
def test_weights_by_class():
    q = make([item("x1", weight="core"), item("x2", weight="important"),
              item("x3", weight="supplementary")])
    answers = {"x1": lvl(4), "x2": lvl(2), "x3": lvl(0)}
    # 100 * (3*1 + 2*0.5 + 1*0) / (3+2+1) = 100 * 4/6
    assert score(q, answers)["areas"]["a"]["score"] == pytest.approx(66.66666666666667)
    q5 = make(q.model_dump()["items"], weights={"core": 5, "important": 2, "supplementary": 1})
    # 100 * (5*1 + 2*0.5 + 0) / (5+2+1) = 100 * 6/8
    assert score(q5, answers)["areas"]["a"]["score"] == 75.0
    assert score(q5, answers)["items"]["x1"]["weight"] == 5


def test_not_applicable_leaves_every_denominator():
    q = make([item("x1"), item("x2", weight="important", allow_na=True)])
    doc = score(q, {"x1": lvl(4), "x2": NA})
    assert doc["areas"]["a"]["score"] == 100.0           # 100 * 3*1 / 3 (x2 left out)
    assert doc["layers"]["primary"]["score"] == 100.0
    assert doc["cells"]["a"]["primary"] == 100.0
    assert doc["knowledge_coverage"] == 1.0              # 1 known / 1 applicable
    assert doc["areas"]["a"]["dont_know_share"] == 0.0
    assert doc["completeness"] == 1.0                    # N/A is an answer
    assert doc["gaps"] == []                             # an N/A item is never a gap
    assert doc["items"]["x2"]["status"] == "not_applicable"
    assert doc["items"]["x2"]["s"] is None
    assert doc["explanations"]["areas"]["a"]["items"] == ["x1"]
    assert doc["explanations"]["areas"]["a"]["not_applicable"] == ["x2"]


def test_not_applicable_on_an_item_that_does_not_allow_it_is_ignored():
    q = make([item("x1"), item("x2", weight="important")])          # allow_na: false
    doc = score(q, {"x1": lvl(4), "x2": NA})
    assert doc["items"]["x2"]["status"] == "unanswered"
    assert doc["areas"]["a"]["score"] == 60.0                        # 100 * 3 / (3+2)


def test_area_whose_items_are_all_na_is_null_and_left_out_of_overall():
    q = make([item("x1", areas=("a",), allow_na=True), item("y1", areas=("b",))])
    doc = score(q, {"x1": NA, "y1": lvl(2)})
    assert doc["areas"]["a"]["score"] is None
    assert doc["areas"]["a"]["band"] is None
    assert doc["areas"]["a"]["known_only"] is None
    assert doc["areas"]["a"]["dont_know_share"] is None
    assert doc["overall"]["score"] == 50.0               # mean over b only, not (0 + 50) / 2
    assert doc["explanations"]["overall"]["areas"]["a"]["included"] is False


def test_dont_know_counts_zero_in_headline_and_leaves_known_only():
    q = make([item("x1"), item("x2", weight="important")])
    doc = score(q, {"x1": lvl(4), "x2": DK})
    assert doc["areas"]["a"]["score"] == 60.0            # 100 * (3*1 + 2*0) / (3+2)
    assert doc["areas"]["a"]["known_only"] == 100.0      # 100 * 3*1 / 3
    assert doc["overall"]["score"] == 60.0
    assert doc["overall"]["known_only"] == 100.0
    assert doc["layers"]["primary"]["known_only"] == 100.0
    assert doc["items"]["x2"]["s"] == 0.0
    assert doc["items"]["x2"]["claimed_level"] is None


def test_dont_know_is_ignored_where_the_item_forbids_it():
    q = make([item("x1", allow_dont_know=False)])
    doc = score(q, {"x1": AnswerData(value=2, dont_know=True)})
    assert doc["items"]["x1"]["status"] == "answered"    # counts by its value
    doc = score(q, {"x1": DK})
    assert doc["items"]["x1"]["status"] == "unanswered"
    assert doc["missing"] == ["x1"]


# -- 4. aggregates ---------------------------------------------------------------------------
def aggregate_definition(**rubric):
    return make([
        item("a1", areas=("a",), layers=("primary",), weight="core"),               # s = 1
        item("a2", areas=("a",), layers=("secondary",), weight="supplementary"),    # s = 0
        choice("b1", areas=("b", "c"), layers=("primary", "tertiary"), weight="important"),  # .5
        item("c1", areas=("c",), layers=("tertiary",), weight="core"),              # s = .25
    ], **rubric)


AGG_ANSWERS = {"a1": lvl(4), "a2": lvl(0), "b1": opt(0.5), "c1": lvl(1)}


def test_area_layer_cell_and_overall_scores():
    doc = score(aggregate_definition(), AGG_ANSWERS)
    areas = {code: v["score"] for code, v in doc["areas"].items()}
    assert areas == {
        "a": 75.0,        # 100 * (3*1 + 1*0) / (3+1)
        "b": 50.0,        # 100 * 2*.5 / 2
        "c": 35.0,        # 100 * (2*.5 + 3*.25) / (2+3) = 100 * 1.75/5; b1 counts fully in b and c
        "d": None, "e": None, "f": None, "g": None, "h": None, "i": None,
    }
    assert {code: v["score"] for code, v in doc["layers"].items()} == {
        "primary": 80.0,      # a1, b1: 100 * (3*1 + 2*.5) / (3+2)
        "secondary": 0.0,     # a2: 100 * 0 / 1
        "tertiary": 35.0,     # b1, c1: 100 * (2*.5 + 3*.25) / (2+3)
    }
    assert doc["cells"]["a"] == {"primary": 100.0, "secondary": 0.0, "tertiary": None}
    assert doc["cells"]["b"] == {"primary": 50.0, "secondary": None, "tertiary": 50.0}
    assert doc["cells"]["c"] == {"primary": 50.0, "secondary": None, "tertiary": 35.0}
    assert doc["cells"]["d"] == {"primary": None, "secondary": None, "tertiary": None}
    # the mean of the defined areas, each weighing the same: (75 + 50 + 35) / 3
    assert doc["overall"]["score"] == pytest.approx(53.333333333333336)
    assert doc["overall"]["band"] == "developing"


def test_area_weights_overridden_in_the_rubric():
    doc = score(aggregate_definition(area_weights={"a": 2, "b": 1, "c": 1}), AGG_ANSWERS)
    assert doc["overall"]["score"] == 58.75          # (2*75 + 1*50 + 1*35) / (2+1+1) = 235/4
    doc = score(aggregate_definition(area_weights={"a": 1, "b": 1, "c": 0}), AGG_ANSWERS)
    assert doc["overall"]["score"] == 62.5           # (75 + 50 + 0*35) / 2
    doc = score(aggregate_definition(area_weights={"a": 3}), AGG_ANSWERS)  # others default 1
    assert doc["overall"]["score"] == 62.0           # (3*75 + 50 + 35) / 5 = 310/5


def test_known_only_overall_leaves_unknown_areas_out():
    q = make([item("x1", areas=("a",)), item("y1", areas=("b",))])
    doc = score(q, {"x1": lvl(2), "y1": DK})
    assert doc["overall"]["score"] == 25.0            # (50 + 0) / 2
    assert doc["overall"]["known_only"] == 50.0       # area b has no known item: left out
    assert doc["areas"]["b"]["known_only"] is None


def test_everything_na_gives_null_overall():
    q = make([item("x1", allow_na=True)])
    doc = score(q, {"x1": NA})
    assert doc["overall"] == {"score": None, "band": None, "known_only": None}
    assert doc["knowledge_coverage"] is None


# -- 5. bands and gating ---------------------------------------------------------------------
@pytest.mark.parametrize("value, band", [
    (0, "absent"), (19.999, "absent"), (20, "initiating"), (39.999, "initiating"),
    (40, "developing"), (59.999, "developing"), (60, "established"), (79.999, "established"),
    (80, "sustained"), (100, "sustained"), (None, None),
    (59.99999999999999, "established"),     # float noise for an exact 60 reaches the band
])
def test_band_boundaries(value, band):
    assert band_for(value, Rubric(rubric_version="x")) == band


def test_bands_come_from_the_rubric():
    rubric = Rubric(rubric_version="x", bands=[
        {"code": "low", "min": 0}, {"code": "high", "min": 50}],
        gating={"cap_band": "low"})
    assert band_for(49.9, rubric) == "low"
    assert band_for(50, rubric) == "high"


def test_engine_band_of_a_score_that_is_60_up_to_float_noise():
    q = make([choice("c1")])
    doc = score(q, {"c1": opt(0.6)})
    assert doc["areas"]["a"]["score"] == pytest.approx(60)     # 100 * (3*.6)/3, 59.99999999999999
    assert doc["areas"]["a"]["band"] == "established"
    assert format_score(doc["areas"]["a"]["score"]) == "60.0"


def gating_definition(core_level_item="x0", **rubric):
    # one core item and six important items, all in area a and the primary layer
    items = [item("x0", weight="core", allow_na=True)]
    items += [item(f"y{n}", weight="important") for n in range(1, 7)]
    return make(items, **rubric)


HIGH = {f"y{n}": lvl(4) for n in range(1, 7)}


def test_core_item_below_2_caps_the_band_at_developing():
    q = gating_definition()
    doc = score(q, {"x0": lvl(1), **HIGH})
    area = doc["areas"]["a"]
    assert area["score"] == 85.0            # 100 * (3*.25 + 6*2*1) / (3 + 6*2) = 100 * 12.75/15
    assert area["band"] == "developing"     # sustained, capped by gating
    assert area["gated_by"] == ["x0"]
    assert doc["layers"]["primary"]["band"] == "developing"
    assert doc["layers"]["primary"]["gated_by"] == ["x0"]
    assert doc["explanations"]["areas"]["a"]["band_before_gating"] == "sustained"
    assert doc["overall"]["band"] == "sustained"     # gating applies to areas and layers only


def test_core_item_at_level_2_does_not_gate():
    doc = score(gating_definition(), {"x0": lvl(2), **HIGH})
    assert doc["areas"]["a"]["gated_by"] == []
    assert doc["areas"]["a"]["score"] == 90.0        # 100 * (3*.5 + 12) / 15 = 100 * 13.5/15
    assert doc["areas"]["a"]["band"] == "sustained"


def test_important_item_below_2_does_not_gate():
    q = make([item("x1", weight="core"), item("y1", weight="important")])
    doc = score(q, {"x1": lvl(4), "y1": lvl(0)})
    assert doc["areas"]["a"]["gated_by"] == []
    assert doc["areas"]["a"]["score"] == 60.0        # 100 * 3 / 5
    assert doc["areas"]["a"]["band"] == "established"


@pytest.mark.parametrize("answer", [DK, None], ids=["dont_know", "unanswered"])
def test_unknown_core_item_gates(answer):
    answers = dict(HIGH)
    if answer is not None:
        answers["x0"] = answer
    doc = score(gating_definition(), answers)
    assert doc["areas"]["a"]["score"] == 80.0        # 100 * (0 + 12) / 15
    assert doc["areas"]["a"]["band"] == "developing"
    assert doc["areas"]["a"]["gated_by"] == ["x0"]


def test_na_core_item_does_not_gate():
    doc = score(gating_definition(), {"x0": NA, **HIGH})
    assert doc["areas"]["a"]["gated_by"] == []
    assert doc["areas"]["a"]["band"] == "sustained"  # 100 * 12/12


def test_gating_lists_items_even_when_the_band_is_already_low():
    q = make([item("x1"), item("x2")])
    doc = score(q, {"x1": lvl(1), "x2": lvl(0)})
    assert doc["areas"]["a"]["band"] == "absent"     # 100 * .75/6 = 12.5
    assert doc["areas"]["a"]["gated_by"] == ["x1", "x2"]


def test_core_non_scale_item_gates_on_4s():
    q = make([choice("c1")] + [item(f"y{n}", weight="important") for n in range(1, 7)])
    doc = score(q, {"c1": opt(0.25), **HIGH})        # level 4 * .25 = 1 < 2
    assert doc["areas"]["a"]["gated_by"] == ["c1"]
    doc = score(q, {"c1": opt(0.5), **HIGH})         # level 2: not below 2
    assert doc["areas"]["a"]["gated_by"] == []


def test_gating_rule_comes_from_the_rubric():
    q = gating_definition(gating={"weight_class": "core", "below_level": 3,
                                  "cap_band": "initiating"})
    doc = score(q, {"x0": lvl(2), **HIGH})
    assert doc["areas"]["a"]["gated_by"] == ["x0"]
    assert doc["areas"]["a"]["band"] == "initiating"


# -- 6. coverage and completeness --------------------------------------------------------------
def test_insufficient_information_at_exactly_25_percent_is_not_flagged():
    q = make([item(f"x{n}") for n in range(4)] + [item(f"y{n}", areas=("b",)) for n in range(3)])
    answers = {"x0": DK, "x1": lvl(2), "x2": lvl(2), "x3": lvl(2),
               "y0": DK, "y1": lvl(2), "y2": lvl(2)}
    doc = score(q, answers)
    assert doc["areas"]["a"]["dont_know_share"] == 0.25          # 1 / 4
    assert doc["areas"]["a"]["insufficient_information"] is False
    assert doc["areas"]["b"]["dont_know_share"] == pytest.approx(1 / 3)
    assert doc["areas"]["b"]["insufficient_information"] is True   # 1/3 > .25
    assert doc["knowledge_coverage"] == pytest.approx(5 / 7)       # 5 known of 7 applicable


def test_dont_know_threshold_comes_from_the_rubric():
    q = make([item("x0"), item("x1"), item("x2")], dont_know_threshold=0.5)
    doc = score(q, {"x0": DK, "x1": lvl(2), "x2": lvl(2)})
    assert doc["areas"]["a"]["insufficient_information"] is False  # 1/3 <= .5


def test_completeness_counts_any_answer_including_dk_and_na():
    q = make([item("x1"), item("x2"), item("x3", allow_na=True), item("x4"), item("t1", "text")])
    doc = score(q, {"x1": lvl(2), "x2": DK, "x3": NA, "x4": AnswerData(comment="later")})
    assert doc["completeness"] == 0.75                 # 3 of 4 scored items answered
    assert doc["missing"] == ["x4"]
    assert doc["counts"] == {"answered": 1, "dont_know": 1, "not_applicable": 1,
                             "unanswered": 1}
    # unanswered counts as unknown: 1 known of 3 applicable (x3 is N/A)
    assert doc["knowledge_coverage"] == pytest.approx(1 / 3)


def test_unanswered_items_count_like_dont_know():
    q = make([item("x1"), item("x2", weight="important")])
    doc = score(q, {"x1": lvl(4)})
    assert doc["areas"]["a"]["score"] == 60.0            # 100 * (3 + 0) / 5
    assert doc["areas"]["a"]["known_only"] == 100.0
    assert doc["areas"]["a"]["dont_know_share"] == 0.5
    assert doc["items"]["x2"]["status"] == "unanswered"
    gap = doc["gaps"][0]
    assert (gap["key"], gap["unknown"], gap["status"], gap["current"]) == (
        "x2", True, "unanswered", 0.0)
    assert doc["missing"] == ["x2"]


def test_missing_lists_scored_items_in_questionnaire_order():
    q = make([item("z1"), item("a1"), item("m1")])
    doc = score(q, {"a1": lvl(1), "z1": None})
    assert doc["missing"] == ["z1", "m1"]
    assert doc["completeness"] == pytest.approx(1 / 3)


# -- 7. gap list -------------------------------------------------------------------------------
def test_gap_list_order_ties_and_enabler():
    q = make([
        item("a9", areas=("c",), weight="core"),                # level 1
        item("z1", areas=("b", "d"), weight="important", target=4),  # level 1
        item("m2", areas=("e", "b"), weight="core"),            # level 1, first area b
        item("m1", areas=("b",), weight="core"),                # level 1
        item("e1", areas=("a",), weight="supplementary", enabler=True),  # don't know
        item("s1", areas=("a",), weight="supplementary"),       # don't know, not enabler
        item("ok", areas=("a",), weight="core"),                # level 3 = target: no gap
        item("hi", areas=("a",), weight="core", target=2),      # level 2 = own target: no gap
        item("na", areas=("a",), weight="core", allow_na=True),  # N/A: never a gap
    ])
    doc = score(q, {"a9": lvl(1), "z1": lvl(1), "m2": lvl(1), "m1": lvl(1), "e1": DK,
                    "s1": DK, "ok": lvl(3), "hi": lvl(2), "na": NA})
    got = [(g["key"], g["gap"], g["priority"]) for g in doc["gaps"]]
    assert got == [
        ("m1", 0.5, 1.5),     # (3-1)/4 = .5; .5 * 3 = 1.5; area b, key m1 < m2
        ("m2", 0.5, 1.5),     # first area letter b (areas e, b)
        ("z1", 0.75, 1.5),    # (4-1)/4 = .75; .75 * 2 = 1.5; area b, key z1
        ("a9", 0.5, 1.5),     # area c comes after b despite key a9 < m1
        ("e1", 0.75, pytest.approx(0.9)),  # don't know = level 0: 3/4 * 1 * 1.2
        ("s1", 0.75, 0.75),   # 3/4 * 1
    ]
    e1 = doc["gaps"][4]
    assert e1["unknown"] is True and e1["current"] == 0.0 and e1["enabler"] is True
    assert doc["gaps"][0]["unknown"] is False
    assert doc["gaps"][0]["current"] == 1.0
    assert doc["gaps"][0]["target"] == 3
    assert doc["gaps"][0]["action"] == {"en": "Act on m1", "fr": "Agir sur m1"}
    assert doc["gaps"][0]["sources"] == [{"document": "A/68/275", "paragraphs": [82, 122]}]


def test_gap_uses_the_effective_level():
    q = make([item("x1")])
    doc = score(q, {"x1": bare(4)})            # no evidence: effective 2
    gap = doc["gaps"][0]
    assert (gap["current"], gap["gap"], gap["priority"], gap["claimed_level"]) == (
        2.0, 0.25, 0.75, 4.0)                  # (3-2)/4 = .25; .25 * 3 = .75


def test_default_target_and_per_item_target():
    q = make([item("x1"), item("x2", target=2)], default_target=4)
    doc = score(q, {"x1": lvl(3), "x2": lvl(3)})
    assert [(g["key"], g["target"], g["gap"]) for g in doc["gaps"]] == [("x1", 4, 0.25)]
    assert doc["items"]["x1"]["target"] == 4 and doc["items"]["x2"]["target"] == 2


def test_enabler_multiplier_comes_from_the_rubric():
    q = make([item("x1", enabler=True)], enabler_multiplier=2.0)
    doc = score(q, {"x1": lvl(1)})
    assert doc["gaps"][0]["priority"] == 3.0   # .5 * 3 * 2


# -- the shipped mini fixture, end to end ------------------------------------------------------
def test_mini_fixture_end_to_end():
    q = load_definition(FIXTURES / "mini-1.0.yaml").questionnaire
    answers = {"a1": lvl(3, "law"), "b1": val(("crc", "palermo")), "c1": val(95),
               "d1": val("partly"), "x1": val("free text")}
    doc = score(q, answers)
    assert doc["questionnaire"] == {"id": "mini", "version": "1.0"}
    assert doc["rubric_version"] == "1.0"
    assert {c: v["score"] for c, v in doc["areas"].items() if v["score"] is not None} == {
        "a": 75.0, "i": 75.0,   # a1 level 3: 100 * .75
        "b": 50.0,              # b1 (1 + 1) / 4 = .5
        "c": 100.0,             # c1 95 in [90, 100]: 1
        "d": 50.0,              # d1 partly: .5
    }
    assert doc["overall"]["score"] == 70.0      # (75 + 50 + 100 + 50 + 75) / 5
    assert doc["overall"]["band"] == "established"
    # primary: a1, b1, c1: 100 * (3*.75 + 2*.5 + 3*1) / (3+2+3) = 100 * 6.25/8
    assert doc["layers"]["primary"]["score"] == 78.125
    assert [(g["key"], g["priority"]) for g in doc["gaps"]] == [
        ("b1", 0.5),     # level 2: (3-2)/4 * 2
        ("d1", 0.25),    # level 2: (3-2)/4 * 1
    ]
    assert doc["completeness"] == 1.0 and doc["knowledge_coverage"] == 1.0


# -- explanations, output shape, helpers -----------------------------------------------------
def test_every_aggregate_explains_itself():
    doc = score(aggregate_definition(), {**AGG_ANSWERS, "a2": DK})
    area = explain(doc, "area", "a")
    assert [(r["key"], r["weight"], r["s"], r["contribution"]) for r in area["rows"]] == [
        ("a1", 3.0, 1.0, 3.0), ("a2", 1.0, 0.0, 0.0)]
    assert area["unknown"] == ["a2"]
    assert area["formula"] == "100 \u00d7 \u03a3(w\u00b7s) / \u03a3w = 100 \u00d7 3 / 4 = 75.0"
    cell = explain(doc, "cell", "c", "tertiary")
    assert [r["key"] for r in cell["rows"]] == ["b1", "c1"]
    layer = explain(doc, "layer", "primary")
    assert [r["key"] for r in layer["rows"]] == ["a1", "b1"]
    overall = explain(doc, "overall")
    assert [r["area"] for r in overall["rows"] if r["included"]] == ["a", "b", "c"]
    gated = explain(score(gating_definition(), {"x0": lvl(4, "law"), **HIGH}), "area", "a")
    assert gated["rows"][0]["claimed_level"] == 4.0
    assert gated["rows"][0]["effective_level"] == 3.0
    assert gated["rows"][0]["capped_by"] == "outcome"


def test_score_document_has_the_contract_keys():
    doc = score(aggregate_definition(), AGG_ANSWERS)
    assert set(doc) >= {"overall", "areas", "layers", "cells", "knowledge_coverage",
                        "completeness", "gaps", "questionnaire", "rubric_version"}
    assert set(doc["overall"]) >= {"score", "band", "known_only"}
    assert list(doc["areas"]) == list(AREAS)
    for area in doc["areas"].values():
        assert set(area) >= {"score", "band", "gated_by", "dont_know_share",
                             "insufficient_information"}
    assert list(doc["layers"]) == list(LAYERS)
    for layer in doc["layers"].values():
        assert set(layer) >= {"score", "band", "gated_by"}
    assert all(list(row) == list(LAYERS) for row in doc["cells"].values())
    for gap in doc["gaps"]:
        assert set(gap) >= {"key", "current", "target", "gap", "priority", "unknown",
                            "action", "sources"}
    assert "explanations" not in score(aggregate_definition(), AGG_ANSWERS, explain=False)


def test_unknown_answer_keys_are_ignored_and_plan_is_reused():
    q = aggregate_definition()
    assert score(q, {**AGG_ANSWERS, "zz": lvl(4)}) == score(q, AGG_ANSWERS)
    assert plan_for(q) is plan_for(q)


def test_rubric_override_for_recomputation():
    q = make([item("x1")])
    other = Rubric(rubric_version="2.0", evidence_caps=False)
    doc = score(q, {"x1": bare(4)}, rubric=other)
    assert doc["rubric_version"] == "2.0"
    assert doc["areas"]["a"]["score"] == 100.0


@pytest.mark.parametrize("value, shown", [
    (47.25, 47.3), (47.24999, 47.2), (0.05, 0.1), (100.0, 100.0), (None, None)])
def test_round_score_half_up_for_display(value, shown):
    assert round_score(value) == shown


def test_rounded_document_rounds_scores_only():
    doc = score(aggregate_definition(), AGG_ANSWERS)
    shown = rounded_document(doc)
    assert shown["overall"]["score"] == 53.3
    assert doc["overall"]["score"] == pytest.approx(53.333333333333336)   # unchanged
    assert shown["cells"]["c"]["tertiary"] == 35.0
    assert format_score(None) == "\u2013"
