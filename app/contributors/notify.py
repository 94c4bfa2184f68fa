"""Mails to contributors, in each recipient's language: the invitation (with the link to
choose a password for a new account), and reminders of what is left."""
from __future__ import annotations

from flask import url_for
from flask_babel import force_locale, gettext as _

from .. import mail
from ..auth import links
from ..models import Assessment, Contributor
from . import progress


def role_label(role: str) -> str:
    return {"contributor": _("contributor"), "informant": _("informant"), "reader": _("reader")}.get(role, role)


def _sections_text(assessment: Assessment, row: Contributor) -> str:
    from ..assessments import store
    from ..assessments.forms import translator

    t = translator()
    return "\n".join(f"- {t(s.title)}" for s in store.questionnaire_of(assessment).sections if s.key in row.sections)


def invited(assessment: Assessment, row: Contributor, new_account: bool) -> bool:
    user = row.user
    with force_locale(user.locale or "en"):
        lines = [_("%(org)s asks you to work on the assessment \"%(title)s\" as %(role)s, on these sections:",
                   org=assessment.organisation.name, title=assessment.title, role=role_label(row.role)),
                 _sections_text(assessment, row)]
        if row.due_date:
            lines.append(_("Due by %(date)s.", date=row.due_date.isoformat()))
        if new_account:
            lines.append(_("Choose your password with this link (it works once, within 14 days), then "
                           "sign in with %(email)s:\n%(link)s", email=user.email,
                           link=links.link_for(user, "invitation")))
        else:
            lines.append(_("Sign in as %(email)s and open your tasks:\n%(link)s", email=user.email,
                           link=url_for("contributors.tasks", _external=True)))
        return mail.send(user.email, _("Invitation: %(title)s", title=assessment.title), "\n\n".join(lines))


def remind(assessment: Assessment, row: Contributor) -> bool:
    user = row.user
    left = progress.person_progress(assessment, row)["left"]
    with force_locale(user.locale or "en"):
        lines = [_("A reminder from %(org)s about the assessment \"%(title)s\": %(left)s questions of your "
                   "sections have no answer yet.", org=assessment.organisation.name, title=assessment.title,
                   left=left), _sections_text(assessment, row)]
        if row.due_date:
            lines.append(_("Due by %(date)s.", date=row.due_date.isoformat()))
        lines.append(url_for("contributors.tasks", _external=True))
        return mail.send(user.email, _("Reminder: %(title)s", title=assessment.title), "\n\n".join(lines))
