"""Shadow assessments (issue 18): an NGO's independent assessment of a country, marked as
such, set beside the government's own score where the viewer may see it, with the
organisation's key messages and a line saying how to cite it.

* :mod:`.messages`: the key messages, checked (pages and API); :mod:`.operations` saves them;
* :mod:`.counterpart`: the government's assessment of the same jurisdiction and period, found
  through the one policy (its read: :mod:`.queries`), and the comparison of the two scores;
* :mod:`.cite`: the "how to cite" line;
* :mod:`.presentation`: what pages, the API and reports show of all this;
* :mod:`.views`: the key messages page (its blueprint, ``shadow``).

This module stays free of imports: the pure report context asks it :func:`is_shadow`.
"""

#: The organisation kind whose assessments are marked as independent shadow assessments.
SHADOW_KIND = "ngo"
GOVERNMENT_KIND = "government"


def is_shadow(organisation_kind: str | None) -> bool:
    return organisation_kind == SHADOW_KIND
