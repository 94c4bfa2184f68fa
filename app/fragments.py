"""Parts of pages that never change for one questionnaire version and language, rendered once.

A section page repeats, for every question, texts that are the same for everyone: the prompt,
the guidance and its sources, the level descriptors, the evidence rules, the blank evidence
row. Rendering them on every request cost hundreds of translation look-ups and thousands of
escapes per page. They are rendered once, on first use, and kept in process, keyed by what
they are made of: the questionnaire's content hash, the revision of its translation into
the page's language, the revision of the interface catalogue, the language, and the part's
name and item key. A changed translation has a new revision, so a new key: nothing expires
by time, and an old edition is dropped when enough newer ones have been used.

What goes in: only definition texts and interface strings, passed to the builder as
arguments (never the form, the answers, the user or the request). What comes out must be
``Markup`` from an autoescaping template: the cache refuses anything else, so a plain
string can never be trusted as HTML by accident.

``request_gettext()`` gives templates ``_``/``gettext``/``ngettext`` bound to this request's
translations: one look-up per request instead of one per string.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from flask import current_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

#: Editions (questionnaire version x translation x language) kept per process.
EDITIONS = 48


class Fragments:
    """One edition's rendered parts, built lazily: ``get(part, key, build, *args)``."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], Markup] = {}
        self._objects: dict[tuple[str, str], Any] = {}

    def get(self, part: str, key: str, build: Callable[..., Any], *args: Any) -> Markup:
        found = self._parts.get((part, key))
        if found is None:
            found = build(*args)
            if not isinstance(found, Markup):
                raise TypeError(f"fragment {part}/{key}: the builder returned {type(found).__name__}, "
                                "not Markup from an autoescaping template")
            self._parts[(part, key)] = found
        return found

    def shared(self, part: str, key: str, build: Callable[..., Any], *args: Any) -> Any:
        """An object made from the definition alone (a section's form class), built once."""
        found = self._objects.get((part, key))
        if found is None:
            found = self._objects[(part, key)] = build(*args)
        return found


class Uncached:
    """Builds every time (``PAGE_FRAGMENT_CACHE = False``): the reference the cache is tested against."""

    @staticmethod
    def get(part: str, key: str, build: Callable[..., Any], *args: Any) -> Any:
        return build(*args)

    shared = get


@lru_cache(maxsize=EDITIONS)
def _edition(content_hash: str, translation: str, interface: tuple, locale: str) -> Fragments:
    return Fragments()


def fragments_for(questionnaire, locale: str | None = None) -> Fragments | Uncached:
    """The edition of ``questionnaire`` in ``locale`` (default: the current request's language)."""
    if not current_app.config.get("PAGE_FRAGMENT_CACHE", True):
        return Uncached()
    locale = locale or str(get_locale() or "en")
    loaded = current_app.extensions["catalog"].loaded(questionnaire.id, questionnaire.version)
    if loaded is None:  # a definition built in code (tests): no hash to key it by
        return Uncached()
    translation = loaded.translation_revisions().get(locale.split("_")[0], "")
    return _edition(loaded.content_hash, translation, interface_revision(locale), locale)


def interface_revision(locale: str) -> tuple:
    """The compiled interface catalogue of ``locale`` as (size, mtime): a new catalogue, a new key."""
    mo = Path(current_app.root_path) / "translations" / locale / "LC_MESSAGES" / "messages.mo"
    try:
        stat = mo.stat()
    except OSError:
        return ()
    return (stat.st_size, stat.st_mtime_ns)


def request_gettext() -> dict[str, Callable]:
    """Template ``_``, ``gettext`` and ``ngettext`` on this request's translations, with
    Jinja's new-style semantics (autoescaped, always %-formatted with keyword arguments)."""
    translations = get_translations()

    @pass_context
    def gettext(context, string: str, /, **variables: Any) -> str:
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context, singular: str, plural: str, n: int, /, **variables: Any) -> str:
        variables.setdefault("num", n)
        text = translations.ungettext(singular, plural, n)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
