"""Mails to contributors, in each recipient's language (else the sender's): the invitation
(with the link to choose a password for a new account), and reminders of what is left."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext as _

from .. import mail
from ..auth import links
from ..i18n import locale_code
from ..models import Assessment, Contributor
from . import progress


def _url(endpoint: str, **values) -> str:
    """An absolute link for a mail, also outside a request (a command, a job)."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context():
        return url_for(endpoint, _external=True, **values)


def role_label(role: str) -> str:
    return {"contributor": _("contributor"), "informant": _("informant"), "reader": _("reader")}.get(role, role)


def role_sentence(role: str) -> str:
    """"You are a/an ...": one whole sentence per role, since the article (and in other
    languages the grammar) depends on it."""
    return {"contributor": _("You are a contributor"), "informant": _("You are an informant"),
            "reader": _("You are a reader")}.get(role, role)


def _sections_text(assessment: Assessment, row: Contributor) -> str:
    from ..assessments import store
    from ..assessments.forms import translator

    t = translator()
    return "\n".join(f"- {t(s.title)}" for s in store.questionnaire_of(assessment).sections if s.key in row.sections)


def _language_of(user) -> str:
    """The recipient's own language, else the sender's (the one this request is in): someone
    just invited, or a colleague who never chose one, most likely reads what their
    inviter writes in (a Russian ministry's invitation went out in English)."""
    return user.locale or locale_code()


def invited(assessment: Assessment, row: Contributor, new_account: bool) -> bool:
    user = row.user
    with force_locale(_language_of(user)):
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
                           link=_url("contributors.tasks")))
        return mail.send(user.email, _("Invitation: %(title)s", title=assessment.title), "\n\n".join(lines))


def remind(assessment: Assessment, row: Contributor) -> bool:
    user = row.user
    left = progress.person_progress(assessment, row)["left"]
    with force_locale(_language_of(user)):
        lines = [_("A reminder from %(org)s about the assessment \"%(title)s\": %(left)s questions of your "
                   "sections have no answer yet.", org=assessment.organisation.name, title=assessment.title,
                   left=left), _sections_text(assessment, row)]
        if row.due_date:
            lines.append(_("Due by %(date)s.", date=row.due_date.isoformat()))
        lines.append(_url("contributors.tasks"))
        return mail.send(user.email, _("Reminder: %(title)s", title=assessment.title), "\n\n".join(lines))


def returned(assessment: Assessment, reason: str) -> None:
    """A reviewer returned the assessment: its author, whoever submitted it and the
    contributors learn why by mail (each in their language), with the link to it."""
    from .queries import users_to_tell_of_return

    for user in users_to_tell_of_return(assessment):
        # Their own language, else the reviewer's: the one the reason is written in.
        with force_locale(_language_of(user)):
            mail.send(user.email, _("Returned for changes: %(title)s", title=assessment.title), "\n\n".join([
                _("A reviewer returned the assessment \"%(title)s\" for changes. The reason:",
                  title=assessment.title), reason,
                _url("assessments.overview", assessment_id=assessment.id)]))
