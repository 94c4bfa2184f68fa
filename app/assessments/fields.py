"""WTForms fields for questionnaire items: one builder per item type, in a registry.

A builder knows three things about its type, and nothing about requests or storage:

- ``fields(item, t)``: the unbound WTForms fields of one item (names ``{key}-...``);
- ``initial(item, answer)``: the form data that shows a stored answer (API shape);
- ``read(item, form)``: the answer patch entry (CONTRACTS.md shape) the form holds now.

The patch entry then goes through ``app.questionnaire.patch.parse_patch``, the one
parser of answers, exactly as an API call or an autosave does.  WTForms only renders
and collects: it never validates values itself, so every message comes from one place.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import (
    BooleanField, FieldList, FormField, HiddenField, RadioField, SelectField, SelectMultipleField,
    StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..questionnaire.answers import CONFIDENCE_LEVELS, EVIDENCE_TYPES, MAX_EVIDENCE

DONT_KNOW = "__dont_know"
NOT_APPLICABLE = "__not_applicable"
NONE_OF_THESE = "__none"
SPECIALS = (DONT_KNOW, NOT_APPLICABLE)

Translate = Callable[[dict[str, str] | None], str]


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, not a multi-select box (easier to use, by mouse, touch and keyboard)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # values are checked by the answer parser
        pass


class LooseRadioField(RadioField):
    validate_choice = False


class LooseSelectField(SelectField):
    validate_choice = False


def evidence_type_labels() -> dict[str, str]:
    return {
        "law": _("Law or regulation"), "policy": _("Policy, plan or strategy"),
        "budget": _("Budget line or expenditure"), "data": _("Data or statistics"),
        "evaluation": _("Evaluation or audit"), "expert_judgement": _("Expert judgement"),
        "other": _("Other document"),
    }


def confidence_labels() -> dict[str, str]:
    return {"high": _("High"), "medium": _("Medium"), "low": _("Low")}


class EvidenceForm(Form):
    """One evidence entry: type, reference (citation or URL), note."""

    type = LooseSelectField(_l("Type"), choices=[])
    reference = StringField(_l("Reference or URL"))
    note = StringField(_l("Note (optional)"))
    remove = BooleanField(_l("Remove this entry"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = choices([("", _("Choose a type"))] + list(evidence_type_labels().items()))

    @property
    def is_blank(self) -> bool:
        return not ((self.type.data or "").strip() or (self.reference.data or "").strip()
                    or (self.note.data or "").strip())


class FieldBuilder:
    """What every item type shares: evidence, confidence, comment, and the fingerprint
    of the answer as loaded. Subclasses add the value field(s) of their type."""

    template = "assessments/items/_text.html"
    #: the suffix of the field that holds the value (links from error messages go there)
    value_suffix = "value"
    special_suffix: str | None = None  # a separate don't know / N/A group (checklist, number)

    # -- fields ---------------------------------------------------------------------------
    def fields(self, item, t: Translate) -> dict[str, Any]:
        k = item.key
        out = dict(self.value_fields(item, t))
        if self.special_suffix and item.scored:
            specials = self.special_choices(item)
            if specials:
                out[f"{k}-{self.special_suffix}"] = MultiCheckboxField(_("Or"), choices=choices(specials))
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

    def value_fields(self, item, t: Translate) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def special_choices(item) -> list[tuple[str, str]]:
        specials = []
        if item.scored and item.allow_dont_know:
            specials.append((DONT_KNOW, _("Don't know")))
        if item.allow_na:
            specials.append((NOT_APPLICABLE, _("Not applicable")))
        return specials

    # -- stored answer -> form data -------------------------------------------------------
    def initial(self, item, answer: dict[str, Any] | None) -> dict[str, Any]:
        k, answer = item.key, answer or {}
        data: dict[str, Any] = {
            f"{k}-evidence": [dict(e) for e in answer.get("evidence", [])],
            f"{k}-confidence": answer.get("confidence") or "",
            f"{k}-comment": answer.get("comment", ""),
        }
        if item.allow_na:
            data[f"{k}-reason"] = answer.get("reason", "")
        data.update(self.initial_value(item, answer))
        return data

    def initial_value(self, item, answer: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def special_of(answer: dict[str, Any]) -> str | None:
        if answer.get("dont_know"):
            return DONT_KNOW
        if answer.get("not_applicable"):
            return NOT_APPLICABLE
        return None

    # -- form -> patch entry ----------------------------------------------------------------
    def read(self, item, form) -> dict[str, Any] | None:
        """The patch entry for this item (None: clear the answer)."""
        k = item.key
        entry: dict[str, Any] = {}
        specials = set(self.read_specials(item, form))
        if DONT_KNOW in specials:
            entry["dont_know"] = True
        if NOT_APPLICABLE in specials:
            entry["not_applicable"] = True
            entry["reason"] = form[f"{k}-reason"].data or ""
        entry.update(self.read_value(item, form))
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

    def read_specials(self, item, form) -> list[str]:
        if not self.special_suffix or f"{item.key}-{self.special_suffix}" not in form:
            return []
        return list(form[f"{item.key}-{self.special_suffix}"].data or [])

    def read_value(self, item, form) -> dict[str, Any]:
        raise NotImplementedError

    # -- "Clear answer": back to no answer ---------------------------------------------------
    #: whether the page offers a "Clear answer" button (a chosen radio cannot be unchosen)
    clearable = False

    def clear(self, item, form) -> None:
        """Take the chosen value off the form (evidence, confidence and comment stay)."""
        raise NotImplementedError

    # -- where a message about a part of the answer is shown --------------------------------
    def error_field(self, item, part: str) -> str:
        """The form field a parse error about ``part`` belongs next to."""
        k = item.key
        if part in ("reason", "confidence", "comment", "evidence") and f"{k}-{part}" in self.names(item):
            return f"{k}-{part}"
        if part in ("dont_know", "not_applicable") and self.special_suffix and item.scored:
            return f"{k}-{self.special_suffix}"
        return f"{k}-{self.value_suffix}"

    def names(self, item) -> set[str]:
        k = item.key
        names = {f"{k}-{self.value_suffix}", f"{k}-evidence", f"{k}-confidence", f"{k}-comment"}
        if item.allow_na:
            names.add(f"{k}-reason")
        return names


class RadioBuilder(FieldBuilder):
    """One choice among described options, with don't know and N/A in the same group."""

    def options(self, item, t: Translate) -> list[tuple[str, str]]:
        raise NotImplementedError

    def value_fields(self, item, t):
        return {f"{item.key}-{self.value_suffix}": LooseRadioField(
            t(item.prompt), choices=choices(self.options(item, t) + self.special_choices(item)))}

    def initial_value(self, item, answer):
        value = answer.get(item.value_key)
        return {f"{item.key}-{self.value_suffix}": self.special_of(answer) or (
            "" if value is None else str(value))}

    def read_specials(self, item, form):
        value = form[f"{item.key}-{self.value_suffix}"].data
        return [value] if value in SPECIALS else []

    clearable = True

    def clear(self, item, form):
        form[f"{item.key}-{self.value_suffix}"].data = ""

    def read_value(self, item, form):
        value = form[f"{item.key}-{self.value_suffix}"].data
        if value in SPECIALS or value in (None, "", "None"):
            return {}
        return {item.value_key: value}


class ScaleBuilder(RadioBuilder):
    template = "assessments/items/_scale.html"
    value_suffix = "level"

    def options(self, item, t):
        return [(str(lvl.level), t(lvl.descriptor)) for lvl in item.levels]


class ChoiceBuilder(RadioBuilder):
    template = "assessments/items/_choice.html"
    value_suffix = "option"

    def options(self, item, t):
        return [(o.code, t(o.label)) for o in item.options]


class ChecklistBuilder(FieldBuilder):
    """Tick all that apply; "None of these" is an answer too (an empty selection)."""

    template = "assessments/items/_checklist.html"
    value_suffix = "selected"
    special_suffix = "special"

    def value_fields(self, item, t):
        return {f"{item.key}-selected": MultiCheckboxField(
            t(item.prompt), choices=choices([(o.code, t(o.label)) for o in item.options]
                                            + [(NONE_OF_THESE, _("None of these"))]))}

    def initial_value(self, item, answer):
        k = item.key
        selected = answer.get("selected")
        special = self.special_of(answer)
        return {f"{k}-selected": (list(selected) or [NONE_OF_THESE]) if selected is not None else [],
                f"{k}-special": [special] if special else []}

    def read_value(self, item, form):
        selected = list(form[f"{item.key}-selected"].data or [])
        options = [c for c in selected if c != NONE_OF_THESE]
        if options:  # ticked options win over a contradictory "None of these"
            return {"selected": options}
        return {"selected": []} if NONE_OF_THESE in selected else {}


class NumberBuilder(FieldBuilder):
    template = "assessments/items/_number.html"
    value_suffix = "value"
    special_suffix = "special"

    def value_fields(self, item, t):
        return {f"{item.key}-value": StringField(t(item.prompt), render_kw={
            "inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})}

    def initial_value(self, item, answer):
        k = item.key
        value = answer.get("value")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        special = self.special_of(answer)
        return {f"{k}-value": "" if value is None else str(value),
                f"{k}-special": [special] if special else []}

    def read_value(self, item, form):
        raw = (form[f"{item.key}-value"].data or "").strip()
        return {"value": raw} if raw else {}


class TextBuilder(FieldBuilder):
    template = "assessments/items/_text.html"
    value_suffix = "text"

    def value_fields(self, item, t):
        return {f"{item.key}-text": TextAreaField(t(item.prompt))}

    def initial_value(self, item, answer):
        return {f"{item.key}-text": answer.get("text", "")}

    def read_value(self, item, form):
        text = form[f"{item.key}-text"].data or ""
        return {"text": text} if text.strip() else {}


#: The registry: one builder per item type (the keys match ``ITEM_TYPES``).
FIELD_BUILDERS: dict[str, FieldBuilder] = {
    "scale": ScaleBuilder(),
    "choice": ChoiceBuilder(),
    "checklist": ChecklistBuilder(),
    "number": NumberBuilder(),
    "text": TextBuilder(),
}

__all__ = ["FIELD_BUILDERS", "FieldBuilder", "EvidenceForm", "DONT_KNOW", "NOT_APPLICABLE",
           "NONE_OF_THESE", "evidence_type_labels", "confidence_labels", "CONFIDENCE_LEVELS",
           "EVIDENCE_TYPES"]
