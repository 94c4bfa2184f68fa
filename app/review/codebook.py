"""The codebook of an export: what every column code and item key means, one row per item
of each questionnaire version in the selection (issue 18: an analyst got internal codes
such as ``s_a_knowledge`` and ``developing`` and no question text).  Pure: plain data in."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from .compare import Subject

CODEBOOK_COLUMNS = ("questionnaire", "questionnaire_version", "item_key", "section", "section_title",
                    "question", "item_type", "scored", "options", "areas", "layers", "weight", "unit",
                    "min", "max")


@dataclass(frozen=True)
class Labels:
    """The words beside the codes, in the reader's language (the caller's; default: the
    codes themselves, so that the pure functions run without an app)."""

    text: Callable[[Any], str] = lambda text: text.get("en", "") if isinstance(text, Mapping) else str(text or "")
    kinds: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    bands: Mapping[str, str] = field(default_factory=dict)

    def kind(self, code: str | None) -> str:
        return self.kinds.get(code or "", code or "")

    def status(self, code: str | None) -> str:
        return self.statuses.get(code or "", code or "")

    def band(self, code: str | None) -> str:
        return self.bands.get(code or "", code or "")


def options_text(item, t: Callable[[Any], str]) -> str:
    """The answers an item takes and what each scores (0 to 1): ``code = label (score)``."""
    if getattr(item, "levels", None):
        return "; ".join(f"{lvl.level} = {t(lvl.descriptor)} ({lvl.level / 4:g})" for lvl in item.levels)
    if getattr(item, "options", None):
        return "; ".join(f"{o.code} = {t(o.label)} ({o.score:g})" for o in item.options)
    if getattr(item, "bands", None):
        return "; ".join(f"{b.min:g} to {b.max:g} ({b.score:g})" for b in sorted(item.bands, key=lambda b: b.min))
    return ""


def codebook_rows(subjects: Sequence[Subject], labels: Labels = Labels()) -> Iterable[list[Any]]:
    seen = set()
    for s in subjects:
        q = s.questionnaire
        if (q.id, q.version) in seen:
            continue
        seen.add((q.id, q.version))
        for item in q.items:
            section = q.section_of[item.key]
            yield [q.id, q.version, item.key, section.key, labels.text(section.title), labels.text(item.prompt),
                   item.type, item.scored, options_text(item, labels.text), " ".join(item.areas),
                   " ".join(item.layers), item.weight if item.scored else "", getattr(item, "unit", None) or "",
                   getattr(item, "min", None), getattr(item, "max", None)]
