"""Every code a person reads as a word, one wording per code: assessment statuses, answer
statuses, evidence types, confidence, bands, weight classes, organisation kinds.

The tables hold the English wording, marked for extraction; :func:`label` translates at the
moment of use (so that a module-level table serves every request's language, and forms can
build lazy choices from it).  Unknown codes read as themselves, made readable.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from ..i18n import N_, localize, translate as _, translate_plural

#: An assessment's status (pages, review, reports, messages).
STATUS = {"draft": N_("Draft"), "submitted": N_("Submitted"), "in_review": N_("In review"),
          "returned": N_("Returned for changes"), "accepted": N_("Accepted")}
#: How a question stands in a score (results page, PDF, gap list).
ANSWER_STATUS = {"answered": N_("Answered"), "dont_know": N_("Don't know"),
                 "not_applicable": N_("Not applicable"), "unanswered": N_("Not answered yet")}
#: The same in a comparison's narrow cells, where a level would stand.
ANSWER_STATUS_SHORT = {"dont_know": N_("don't know"), "not_applicable": N_("N/A"),
                       "unanswered": N_("no answer")}
#: Evidence types, as shown beside an answer and in the rubric's rules.
EVIDENCE = {"law": N_("Law"), "policy": N_("Policy"), "budget": N_("Budget"), "data": N_("Data"),
            "evaluation": N_("Evaluation"), "expert_judgement": N_("Expert judgement"),
            "other": N_("Other")}
#: The same types described for the person choosing one (the answer form's picker only).
EVIDENCE_CHOICES = {"law": N_("Law or regulation"), "policy": N_("Policy, plan or strategy"),
                    "budget": N_("Budget line or expenditure"), "data": N_("Data or statistics"),
                    "evaluation": N_("Evaluation or audit"), "expert_judgement": N_("Expert judgement"),
                    "other": N_("Other document")}
CONFIDENCE = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
#: Band names when a rubric gives none in the reader's language.
BAND = {"absent": N_("Absent"), "initiating": N_("Initiating"), "developing": N_("Developing"),
        "established": N_("Established"), "sustained": N_("Sustained")}
WEIGHT = {"core": N_("Core"), "important": N_("Important"), "supplementary": N_("Supplementary")}
#: Organisation kinds (``app.models.ORG_KINDS``), wherever one is shown or chosen.
ORGANISATION_KIND = {"government": N_("Government"), "ngo": N_("Non-governmental organisation"),
                     "other": N_("Other")}
#: An empty checklist, wherever its answer is written out.
NONE_SELECTED = N_("None selected")
NO_BAND = N_("No band")

# An area title's own letter as each translation writes it: "(a) ", "a) ", "(أ) ", "(هـ) ".
_AREA_PREFIX = re.compile(r"^\s*\(?[^()\s]{1,3}\)\s+")


def bare_title(title: str) -> str:
    """An area title without its own letter, in any script (the pages, charts and reports
    write "(a) " themselves: never "(a) a) Connaissances")."""
    return _AREA_PREFIX.sub("", title or "").strip()


def coded_title(code: str, title: str | None) -> str:
    """``(a) Title`` from a translated area title, whatever letter the translation carries."""
    bare = bare_title(title or "")
    return f"({code}) {bare}" if bare else f"({code})"


def label(table: Mapping[str, str], code: str | None, default: str | None = None) -> str:
    """The translated word for ``code`` in ``table``; ``default`` (or the code made readable,
    "custom_band" -> "Custom band") when the table has none; "" for no code."""
    if not code:
        return "" if default is None else default
    text = table.get(code)
    if text is None:
        return default if default is not None else code.replace("_", " ").capitalize()
    return _(text)


def labels(table: Mapping[str, str]) -> dict[str, str]:
    """The whole table translated (for choices and for pages that look codes up often)."""
    return {code: _(text) for code, text in table.items()}


def lazy_labels(table: Mapping[str, str]) -> dict[str, Any]:
    """The table as lazy strings, translated when rendered (form choices built at import)."""
    from flask_babel import lazy_gettext

    return {code: lazy_gettext(text) for code, text in table.items()}


def status_label(status: str | None) -> str:
    return label(STATUS, status, status or "")


def evidence_label(code: str | None) -> str:
    return label(EVIDENCE, code, code or "")


def confidence_label(code: str | None) -> str:
    return label(CONFIDENCE, code, "")


def weight_label(code: str | None) -> str:
    return label(WEIGHT, code, code or "")


def organisation_kind_label(code: str | None) -> str:
    return label(ORGANISATION_KIND, code, code or "")


def questionnaire_name(title: Mapping[str, str] | None, version: str, lang: str | None = None) -> str:
    """A questionnaire as people read it: its title in ``lang`` (the current language when
    none) with its version, "Prevention readiness assessment ..., version 1.1".  Never its id,
    ``prevention-readiness``, which is data (API, exports, XLSForm), not a name."""
    return _("%(title)s, version %(version)s", title=localize(title, lang), version=version)


def none_selected() -> str:
    return _(NONE_SELECTED)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ``ngettext`` (same name, so that extraction finds the calls); the English
    text outside an app context (pure code, tests): :func:`app.i18n.translate_plural`."""
    return translate_plural(singular, plural, num, **variables)
