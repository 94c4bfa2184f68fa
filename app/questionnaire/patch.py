"""Parse an answer patch (CONTRACTS.md) into AnswerData values, collecting per-key errors.

Pure: the same function serves the API, the section forms and autosave, so a
value is accepted or refused by exactly one set of rules.
"""
from __future__ import annotations

from typing import Any

from ..i18n import translate as _

from .answers import (
    CONFIDENCE_LEVELS, EVIDENCE_TYPES, MAX_EVIDENCE, MAX_REFERENCE, MAX_TEXT, AnswerData, Evidence,
)
from .definition import Questionnaire
from .items import AnswerValueError

_SPECIAL = {"dont_know", "not_applicable", "reason", "evidence", "confidence", "comment"}

Errors = dict[str, dict[str, str]]


def parse_answer(item, payload: Any) -> tuple[AnswerData | None, dict[str, str]]:
    """One item's entry: ``None`` clears the answer. Returns (answer, errors by field).
    Each part of the entry is checked by its own step, in the order of the entry's fields;
    every step adds its refusals to ``errors``, so one answer reports all of them."""
    if payload is None:
        return None, {}
    if not isinstance(payload, dict):
        return None, {"answer": "An answer must be an object, or null to clear it."}
    errors: dict[str, str] = {}
    unknown = sorted(set(payload) - (_SPECIAL | {item.value_key}))
    if unknown:
        errors["answer"] = f"Unknown field(s) for a {item.type} item: {', '.join(unknown)}."
    dont_know, not_applicable = _flags(item, payload, errors)
    reason = _reason(payload, not_applicable, errors)
    value = _value(item, payload, dont_know or not_applicable, errors)
    evidence, ev_error = _parse_evidence(payload.get("evidence", []))
    if ev_error:
        errors["evidence"] = ev_error
    confidence = _confidence(payload, errors)
    comment = _comment(payload, errors)
    if errors:
        return None, errors
    return AnswerData(value=value, dont_know=dont_know, not_applicable=not_applicable,
                      na_reason=reason if not_applicable else "", confidence=confidence,
                      comment=comment.strip(), evidence=evidence), {}


def _flags(item, payload: dict, errors: dict[str, str]) -> tuple[bool, bool]:
    """'Don't know' and 'not applicable': booleans, each only where the item allows it, and
    never both."""
    dont_know = payload.get("dont_know") is True
    not_applicable = payload.get("not_applicable") is True
    for flag in ("dont_know", "not_applicable"):
        if flag in payload and not isinstance(payload[flag], bool):
            errors[flag] = _("Must be true or false.")
    if dont_know and not item.allow_dont_know:
        errors["dont_know"] = _("This question needs an answer; 'don't know' is not accepted here.")
    if dont_know and not item.scored:
        errors["dont_know"] = _("'Don't know' applies only to scored questions.")
    if not_applicable and not item.allow_na:
        errors["not_applicable"] = _("This question applies to every country; 'not applicable' is not accepted.")
    if dont_know and not_applicable:
        errors["not_applicable"] = _("Choose either 'don't know' or 'not applicable', not both.")
    return dont_know, not_applicable


def _reason(payload: dict, not_applicable: bool, errors: dict[str, str]) -> str:
    """Why the question does not apply: text, required with 'not applicable'."""
    reason = payload.get("reason", "")
    if not isinstance(reason, str):
        errors["reason"] = _("Must be text.")
        reason = ""
    reason = reason.strip()
    if not_applicable and not reason:
        errors["reason"] = _("Say why this question does not apply.")
    if len(reason) > MAX_TEXT:
        errors["reason"] = _("Keep the reason under %(n)s characters.", n=MAX_TEXT)
    return reason


def _value(item, payload: dict, flagged: bool, errors: dict[str, str]) -> Any:
    """The answer itself, parsed by its item type; empty when flagged 'don't know' or 'not
    applicable'.  Blank text counts as no answer, except for a text item."""
    raw = payload.get(item.value_key)
    if flagged and raw not in (None, "", []):
        errors[item.value_key] = _("Leave the answer empty when you choose 'don't know' or 'not applicable'.")
    elif raw is not None and not (isinstance(raw, str) and not raw.strip() and item.type != "text"):
        try:
            return item.parse_value(raw)
        except AnswerValueError as exc:
            errors[item.value_key] = str(exc)
    return None


def _confidence(payload: dict, errors: dict[str, str]) -> str | None:
    confidence = payload.get("confidence")
    if confidence in ("", None):
        return None
    if confidence not in CONFIDENCE_LEVELS:
        errors["confidence"] = _("Choose high, medium or low.")
    return confidence


def _comment(payload: dict, errors: dict[str, str]) -> str:
    comment = payload.get("comment", "")
    if not isinstance(comment, str):
        errors["comment"] = _("Must be text.")
        return ""
    if len(comment) > MAX_TEXT:
        errors["comment"] = _("Keep the comment under %(n)s characters.", n=MAX_TEXT)
    return comment


def _parse_evidence(raw: Any) -> tuple[tuple[Evidence, ...], str | None]:
    if raw in (None, ""):
        return (), None
    if not isinstance(raw, list):
        return (), _("Evidence must be a list of entries.")
    if len(raw) > MAX_EVIDENCE:
        return (), _("At most %(n)s evidence entries per answer.", n=MAX_EVIDENCE)
    out = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            return (), _("Evidence entry %(n)s must be an object.", n=n)
        etype = entry.get("type")
        reference = entry.get("reference", "")
        note = entry.get("note", "") or ""
        if etype not in EVIDENCE_TYPES:
            return (), _("Evidence entry %(n)s: choose a type (%(types)s).", n=n, types=", ".join(EVIDENCE_TYPES))
        if not isinstance(reference, str) or not reference.strip():
            return (), _("Evidence entry %(n)s: give a reference (a citation or a URL).", n=n)
        if len(reference) > MAX_REFERENCE:
            return (), _("Evidence entry %(n)s: keep the reference under %(max)s characters.", n=n, max=MAX_REFERENCE)
        if not isinstance(note, str) or len(note) > MAX_TEXT:
            return (), _("Evidence entry %(n)s: the note must be text under %(max)s characters.", n=n, max=MAX_TEXT)
        out.append(Evidence(type=etype, reference=reference.strip(), note=note.strip()))
    return tuple(out), None


def parse_patch(questionnaire: Questionnaire, answers: Any) -> tuple[dict[str, AnswerData | None], Errors]:
    """All entries of a patch; any error anywhere means the caller saves nothing."""
    if not isinstance(answers, dict):
        return {}, {"answers": {"answer": "'answers' must be an object keyed by item key."}}
    changes: dict[str, AnswerData | None] = {}
    errors: Errors = {}
    for key, payload in answers.items():
        item = questionnaire.item_map.get(key)
        if item is None:
            errors[str(key)] = {"answer": "No question with this key in this questionnaire version."}
            continue
        answer, item_errors = parse_answer(item, payload)
        if item_errors:
            errors[key] = item_errors
        else:
            changes[key] = None if answer is None or answer.is_empty else answer
    return changes, errors
