"""Questionnaire translations as data beside the definition, never inside a published version.

A definition holds its English texts (and is immutable once published: its content hash
covers the structure and the English).  Each other language lives in a gettext PO file beside
it, ``translations/<definition>.<lang>.po``, one entry per text:

* ``msgctxt``: the text's *path* in the definition (``items.a1.prompt``,
  ``items.a1.levels.2.descriptor``, ``sections.s_a_knowledge.title``...);
* ``msgid``: the English text it translates (so a changed English source shows the entry as
  *stale*: it no longer matches, and the English is shown until it is translated again);
* ``msgstr``: the translation.

The format is what translators' tools read (Poedit, Weblate, Lokalize, OmegaT), so a ministry
can have the texts reviewed and import them back (``questionnaire translations export`` /
``import``).  Translations can be added and corrected for a published version without a new
version; each file's *revision* (a hash of its applied entries) is recorded with every
submission, so one knows which wording respondents saw.

Loading checks: unknown paths, placeholders (``%(name)s``, ``{name}``) and markup kept, no
empty entries; it counts, per language, texts translated, missing and stale.

**Editorial corrections of the English** (issue 18: section titles cited A/68/275 in two
styles) use the same file format and rules, as ``translations/<definition>.en.po``: the
``msgid`` is the published English, the ``msgstr`` what readers see instead.  They are for
the wording only (a citation style, a typo), never for what a question asks or what a level
means: that needs a new version and its crosswalk.  Like a translation they leave the
content hash alone (a published version stays the one its assessments were answered on),
have a revision recorded with every submission (``en``), and every other language's
``msgid`` stays the published English, so no translation goes stale.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Iterator

#: The six official languages of the United Nations; English is the source.
UN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
#: The "language" of the editorial corrections of the English (read like a translation).
CORRECTIONS = "en"
TRANSLATION_DIR = "translations"

#: List entries are named by these fields (an item's key, an area's code, a level's number)
#: rather than by their position, so a path survives reordering.
_NAMING_FIELDS = ("key", "code", "level")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|</?[a-z][a-z0-9]*\b[^>]*>", re.IGNORECASE)


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and "en" in value and all(isinstance(v, str) for v in value.values())


def text_paths(data: Any, prefix: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """(path, language map) of every text in a definition's data (its YAML or model dump)."""
    if _is_text(data):
        yield prefix, data
        return
    if isinstance(data, dict):
        for name, value in data.items():
            if name in ("rubric", "sources"):
                continue
            yield from text_paths(value, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            label = next((str(value[f]) for f in _NAMING_FIELDS if isinstance(value, dict) and f in value), str(n))
            yield from text_paths(value, f"{prefix}.{label}")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text or ""))


@dataclass
class LanguageState:
    """One language of one definition: what is translated, missing, stale."""

    lang: str
    path: Path | None
    translations: dict[str, str] = field(default_factory=dict)   # path -> text (current ones)
    stale: list[str] = field(default_factory=list)               # paths whose English changed
    missing: list[str] = field(default_factory=list)
    revision: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return {"translated": len(self.translations), "missing": len(self.missing), "stale": len(self.stale)}


def po_path(definition: Path, lang: str) -> Path:
    return definition.parent / TRANSLATION_DIR / f"{definition.stem}.{lang}.po"


def read_language(definition: Path, lang: str, english: dict[str, str], source: Path | None = None
                  ) -> tuple[LanguageState, list[str]]:
    """Read one PO file against the definition's English texts (path -> English).
    Returns the state and the problems (unknown paths, placeholders or markup changed)."""
    from babel.messages.pofile import read_po

    path = source or po_path(definition, lang)
    state = LanguageState(lang, path if path.exists() else None)
    problems: list[str] = []
    if state.path is None:
        state.missing = list(english)
        return state, problems
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=None, abort_invalid=False)
    for message in catalog:
        if not message.id or not message.context:
            continue
        where = f"{path.name}: {message.context}"
        if message.context not in english:
            problems.append(f"{where}: no such text in {definition.name}")
            continue
        text = message.string if isinstance(message.string, str) else ""
        if not text.strip() or message.fuzzy:
            continue
        if message.id != english[message.context]:
            state.stale.append(message.context)
            continue
        if placeholders(text) != placeholders(message.id):
            problems.append(f"{where}: placeholders or markup differ from the English "
                            f"({', '.join(placeholders(message.id)) or 'none'})")
            continue
        state.translations[message.context] = text
    state.missing = [p for p in english if p not in state.translations and p not in state.stale]
    digest = hashlib.sha256()
    for key in sorted(state.translations):
        digest.update(f"{key}\0{english[key]}\0{state.translations[key]}\0".encode())
    state.revision = digest.hexdigest()[:16] if state.translations else ""
    return state, problems


def english_texts(data: dict[str, Any]) -> dict[str, str]:
    return {p: t["en"] for p, t in text_paths(data)}


def apply(data: dict[str, Any], states: list[LanguageState]) -> dict[str, Any]:
    """The definition's data with each language's current translations merged into its text
    maps (the data is a fresh dump: changed in place and returned)."""
    by_path = dict(text_paths(data))
    for state in states:
        for p, text in state.translations.items():
            by_path[p][state.lang] = text
    return data


def write_po(definition_name: str, english: dict[str, str], lang: str,
             translations: dict[str, str] | None = None, stale: dict[str, str] | None = None) -> bytes:
    """A PO file of every text for translators: current translations filled in, stale ones
    kept as fuzzy suggestions, the rest empty."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po as babel_write_po

    catalog = Catalog(locale=lang if lang != "en" else None, project=definition_name,
                      header_comment=f"# Translations of {definition_name} into {lang}.\n"
                                     "# msgctxt is the text's path in the definition; msgid its English.")
    translations, stale = translations or {}, stale or {}
    for p, source in english.items():
        flags = ("fuzzy",) if p in stale else ()
        catalog.add(source, translations.get(p) or stale.get(p, ""), context=p, flags=flags)
    out = BytesIO()
    babel_write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()
