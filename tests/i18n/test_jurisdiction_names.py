"""Countries are named in the reader's language (issue 12: an Arabic page read "Kenya")."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.jurisdictions import jurisdiction_name


@pytest.mark.parametrize("lang, kenya", [("en", "Kenya"), ("fr", "Kenya"), ("es", "Kenia"),
                                         ("ru", "Кения"), ("zh", "肯尼亚"), ("ar", "كينيا")])
def test_a_country_is_named_in_the_readers_language(app, lang, kenya):
    with app.test_request_context(), force_locale(lang):
        assert jurisdiction_name("KE") == kenya
        assert jurisdiction_name("KE-30").endswith(kenya)     # a subdivision: its ISO name, the country's
        assert jurisdiction_name("ZZ") == "ZZ"                 # unknown codes as given


def test_outside_a_request_names_are_english():
    assert jurisdiction_name("BJ") == "Benin"


@pytest.mark.parametrize("lang, name", [("en", "Nairobi City, Kenya"), ("ru", "Nairobi City, Кения"),
                                        ("zh", "Nairobi City，肯尼亚"), ("ar", "Nairobi City، كينيا")])
def test_a_subdivision_and_its_country_are_joined_as_the_readers_language_writes_it(app, lang, name):
    """An Arabic page read "Nairobi City, كينيا", a Chinese one "Nairobi City, 肯尼亚" (a Latin
    comma in both)."""
    with app.test_request_context(), force_locale(lang):
        assert jurisdiction_name("KE-30") == name
