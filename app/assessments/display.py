"""Plain-language summaries of answers, for conflict messages, change lists and the
read-only view. Pure: a definition and an answer in its API shape in, text out."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ..i18n import list_separator, paren, when
from ..display.labels import confidence_label, evidence_label  # noqa: F401  (evidence_label: for the templates)
from ..display.labels import questionnaire_name
from ..display.numbers import share


def is_unanswered(item, answer: dict[str, Any] | None) -> bool:
    """No value, no don't know, no N/A (evidence or a comment alone is not an answer)."""
    return not answer or not (answer.get("dont_know") or answer.get("not_applicable")
                              or answer.get(item.value_key) is not None)


def value_text(item, answer: dict[str, Any] | None, t, *, brief: bool = False) -> str:
    """The answer itself, in words: "Level 2: <descriptor>", an option label, ...: the
    item's type says its value (``brief``: on one short line, as in change lists)."""
    if is_unanswered(item, answer):
        return _("Not answered")
    if answer.get("dont_know"):
        return _("Don't know")
    if answer.get("not_applicable"):
        return _("Not applicable: %(reason)s", reason=answer.get("reason", ""))
    value = answer[item.value_key]
    return item.value_brief(value, t) if brief else item.value_words(value, t)


def short_value(item, answer: dict[str, Any] | None, t, limit: int = 90) -> str:
    """One line for change lists: the value, then how many evidence entries."""
    text = value_text(item, answer, t, brief=True)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    extras = []
    if answer and answer.get("evidence"):
        n = len(answer["evidence"])
        extras.append(_("%(n)s evidence entries", n=n) if n != 1 else _("1 evidence entry"))
    if answer and answer.get("confidence"):
        extras.append(_("confidence %(c)s", c=confidence_label(answer["confidence"])))
    if answer and answer.get("comment"):
        extras.append(_("comment"))
    return text + (paren(list_separator().join(extras)) if extras else "")


def describe_changes(questionnaire, changes: list[dict[str, Any]], t, me: int | None = None) -> list[dict[str, Any]]:
    """changes_since() rows, with the question and the old and new answers in words.  A
    change by ``me`` (the reader) was made in their other tab or session: said so, not as
    if by another person (issue 18)."""
    out = []
    for c in changes:
        item = questionnaire.item_map.get(c.get("item"))
        if item is None:
            continue
        mine = me is not None and c.get("by_id") == me
        out.append({
            "item": item.key, "prompt": t(item.prompt), "mine": mine,
            "by": _("you, in another tab or session") if mine else c.get("by") or _("someone"),
            "at": c.get("at"), "when": when(c.get("at")), "revision": c.get("revision"),
            "old": short_value(item, c.get("old"), t), "new": short_value(item, c.get("new"), t),
        })
    return out


def version_name(version) -> str:
    """An assessment's questionnaire version (its database row) as people read it: the
    definition's title in the page's language, with the version; the recorded English title
    when this server no longer loads that definition.  The id is data, not a name."""
    from ..questionnaire.catalog import catalog

    questionnaire = catalog().get(version.questionnaire_id, version.version)
    title = questionnaire.title if questionnaire else {"en": version.title or version.questionnaire_id}
    return questionnaire_name(title, version.version)


def percent_complete(progress: dict[str, Any]) -> int:
    """Completeness as a whole percent, rounded down (in integers, so no float error):
    99.6% shows as 99%, and 100% only when every scored question has an answer."""
    scored, answered = progress.get("scored") or 0, progress.get("answered") or 0
    return 100 if not scored else answered * 100 // scored


def completeness_text(progress: dict[str, Any]) -> str:
    """:func:`percent_complete` as the reader's locale writes a percentage (``99%``, ``99 %``)."""
    return share(percent_complete(progress) / 100, 0)


def progress_counts(progress: dict[str, Any]) -> dict[str, Any]:
    """The counts of ``operations.progress`` as plain JSON, for the section page's script
    to update its "X of Y answered" lines after an autosave."""
    return {"answered": progress["answered"], "scored": progress["scored"],
            "sections": [{"key": s["key"], "answered": s["answered"], "scored": s["scored"],
                          "state": s["state"]} for s in progress["sections"]]}


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated when shown."""
    return message


# The audit log's action codes, in words: action -> (with an item key, without one).
# An entry "prefix.*" covers every action of that prefix. Unknown actions get a generic label.
ACTION_LABELS: dict[str, tuple[str | None, str]] = {
    "answer.update": (N_("Answer to question %(key)s"), N_("Answer changed")),
    "assessment.create": (None, N_("Assessment created")),
    "assessment.submit": (None, N_("Submitted")),
    "assessment.copy": (None, N_("Answers copied from an earlier assessment")),
    "review.start": (None, N_("Review started")),
    "review.return": (None, N_("Returned for changes")),
    "review.accept": (None, N_("Accepted")),
    "comment.*": (N_("Comment on question %(key)s"), N_("Comment on the assessment")),
    "score.recompute": (None, N_("Score recomputed")),
    "answer.consensus": (N_("Consensus on question %(key)s"), N_("Consensus recorded")),
    "contributor.add": (None, N_("Sections given to a person")),
    "contributor.change": (None, N_("A person's sections changed")),
    "contributor.remove": (None, N_("A person's sections taken back")),
    "rating.update": (None, N_("An informant's ratings saved")),
}


def action_label(action: str | None, item_key: str | None = None) -> str:
    """A readable, translated label for an audit action code (never the code itself)."""
    action = action or ""
    labels = ACTION_LABELS.get(action) or ACTION_LABELS.get(action.partition(".")[0] + ".*")
    if labels is None:
        return _("Other change")
    with_key, without_key = labels
    if item_key and with_key:
        return _(with_key, key=item_key)
    return _(without_key)


def change_labels() -> dict[str, str]:
    """What a questionnaire version's crosswalk says of an item, in words."""
    return {"new": _("new"), "redefined": _("levels redefined"), "split": _("split"),
            "merged": _("merged"), "reworded": _("reworded"), "renamed": _("renamed"),
            "same": _("unchanged"), "retired": _("retired")}


def item_changes(catalog, questionnaire) -> dict[str, str]:
    """Item key -> what changed since the previous version, in words, for the items a
    respondent should read afresh (new, redefined, split, merged); empty for a first version."""
    walk = catalog.crosswalk_into(questionnaire)
    if walk is None:
        return {}
    labels = change_labels()
    shown = ("new", "redefined", "split", "merged")
    changes = {key: walk.change_of_new_key(key) for key in questionnaire.item_map}
    return {key: labels[change] for key, change in changes.items() if change in shown}
