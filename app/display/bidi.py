"""Numbers kept left to right inside right-to-left text (issue 18): in Arabic a signed
difference "+12.5" must not turn into "12.5+", nor a range "1–3" or "53.6 → 46.2" read
backwards.  ``<bdi dir="ltr">`` isolates the run: its inside is laid out left to right,
and the text around it is laid out as if the run were one neutral character.  The filter
and global ``ltr`` of every template (registered by app.i18n)."""
from __future__ import annotations

from markupsafe import Markup, escape

#: Stands for an isolated value inside a translated sentence (see :func:`ltr_in`).
SLOT = "\ue000"


def ltr(text: object) -> Markup:
    """``text``, escaped, isolated left to right."""
    return Markup('<bdi dir="ltr">%s</bdi>') % (text,)


def ltr_in(sentence: str, value: str) -> Markup:
    """A translated ``sentence`` (escaped) with its :data:`SLOT` replaced by ``value``
    isolated left to right: translators place the value where their language puts it."""
    return Markup(escape(sentence).replace(SLOT, ltr(value)))
