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


def isolate(text: object) -> Markup:
    """``text``, escaped, in ``<bdi>`` (its direction taken from its first strong letter): a
    label such as "#3 Ministry (KE 2025)" or a name inside a sentence of the other direction
    keeps its own order, and the sentence its order around it.  The filter and global ``bdi``."""
    return Markup("<bdi>%s</bdi>") % (text,)


def isolated_in(sentence: str, value: str) -> Markup:
    """A translated ``sentence`` (escaped) with its :data:`SLOT` replaced by ``value`` in
    ``<bdi>`` (:func:`isolate`)."""
    return Markup(escape(sentence).replace(SLOT, isolate(value)))


def ltr_in(sentence: str, value: str) -> Markup:
    """A translated ``sentence`` (escaped) with its :data:`SLOT` replaced by ``value``
    isolated left to right: translators place the value where their language puts it."""
    return Markup(escape(sentence).replace(SLOT, ltr(value)))
