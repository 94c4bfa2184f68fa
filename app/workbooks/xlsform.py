"""A questionnaire version as an XLSForm, for ODK Central and KoboToolbox field teams.

Sheets ``survey``, ``choices`` and ``settings`` (https://xlsform.org). One group per section
(named by its key), one question per item named by its key; texts in every language the
version has, as ``label::English (en)`` columns (a text not yet translated falls back to
English, as on the pages); guidance as the hint; "don't know" and "not applicable" as choices
where the item allows them (a number item gets a status question before it, since a decimal
question has no choices); number ranges as constraints; after each question, the N/A reason
(required when N/A is chosen), confidence, one evidence entry and a comment, named
``<key>__reason`` and so on. :mod:`.odk_import` reads the submissions back by these names.
"""
from __future__ import annotations

import io

from flask_babel import force_locale, gettext as _
from openpyxl import Workbook

from ..assessments.fields import confidence_labels, evidence_type_labels
from ..questionnaire.answers import CONFIDENCE_LEVELS, EVIDENCE_TYPES
from ..questionnaire.translations import UN_LANGUAGES
from .download import put

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文",
                  "ar": "العربية"}
DONT_KNOW, NOT_APPLICABLE, VALUE = "dont_know", "not_applicable", "value"
#: Suffixes of the questions that follow an item's own question.
REASON, CONFIDENCE, EVIDENCE_TYPE, EVIDENCE_REFERENCE, COMMENT, STATUS = (
    "__reason", "__confidence", "__evidence_type", "__evidence_reference", "__comment", "__status")
EXTRA_SUFFIXES = (REASON, CONFIDENCE, EVIDENCE_TYPE, EVIDENCE_REFERENCE, COMMENT, STATUS)


def languages(questionnaire) -> list[str]:
    return [lang for lang in UN_LANGUAGES if lang == "en" or lang in questionnaire.title]


def column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES[lang]} ({lang})"


class _Texts:
    """Interface texts (don't know, the reason's question...) in every language at once."""

    def __init__(self, langs: list[str]):
        self.langs = langs

    def __call__(self, make) -> dict[str, str]:
        out = {}
        for lang in self.langs:
            with force_locale(lang):
                out[lang] = make()
        return out


def build(questionnaire, default_lang: str = "en") -> bytes:
    langs = languages(questionnaire)
    texts = _Texts(langs)
    survey: list[dict] = []
    choices: list[dict] = []
    common = _common_choices(texts, choices)
    for section in questionnaire.sections:
        survey.append({"type": "begin_group", "name": section.key, "label": section.title})
        for key in section.items:
            _item_rows(questionnaire.item_map[key], texts, survey, choices, common)
        survey.append({"type": "end_group", "name": section.key})
    wb = Workbook()
    wb.active.title = "survey"
    _sheet(wb.active, ["type", "name", "label", "hint", "required", "relevant", "constraint",
                       "constraint_message"], survey, langs)
    _sheet(wb.create_sheet("choices"), ["list_name", "name", "label"], choices, langs)
    settings = wb.create_sheet("settings")
    row = {"form_title": questionnaire.title.get(default_lang) or questionnaire.title["en"],
           "form_id": f"{questionnaire.id}-{questionnaire.version}".replace(".", "_"),
           "version": questionnaire.version,
           "default_language": f"{LANGUAGE_NAMES[default_lang]} ({default_lang})"}
    for col, (name, value) in enumerate(row.items(), start=1):
        put(settings, 1, col, name)
        put(settings, 2, col, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


TRANSLATED = ("label", "hint", "constraint_message")


def _sheet(ws, columns: list[str], rows: list[dict], langs: list[str]) -> None:
    header = [column(c, lang) if c in TRANSLATED else c for c in columns
              for lang in (langs if c in TRANSLATED else [None])]
    for col, name in enumerate(header, start=1):
        put(ws, 1, col, name)
    for r, row in enumerate(rows, start=2):
        values = []
        for c in columns:
            value = row.get(c)
            if c in TRANSLATED:
                values += [(value.get(lang) or value.get("en")) if value else None for lang in langs]
            else:
                values.append(value)
        for col, value in enumerate(values, start=1):
            if value not in (None, ""):
                put(ws, r, col, value)


def _common_choices(texts: _Texts, choices: list[dict]) -> dict[str, dict[str, str]]:
    for code in CONFIDENCE_LEVELS:
        choices.append({"list_name": "confidence", "name": code,
                        "label": texts(lambda c=code: confidence_labels()[c])})
    for code in EVIDENCE_TYPES:
        choices.append({"list_name": "evidence_type", "name": code,
                        "label": texts(lambda c=code: evidence_type_labels()[c])})
    return {DONT_KNOW: texts(lambda: _("Don't know")), NOT_APPLICABLE: texts(lambda: _("Not applicable"))}


def _specials(item, list_name: str, choices: list[dict], common) -> None:
    if item.scored and item.allow_dont_know:
        choices.append({"list_name": list_name, "name": DONT_KNOW, "label": common[DONT_KNOW]})
    if item.allow_na:
        choices.append({"list_name": list_name, "name": NOT_APPLICABLE, "label": common[NOT_APPLICABLE]})


def _item_rows(item, texts: _Texts, survey: list[dict], choices: list[dict], common) -> None:
    key, question = item.key, {"name": item.key, "label": item.prompt, "hint": item.guidance}
    special = (item.scored and item.allow_dont_know) or item.allow_na
    na_chosen = f"selected(${{{key}}}, '{NOT_APPLICABLE}')"
    if item.type in ("scale", "choice", "checklist"):
        list_name = f"{'lv' if item.type == 'scale' else 'op'}_{key}"
        for option in (item.levels if item.type == "scale" else item.options):
            name = str(option.level) if item.type == "scale" else option.code
            label = option.descriptor if item.type == "scale" else option.label
            choices.append({"list_name": list_name, "name": name,
                            "label": {lang: f"{name}: {text}" for lang, text in label.items()}
                            if item.type == "scale" else label})
        _specials(item, list_name, choices, common)
        kind = "select_multiple" if item.type == "checklist" else "select_one"
        question["type"] = f"{kind} {list_name}"
        if item.type == "checklist" and special:
            question["constraint"] = " and ".join(
                f"not(selected(., '{s}') and count-selected(.) > 1)" for s in (DONT_KNOW, NOT_APPLICABLE))
            question["constraint_message"] = texts(lambda: _("'Don't know' and 'not applicable' go alone."))
        survey.append(question)
    elif item.type == "number":
        if special:
            status = f"st_{key}"
            choices.append({"list_name": status, "name": VALUE, "label": texts(lambda: _("Give the number"))})
            _specials(item, status, choices, common)
            survey.append({"type": f"select_one {status}", "name": key + STATUS, "label": item.prompt,
                           "hint": item.guidance})
            question |= {"relevant": f"${{{key}{STATUS}}} = '{VALUE}'", "hint": None}
            na_chosen = f"${{{key}{STATUS}}} = '{NOT_APPLICABLE}'"
        low, high = _num(item.min), _num(item.max)
        unit = f" ({item.unit})" if item.unit else ""
        question |= {"type": "decimal", "label": {k: v + unit for k, v in item.prompt.items()},
                     "constraint": f". >= {low} and . <= {high}",
                     "constraint_message": texts(lambda: _("Enter a number from %(min)s to %(max)s.",
                                                           min=low, max=high))}
        survey.append(question)
    else:
        survey.append(question | {"type": "text"})
    _extras(item, texts, survey, na_chosen)


def _extras(item, texts: _Texts, survey: list[dict], na_chosen: str) -> None:
    key = item.key
    if item.allow_na:
        survey.append({"type": "text", "name": key + REASON, "relevant": na_chosen, "required": "yes",
                       "label": texts(lambda: _("Why does this question not apply?"))})
    survey.append({"type": "select_one confidence", "name": key + CONFIDENCE,
                   "label": texts(lambda: _("Confidence"))})
    survey.append({"type": "select_one evidence_type", "name": key + EVIDENCE_TYPE,
                   "label": texts(lambda: _("Evidence: type"))})
    survey.append({"type": "text", "name": key + EVIDENCE_REFERENCE,
                   "relevant": f"${{{key}{EVIDENCE_TYPE}}} != ''",
                   "label": texts(lambda: _("Evidence: reference or URL"))})
    survey.append({"type": "text", "name": key + COMMENT, "label": texts(lambda: _("Comment"))})


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
