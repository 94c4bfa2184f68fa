"""Questionnaire translations as PO files beside the definition (app.questionnaire.translations):
they never change a published version's content hash, a changed English source makes an
entry stale (the English shows), bad entries are refused naming file and path, and the
command line exports, imports and reports them."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from app.questionnaire.loader import DefinitionError, load_definition
from app.questionnaire.translations import english_texts
from tests.factories import mini_definition as mini, translation_po as po


def english(path: Path) -> dict[str, str]:
    loaded = load_definition(path)
    return english_texts(loaded.questionnaire.model_dump(mode="json", exclude={"rubric"}, exclude_none=True))


def test_a_translation_is_merged_without_changing_the_version(tmp_path):
    path = mini(tmp_path)
    before = load_definition(path)
    en = english(path)
    po(path, "fr", {"title": (en["title"], "Petit contrôle de préparation"),
                    "items.a1.prompt": (en["items.a1.prompt"], "Existe-t-il un système national d'information ?")})
    after = load_definition(path)
    assert after.content_hash == before.content_hash
    assert after.questionnaire.title["fr"] == "Petit contrôle de préparation"
    assert after.questionnaire.item_map["a1"].prompt["fr"].startswith("Existe-t-il")
    assert "fr" in after.questionnaire.languages
    state = after.translations["fr"]
    assert state.counts == {"translated": 2, "missing": len(en) - 2, "stale": 0}
    assert after.translation_revisions()["fr"] == state.revision and len(state.revision) == 16


def test_an_entry_whose_english_changed_is_stale_and_the_english_shows(tmp_path):
    path = mini(tmp_path)
    en = english(path)
    po(path, "es", {"items.a1.prompt": ("An older English wording?", "¿Una redacción anterior?")})
    loaded = load_definition(path)
    assert loaded.translations["es"].stale == ["items.a1.prompt"]
    assert "es" not in loaded.questionnaire.item_map["a1"].prompt
    assert loaded.questionnaire.item_map["a1"].prompt["en"] == en["items.a1.prompt"]


@pytest.mark.parametrize("entries,problem", [
    ({"items.zz9.prompt": ("Anything", "Quelque chose")}, "items.zz9.prompt: no such text"),
    ("placeholder", "placeholders or markup differ"),
])
def test_bad_entries_are_refused_naming_file_and_path(tmp_path, entries, problem):
    path = mini(tmp_path)
    if entries == "placeholder":
        en = english(path)
        key = next(k for k in en if k.endswith("prompt"))
        entries = {key: (en[key], en[key] + " %(x)s")}      # a placeholder the English lacks
    po(path, "ru", entries)
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    assert any("mini-1.0.ru.po" in p and problem in p for p in info.value.problems), info.value.problems


def test_command_line_export_import_and_status(tmp_path):
    from babel.messages.pofile import read_po

    from app import create_app
    from config import TestConfig

    path = mini(tmp_path)
    app = create_app(TestConfig, QUESTIONNAIRE_DIR=str(tmp_path))
    runner = app.test_cli_runner()
    out = tmp_path / "mini.zh.po"
    r = runner.invoke(args=["questionnaire", "translations", "export", "mini", "--lang", "zh", "-o", str(out)])
    assert r.exit_code == 0, r.output
    with open(out, "rb") as handle:
        catalog = read_po(handle)
    entries = [m for m in catalog if m.id]
    assert len(entries) == len(english(path)) and all(m.context for m in entries)
    for m in entries:                      # a translator fills every entry
        m.string = "译文：" + m.id
    with open(out, "wb") as handle:
        write_po(handle, catalog)
    r = runner.invoke(args=["questionnaire", "translations", "import", str(out), "--questionnaire", "mini",
                            "--version", "1.0", "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "translations" / "mini-1.0.zh.po").exists()
    app = create_app(TestConfig, QUESTIONNAIRE_DIR=str(tmp_path))   # a restart picks it up
    r = app.test_cli_runner().invoke(args=["questionnaire", "translations", "status"])
    line = next(row for row in r.output.splitlines() if row.startswith("mini\t1.0\tzh"))
    assert line.split("\t")[3:6] == [str(len(entries)), "0", "0"]


def test_an_import_with_a_wrong_entry_is_refused_whole(tmp_path):
    from app import create_app
    from config import TestConfig

    path = mini(tmp_path)
    bad = po(path, "ar", {"items.nope.prompt": ("x", "y")})
    moved = tmp_path / "upload.ar.po"
    bad.rename(moved)
    app = create_app(TestConfig, QUESTIONNAIRE_DIR=str(tmp_path))
    r = app.test_cli_runner().invoke(args=["questionnaire", "translations", "import", str(moved),
                                           "--questionnaire", "mini", "--version", "1.0", "--lang", "ar"])
    assert r.exit_code == 1 and "items.nope.prompt: no such text" in r.output
    assert not (tmp_path / "translations" / "mini-1.0.ar.po").exists()


def test_a_submission_records_the_translation_revisions(tmp_path, sqlite_url):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Submission
    from tests.factories import create_assessment, full_answers, make_app
    from tests.servers import dispose, seed_user_with_token

    path = mini(tmp_path)
    en = english(path)
    po(path, "fr", {"title": (en["title"], "Petit contrôle")})
    app = make_app(sqlite_url, tmp_path, QUESTIONNAIRE_DIR=str(tmp_path))
    user_id, _ = seed_user_with_token(app, "ana@gov.example")
    q = app.extensions["catalog"].get("mini", "1.0")
    create_assessment(app, user_id, full_answers(q), submit=True, questionnaire="mini", version="1.0")
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.translations == app.extensions["catalog"].loaded("mini", "1.0").translation_revisions()
        assert set(submission.translations) == {"fr"}
    dispose(app)
