"""Properties of the scoring engine over random small definitions and random answers."""
from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.questionnaire.answers import AnswerData, Evidence, EVIDENCE_TYPES
from app.questionnaire.definition import Questionnaire, Rubric
from app.questionnaire.schema import AREA_CODES, LAYER_CODES, WEIGHT_CLASSES
from app.scoring import score_assessment

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9
LEVELS = [{"level": n, "descriptor": {"en": f"Level {n}"}} for n in range(5)]
SCORES = [0, 0.1, 0.25, 0.5, 0.6, 0.75, 1]
BAND_RANK = {"absent": 0, "initiating": 1, "developing": 2, "established": 3, "sustained": 4}


# -- strategies --------------------------------------------------------------------------------
# Strategies built once (building them inside the composite on every draw is slow).
KINDS = st.sampled_from(["scale", "choice", "checklist", "number"])
ITEM_AREAS = st.lists(st.sampled_from(AREA_CODES), min_size=1, max_size=3, unique=True)
ITEM_LAYERS = st.lists(st.sampled_from(LAYER_CODES), min_size=1, max_size=3, unique=True)
WEIGHTS = st.sampled_from(WEIGHT_CLASSES)
TARGETS = st.none() | st.integers(1, 4)
CHOICE_SCORES = st.lists(st.sampled_from(SCORES), min_size=2, max_size=4)
POINTS = st.lists(st.integers(0, 3), min_size=2, max_size=4).filter(any)
CUTS = st.sets(st.integers(1, 99), max_size=3)
BAND_SCORE = st.sampled_from(SCORES)
EVIDENCE = st.lists(st.sampled_from(EVIDENCE_TYPES), max_size=2).map(
    lambda types: tuple(Evidence(t, "ref") for t in types))
LEVEL_VALUES = st.integers(0, 4)
NUMBER_VALUES = st.floats(0, 100, allow_nan=False)


@st.composite
def item_defs(draw, key: str) -> dict:
    kind = draw(KINDS)
    data = {
        "key": key, "type": kind, "prompt": {"en": key}, "guidance": {"en": "g"},
        "areas": draw(ITEM_AREAS),
        "layers": draw(ITEM_LAYERS),
        "weight": draw(WEIGHTS),
        "target": draw(TARGETS),
        "enabler": draw(st.booleans()),
        "allow_na": draw(st.booleans()),
        "action": {"en": f"Do {key}"},
        "sources": [{"document": "A/68/275", "paragraphs": [122]}],
    }
    if kind == "scale":
        data["levels"] = LEVELS
    elif kind == "choice":
        scores = draw(CHOICE_SCORES)
        data["options"] = [{"code": f"o{n}", "label": {"en": "o"}, "score": s}
                           for n, s in enumerate(scores)]
    elif kind == "checklist":
        points = draw(POINTS)
        data["options"] = [{"code": f"o{n}", "label": {"en": "o"}, "score": p}
                           for n, p in enumerate(points)]
    else:
        cuts = sorted(draw(CUTS))
        edges = [0, *cuts, 100]
        data.update(min=0, max=100, bands=[
            {"min": lo, "max": hi, "score": draw(BAND_SCORE)}
            for lo, hi in zip(edges, edges[1:])])
    return data


def build(items: list[dict], rubric: Rubric) -> Questionnaire:
    q = Questionnaire.model_validate({
        "id": "prop", "version": "1.0", "title": {"en": "P"},
        "areas": [{"code": c, "title": {"en": c}} for c in AREA_CODES],
        "layers": [{"code": c, "title": {"en": c}} for c in LAYER_CODES],
        "sections": [{"key": "s1", "title": {"en": "S"}, "items": [i["key"] for i in items]}],
        "items": items})
    return q.model_copy(update={"rubric": rubric})


@st.composite
def rubrics(draw) -> Rubric:
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=9, max_size=9))
    return Rubric(rubric_version="p", evidence_caps=draw(st.booleans()),
                  area_weights=dict(zip(AREA_CODES, weights)))


@st.composite
def answers_for(draw, item: dict):
    allowed = ["value", "value", "value", "dont_know", "missing"]
    if item["allow_na"]:
        allowed.append("na")
    kind = draw(st.sampled_from(allowed))
    if kind == "missing":
        return None
    if kind == "dont_know":
        return AnswerData(dont_know=True)
    if kind == "na":
        return AnswerData(not_applicable=True, na_reason="r")
    return AnswerData(value=draw(values_for(item)), evidence=draw(evidence()))


def values_for(item: dict):
    if item["type"] == "scale":
        return LEVEL_VALUES
    codes = [o["code"] for o in item.get("options", [])]
    if item["type"] == "choice":
        return st.sampled_from(codes)
    if item["type"] == "checklist":
        return st.lists(st.sampled_from(codes), unique=True).map(tuple)
    return NUMBER_VALUES


def evidence():
    return EVIDENCE


@st.composite
def assessments(draw):
    n = draw(st.integers(1, 7))
    items = [draw(item_defs(f"k{i}")) for i in range(n)]
    rubric = draw(rubrics())
    answers = {}
    for it in items:
        answer = draw(answers_for(it))
        if answer is not None:
            answers[it["key"]] = answer
    return items, rubric, answers


# -- helpers -------------------------------------------------------------------------------------
def headline_values(doc: dict) -> dict[str, float | None]:
    out = {"overall": doc["overall"]["score"]}
    out.update({f"area {k}": v["score"] for k, v in doc["areas"].items()})
    out.update({f"layer {k}": v["score"] for k, v in doc["layers"].items()})
    out.update({f"cell {a} {layer}": v for a, row in doc["cells"].items() for layer, v in row.items()})
    return out


def known_values(doc: dict) -> dict[str, float | None]:
    out = {"overall": doc["overall"]["known_only"]}
    out.update({f"area {k}": v["known_only"] for k, v in doc["areas"].items()})
    out.update({f"layer {k}": v["known_only"] for k, v in doc["layers"].items()})
    return out


def bands(doc: dict) -> dict[str, str | None]:
    out = {"overall": doc["overall"]["band"]}
    out.update({f"area {k}": v["band"] for k, v in doc["areas"].items()})
    out.update({f"layer {k}": v["band"] for k, v in doc["layers"].items()})
    return out


def not_lower(before: dict, after: dict) -> None:
    for name, old in before.items():
        new = after[name]
        if old is None:
            continue
        assert new is not None and new >= old - EPS, (name, old, new)


def raised(item: dict, value):
    """A strictly-not-lower answer value of the same item, or None when there is none."""
    if item["type"] == "scale":
        return value + 1 if value < 4 else None
    if item["type"] == "choice":
        own = next(o["score"] for o in item["options"] if o["code"] == value)
        better = [o["code"] for o in item["options"] if o["score"] > own]
        return better[0] if better else None
    if item["type"] == "checklist":
        rest = [o["code"] for o in item["options"] if o["code"] not in value]
        return (*value, rest[0]) if rest else None
    # number: a value in a band that scores higher (bands need not rise with the value)
    own = _number_band(item, value)["score"]
    better = [b for b in item["bands"] if b["score"] > own]
    return float(better[0]["min"]) if better else None


def _number_band(item: dict, value: float) -> dict:
    for band in item["bands"]:
        if band["min"] <= value < band["max"]:
            return band
    return item["bands"][-1]


# -- properties ----------------------------------------------------------------------------------
@SETTINGS
@given(assessments())
def test_every_score_is_within_0_and_100_and_shares_within_0_and_1(case):
    items, rubric, answers = case
    doc = score_assessment(build(items, rubric), answers)
    json.dumps(doc, allow_nan=False)
    for name, value in {**headline_values(doc), **known_values(doc)}.items():
        assert value is None or 0.0 <= value <= 100.0, (name, value)
    for key in ("knowledge_coverage", "completeness"):
        assert doc[key] is None or 0.0 <= doc[key] <= 1.0
    for area in doc["areas"].values():
        assert area["dont_know_share"] is None or 0.0 <= area["dont_know_share"] <= 1.0
    for gap in doc["gaps"]:
        assert 0.0 < gap["gap"] <= 1.0 and gap["priority"] > 0


@SETTINGS
@given(assessments(), st.data())
def test_raising_an_answer_never_lowers_any_aggregate_or_band(case, data):
    items, rubric, answers = case
    q = build(items, rubric)
    before = score_assessment(q, answers)
    item = data.draw(st.sampled_from(items))
    old = answers.get(item["key"])
    if old is not None and old.value is not None:
        new_value = raised(item, old.value)
        assume(new_value is not None)
        new = AnswerData(value=new_value, evidence=old.evidence)
        known_changes_only = True
    elif old is None or old.dont_know:
        # an unknown becomes any answer: the headline cannot fall (known_only may)
        new = AnswerData(value=data.draw(values_for(item)), evidence=data.draw(evidence()))
        known_changes_only = False
    else:
        assume(False)
    after = score_assessment(q, {**answers, item["key"]: new})
    not_lower(headline_values(before), headline_values(after))
    if known_changes_only:
        not_lower(known_values(before), known_values(after))
    for name, band in bands(before).items():
        if band is not None:
            assert BAND_RANK[bands(after)[name]] >= BAND_RANK[band], name


@SETTINGS
@given(assessments(), st.data())
def test_adding_evidence_never_lowers_any_aggregate(case, data):
    items, rubric, answers = case
    q = build(items, rubric)
    keys = [k for k, a in answers.items() if a.value is not None]
    assume(keys)
    key = data.draw(st.sampled_from(keys))
    extra = data.draw(st.sampled_from(EVIDENCE_TYPES))
    old = answers[key]
    more = AnswerData(value=old.value, evidence=(*old.evidence, Evidence(extra, "more")))
    before = score_assessment(q, answers)
    after = score_assessment(q, {**answers, key: more})
    not_lower(headline_values(before), headline_values(after))
    not_lower(known_values(before), known_values(after))


@SETTINGS
@given(assessments(), st.data())
def test_not_applicable_equals_removing_the_item(case, data):
    items, rubric, answers = case
    candidates = [it for it in items if it["allow_na"]]
    assume(candidates and len(items) > 1)
    gone = data.draw(st.sampled_from(candidates))
    with_na = score_assessment(build(items, rubric),
                               {**answers, gone["key"]: AnswerData(not_applicable=True,
                                                                   na_reason="r")})
    rest = [it for it in items if it is not gone]
    without = score_assessment(build(rest, rubric),
                               {k: a for k, a in answers.items() if k != gone["key"]})
    for key in ("overall", "areas", "layers", "cells", "knowledge_coverage", "gaps",
                "missing"):
        assert with_na[key] == without[key], key
    assert {k: v for k, v in with_na["items"].items() if k != gone["key"]} == without["items"]


@SETTINGS
@given(assessments(), st.randoms(use_true_random=False))
def test_the_order_of_answers_never_matters(case, rnd: random.Random):
    items, rubric, answers = case
    q = build(items, rubric)
    pairs = list(answers.items())
    rnd.shuffle(pairs)
    a = json.dumps(score_assessment(q, answers), sort_keys=False)
    b = json.dumps(score_assessment(q, dict(pairs)), sort_keys=False)
    assert a == b


@SETTINGS
@given(assessments())
def test_known_only_is_never_below_the_headline(case):
    items, rubric, answers = case
    doc = score_assessment(build(items, rubric), answers)
    headline, known = headline_values(doc), known_values(doc)
    for name, value in known.items():
        if value is not None:
            assert value >= headline[name] - EPS, (name, headline[name], value)


@SETTINGS
@given(assessments())
def test_gated_bands_never_exceed_the_cap_and_gates_name_core_items(case):
    items, rubric, answers = case
    doc = score_assessment(build(items, rubric), answers)
    cap = BAND_RANK[rubric.gating.cap_band]
    by_key = {it["key"]: it for it in items}
    for group in (*doc["areas"].values(), *doc["layers"].values()):
        for key in group["gated_by"]:
            assert by_key[key]["weight"] == rubric.gating.weight_class
        if group["gated_by"] and group["band"] is not None:
            assert BAND_RANK[group["band"]] <= cap
