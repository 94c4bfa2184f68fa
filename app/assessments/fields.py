"""WTForms fields for questionnaire items: the parts every item shares, around the value
field(s) that the item's own type builds (:mod:`app.questionnaire.items`).

Three functions, which know nothing about requests or storage:

- ``item_fields(item, t)``: the unbound WTForms fields of one item (names ``{key}-...``);
- ``initial(item, answer)``: the form data that shows a stored answer (API shape);
- ``read(item, form)``: the answer patch entry (CONTRACTS.md shape) the form holds now.

The patch entry then goes through ``app.questionnaire.patch.parse_patch``, the one
parser of answers, exactly as an API call or an autosave does.  WTForms only renders
and collects: it never validates values itself, so every message comes from one place.
"""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import (
    BooleanField, FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField,
)

from ..display.labels import CONFIDENCE, EVIDENCE_CHOICES, labels
from ..questionnaire.answers import CONFIDENCE_LEVELS, EVIDENCE_TYPES, MAX_EVIDENCE
from ..questionnaire.items import Translate
from ..questionnaire.items.form import (
    DONT_KNOW, NONE_OF_THESE, NOT_APPLICABLE, MultiCheckboxField, choices, special_choices,
)


class LooseSelectField(SelectField):
    validate_choice = False


def evidence_type_labels() -> dict[str, str]:
    """The evidence types as the picker describes them (shown elsewhere by their short names)."""
    return labels(EVIDENCE_CHOICES)


def confidence_labels() -> dict[str, str]:
    return labels(CONFIDENCE)


def _evidence_choices() -> list:
    """The evidence type options, translated once per request: a page has an evidence row
    or more for every question, each offering the same list (nobody changes it)."""
    if has_request_context() and "evidence_choices" in g:
        return g.evidence_choices
    built = choices([("", _("Choose a type"))] + list(evidence_type_labels().items()))
    if has_request_context():
        g.evidence_choices = built
    return built


class EvidenceForm(Form):
    """One evidence entry: type, reference (citation or URL), note."""

    type = LooseSelectField(_l("Type"), choices=[])
    reference = StringField(_l("Reference or URL"))
    note = StringField(_l("Note (optional)"))
    remove = BooleanField(_l("Remove this entry"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = _evidence_choices()

    @property
    def is_blank(self) -> bool:
        return not ((self.type.data or "").strip() or (self.reference.data or "").strip()
                    or (self.note.data or "").strip())


def item_fields(item, t: Translate) -> dict[str, Any]:
    """The item's value field(s), then what every item has: a separate don't know / N/A
    group (for the types that want one), the N/A reason, evidence, confidence, comment,
    and the fingerprint of the answer as loaded."""
    k = item.key
    out = dict(item.value_fields(t))
    if item.separate_specials and item.scored:
        specials = special_choices(item)
        if specials:
            out[f"{k}-special"] = MultiCheckboxField(_("Or"), choices=choices(specials))
    if item.allow_na:
        out[f"{k}-reason"] = TextAreaField(_("Why does this question not apply?"))
    out[f"{k}-evidence"] = FieldList(FormField(EvidenceForm), label=_("Evidence"),
                                     max_entries=MAX_EVIDENCE + 1)
    out[f"{k}-confidence"] = LooseSelectField(
        _("How confident are you in this answer?"),
        choices=choices([("", _("Not stated"))] + list(confidence_labels().items())))
    out[f"{k}-comment"] = TextAreaField(_("Comment (optional)"))
    out[f"{k}-base"] = HiddenField()
    return out


def initial(item, answer: dict[str, Any] | None) -> dict[str, Any]:
    """The form data that shows a stored answer (API shape)."""
    k, answer = item.key, answer or {}
    data: dict[str, Any] = {
        f"{k}-evidence": [dict(e) for e in answer.get("evidence", [])],
        f"{k}-confidence": answer.get("confidence") or "",
        f"{k}-comment": answer.get("comment", ""),
    }
    if item.allow_na:
        data[f"{k}-reason"] = answer.get("reason", "")
    data.update(item.initial_value(answer))
    return data


def read(item, form) -> dict[str, Any] | None:
    """The patch entry for this item (None: clear the answer)."""
    k = item.key
    entry: dict[str, Any] = {}
    specials = set(item.read_specials(form))
    if DONT_KNOW in specials:
        entry["dont_know"] = True
    if NOT_APPLICABLE in specials:
        entry["not_applicable"] = True
        # An item without N/A has no reason field: a posted "__not_applicable" is refused by
        # the answer parser ("not applicable is not allowed"), never a missing field.
        entry["reason"] = (form[f"{k}-reason"].data or "") if f"{k}-reason" in form else ""
    entry.update(item.read_value(form))
    evidence = [{"type": row.form.type.data or "", "reference": row.form.reference.data or "",
                 "note": row.form.note.data or ""}
                for row in form[f"{k}-evidence"] if not row.form.remove.data and not row.form.is_blank]
    if evidence:
        entry["evidence"] = evidence
    if form[f"{k}-confidence"].data:
        entry["confidence"] = form[f"{k}-confidence"].data
    if (form[f"{k}-comment"].data or "").strip():
        entry["comment"] = form[f"{k}-comment"].data
    return entry or None


def error_field(item, part: str) -> str:
    """The form field a parse error about ``part`` of the answer is shown next to."""
    k = item.key
    if part in ("reason", "confidence", "comment", "evidence") and f"{k}-{part}" in _names(item):
        return f"{k}-{part}"
    if part in ("dont_know", "not_applicable") and item.separate_specials and item.scored:
        return f"{k}-special"
    return f"{k}-{item.value_key}"


def _names(item) -> set[str]:
    k = item.key
    names = {f"{k}-{item.value_key}", f"{k}-evidence", f"{k}-confidence", f"{k}-comment"}
    if item.allow_na:
        names.add(f"{k}-reason")
    return names


__all__ = ["item_fields", "choices", "initial", "read", "error_field", "EvidenceForm", "DONT_KNOW",
           "NOT_APPLICABLE", "NONE_OF_THESE", "evidence_type_labels", "confidence_labels",
           "CONFIDENCE_LEVELS", "EVIDENCE_TYPES"]
