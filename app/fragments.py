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

A part that also shows per-request values (a question with its answer) is cached as a
:class:`Skeleton`: the template is rendered once with a ``hole(kind, *args)`` function in
place of every such value, which leaves a marker; the output is cut at the markers into
static HTML and slots. A request fills each slot through a registry of small fillers
(``fill(fillers, state)``), each of which must return ``Markup`` (escaped). The template
never branches on a per-request value, so the static HTML is the same for everyone; the
slots' arguments come from the definition, as the builder's do.

Filling costs a call per slot, so (issue 14) a slot repeated in a skeleton (an evidence
row's index, in every id of the row) is filled once per fill; the slots whose kinds read only
fields of the state that are empty on this request (no messages, no comments: ``quiet``)
are written once into a folded skeleton of their own (:meth:`Skeleton.folded`, from a blank
state); and a fill from a state that holds nothing of a request (a blank evidence row) is
kept (:meth:`Skeleton.fill_blank`). None of them keeps anything a request brought.

``request_gettext()`` gives templates ``_``/``gettext``/``ngettext`` bound to this request's
translations: one look-up per request instead of one per string.
"""
from __future__ import annotations

import os
import re
import secrets
from functools import lru_cache
from typing import Any, Callable, Collection, Mapping, NamedTuple

from flask import current_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

#: Editions (questionnaire version x translation x language) kept per process.
EDITIONS = 48


class Slot(NamedTuple):
    kind: str      # the filler that fills it (a key of the fillers' registry)
    args: tuple    # from the definition, as the template passed them


class Skeleton:
    """Rendered HTML with holes: static parts (``str``, escaped when rendered) and slots."""

    __slots__ = ("parts", "_plan", "_blank")

    def __init__(self, parts: tuple) -> None:
        self.parts = parts
        self._plan: tuple | None = None          # how to fill it with one registry: see _planned
        self._blank: dict[Any, Markup] = {}      # fill_blank's

    def fill(self, fillers: Mapping[str, Callable[..., Markup]], state: Any) -> Markup:
        _fillers, calls, layout = self._planned(fillers)
        values = [call[0](state, *call[1]) for call in calls]
        for value, call in zip(values, calls):
            if value.__class__ is not Markup and not isinstance(value, Markup):
                raise TypeError(f"the filler of {call[2]} returned {type(value).__name__}, not Markup")
        return Markup("".join([values[part] if part.__class__ is int else part for part in layout]))

    def _planned(self, fillers: Mapping[str, Callable[..., Markup]]) -> tuple:
        """(fillers, calls, layout), made on the first fill with this registry: each distinct
        slot once in ``calls`` as (filler, args, kind) -- a slot repeated (an evidence row's
        index, in every id of the row) is filled once --, and the parts with each slot as the
        index of its call."""
        plan = self._plan
        if plan is None or plan[0] is not fillers:
            calls: list[Slot] = []
            known: dict[tuple[str, str], int] = {}
            layout: list = []
            for part in self.parts:
                if part.__class__ is not str:
                    # Known by their written arguments: 1 and "1" (or True) are different slots.
                    part = known.setdefault((part.kind, repr(part.args)), len(calls))
                    if part == len(calls):
                        calls.append(self.parts[len(layout)])
                layout.append(part)
            plan = self._plan = (fillers, tuple((fillers[c.kind], c.args, c.kind) for c in calls), tuple(layout))
        return plan

    def fill_blank(self, fillers: Mapping[str, Callable[..., Markup]], state: Any, key: Any) -> Markup:
        """:meth:`fill` from a state that holds nothing of a request (a blank evidence row,
        ``key`` its position), kept: it is the same for every request. The caller vouches
        for the state, and bounds the keys."""
        found = self._blank.get(key)
        if found is None:
            found = self._blank[key] = self.fill(fillers, state)
        return found

    def folded(self, fillers: Mapping[str, Callable[..., Markup]], kinds: Collection[str], blank: Any) -> "Skeleton":
        """This skeleton with the slots of ``kinds`` filled once from ``blank``, a state whose
        values they read are empty: for every request whose state has them empty too, the
        same HTML with fewer slots to fill. Nested skeletons (a slot's arguments) are kept."""
        parts: list = []
        for part in self.parts:
            if part.__class__ is not str and part.kind in kinds:
                value = fillers[part.kind](blank, *part.args)
                if not isinstance(value, Markup):
                    raise TypeError(f"the filler of {part.kind} returned {type(value).__name__}, not Markup")
                part = str(value)
            if part.__class__ is str and parts and parts[-1].__class__ is str:
                parts[-1] += part
            elif part != "":
                parts.append(part)
        return Skeleton(tuple(parts))


class Recorder:
    """The ``hole`` a template calls while its skeleton is made: each call notes a slot and
    leaves a marker (private-use characters around a random nonce, which escaping keeps as
    they are) where the value will go. ``hole.each(kind, *args)`` as a call block makes the
    block's body a skeleton of its own (one evidence row), filled once per row."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self.slots: list[Slot] = []

    def __call__(self, kind: str, *args: Any) -> Markup:
        self.slots.append(Slot(kind, args))
        return Markup(f"\ue000{self.nonce}:{len(self.slots) - 1}\ue001")

    def each(self, kind: str, *args: Any, caller: Callable) -> Markup:
        inner = Recorder()
        return self(kind, *args, inner.skeleton(caller(inner)))

    def skeleton(self, html: Any) -> Skeleton:
        if not isinstance(html, Markup):
            raise TypeError(f"a skeleton is made of Markup from an autoescaping template, not {type(html).__name__}")
        pieces = re.split(f"\ue000{self.nonce}:([0-9]+)\ue001", str(html))
        parts: list = []
        for i, piece in enumerate(pieces):
            if i % 2:
                parts.append(self.slots[int(piece)])
            elif piece:
                if self.nonce in piece:  # a marker the template transformed (a filter escaped it)
                    raise ValueError("a hole's marker was altered by the template: its value cannot be filled")
                parts.append(piece)
        return Skeleton(tuple(parts))


def skeleton_of(macro: Callable[..., Markup], *args: Any) -> Skeleton:
    """Render ``macro(*args, hole)`` once into a skeleton."""
    hole = Recorder()
    return hole.skeleton(macro(*args, hole))


class Direct:
    """A ``hole`` that fills each value as the template renders (no skeleton): how pages are
    built with ``PAGE_FRAGMENT_CACHE = False``, the reference skeletons are tested against."""

    def __init__(self, fillers: Mapping[str, Callable[..., Markup]], state: Any) -> None:
        self.fillers, self.state = fillers, state

    def __call__(self, kind: str, *args: Any) -> Markup:
        value = self.fillers[kind](self.state, *args)
        if not isinstance(value, Markup):
            raise TypeError(f"the filler of {kind} returned {type(value).__name__}, not Markup")
        return value

    def each(self, kind: str, *args: Any, caller: Callable) -> Markup:
        return self(kind, *args, _Body(caller))


class _Body:
    """A call block's body where a filler expects a skeleton: ``fill`` renders it directly."""

    def __init__(self, caller: Callable) -> None:
        self.caller = caller

    def fill(self, fillers: Mapping[str, Callable[..., Markup]], state: Any) -> Markup:
        return self.caller(Direct(fillers, state))

    def fill_blank(self, fillers: Mapping[str, Callable[..., Markup]], state: Any, key: Any) -> Markup:
        return self.fill(fillers, state)


class Fragments:
    """One edition's rendered parts, built lazily: ``get(part, key, build, *args)``."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str], Markup] = {}
        self._objects: dict[tuple[str, str], Any] = {}
        self._skeletons: dict[tuple[str, str], Skeleton] = {}
        self._folded: dict[tuple[str, str, frozenset[str]], Skeleton] = {}

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

    def filled(self, part: str, key: str, macro: Callable[..., Markup], *args: Any,
               fillers: Mapping[str, Callable[..., Markup]], state: Any,
               quiet: frozenset[str] = frozenset(), blank: Any = None) -> Markup:
        """``macro(*args, hole)`` with this request's values: its skeleton
        (:func:`skeleton_of`, made once) filled from ``state``. ``quiet``: the kinds of slot
        that ``state`` fills as ``blank`` does (the values they read are empty in both), written
        into a skeleton of their own once (:meth:`Skeleton.folded`)."""
        found = self._skeletons.get((part, key))
        if found is None:
            found = self._skeletons[(part, key)] = skeleton_of(macro, *args)
        if quiet:
            folded = self._folded.get((part, key, quiet))
            if folded is None:
                folded = self._folded[(part, key, quiet)] = found.folded(fillers, quiet, blank)
            found = folded
        return found.fill(fillers, state)


class Uncached:
    """Builds every time (``PAGE_FRAGMENT_CACHE = False``): the reference the cache is tested against."""

    @staticmethod
    def get(part: str, key: str, build: Callable[..., Any], *args: Any) -> Any:
        return build(*args)

    shared = get

    @staticmethod
    def filled(part: str, key: str, macro: Callable[..., Markup], *args: Any,
               fillers: Mapping[str, Callable[..., Markup]], state: Any,
               quiet: frozenset[str] = frozenset(), blank: Any = None) -> Markup:
        return macro(*args, Direct(fillers, state))


@lru_cache(maxsize=EDITIONS)
def _edition(content_hash: str, translation: str, interface: tuple, locale: str) -> Fragments:
    return Fragments()


def fragments_for(questionnaire, locale: str | None = None) -> Fragments | Uncached:
    """The edition of ``questionnaire`` in ``locale`` (default: the current request's language)."""
    key = edition_key(questionnaire, locale)
    return Uncached() if key is None else _edition(*key)


def edition_key(questionnaire, locale: str | None = None) -> tuple | None:
    """What an edition is keyed by: the questionnaire's content hash, the revision of its
    translation into ``locale``, the interface catalogue's, the locale; None when nothing may
    be cached (``PAGE_FRAGMENT_CACHE = False``, or a definition built in code, in tests)."""
    if not current_app.config.get("PAGE_FRAGMENT_CACHE", True):
        return None
    locale = locale or str(get_locale() or "en")
    loaded = current_app.extensions["catalog"].loaded(questionnaire.id, questionnaire.version)
    if loaded is None:
        return None
    translation = loaded.translation_revisions().get(locale.split("_")[0], "")
    return (loaded.content_hash, translation, interface_revision(locale), locale)


def interface_revision(locale: str) -> tuple:
    """The compiled interface catalogue of ``locale`` as (size, mtime): a new catalogue, a new key."""
    # Asked a few times per page: plain os calls (pathlib cost more than the stat).
    mo = os.path.join(current_app.root_path, "translations", locale, "LC_MESSAGES", "messages.mo")
    try:
        stat = os.stat(mo)
    except (OSError, ValueError):
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
