"""Jurisdictions: ISO 3166-1 countries (``KE``) and ISO 3166-2 subdivisions (``KE-30``),
checked through pycountry and named in the reader's language, for forms, pages, filters and
reports."""
from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError

from .i18n import locale_code, translate as _


def valid_jurisdiction(code: str) -> bool:
    """ISO 3166-1 alpha-2 (``KE``) or ISO 3166-2 (``KE-30``)."""
    code = (code or "").strip().upper()
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return pycountry.subdivisions.get(code=code) is not None


def jurisdiction_name(code: str) -> str:
    """The name in the current locale ("Kenya", "Kenia", "كينيا"; a subdivision as
    "Baringo, Kenia": subdivision names as ISO 3166-2 gives them); an unknown code as given."""
    code = (code or "").upper()
    if len(code) == 2:
        return _country_name(code) or code
    sub = pycountry.subdivisions.get(code=code)
    if sub is None:
        return code
    # Joined as the reader's language writes it (an Arabic comma, a full-width Chinese one).
    return _("%(subdivision)s, %(country)s", subdivision=sub.name,
             country=_country_name(sub.country_code) or sub.country_code)


def _country_name(alpha_2: str) -> str | None:
    english = _english(alpha_2)        # only ISO 3166-1 countries (CLDR also names "ZZ", regions)
    return english and (_territories(locale_code()).get(alpha_2) or english)


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    # The UN's six languages all have CLDR territory names (Babel); English from pycountry
    # keeps the names users already saw ("Kenya", "Bolivia, Plurinational State of").
    if locale.split("_")[0] == "en":
        return {}
    try:
        return dict(Locale.parse(locale).territories)
    except (ValueError, UnknownLocaleError):
        return {}


def _english(alpha_2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.name if country else None
