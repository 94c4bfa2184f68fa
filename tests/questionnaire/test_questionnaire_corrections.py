"""Editorial corrections of a published version's English (issue 18: section titles cited
A/68/275 in two styles; app.questionnaire.translations): a ``<definition>.en.po`` beside the
definition changes what readers see and leaves the content hash alone, so publishing still
accepts the version its assessments were answered on; every translation stays keyed to the
published English (none goes stale, exports write it), the correction has a revision that
submissions record; a stale or unknown correction is handled as a translation's.  And on the
shipped questionnaires: every section title cites A/68/275 in one style per language."""
from __future__ import annotations

import re

import pytest

from app.questionnaire.loader import DefinitionError, load_definition
from tests.factories import ROOT, mini_definition as mini, translation_po as po

CORRECTED = "Mini readiness check (A/68/275, para. 122 (a))"


def test_a_correction_shows_without_changing_the_version_and_translations_stay_current(tmp_path):
    path = mini(tmp_path)
    before = load_definition(path)
    published = before.published_english["title"]
    po(path, "fr", {"title": (published, "Petit contrôle")})
    po(path, "en", {"title": (published, CORRECTED)})
    after = load_definition(path)
    assert after.content_hash == before.content_hash
    assert after.questionnaire.title == {"en": CORRECTED, "fr": "Petit contrôle"}
    assert after.published_english["title"] == published               # what translations translate
    assert after.translations["fr"].stale == [] and after.translations["en"].counts["translated"] == 1
    assert set(after.translation_revisions()) == {"en", "fr"}


def test_publishing_accepts_the_corrected_version_recorded_before(tmp_path, sqlite_url):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import QuestionnaireVersion, Submission
    from tests.factories import create_assessment, full_answers, make_app
    from tests.servers import dispose, seed_user_with_token

    path = mini(tmp_path)
    app = make_app(sqlite_url, tmp_path, QUESTIONNAIRE_DIR=str(tmp_path))
    with app.app_context():
        app.extensions["catalog"].publish(db.session)
        db.session.commit()
    dispose(app)
    po(path, "en", {"title": (load_definition(path).published_english["title"], CORRECTED)})
    app = make_app(sqlite_url, tmp_path, QUESTIONNAIRE_DIR=str(tmp_path))   # a restart reads it
    runner = app.test_cli_runner()
    assert runner.invoke(args=["questionnaire", "publish"]).exit_code == 0    # no version conflict
    status = runner.invoke(args=["questionnaire", "translations", "status"]).output
    assert any(row.split("\t")[:4] == ["mini", "1.0", "en", "1"] for row in status.splitlines())
    user_id, _ = seed_user_with_token(app, "ana@gov.example")
    q = app.extensions["catalog"].get("mini", "1.0")
    assert q.title["en"] == CORRECTED
    create_assessment(app, user_id, full_answers(q), submit=True, questionnaire="mini", version="1.0")
    with app.app_context():
        assert len(db.session.scalars(select(QuestionnaireVersion)).all()) == 1
        assert set(db.session.scalar(select(Submission)).translations) == {"en"}
    dispose(app)


def test_a_stale_correction_shows_the_published_english_and_a_bad_one_is_refused(tmp_path):
    path = mini(tmp_path)
    published = load_definition(path).published_english["title"]
    po(path, "en", {"title": ("An English that was never published", CORRECTED)})
    loaded = load_definition(path)
    assert loaded.questionnaire.title["en"] == published and loaded.translations["en"].stale == ["title"]
    po(path, "en", {"items.nope.prompt": ("x", "y")})
    with pytest.raises(DefinitionError, match=r"mini-1.0.en.po: items.nope.prompt: no such text"):
        load_definition(path)


#: Each language's one citation of a paragraph of A/68/275 at the end of a section title.
TITLE_CITATION = {
    "en": r" \(A/68/275, para\. 122 \([a-i]\)\)",
    "fr": r" \(A/68/275, par\. 122 [a-i]\)\)",
    "es": r" \(A/68/275, párr\. 122 [a-i]\)\)",
    "ru": r" \(A/68/275, п\. 122 \([a-i]\)\)",
    "zh": r"（A/68/275，第122段\([a-i]\)项）",
    "ar": r" \(A/68/275، الفقرة 122 \((أ|ب|ج|د|هـ|و|ز|ح|ط)\)\)",
}


@pytest.mark.parametrize("version,published_hash", [
    ("1.0", "3fa3a8568cd4c205fda84d7d649278b245e08e83dd41592f87f1d98488b77930"),
    ("1.1", "4b9cdbb5aa627d0cf2a35700d554d927bff2ef23cf3773251e13154324649028")])
def test_shipped_section_titles_cite_in_one_style_and_the_versions_are_unchanged(version, published_hash):
    loaded = load_definition(ROOT / "questionnaires" / f"prevention-readiness-{version}.yaml")
    assert loaded.content_hash == published_hash        # the hash recorded when it was published
    for section in loaded.questionnaire.sections:
        assert set(section.title) == set(TITLE_CITATION), section.key
        for lang, citation in TITLE_CITATION.items():
            assert re.search(citation + "$", section.title[lang]), (version, lang, section.title[lang])
    assert all(not state.stale for state in loaded.translations.values())
