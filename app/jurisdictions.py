"""Jurisdictions: ISO 3166-1 countries (``KE``) and ISO 3166-2 subdivisions (``KE-30``),
checked and named through pycountry, for forms, pages, filters and reports."""
from __future__ import annotations

import pycountry


def valid_jurisdiction(code: str) -> bool:
    """ISO 3166-1 alpha-2 (``KE``) or ISO 3166-2 (``KE-30``)."""
    code = (code or "").strip().upper()
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code) is not None
    return pycountry.subdivisions.get(code=code) is not None


def jurisdiction_name(code: str) -> str:
    """The English name ("Kenya", "Baringo, Kenya"); an unknown code is shown as given."""
    code = (code or "").upper()
    if len(code) == 2:
        c = pycountry.countries.get(alpha_2=code)
        return c.name if c else code
    sub = pycountry.subdivisions.get(code=code)
    if sub is None:
        return code
    country = pycountry.countries.get(alpha_2=sub.country_code)
    return f"{sub.name}, {country.name if country else sub.country_code}"
