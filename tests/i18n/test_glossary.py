"""The glossary (app/translations/glossary.yaml) holds: every translated text whose English
holds a glossary term uses one of the term's forms, in the questionnaire translations and in
the interface catalogues, for each of the five languages."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = yaml.safe_load((ROOT / "app" / "translations" / "glossary.yaml").read_text(encoding="utf-8"))
LANGS = ("fr", "es", "ru", "zh", "ar")


def catalogues(lang: str) -> list[Path]:
    return [ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po",
            *sorted((ROOT / "questionnaires" / "translations").glob(f"*.{lang}.po"))]


def test_the_glossary_covers_every_language_and_says_its_status():
    assert GLOSSARY["status"] in ("draft", "reviewed")
    for term, forms in GLOSSARY["terms"].items():
        assert set(forms) == set(LANGS), term
        assert all(forms[lang] and all(f.strip() for f in forms[lang]) for lang in LANGS), term


@pytest.mark.parametrize("lang", LANGS)
def test_translations_use_the_glossary(lang):
    problems, checked = [], 0
    for path in catalogues(lang):
        with open(path, "rb") as handle:
            messages = [m for m in read_po(handle) if m.id and not m.fuzzy]
        for m in messages:
            source = m.id if isinstance(m.id, str) else m.id[0]
            text = m.string if isinstance(m.string, str) else " ".join(m.string)
            if not text:
                continue
            for term, forms in GLOSSARY["terms"].items():
                if term.lower() in source.lower():
                    checked += 1
                    if not any(f.lower() in text.lower() for f in forms[lang]):
                        problems.append(f"{path.name}: {m.context or source[:50]!r} lacks {forms[lang][0]!r}")
    assert checked > 50, checked
    assert not problems, "\n".join(problems[:20])
