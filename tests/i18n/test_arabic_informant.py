"""Arabic calls an informant (a person who rates sections of the questionnaire, a key
informant) "مصدر المعلومات" (plural "مصادر المعلومات"), the neutral UN term, never "مخبر", which
reads as a police informer."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo

CATALOGUE = Path(__file__).resolve().parents[2] / "app/translations/ar/LC_MESSAGES/messages.mo"


def _messages():
    with CATALOGUE.open("rb") as f:
        for message in read_mo(f):
            if message.id:
                ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
                texts = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
                yield ids, texts


def test_no_arabic_message_calls_an_informant_an_informer():
    found = {ids[0]: texts for ids, texts in _messages() if any("مخبر" in (t or "") for t in texts)}
    assert not found, found


def test_every_message_about_informants_says_source_of_information():
    about = [(ids, texts) for ids, texts in _messages() if any("informant" in i.lower() for i in ids)]
    assert len(about) >= 20
    missing = {ids[0]: texts for ids, texts in about
               if not all("مصدر" in t or "مصادر" in t for t in texts)}
    assert not missing, missing


def test_the_count_of_informants_agrees_with_its_number():
    forms = next(texts for ids, texts in _messages() if ids[0] == "%(num)d informant: %(range)s")
    # zero, one, two, few (3-10), many (11-99), other
    assert forms[1].startswith("مصدر معلومات واحد") and forms[2].startswith("مصدرا معلومات")
    assert "مصادر معلومات" in forms[3] and "%(num)d" in forms[3]
