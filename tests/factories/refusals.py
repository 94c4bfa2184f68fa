"""Entries of the mini questionnaire (tests/fixtures/mini-1.0.yaml) that the answer parser
refuses: (key, entry, the field refused, its code, the evidence entry's row and part), at least
one for every kind of refusal the parser makes on its own (tests/questionnaire/test_answer_errors.py
adds the others)."""
from __future__ import annotations

from app.questionnaire.answers import MAX_EVIDENCE

REFUSED = [
    ("a1", {"level": 5}, "level", "level_out_of_range", None, None),
    ("a1", {"level": "two"}, "level", "level_out_of_range", None, None),
    ("a1", {"level": True}, "level", "level_out_of_range", None, None),
    ("a1", {"option": "x"}, "answer", "answer_unknown_fields", None, None),   # wrong value key for the type
    ("a1", {"not_applicable": True, "reason": "x"}, "not_applicable", "not_applicable_not_allowed", None, None),
    ("d1", {"not_applicable": True}, "reason", "reason_missing", None, None),  # N/A needs a reason
    ("d1", {"not_applicable": True, "reason": "   "}, "reason", "reason_missing", None, None),
    ("d1", {"reason": 3}, "reason", "not_text", None, None),
    ("d1", {"not_applicable": True, "reason": "x" * 20_001}, "reason", "reason_too_long", None, None),
    ("d1", {"dont_know": True, "not_applicable": True, "reason": "x"}, "not_applicable", "flags_both", None, None),
    ("a1", {"dont_know": True, "level": 2}, "level", "value_with_flag", None, None),
    ("a1", {"dont_know": "yes"}, "dont_know", "flag_not_boolean", None, None),
    ("x1", {"dont_know": True}, "dont_know", "dont_know_unscored", None, None),  # text items are not scored
    ("x1", {"text": 5}, "text", "text_invalid", None, None),
    ("x1", {"text": "x" * 20_001}, "text", "text_too_long", None, None),
    ("b1", {"selected": ["crc", "nope"]}, "selected", "options_unknown", None, None),
    ("b1", {"selected": "crc"}, "selected", "options_not_list", None, None),
    ("c1", {"value": 101}, "value", "number_out_of_range", None, None),
    ("c1", {"value": "abc"}, "value", "number_invalid", None, None),
    ("c1", {"value": float("nan")}, "value", "number_invalid", None, None),
    ("d1", {"option": "everywhere"}, "option", "option_unknown", None, None),
    ("a1", {"level": 1, "confidence": "certain"}, "confidence", "confidence_invalid", None, None),
    ("a1", {"level": 1, "comment": 12}, "comment", "not_text", None, None),
    ("a1", {"level": 1, "comment": "x" * 20_001}, "comment", "comment_too_long", None, None),
    ("a1", {"level": 1, "evidence": {"type": "law"}}, "evidence", "evidence_not_list", None, None),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x"}, 7]}, "evidence",
     "evidence_entry_not_object", 1, None),
    ("a1", {"level": 1, "evidence": [{"type": "rumour", "reference": "x"}]}, "evidence",
     "evidence_type_missing", 0, "type"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x"}, {"type": "law", "reference": " "}]},
     "evidence", "evidence_reference_missing", 1, "reference"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x" * 2001}]}, "evidence",
     "evidence_reference_too_long", 0, "reference"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x", "note": 4}]}, "evidence",
     "evidence_note_invalid", 0, "note"),
    ("a1", {"level": 1, "evidence": [{"type": "law", "reference": "x"}] * (MAX_EVIDENCE + 1)}, "evidence",
     "evidence_too_many", None, None),
    ("a1", "level 2", "answer", "answer_not_object", None, None),
]
