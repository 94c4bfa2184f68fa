"""French typography in the French texts (the interface catalogue and the questionnaire
translations): a no-break space (U+00A0) before the high punctuation : ; ? ! and the percent
sign, and inside the guillemets « », never an ordinary space (a line could break before a
colon or after an opening guillemet) and never none (a glued "Sources:")."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FRENCH = [ROOT / "app" / "translations" / "fr" / "LC_MESSAGES" / "messages.po",
          *sorted((ROOT / "questionnaires" / "translations").glob("*.fr.po"))]

#: An ordinary space where a no-break one belongs.
BREAKABLE = re.compile(r"[ \t](?=[:;?!»])|«[ \t]|\d[ \t]%(?![(a-z])")
#: Punctuation glued to the word before it ("Sources:", "pourquoi?"); a colon only before a
#: space (times, addresses and "%(key)s:" codes have none), and not in code quoted as code
#: (the API's "Authorization: Bearer" header).
GLUED = re.compile(r"[\w)»%](?:[;?!]|:(?= ))")
CODE = ("Authorization: Bearer",)


def french_texts(path: Path):
    with open(path, "rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
                yield message.context or (message.id if isinstance(message.id, str) else message.id[0]), text


@pytest.mark.parametrize("path", FRENCH, ids=lambda p: p.name)
def test_french_high_punctuation_has_a_no_break_space(path):
    problems = []
    for where, text in french_texts(path):
        bare = text
        for code in CODE:
            bare = bare.replace(code, "")
        for rule, what in ((BREAKABLE, "ordinary space"), (GLUED, "no space")):
            for m in rule.finditer(bare):
                problems.append(f"{where[:50]!r}: {what} in {bare[max(0, m.start() - 20):m.end() + 10]!r}")
    assert not problems, f"{len(problems)} in {path.name}:\n" + "\n".join(problems[:15])


def test_a_french_page_keeps_its_colon_on_the_line(client):
    html = client.get("/login?lang=fr").get_data(as_text=True)
    assert "Mot de passe oublié\u00a0?" in html
    assert "Mot de passe oublié ?" not in html


#: Placeholders that hold a name, an address or a title: any of them may begin with a vowel
#: ("Amina Odhiambo", "informateur", "Évaluation nationale 2026").
NAMED = "name|names|org|organisation|email|title|series|role|who"
#: "de", "que", "le", "la", "ce", "ne", "se" before a vowel lose their vowel in French
#: ("Réponse de Amina" is "Réponse d'Amina", "en tant que informateur" "qu'informateur"),
#: which a placeholder cannot know: the sentence is put so that no such word precedes it.
ELIDABLE_BEFORE_A_NAME = re.compile(rf"\b(?:de|que|le|la|ce|ne|se)\s+(?:«\s*)?%\((?:{NAMED})\)s", re.I)


def test_no_french_word_that_elides_comes_before_a_name():
    problems = [f"{where[:50]!r}: {m.group(0)!r} in {text!r}"
                for where, text in french_texts(FRENCH[0])
                for m in ELIDABLE_BEFORE_A_NAME.finditer(text)]
    assert not problems, "\n".join(problems)
