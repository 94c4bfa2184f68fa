"""The questionnaire as versioned data: format, content rules, CLI, immutability."""
from __future__ import annotations

import collections
import json
import shutil
from pathlib import Path

import pytest
import yaml

from app.questionnaire import DefinitionError, load_definition, load_directory
from app.questionnaire.definition import Questionnaire
from app.questionnaire.export import normalised
from app.questionnaire.schema import AREA_CODES, LAYER_CODES

ROOT = Path(__file__).resolve().parents[2]
QDIR = ROOT / "questionnaires"
SHIPPED = QDIR / "prevention-readiness-1.0.yaml"
VERSIONS = ("1.0", "1.1")
# The last paragraph number of each source document.
LAST_PARAGRAPH = {"A/68/275": 122, "A/HRC/25/48": 123}


@pytest.fixture(scope="module", params=VERSIONS)
def q(request) -> Questionnaire:
    """Each shipped version: the content rules hold for both."""
    return load_definition(QDIR / f"prevention-readiness-{request.param}.yaml").questionnaire


def test_shipped_definitions_load(q):
    assert (q.id, q.version) in {("prevention-readiness", v) for v in VERSIONS}
    assert [d.questionnaire.ref for d in load_directory(QDIR)] == [f"prevention-readiness@{v}" for v in VERSIONS]


def test_between_70_and_100_scored_items(q):
    assert 70 <= len(q.scored_items) <= 100


def test_every_area_layer_cell_has_at_least_two_items(q):
    cells = collections.Counter((a, layer) for it in q.scored_items for a in it.areas for layer in it.layers)
    thin = [(a, layer, cells[(a, layer)]) for a in AREA_CODES for layer in LAYER_CODES if cells[(a, layer)] < 2]
    assert thin == []


def test_scale_items_have_five_distinct_concrete_descriptors(q):
    for item in q.items:
        if item.type == "scale":
            texts = [lvl.descriptor["en"] for lvl in item.levels]
            assert len(set(texts)) == 5, item.key
            assert all(len(t) >= 25 for t in texts), f"{item.key}: descriptors must be concrete"


def test_every_item_has_guidance_action_and_real_sources(q):
    for item in q.items:
        assert len(item.guidance["en"]) >= 80, item.key
        assert len(item.action["en"]) >= 30, item.key
        for src in item.sources:
            assert all(1 <= p <= LAST_PARAGRAPH[src.document] for p in src.paragraphs), item.key


def test_item_types_are_used_where_they_fit(q):
    types = collections.Counter(it.type for it in q.items)
    assert types["scale"] >= 50 and types["checklist"] >= 1 and types["number"] >= 1 and types["choice"] >= 1
    # Birth-registration coverage is a number with bands (A/68/275 para 82).
    birth = [it for it in q.items if it.type == "number" and any(82 in s.paragraphs for s in it.sources)]
    assert birth and birth[0].unit == "%"
    # Ratified instruments are a checklist citing paras 12-14.
    assert any(it.type == "checklist" and any({12, 13, 14} & set(s.paragraphs) for s in it.sources)
               for it in q.items)


def test_screening_subset_is_about_25_to_30_items_covering_every_area(q):
    keys = q.screening_keys
    assert 25 <= len(keys) <= 32      # 1.1 added demand, budget, recovery, tourism, police (31)
    assert {a for k in keys for a in q.item_map[k].areas} == set(AREA_CODES)


def test_na_is_allowed_only_on_a_few_items(q):
    """N/A is for the few sectors a country may lack; 1.1 adds it where a province or state
    assessment answers a question that is the national State's (its guidance says so)."""
    na = [it for it in q.items if it.allow_na]
    state_level = [it.key for it in na if "province or state" in it.guidance["en"]]
    assert 0 < len(na) - len(state_level) <= 8, [it.key for it in na if it.key not in state_level]


def test_weights_mix_and_enablers(q):
    weights = collections.Counter(it.weight for it in q.scored_items)
    assert weights["core"] >= 15 and weights["important"] >= 15
    assert sum(it.enabler for it in q.items) >= 5


def test_every_text_is_a_language_map_with_english(q):
    def walk(node, path="$"):
        if isinstance(node, dict):
            if set(node) and all(isinstance(v, str) for v in node.values()) and "en" in node:
                return
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for n, v in enumerate(node):
                walk(v, f"{path}[{n}]")
        elif isinstance(node, str):
            # Bare strings are codes, keys or units, never prose.
            assert len(node) < 40 and "\n" not in node, f"{path} looks like prose outside a language map"

    data = normalised(q)
    for key in ("title", "areas", "layers", "sections", "items"):
        walk(data[key], key)


def test_rubric_holds_every_parameter(q):
    r = q.rubric
    assert r.weights == {"core": 3, "important": 2, "supplementary": 1}
    assert r.default_target == 3 and r.evidence_caps is True
    assert [b.min for b in r.bands] == [0, 20, 40, 60, 80]
    assert r.dont_know_threshold == 0.25 and r.enabler_multiplier == 1.2
    assert set(r.area_weights) == set(AREA_CODES)


def test_json_schema_file_is_up_to_date():
    committed = json.loads((QDIR / "questionnaire.schema.json").read_text())
    assert committed == Questionnaire.model_json_schema(), \
        "regenerate: flask --app app questionnaire schema > questionnaires/questionnaire.schema.json"


# -- malformed definitions are refused loudly, naming file and path ----------------

def _broken_copy(tmp_path, mutate) -> Path:
    data = yaml.load(SHIPPED.read_text(), Loader=yaml.CSafeLoader)
    mutate(data)
    path = tmp_path / "prevention-readiness-1.0.yaml"
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True))
    shutil.copy(QDIR / "prevention-readiness-1.0.rubric.yaml", tmp_path)
    return path


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d["items"][12].update(levels=d["items"][12]["levels"][:4]), "items[12].levels"),
    (lambda d: d["items"][3].update(prompt={"fr": "Question"}), "items[3].prompt: must have an 'en' text"),
    (lambda d: d["items"][0].update(areas=["z"]), "items[0].areas[0]"),
    (lambda d: d["items"][5].update(sources=[{"document": "A/1/2", "paragraphs": [1]}]), "items[5].sources[0].document"),
    (lambda d: d["items"][0].update(colour="red"), "items[0].colour"),
    (lambda d: d["items"].append(dict(d["items"][0])), "item keys must be unique"),
    (lambda d: d["sections"][0]["items"].append("zz9"), "sections name unknown items"),
])
def test_malformed_definitions_name_file_and_path(tmp_path, mutate, expected):
    path = _broken_copy(tmp_path, mutate)
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert any(expected in line and str(path) in line for line in info.value.problems), info.value.problems


def test_invalid_yaml_is_reported_with_a_line(tmp_path):
    path = tmp_path / "x-1.0.yaml"
    path.write_text("id: x\nitems: [\n")
    with pytest.raises(DefinitionError, match=r"line \d+"):
        load_definition(path)


def test_cli_validate_exit_codes_and_lines(tmp_path):

    from app import create_app
    from config import TestConfig

    app = create_app(TestConfig)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["questionnaire", "validate"])
    assert ok.exit_code == 0, ok.output
    bad = _broken_copy(tmp_path, lambda d: d["items"][12].update(levels=[]))
    result = runner.invoke(args=["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: items[12].levels:" in result.output


def test_cli_list_and_export(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["questionnaire", "list"])
    assert listed.exit_code == 0
    qid, version, title, count = listed.output.strip().splitlines()[0].split("\t")
    assert (qid, version) == ("prevention-readiness", "1.0") and int(count) >= 70
    exported = runner.invoke(args=["questionnaire", "export", "prevention-readiness", "--version", "1.0",
                                   "--format", "json"])
    data = json.loads(exported.output)
    assert {"id", "version", "title", "areas", "layers", "sections", "items"} <= set(data)
    by_type = {it["type"]: it for it in data["items"]}
    assert "levels" in by_type["scale"] and "options" not in by_type["scale"] and "bands" not in by_type["scale"]
    assert "options" in by_type["choice"] and "levels" not in by_type["choice"]
    assert {"bands", "min", "max", "unit"} <= set(by_type["number"]) and "levels" not in by_type["number"]
    assert set(by_type["scale"]) >= {"key", "prompt", "guidance", "areas", "layers", "weight", "target",
                                      "enabler", "allow_na", "allow_dont_know", "action", "sources"}
    assert [a["code"] for a in data["areas"]] == list(AREA_CODES)


def test_api_lists_published_questionnaires(client, make_user, auth):
    make_user("ana@gov.example")
    auth.login("ana@gov.example")
    data = client.get("/api/v1/questionnaires").get_json()
    assert [(d["id"], d["version"]) for d in data] == [("prevention-readiness", v) for v in VERSIONS]


# -- versioning: a published version is immutable ------------------------------------

def test_changed_content_under_a_published_version_is_refused(app, tmp_path):
    from app.extensions import db
    from app.questionnaire.catalog import Catalog, VersionConflict

    changed = _broken_copy(tmp_path, lambda d: d["items"][0]["prompt"].update(en="A reworded question?"))
    with app.app_context():
        with pytest.raises(VersionConflict, match="bump `version`"):
            Catalog.from_directory(changed.parent).publish(db.session)
        db.session.rollback()


def test_a_new_version_publishes_beside_the_old_one(app, tmp_path):
    from app.extensions import db
    from app.models import QuestionnaireVersion
    from app.questionnaire.catalog import Catalog

    def bump(d):
        d["version"] = "1.9"
        d["rubric_file"] = "prevention-readiness-1.0.rubric.yaml"
        d["items"][0]["prompt"]["en"] = "A reworded question?"

    path = _broken_copy(tmp_path, bump)
    path.rename(tmp_path / "prevention-readiness-1.9.yaml")
    shutil.copy(SHIPPED, tmp_path)
    with app.app_context():
        catalog = Catalog.from_directory(tmp_path)
        catalog.publish(db.session)
        db.session.commit()
        versions = sorted(r.version for r in db.session.query(QuestionnaireVersion))
        assert versions == ["1.0", "1.1", "1.9"]          # 1.1: the shipped one, published at start
        assert catalog.latest("prevention-readiness").version == "1.9"
        assert catalog.get("prevention-readiness", "1.0").item_map["a1"].prompt != \
            catalog.get("prevention-readiness", "1.9").item_map["a1"].prompt


def test_cli_publish_refuses_changed_content(app, tmp_path, monkeypatch):
    from app.extensions import db
    from app.models import QuestionnaireVersion

    with app.app_context():
        row = db.session.query(QuestionnaireVersion).filter_by(version="1.0").one()
        row.content_hash = "0" * 64  # as if published with other content
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["questionnaire", "publish"])
    assert result.exit_code != 0
    assert "immutable" in result.output and "bump" in result.output
