"""Plain-language summaries of answers, for conflict messages, change lists and the
read-only view. Pure: a definition and an answer in its API shape in, text out."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask_babel import gettext as _

from .fields import confidence_labels, evidence_type_labels


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def value_text(item, answer: dict[str, Any] | None, t) -> str:
    """The answer itself, in words: "Level 2: <descriptor>", an option label, ..."""
    if not answer:
        return _("Not answered")
    if answer.get("dont_know"):
        return _("Don't know")
    if answer.get("not_applicable"):
        return _("Not applicable: %(reason)s", reason=answer.get("reason", ""))
    value = answer.get(item.value_key)
    if value is None:
        return _("Not answered")
    if item.type == "scale":
        try:
            return _("Level %(level)s: %(descriptor)s", level=value,
                     descriptor=t(item.levels[int(value)].descriptor))
        except (IndexError, TypeError, ValueError):
            return str(value)
    if item.type == "choice":
        labels = {o.code: t(o.label) for o in item.options}
        return labels.get(value, str(value))
    if item.type == "checklist":
        labels = {o.code: t(o.label) for o in item.options}
        return "; ".join(labels.get(c, str(c)) for c in value) if value else _("None of these")
    if item.type == "number":
        unit = f" {item.unit}" if item.unit else ""
        return f"{_fmt_number(value)}{unit}"
    return str(value)


def short_value(item, answer: dict[str, Any] | None, t, limit: int = 90) -> str:
    """One line for change lists: the value, then how many evidence entries."""
    text = value_text(item, answer, t)
    if item.type == "scale" and answer and answer.get("level") is not None:
        text = _("Level %(level)s", level=answer["level"])
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    extras = []
    if answer and answer.get("evidence"):
        n = len(answer["evidence"])
        extras.append(_("%(n)s evidence entries", n=n) if n != 1 else _("1 evidence entry"))
    if answer and answer.get("confidence"):
        extras.append(_("confidence %(c)s", c=confidence_labels().get(answer["confidence"], "")))
    if answer and answer.get("comment"):
        extras.append(_("comment"))
    return text + (f" ({', '.join(extras)})" if extras else "")


def describe_changes(questionnaire, changes: list[dict[str, Any]], t) -> list[dict[str, Any]]:
    """changes_since() rows, with the question and the old and new answers in words."""
    out = []
    for c in changes:
        item = questionnaire.item_map.get(c.get("item"))
        if item is None:
            continue
        out.append({
            "item": item.key, "prompt": t(item.prompt), "by": c.get("by") or _("someone"),
            "at": c.get("at"), "when": when(c.get("at")), "revision": c.get("revision"),
            "old": short_value(item, c.get("old"), t), "new": short_value(item, c.get("new"), t),
        })
    return out


def when(value: Any) -> str:
    """A UTC time people read: '3 May 2026, 14:02 UTC'."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return f"{value.day} {value.strftime('%b %Y, %H:%M')} UTC"


def evidence_label(code: str) -> str:
    return evidence_type_labels().get(code, code)
