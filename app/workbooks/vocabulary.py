"""The words of the workbook's drop-down lists in the workbook's language, and back to codes.

A workbook downloaded in French offers "Élevée", "Loi", "oui", "3 – Un système national…"
and the French label of each option, not ``high``, ``law``, ``yes``, ``3`` and option
codes. The language is recorded in the ``_meta`` sheet (``language``); an upload reads the
cells back with the words of that language, the English ones, and the codes themselves
(workbooks downloaded before the lists were translated, or typed by hand), so that nothing
an official filled in is lost. A word that matches none of them is passed on unchanged, and
the parser of answers refuses it with its usual message, naming the cell.

A level is written "N – " and the start of its descriptor; it is read by its number alone,
so that a descriptor whose translation was corrected since the download still reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from ..assessments.forms import translator
from ..display.labels import ANSWER_STATUS, CONFIDENCE, EVIDENCE, EVIDENCE_CHOICES, labels

DASH = " – "
SHORT = 60
_LEVEL = re.compile(r"^\s*(\d+)(?:\s*[–—-]\s.*|\s*:.*)?\s*$", re.S)


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters (with "…")."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return (cut or text[:limit]) + "…"


def fold(text: Any) -> str:
    """A word as compared: blanks collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


@dataclass
class Vocabulary:
    """The drop-down words of one language (``t`` picks a questionnaire text in it)."""

    lang: str
    yes: str
    no: str
    confidence: dict[str, str]
    evidence: dict[str, str]
    evidence_long: dict[str, str]
    statuses: dict[str, str]
    t: Any = field(repr=False)

    def level(self, item, level: int) -> str:
        for lvl in item.levels:
            if lvl.level == level:
                return f"{level}{DASH}{shorten(self.t(lvl.descriptor))}"
        return str(level)

    def levels(self, item) -> list[str]:
        return [self.level(item, lvl.level) for lvl in item.levels]

    def options(self, item) -> dict[str, str]:
        """Option code -> its label as written (shortened; the code when two would match)."""
        out = {o.code: shorten(self.t(o.label), 90) for o in item.options}
        seen = [fold(v) for v in out.values()]
        return {c: (v if seen.count(fold(v)) == 1 and v else c) for c, v in out.items()}


def vocabulary(lang: str) -> Vocabulary:
    with force_locale(lang):
        return Vocabulary(lang, _("yes"), _("no"), labels(CONFIDENCE), labels(EVIDENCE),
                          labels(EVIDENCE_CHOICES), labels(ANSWER_STATUS), translator(lang))


class Reader:
    """Cells back to codes: the words of the workbook's language, English's, or the codes."""

    def __init__(self, lang: str | None):
        langs = [lang or "en"] + (["en"] if (lang or "en") != "en" else [])
        self.words = [vocabulary(code) for code in langs]
        self._options: dict[str, dict[str, str]] = {}
        self.confidence = self._table(lambda v: v.confidence)
        self.evidence = self._table(lambda v: v.evidence) | self._table(lambda v: v.evidence_long)

    def _table(self, pick) -> dict[str, str]:
        out: dict[str, str] = {}
        for words in reversed(self.words):  # the workbook's language last: it wins
            out |= {fold(label): code for code, label in pick(words).items()}
        return out | {fold(code): code for code in pick(self.words[0])}

    def flag(self, column: str, value: Any) -> bool | None:
        """A yes/no cell in the workbook's words; the column's own name ("Ne sait pas" in
        ``dont_know``) says yes too. None: neither."""
        text = fold(value)
        if any(text in (fold(w.yes), fold(w.statuses.get(column, w.yes))) for w in self.words):
            return True
        return False if any(text == fold(w.no) for w in self.words) else None

    def code(self, table: dict[str, str], text: str) -> str:
        return table.get(fold(text), text)

    def option(self, item, text: str) -> str:
        if item.key not in self._options:
            table = self._table(lambda v: v.options(item))
            table |= {fold(w.t(o.label)): o.code for w in reversed(self.words) for o in item.options}
            self._options[item.key] = table | {fold(o.code): o.code for o in item.options}
        return self._options[item.key].get(fold(text), text)

    def selected(self, item, text: str, separators: re.Pattern) -> list[str]:
        """A checklist's codes or labels; labels with commas in them when split on ; alone."""
        codes = {o.code for o in item.options}
        by_lines = [self.option(item, p.strip()) for p in re.split(r"[;\n]", text) if p.strip()]
        if all(c in codes for c in by_lines):
            return by_lines
        return [self.option(item, p.strip()) for p in separators.split(text) if p.strip()]

    @staticmethod
    def level(raw: Any) -> Any:
        """A level cell: its number ("3", 3, "3 – Un système…"), or the text as it is."""
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        match = _LEVEL.match(str(raw))
        return int(match.group(1)) if match else str(raw)
