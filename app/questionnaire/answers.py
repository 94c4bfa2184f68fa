"""Plain answer values, independent of storage and of HTTP.

An :class:`AnswerData` is what the scoring engine, the report context and the
forms all speak.  The database rows are converted to and from it in one place
(:mod:`app.assessments.store`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EVIDENCE_TYPES = ("law", "policy", "budget", "data", "evaluation", "expert_judgement", "other")
CONFIDENCE_LEVELS = ("high", "medium", "low")

MAX_TEXT = 20_000        # one comment, reason, free-text answer or evidence note
MAX_REFERENCE = 2_000    # an evidence reference (a citation or a URL)
MAX_EVIDENCE = 20        # evidence entries on one answer


def counts_as_answered(value: Any, dont_know: bool, not_applicable: bool) -> bool:
    """RUBRIC 6: a level, option, value, don't know or N/A counts as answered. The rule of
    :attr:`AnswerData.has_answer`, on bare values too: a page's progress is read from these
    columns alone, without making an answer of every row."""
    if dont_know or not_applicable:
        return True
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


@dataclass(frozen=True)
class Evidence:
    type: str
    reference: str
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "reference": self.reference, "note": self.note}


@dataclass(frozen=True)
class AnswerData:
    """One item's answer. ``value`` is the type's own value (level, option code,
    list of option codes, number or text); ``None`` when unanswered or when the
    answer is don't know / not applicable."""

    value: Any = None
    dont_know: bool = False
    not_applicable: bool = False
    na_reason: str = ""
    confidence: str | None = None
    comment: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def has_answer(self) -> bool:
        """RUBRIC 6: a level, option, value, don't know or N/A counts as answered."""
        return counts_as_answered(self.value, self.dont_know, self.not_applicable)

    @property
    def is_empty(self) -> bool:
        return not (self.has_answer or self.comment or self.evidence or self.confidence)

    def to_json(self, value_key: str) -> dict[str, Any]:
        """The API representation (CONTRACTS.md answer patch body)."""
        out: dict[str, Any] = {}
        if self.dont_know:
            out["dont_know"] = True
        elif self.not_applicable:
            out["not_applicable"] = True
            out["reason"] = self.na_reason
        elif self.value is not None:
            out[value_key] = list(self.value) if isinstance(self.value, tuple) else self.value
        if self.evidence:
            out["evidence"] = [e.to_json() for e in self.evidence]
        if self.confidence:
            out["confidence"] = self.confidence
        if self.comment:
            out["comment"] = self.comment
        return out


