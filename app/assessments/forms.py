"""Forms of the assessments area.

The section form is built per request from the definition: a fresh class made with
``type()``, one group of fields per item: the value field(s) its type builds and the
parts every item shares (:mod:`.fields`). Pure functions here turn a form into an answer patch, place parse
errors next to their fields, and say when a claimed level needs evidence to count.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from flask import has_app_context
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..display.numbers import level as level_text
from ..fragments import fragments_for
from ..http_input import parse_int
from ..i18n import N_
from ..questionnaire.answer_errors import AnswerError, message_of
from ..questionnaire.definition import Questionnaire
from ..scoring.caps import OUTCOME, rule_for
from ..questionnaire.schema import Section
from . import fields


def translator(lang: str | None = None):
    """A function that picks the text for ``lang`` from a definition's text map."""
    lang = lang or str(get_locale() or "en")

    def t(text: dict[str, str] | None) -> str:
        if not text:
            return ""
        return text.get(lang) or text.get(lang.split("_")[0]) or text["en"]

    t.lang = lang  # what a cache of texts made with it is keyed by
    return t


# -- the section form --------------------------------------------------------------------------

class SectionForm(Form):
    """Base of every section form. CSRF is checked for every POST by CSRFProtect."""

    base_revision = HiddenField()


def make_section_form(questionnaire: Questionnaire, section: Section, t) -> type[SectionForm]:
    attrs: dict[str, Any] = {}
    for key in section.items:
        item = questionnaire.item_map[key]
        attrs.update(fields.item_fields(item, t))
    return type(f"SectionForm_{section.key}", (SectionForm,), attrs)


def section_form_class(questionnaire: Questionnaire, section: Section, t) -> type[SectionForm]:
    """The class holds only the definition's fields and their translated labels: one per
    questionnaire version, section and language (app/fragments.py), not one per request."""
    lang = getattr(t, "lang", None)
    if lang and has_app_context():
        return fragments_for(questionnaire, lang).shared("form-class", section.key, make_section_form,
                                                         questionnaire, section, t)
    return make_section_form(questionnaire, section, t)


def build_section_form(questionnaire: Questionnaire, section: Section, t, *, formdata=None,
                       answers: dict[str, dict] | None = None, fingerprints: dict[str, str] | None = None,
                       revision: int | None = None) -> SectionForm:
    """The form showing the stored ``answers`` (API shape), or what was posted."""
    cls = section_form_class(questionnaire, section, t)
    data: dict[str, Any] = {"base_revision": revision}
    for key in section.items:
        item = questionnaire.item_map[key]
        data.update(fields.initial(item, (answers or {}).get(key)))
        data[f"{key}-base"] = (fingerprints or {}).get(key, "")
    form = cls(formdata=formdata, data=data)
    add_blank_evidence_rows(form, questionnaire, section)
    return form


def add_blank_evidence_rows(form: SectionForm, questionnaire: Questionnaire, section: Section) -> None:
    """Always one empty evidence row at the end, so that adding one needs no script."""
    for key in section.items:
        entries = form[f"{key}-evidence"]
        if (not entries.entries or not entries.entries[-1].form.is_blank) and \
                len(entries.entries) < entries.max_entries:
            entries.append_entry()


def read_section(form: SectionForm, questionnaire: Questionnaire, section: Section,
                 skip: set[str] = frozenset()) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers patch, fingerprints of the answers as loaded) for the section's items."""
    payload, loaded = {}, {}
    for key in section.items:
        if key in skip:
            continue
        item = questionnaire.item_map[key]
        payload[key] = fields.read(item, form)
        if form[f"{key}-base"].data:
            loaded[key] = form[f"{key}-base"].data
    return payload, loaded


def clear_choice(form: SectionForm, questionnaire: Questionnaire, section: Section, key: str) -> str | None:
    """A "Clear answer" button posted the form: take that item's chosen value off it, so
    that saving stores the item as unanswered. Returns the key, or None when ``key`` is
    not a clearable item of this section (the button's value comes from the request)."""
    if key not in section.items:
        return None
    item = questionnaire.item_map[key]
    if not item.clearable:
        return None
    item.clear_value(form)
    return key


def parse_revision(raw: Any) -> int | None:
    return parse_int(raw)  # ASCII digits within the revision column, else None (refused later)


# -- errors next to their fields ----------------------------------------------------------------

@dataclass
class FieldError:
    item: str
    field: str      # the form field name the message belongs to
    anchor: str     # the id of the control an error-summary link focuses
    message: str


#: The page's own wording of some refusals about one evidence entry, by code: the parser's
#: names the type codes a client of the API sends ("choose a type (law, …, expert_judgement,
#: other)"); the page says them in the reader's language, with no code (issue 18).  Any other
#: refusal about an entry is the parser's message, the entry numbered as the page numbers it.
PAGE_MESSAGES = {
    "evidence_type_missing": N_("Evidence entry %(n)s: choose its type in the list."),
    "evidence_reference_missing": N_("Evidence entry %(n)s: give a reference (a citation or a web address)."),
}


def page_message(error: AnswerError, number: int | None = None) -> str:
    """What the page says of ``error``; ``number``: the evidence row's number on the page."""
    params = dict(error.params)
    if number is not None:
        params["n"] = number
    if error.code in PAGE_MESSAGES:
        return _(PAGE_MESSAGES[error.code], **params)
    return message_of(error.code, **params) if number is not None else error.message


#: The parts of an evidence row with a place for a message (items/_parts.html): a message
#: about another part (the note) goes at the top of the evidence list.
ROW_PARTS = ("type", "reference")


def place_errors(form: SectionForm, questionnaire: Questionnaire,
                 errors: Iterable[AnswerError]) -> list[FieldError]:
    """Turn the parser's refusals into messages on form fields, by their item and field; one
    about a part of one evidence entry goes on that row's control.  The rows are named 0 to
    n-1 in their order (WTForms numbers the posted rows again; the page's script keeps its
    rows so numbered), so the name is the same on the page re-shown and the page that posted."""
    placed = (_placed(form, questionnaire, error) for error in errors)
    return [error for error in placed if error is not None]


def _placed(form: SectionForm, questionnaire: Questionnaire, error: AnswerError) -> FieldError | None:
    item = questionnaire.item_map.get(error.key) if error.key is not None else None
    if item is None:
        return None
    row, number = _row_of(form, error)
    if row is not None and error.part in ROW_PARTS:
        control = row[error.part]
        return FieldError(error.key, control.name, control.id, page_message(error, number))
    name = fields.error_field(item, error.field)
    return FieldError(error.key, name, anchor_for(form, name), page_message(error, number))


def coded_errors(form: SectionForm, questionnaire: Questionnaire,
                 errors: Iterable[AnswerError]) -> list[dict[str, Any]]:
    """The autosave's ``errors``: each refusal as the API gives it (code, path, item, field,
    row, part, message), with the form field it is placed on (``input``) and the id of its
    control (``anchor``) when the page has one."""
    out = []
    for error in errors:
        placed = _placed(form, questionnaire, error)
        out.append(error.to_json() | ({"input": placed.field, "anchor": placed.anchor} if placed else {}))
    return out


def _row_of(form: SectionForm, error: AnswerError) -> tuple[Any, int | None]:
    """(the evidence row's form, its number on the page) a refusal about one evidence entry is
    about; (None, None) for any other.  Its ``row`` counts the entries sent (rows kept and not
    blank: :func:`fields.read`); the page numbers a row by its place among all the rows, which
    differs once a row is removed."""
    name = f"{error.key}-evidence"
    if error.field != "evidence" or error.row is None or name not in form:
        return None, None
    rows = list(form[name])
    sent = [n for n, row in enumerate(rows) if not row.form.remove.data and not row.form.is_blank]
    if not 0 <= error.row < len(sent):
        return None, None
    return rows[sent[error.row]].form, sent[error.row] + 1


def anchor_for(form: SectionForm, name: str) -> str:
    """The id of the first control of a field (a radio group's first radio)."""
    if name not in form:
        return name
    f = form[name]
    if f.type in ("LooseRadioField", "RadioField", "MultiCheckboxField"):
        return f"{f.id}-0"
    if f.type == "FieldList":
        return f"{f.entries[0].form.type.id}" if f.entries else f.id
    return f.id


# -- evidence caps (RUBRIC 2), shown before submit ----------------------------------------------

def evidence_cap(rubric, level: int | None, evidence, core: bool = False) -> tuple[int | None, str | None]:
    """(the level that will count, the rule that capped it): the scoring engine's own rule
    (app.scoring.caps), for a scale level typed on the page with the evidence rows as typed."""
    if level is None or rubric is None:
        return level, None
    return rule_for(rubric).cap(level, evidence, core=core)


def evidence_notice(rubric, level: int | None, evidence, core: bool = False) -> str | None:
    effective, rule = evidence_cap(rubric, level, evidence, core)
    if rule is None:
        return None
    return _("Level %(level)s needs %(what)s to count. As it stands, this answer counts as "
             "level %(effective)s.", level=level, effective=fmt_level(effective),
             what=needed_evidence(rubric, rule))


def needed_evidence(rubric, rule: str) -> str:
    """What evidence would lift the cap named ``rule`` (a ``capped_by`` of the score document)."""
    if rule == OUTCOME:
        return _("evaluation or data evidence")
    if rubric is not None and rubric.documentary_needs_reference:
        return _("a documentary evidence entry (law, policy, budget, data or evaluation; "
                 "'other' with its reference; not expert judgement)")
    return _("a documentary evidence entry (anything but expert judgement)")


fmt_level = level_text   # a capped level, written as every level is (app.display.numbers)


# -- starting an assessment -------------------------------------------------------------------

class NewAssessmentForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire and version"), validate_choice=False)
    jurisdiction = StringField(
        _l("Jurisdiction"), validators=[DataRequired(), Length(max=6)],
        description=_l("An ISO 3166-1 country code such as KE, or an ISO 3166-2 subdivision code "
                       "such as KE-30 (Nairobi City) for a province or county."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "class": "input-short"})
    period = StringField(_l("Period assessed"), validators=[DataRequired(), Length(max=20)],
                         description=_l("A year (2026), a range (2025-2026) or a quarter (2026 Q1)."),
                         render_kw={"class": "input-short"})
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    based_on = SelectField(_l("Start from a previous assessment (optional)"), validate_choice=False,
                           validators=[Optional()],
                           description=_l("Copies every answer, with its evidence and comments, from an "
                                          "earlier submitted assessment of your organisation, so that "
                                          "this year's assessment only records what changed."))
