"""The crosswalk between questionnaire versions: loaded and checked beside the definitions,
used by "start from a previous assessment" and by comparisons across versions.

A mini questionnaire 1.0 (tests/fixtures) and a 1.1 made from it here: a1 the same, b1
renamed b9, c1 redefined (its levels mean something else), d1 reworded, x1 retired, e1 new.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.questionnaire.catalog import Catalog
from app.questionnaire.loader import DefinitionError
from tests.factories import FIXTURES

CROSSWALK = {
    "from": {"questionnaire": "mini", "version": "1.0"},
    "to": {"questionnaire": "mini", "version": "1.1"},
    "items": {"a1": {"to": "a1", "change": "same"},
              "b1": {"to": "b9", "change": "renamed"},
              "c1": {"to": "c1", "change": "redefined", "note": "bands changed"},
              "d1": {"to": "d1", "change": "reworded"},
              "x1": {"to": None, "change": "retired", "note": "asked elsewhere"}},
    "new": ["e1"],
}


def mini_versions(directory: Path, crosswalk: dict | None = CROSSWALK) -> Path:
    shutil.copy(FIXTURES / "mini-1.0.yaml", directory / "mini-1.0.yaml")
    shutil.copy(FIXTURES / "mini-1.0.rubric.yaml", directory / "mini-1.0.rubric.yaml")
    data = yaml.safe_load((FIXTURES / "mini-1.0.yaml").read_text(encoding="utf-8"))
    data["version"] = "1.1"
    data["rubric_file"] = "mini-1.0.rubric.yaml"
    items = {it["key"]: it for it in data["items"]}
    items["b1"]["key"] = "b9"
    items["c1"]["prompt"] = {"en": "A redefined question about basic services."}
    items["d1"]["prompt"] = {"en": items["d1"]["prompt"]["en"] + " (clearer wording)"}
    e1 = dict(items["a1"], key="e1", areas=["e"], prompt={"en": "A new question on social norms?"})
    data["items"] = [items["a1"], items["b1"], items["c1"], items["d1"], e1]
    data["sections"] = [{"key": "s1", "title": {"en": "First"}, "items": ["a1", "b9", "c1"]},
                        {"key": "s2", "title": {"en": "Second"}, "items": ["d1", "e1"]}]
    (directory / "mini-1.1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if crosswalk is not None:
        (directory / "mini-1.0-to-1.1.crosswalk.yaml").write_text(yaml.safe_dump(crosswalk), encoding="utf-8")
    return directory


def test_catalogue_loads_the_crosswalk_and_maps_comparable_items(tmp_path):
    catalog = Catalog.from_directory(mini_versions(tmp_path))
    old, new = catalog.get("mini", "1.0"), catalog.get("mini", "1.1")
    assert catalog.key_map(old, new) == {"a1": "a1", "b1": "b9", "d1": "d1"}
    assert catalog.key_map(new, old) == {"a1": "a1", "b9": "b1", "d1": "d1"}
    walk = catalog.crosswalk_into(new)
    assert [walk.change_of_new_key(k) for k in ("a1", "b9", "c1", "d1", "e1")] == \
        ["same", "renamed", "redefined", "reworded", "new"]


def test_without_a_crosswalk_only_shared_keys_match(tmp_path):
    catalog = Catalog.from_directory(mini_versions(tmp_path, crosswalk=None))
    old, new = catalog.get("mini", "1.0"), catalog.get("mini", "1.1")
    assert catalog.key_map(old, new) == {"a1": "a1", "c1": "c1", "d1": "d1"}


@pytest.mark.parametrize("change,problem", [
    (lambda c: c["items"].pop("d1"), "d1 of 1.0 is missing"),
    (lambda c: c["new"].remove("e1"), "e1 of 1.1 is neither the successor"),
    (lambda c: c["items"]["a1"].update(to="zz"), "items.a1.to: zz is not an item of 1.1"),
    (lambda c: c["items"]["b1"].update(to=["b9", "a1"]), "a renamed item maps to exactly one key"),
    (lambda c: c["items"]["x1"].update(change="merged"), "only a retired item has no successor"),
    (lambda c: c["items"]["a1"].update(change="kept"), "items.a1.change"),
])
def test_a_crosswalk_that_does_not_add_up_is_refused_naming_file_and_key(tmp_path, change, problem):
    import copy

    broken = copy.deepcopy(CROSSWALK)
    change(broken)
    with pytest.raises(DefinitionError) as info:
        Catalog.from_directory(mini_versions(tmp_path, broken))
    assert any(problem in line and "crosswalk.yaml" in line for line in info.value.problems), info.value.problems


def _answers_and_submit(app, user, q):
    from app.assessments import operations as ops
    from app.extensions import db

    a = ops.create_assessment(user, {"questionnaire": "mini", "version": q.version, "jurisdiction": "KE",
                                     "period": "2025", "title": "Last year"})
    answers = {"a1": {"level": 3, "evidence": [{"type": "law", "reference": "Act 1"}]},
               "b1": {"selected": [q.item_map["b1"].options[0].code]},
               "c1": {"value": q.item_map["c1"].min}, "d1": {"option": q.item_map["d1"].options[0].code}}
    ops.save_answers(a, user, 0, answers)
    ops.submit(a, user)
    db.session.commit()
    return a


def test_starting_from_a_1_0_assessment_carries_comparable_answers_into_1_1(sqlite_url, tmp_path):
    from app.assessments import operations as ops, store
    from app.extensions import db
    from app.models import User
    from tests.factories import make_app
    from tests.servers import dispose, seed_user_with_token

    app = make_app(sqlite_url, tmp_path, QUESTIONNAIRE_DIR=str(mini_versions(tmp_path)))
    user_id, _ = seed_user_with_token(app, "ana@gov.example")
    with app.app_context():
        user = db.session.get(User, user_id)
        catalog = app.extensions["catalog"]
        old = _answers_and_submit(app, user, catalog.get("mini", "1.0"))
        new = ops.create_assessment(user, {"questionnaire": "mini", "version": "1.1", "jurisdiction": "KE",
                                           "period": "2026", "title": "This year", "based_on": old.id})
        db.session.commit()
        carried = store.answers_json(catalog.get("mini", "1.1"), store.answers_of(new))
        assert set(carried) == {"a1", "b9", "d1"}            # c1 redefined: not carried
        assert carried["a1"]["evidence"][0]["reference"] == "Act 1"
        assert carried["b9"] == {"selected": [catalog.get("mini", "1.0").item_map["b1"].options[0].code]}

        # Compared across versions: b1 and b9 side by side; c1 and e1 listed apart.
        from app.review import compare as cmp
        from app.review.subjects import load_subjects

        new_q = catalog.get("mini", "1.1")
        ops.save_answers(new, user, new.revision, {"c1": {"value": new_q.item_map["c1"].min},
                                                   "e1": {"level": 1}})
        ops.submit(new, user)
        db.session.commit()
        c = cmp.compare(load_subjects(user, [old.id, new.id]))
        assert [row.key for row in c.items] == ["a1", "b1", "d1"]
        b_row = next(r for r in c.items if r.key == "b1")
        assert b_row.answers[0].level == b_row.answers[1].level
        assert c.excluded_items == {"mini@1.0": ("c1",), "mini@1.1": ("c1", "e1")}
        # The page says what became of them.
        from app.review.presenters import questionnaire_note

        with app.test_request_context():
            assert questionnaire_note(c)["excluded"] == {
                "mini@1.0": ["c1"], "mini@1.1": ["c1 (levels redefined)", "e1 (new)"]}
    dispose(app)


def test_section_page_marks_questions_new_or_redefined_in_this_version(app, client, make_user, auth):
    """On the shipped 1.1: a new question (b13) and a redefined one (b6) say so; an unchanged
    (b2, only reworded) does not."""
    from tests.factories import create_assessment

    uid = make_user("ana@gov.example")
    auth.login("ana@gov.example")
    aid = create_assessment(app, uid)
    html = client.get(f"/assessments/{aid}/sections/s_b_law_justice").get_data(as_text=True)
    block = lambda key: html.split(f'id="item-{key}"')[1][:1500]  # noqa: E731 - a one-line helper local to the test
    assert "In this version: new" in block("b13")
    assert "In this version: levels redefined" in block("b6")
    assert "In this version" not in block("b2")
