"""Content checks of a definition (app.questionnaire.checks): cited paragraphs exist; with a
checks file, no outdated term outside a quotation and layers where the prompt calls for them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.questionnaire.loader import DefinitionError, load_definition
from tests.factories import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {"outdated_terms": {"child pornography": "child sexual abuse material",
                             "child prostitution": "sexual exploitation of children in prostitution"},
          "layer_tags": {"tertiary": ["child victims", "reintegration"]}}


def mini(tmp_path: Path, edit=None, checks=CHECKS) -> Path:
    shutil.copy(FIXTURES / "mini-1.0.rubric.yaml", tmp_path / "mini-1.0.rubric.yaml")
    data = yaml.safe_load((FIXTURES / "mini-1.0.yaml").read_text(encoding="utf-8"))
    if edit:
        edit({it["key"]: it for it in data["items"]})
    path = tmp_path / "mini-1.0.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checks_file = tmp_path / "mini-1.0.checks.yaml"
    checks_file.unlink(missing_ok=True)
    if checks is not None:
        checks_file.write_text(yaml.safe_dump(checks), encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    return info.value.problems


def test_the_shipped_definitions_pass_their_checks():
    from app.questionnaire.loader import load_directory

    assert load_directory(ROOT / "questionnaires")


def test_a_paragraph_the_document_does_not_have_is_refused(tmp_path):
    def cite_150(items):
        items["a1"]["sources"] = [{"document": "A/68/275", "paragraphs": [17, 150]}]

    found = problems(mini(tmp_path, cite_150, checks=None))
    assert any("(a1).sources[0]: A/68/275 has no paragraph 150 (it ends at 122)" in p for p in found), found


def test_an_outdated_term_is_refused_outside_a_quotation_only(tmp_path):
    def outdated(items):
        items["a1"]["guidance"] = {"en": "Data on child pornography cases."}

    found = problems(mini(tmp_path, outdated))
    assert any("(a1).guidance.en: 'child pornography' is outdated; write 'child sexual abuse material'" in p
               for p in found), found

    def quoted(items):
        items["a1"]["guidance"] = {"en": 'The Optional Protocol "on the sale of children, child '
                                         'prostitution and child pornography" (2000).'}

    assert load_definition(mini(tmp_path, quoted))
    # Without a checks file (1.0, published) the words are not checked.
    assert load_definition(mini(tmp_path, outdated, checks=None))


def test_a_prompt_about_victims_needs_the_tertiary_layer(tmp_path):
    def victims(items):
        items["a1"]["prompt"] = {"en": "Are child victims offered recovery services?"}
        items["a1"]["layers"] = ["primary"]

    found = problems(mini(tmp_path, victims))
    assert any("(a1).layers: the prompt speaks of 'child victims'" in p and "tertiary" in p for p in found)
