"""Key messages: what the organisation wants a reader to take away, a short list of plain
texts stored with the assessment and shown on the scorecard, at the start of the gap report
and on the results page.

One parser for the page and the API (:func:`parse`), one save (app.shadow.operations
``save_key_messages``), allowed to whoever may edit the assessment (the policy's ``EDIT``).
Texts are kept as typed apart from their blanks: each is one paragraph (line breaks and
control characters become single spaces, so a text reads the same on a page and in a PDF);
templates escape them.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import ApiError
from ..i18n import translate as _
from ..models import Assessment

MAX_MESSAGES = 5
MAX_LENGTH = 300

_BLANKS = re.compile(r"\s+")


def tidy(text: str) -> str:
    """One paragraph: control characters and runs of blanks become one space, trimmed."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _BLANKS.sub(" ", text).strip()


def parse(value: Any) -> list[str]:
    """The key messages of ``value`` (a list of texts; empty ones are dropped), or an
    :class:`ApiError` 422 naming each text that is not one or is too long."""
    if not isinstance(value, list):
        raise ApiError(422, _("Key messages must be a list of texts."),
                       {"key_messages": "a list of at most %d texts" % MAX_MESSAGES})
    problems: dict[str, str] = {}
    messages: list[str] = []
    for index, text in enumerate(value):
        if not isinstance(text, str):
            problems[f"key_messages[{index}]"] = "not a text"
            continue
        text = tidy(text)
        if len(text) > MAX_LENGTH:
            problems[f"key_messages[{index}]"] = _(
                "%(count)s characters: at most %(limit)s", count=len(text), limit=MAX_LENGTH)
        elif text:
            messages.append(text)
    if len(messages) > MAX_MESSAGES:
        problems["key_messages"] = _("%(count)s key messages: at most %(limit)s",
                                     count=len(messages), limit=MAX_MESSAGES)
    if problems:
        raise ApiError(422, _("The key messages were not saved: %(problems)s",
                              problems="; ".join(problems.values())), problems)
    return messages


def texts(stored: Any) -> list[str]:
    """Key messages as stored (a list of texts, whatever the column holds)."""
    return [m for m in stored if isinstance(m, str)] if isinstance(stored, list) else []


def of(assessment: Assessment) -> list[str]:
    """The assessment's own key messages (its working copy: what its organisation sees;
    what others see is app.assessments.seen.key_messages_seen)."""
    return texts(assessment.key_messages)
