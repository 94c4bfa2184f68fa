"""What a section page shows that differs from one request to the next, and how it is written.

A question's HTML is a skeleton made once per questionnaire version, language and page
(app/fragments.py, from the templates in ``templates/assessments/items``); every value that
depends on the request is a hole there. :class:`SectionState` holds those values for the
whole page: the form's data by field name, the evidence rows, the messages, the notices,
who answered and the reviewers' comments. ``FILLERS`` is the registry of the holes' kinds:
each filler writes one value as escaped ``Markup``, exactly as the template wrote it when it
rendered the form itself. ``QUIET`` says which kinds read one field of the state only: while
that field is empty (a page opened: no messages, often no notices or comments) they are
written into the skeleton once (``SectionState.quiet``); a blank evidence row is kept whole.

Two ways to the state: :func:`from_answers` (a page opened: the stored answers, without
building a WTForms form, which cost more than the rest of the page) and :func:`from_form`
(a page re-shown with what was posted, and its errors). tests/assessments/test_item_state.py checks
that both give the very data a WTForms form holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from flask_babel import get_translations
from markupsafe import Markup, escape
from wtforms.fields import BooleanField, FieldList, SelectFieldBase, SelectMultipleField

from ..http_input import parse_int
from ..i18n import N_
from ..questionnaire.answers import MAX_EVIDENCE
from . import fields
from .forms import SectionForm, evidence_notice

EMPTY = Markup("")
CHECKED, SELECTED, HIDDEN = Markup(" checked"), Markup(" selected"), Markup(" hidden")
ROW_FIELDS = ("type", "reference", "note", "remove")


#: The row a question's evidence is added in (as add_blank_evidence_rows adds it).
BLANK_ROW: Mapping[str, Any] = MappingProxyType({"type": None, "reference": None, "note": None, "remove": False})


class Labels:
    """Interface strings the fillers write, looked up once per request, when first needed.
    Keys are written ``N_("...")`` where they are used, so that extraction finds them."""

    def __init__(self) -> None:
        self._found: dict[str, str] = {}

    def __getitem__(self, msgid: str) -> Markup:
        if msgid not in self._found:
            self._found[msgid] = get_translations().ugettext(msgid)
        return Markup(self._found[msgid])  # a catalogue's text is trusted, as Jinja's _() does


@dataclass
class SectionState:
    values: dict[str, Any]                      # field name -> the data the form holds
    rows: dict[str, list[dict[str, Any]]]       # item key -> evidence rows (ROW_FIELDS)
    errors: dict[str, list[str]] = field(default_factory=dict)    # field name -> messages
    items_in_error: set[str] = field(default_factory=set)
    notices: dict[str, str] = field(default_factory=dict)         # item key -> evidence notice
    answered_by: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, organisation)
    comments: dict[str, Markup] = field(default_factory=dict)     # item key -> rendered box
    labels: Labels = field(default_factory=Labels)

    def quiet(self) -> frozenset[str]:
        """The kinds of hole this state fills as an empty state does (:data:`QUIET`): on a
        page opened without messages, comments or notices, most of them (app/fragments.py
        writes them into the skeleton once)."""
        return frozenset().union(*(kinds for name, kinds in QUIET.items() if not getattr(self, name)))

    def with_errors(self, errors) -> "SectionState":
        """Place the messages (:class:`~app.assessments.forms.FieldError`) by field."""
        for e in errors:
            self.errors.setdefault(e.field, []).append(e.message)
            self.items_in_error.add(e.item)
        return self

    def with_notices(self, questionnaire, section) -> "SectionState":
        """The evidence cap notice of each scale question, from the level and rows as shown."""
        for key in section.items:
            item = questionnaire.item_map[key]
            if item.type == "scale":
                notice = evidence_notice(questionnaire.rubric, _level(self.values.get(f"{key}-level")),
                                         self.typed_evidence(key), core=item.weight == "core")
                if notice:
                    self.notices[key] = notice
        return self

    def typed_evidence(self, key: str) -> list[dict[str, str]]:
        """The evidence rows as typed (those kept and filled in), for the cap notice."""
        return [{"type": row["type"], "reference": (row["reference"] or "").strip()}
                for row in self.rows.get(key, ()) if not row["remove"] and row["type"]
                and (row["reference"] or "").strip()]


def _level(raw: Any) -> int | None:
    return parse_int(raw, 0, 4)


# -- the state, from a form or from the stored answers ------------------------------------------

def from_form(form: SectionForm, section) -> SectionState:
    values = {name: f.data for name, f in form._fields.items() if f.type != "FieldList"}
    rows = {key: [{name: getattr(entry.form, name).data for name in ROW_FIELDS}
                  for entry in form[f"{key}-evidence"]] for key in section.items}
    return SectionState(values, rows)


def from_answers(form_class: type[SectionForm], questionnaire, section, answers: Mapping[str, dict],
                 fingerprints: Mapping[str, str]) -> SectionState:
    """The state a form of ``form_class`` built from ``answers`` (API shape) would hold."""
    values: dict[str, Any] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    coerce = _coercions(form_class)
    for key in section.items:
        item = questionnaire.item_map[key]
        data = fields.initial(item, answers.get(key))
        data[f"{key}-base"] = fingerprints.get(key, "")
        rows[key] = _rows(data.pop(f"{key}-evidence"))
        for name, convert in coerce[key]:
            values[name] = convert(data[name]) if name in data else convert(None)
    return SectionState(values, rows)


def _rows(entries: list[dict]) -> list[dict[str, Any]]:
    """The evidence rows, and the blank one at the end (as add_blank_evidence_rows adds it)."""
    rows = [{"type": _str_or_none(e.get("type")), "reference": e.get("reference"), "note": e.get("note"),
             "remove": bool(e.get("remove"))} for e in entries]
    if (not rows or not _blank(rows[-1])) and len(rows) < MAX_EVIDENCE + 1:
        rows.append(dict(BLANK_ROW))
    return rows


def _blank(row: Mapping[str, Any]) -> bool:
    return not ((row["type"] or "").strip() or (row["reference"] or "").strip() or (row["note"] or "").strip())


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _str_list(value: Any) -> list[str] | None:
    try:
        return [str(v) for v in value]
    except TypeError:
        return None


def _coercions(form_class: type[SectionForm]) -> dict[str, list[tuple[str, Callable]]]:
    """Item key -> (field name, how WTForms turns data into the field's data), per field of
    the class but the evidence list (kept on the class: one per edition)."""
    found = form_class.__dict__.get("_item_coercions")
    if found is None:
        found = {}
        for name, unbound in form_class._unbound_fields or _unbound(form_class):
            cls = unbound.field_class
            if name == "base_revision" or issubclass(cls, FieldList):
                continue
            convert = (_str_list if issubclass(cls, SelectMultipleField) else
                       _str_or_none if issubclass(cls, SelectFieldBase) else
                       bool if issubclass(cls, BooleanField) else _same)
            found.setdefault(name.rsplit("-", 1)[0], []).append((name, convert))
        form_class._item_coercions = found
    return found


def _unbound(form_class) -> list:
    return [(name, value) for name in dir(form_class) if not name.startswith("_")
            and hasattr(value := getattr(form_class, name), "_formfield")]


def _same(value: Any) -> Any:
    return value


# -- the fillers ------------------------------------------------------------------------------

class RowState(NamedTuple):
    index: int
    row: Mapping[str, Any]
    name: str                  # the row's field names' stem: "a1-evidence-0"
    section: SectionState      # its messages (a row's own: "a1-evidence-0-type")


def _value(s: SectionState, name: str) -> Markup:
    value = s.values.get(name)
    return escape(value) if value else EMPTY


def _described(s: SectionState, name: str, extra: str | None) -> Markup:
    error = s.errors.get(name)
    ids = [extra] if extra else []
    if error:
        ids.append(f"{name}-error")
    out = Markup(' aria-describedby="%s"') % " ".join(ids) if ids else EMPTY
    return out + Markup(' aria-invalid="true"') if error else out


def _error_text(s: SectionState, name: str) -> Markup:
    messages = s.errors.get(name)
    if not messages:
        return EMPTY
    return Markup('<span class="visually-hidden">%s</span> %s') % (s.labels[N_("Error:")], " ".join(messages))


def _notice_text(s: SectionState, key: str) -> Markup:
    notice = s.notices.get(key)
    if not notice:
        return EMPTY
    return Markup("<strong>%s</strong> %s") % (s.labels[N_("Evidence needed:")], notice)


def _answered_by(s: SectionState, key: str) -> Markup:
    who = s.answered_by.get(key)
    if who is None:
        return EMPTY
    line = s.labels[N_("Answered by %(name)s, %(org)s")] % {"name": who[0], "org": who[1]}
    return Markup('<p class="row-meta answered-by">%s</p>') % line


def _evidence_rows(s: SectionState, key: str, row: Any) -> Markup:
    """Each row from its skeleton ``row``; a blank one (the row to add evidence in, on every
    question) is, on a page without messages, the same for everyone at its position: filled
    once (Skeleton.fill_blank)."""
    keep = not s.errors
    return Markup("".join([
        row.fill_blank(FILLERS, RowState(i, r, f"{key}-evidence-{i}", s), i)
        if keep and r == BLANK_ROW and i < len(_ROW_NUMBERS) else
        row.fill(FILLERS, RowState(i, r, f"{key}-evidence-{i}", s)) for i, r in enumerate(s.rows.get(key, ()))]))


_ROW_NUMBERS = tuple(Markup(n) for n in range(MAX_EVIDENCE + 2))


def _row_number(n: int) -> Markup:
    return _ROW_NUMBERS[n] if 0 <= n < len(_ROW_NUMBERS) else Markup(n)


def _row_described(r: RowState, part: str) -> Markup:
    """A row's control with a message of its own (a reference without a type): linked to it
    and marked invalid; nothing at all otherwise, so the row is as it always was."""
    name = f"{r.name}-{part}"
    if not r.section.errors.get(name):
        return EMPTY
    return Markup(' aria-describedby="%s-error" aria-invalid="true"') % name


def _row_error(r: RowState, part: str) -> Markup:
    """The message beside a row's control (the page's script writes the same one)."""
    name = f"{r.name}-{part}"
    if not r.section.errors.get(name):
        return EMPTY
    return Markup('<p class="error-message" id="%s-error" data-error-for="%s">%s</p>') % (
        name, name, _error_text(r.section, name))


def _row_value(r: RowState, name: str) -> Markup:
    value = r.row[name]
    return escape(value) if value else EMPTY


FILLERS: dict[str, Callable[..., Markup]] = {
    "value": _value,
    "checked": lambda s, name, value: CHECKED if s.values.get(name) == value else EMPTY,
    "checked_in": lambda s, name, value: CHECKED if value in (s.values.get(name) or ()) else EMPTY,
    "selected": lambda s, name, value: SELECTED if s.values.get(name) == value else EMPTY,
    "clear_hidden": lambda s, name, values: EMPTY if s.values.get(name) in values else HIDDEN,
    "described": _described,
    "has_error": lambda s, name: Markup(" has-error") if s.errors.get(name) else EMPTY,
    "item_has_error": lambda s, key: Markup(" item-has-error") if key in s.items_in_error else EMPTY,
    "error_hidden": lambda s, name: EMPTY if s.errors.get(name) else HIDDEN,
    "error_text": _error_text,
    "notice_hidden": lambda s, key: EMPTY if s.notices.get(key) else HIDDEN,
    "notice_text": _notice_text,
    "answered_by": _answered_by,
    "reviewer_comments": lambda s, key: s.comments.get(key, EMPTY),
    "evidence_rows": _evidence_rows,
    # one evidence row (state: RowState)
    "row_index": lambda r: _row_number(r.index),
    "row_number": lambda r: _row_number(r.index + 1),
    "row_selected": lambda r, value: SELECTED if r.row["type"] == value else EMPTY,
    "row_value": _row_value,
    "row_checked": lambda r, name: CHECKED if r.row[name] else EMPTY,
    "row_described": _row_described,
    "row_error": _row_error,
}

#: The kinds of hole that read one field of the state only, by that field: while it is empty,
#: they write the same for every request (:meth:`SectionState.quiet`).
QUIET: dict[str, frozenset[str]] = {
    "errors": frozenset({"described", "has_error", "error_hidden", "error_text"}),
    "items_in_error": frozenset({"item_has_error"}),
    "notices": frozenset({"notice_hidden", "notice_text"}),
    "answered_by": frozenset({"answered_by"}),
    "comments": frozenset({"reviewer_comments"}),
}

#: The state they are written from.
BLANK = SectionState({}, {})
