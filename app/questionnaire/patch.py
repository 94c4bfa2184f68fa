"""Parse an answer patch (CONTRACTS.md) into AnswerData values, collecting per-key errors.

Pure: the same function serves the API, the section forms and autosave, so a
value is accepted or refused by exactly one set of rules.
"""
from __future__ import annotations

from typing import Any

from .answer_errors import AnswerError, Refusals, refusal
from .answers import (
    CONFIDENCE_LEVELS, EVIDENCE_TYPES, MAX_EVIDENCE, MAX_REFERENCE, MAX_TEXT, AnswerData, Evidence,
)
from .definition import Questionnaire
from .items import AnswerValueError

_SPECIAL = {"dont_know", "not_applicable", "reason", "evidence", "confidence", "comment"}


def parse_answer(item, payload: Any) -> tuple[AnswerData | None, list[AnswerError]]:
    """One item's entry: ``None`` clears the answer. Returns (answer, refusals), at most one
    refusal per field of the entry (:mod:`.answer_errors`).  Each part of the entry is checked
    by its own step, in the order of the entry's fields; every step adds its refusals, so one
    answer reports all of them."""
    if payload is None:
        return None, []
    errors = Refusals(item.key)
    if not isinstance(payload, dict):
        errors.add("answer_not_object", "answer")
        return None, errors.as_list()
    unknown = sorted(set(payload) - (_SPECIAL | {item.value_key}))
    if unknown:
        errors.add("answer_unknown_fields", "answer", type=item.type, fields=", ".join(unknown))
    dont_know, not_applicable = _flags(item, payload, errors)
    reason = _reason(payload, not_applicable, errors)
    value = _value(item, payload, dont_know or not_applicable, errors)
    evidence = _parse_evidence(payload.get("evidence", []), errors)
    confidence = _confidence(payload, errors)
    comment = _comment(payload, errors)
    if errors:
        return None, errors.as_list()
    return AnswerData(value=value, dont_know=dont_know, not_applicable=not_applicable,
                      na_reason=reason if not_applicable else "", confidence=confidence,
                      comment=comment.strip(), evidence=evidence), []


def _flags(item, payload: dict, errors: Refusals) -> tuple[bool, bool]:
    """'Don't know' and 'not applicable': booleans, each only where the item allows it, and
    never both."""
    dont_know = payload.get("dont_know") is True
    not_applicable = payload.get("not_applicable") is True
    for flag in ("dont_know", "not_applicable"):
        if flag in payload and not isinstance(payload[flag], bool):
            errors.add("flag_not_boolean", flag)
    if dont_know and not item.allow_dont_know:
        errors.add("dont_know_not_allowed", "dont_know")
    if dont_know and not item.scored:
        errors.add("dont_know_unscored", "dont_know")
    if not_applicable and not item.allow_na:
        errors.add("not_applicable_not_allowed", "not_applicable")
    if dont_know and not_applicable:
        errors.add("flags_both", "not_applicable")
    return dont_know, not_applicable


def _reason(payload: dict, not_applicable: bool, errors: Refusals) -> str:
    """Why the question does not apply: text, required with 'not applicable'."""
    reason = payload.get("reason", "")
    if not isinstance(reason, str):
        errors.add("not_text", "reason")
        reason = ""
    reason = reason.strip()
    if not_applicable and not reason:
        errors.add("reason_missing", "reason")
    if len(reason) > MAX_TEXT:
        errors.add("reason_too_long", "reason", n=MAX_TEXT)
    return reason


def _value(item, payload: dict, flagged: bool, errors: Refusals) -> Any:
    """The answer itself, parsed by its item type; empty when flagged 'don't know' or 'not
    applicable'.  Blank text counts as no answer, except for a text item."""
    raw = payload.get(item.value_key)
    if flagged and raw not in (None, "", []):
        errors.add("value_with_flag", item.value_key)
    elif raw is not None and not (isinstance(raw, str) and not raw.strip() and item.type != "text"):
        try:
            return item.parse_value(raw)
        except AnswerValueError as exc:
            errors.put(AnswerError(exc.code, item.key, item.value_key, str(exc), params=exc.params))
    return None


def _confidence(payload: dict, errors: Refusals) -> str | None:
    confidence = payload.get("confidence")
    if confidence in ("", None):
        return None
    if confidence not in CONFIDENCE_LEVELS:
        errors.add("confidence_invalid", "confidence")
    return confidence


def _comment(payload: dict, errors: Refusals) -> str:
    comment = payload.get("comment", "")
    if not isinstance(comment, str):
        errors.add("not_text", "comment")
        return ""
    if len(comment) > MAX_TEXT:
        errors.add("comment_too_long", "comment", n=MAX_TEXT)
    return comment


def _parse_evidence(raw: Any, errors: Refusals) -> tuple[Evidence, ...]:
    """The evidence entries; the first refusal (of the list, or of one entry: its row and the
    part refused) stops there."""
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        errors.add("evidence_not_list", "evidence")
        return ()
    if len(raw) > MAX_EVIDENCE:
        errors.add("evidence_too_many", "evidence", n=MAX_EVIDENCE)
        return ()
    out = []
    for row, entry in enumerate(raw):
        problem = _evidence_problem(entry)
        if problem is not None:
            code, part, params = problem
            errors.add(code, "evidence", row=row, part=part, n=row + 1, **params)
            return ()
        out.append(Evidence(type=entry["type"], reference=entry.get("reference", "").strip(),
                            note=(entry.get("note", "") or "").strip()))
    return tuple(out)


def _evidence_problem(entry: Any) -> tuple[str, str | None, dict[str, Any]] | None:
    """(code, part, the message's values) of what is wrong with one evidence entry, or None."""
    if not isinstance(entry, dict):
        return "evidence_entry_not_object", None, {}
    reference, note = entry.get("reference", ""), entry.get("note", "") or ""
    if entry.get("type") not in EVIDENCE_TYPES:
        return "evidence_type_missing", "type", {"types": ", ".join(EVIDENCE_TYPES)}
    if not isinstance(reference, str) or not reference.strip():
        return "evidence_reference_missing", "reference", {}
    if len(reference) > MAX_REFERENCE:
        return "evidence_reference_too_long", "reference", {"max": MAX_REFERENCE}
    if not isinstance(note, str) or len(note) > MAX_TEXT:
        return "evidence_note_invalid", "note", {"max": MAX_TEXT}
    return None


def parse_patch(questionnaire: Questionnaire, answers: Any
                ) -> tuple[dict[str, AnswerData | None], list[AnswerError]]:
    """All entries of a patch: (the changes, the refusals); any refusal anywhere means the
    caller saves nothing (``details_of`` gives the API's ``details`` of them)."""
    if not isinstance(answers, dict):
        return {}, [refusal("answers_not_object", None, "answer")]
    changes: dict[str, AnswerData | None] = {}
    errors: list[AnswerError] = []
    for key, payload in answers.items():
        item = questionnaire.item_map.get(key)
        if item is None:
            errors.append(refusal("item_unknown", str(key), "answer"))
            continue
        answer, item_errors = parse_answer(item, payload)
        if item_errors:
            errors += item_errors
        else:
            changes[key] = None if answer is None or answer.is_empty else answer
    return changes, errors
