"""Pages behind the links sent by mail: an invited person chooses their password, anyone
asks for and uses a password reset link.  A refused link (expired, used, tampered) gets a
page that says which and what to do."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale, gettext as _
from flask_login import login_user

from .. import mail
from ..i18n import locale_code
from ..models import User
from ..models._common import utcnow
from . import bp, links, operations as ops, queries
from .forms import ForgotPasswordForm, SetPasswordForm


def _refused(reason: str, purpose: str):
    return (render_template("auth/link_refused.html", reason=reason, purpose=purpose),
            400 if reason == "invalid" else 410)


def _set_password_page(token: str, purpose: str):
    try:
        user = links.user_for_token(token, purpose)
    except links.LinkRefused as exc:
        return _refused(exc.reason, purpose)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            ops.check_new_password(form.new_password.data, user.email)
        except ops.WeakPassword as exc:
            form.new_password.errors.append(str(exc))
        else:
            ops.set_password_from_link(user, form.new_password.data, purpose)
            login_user(user)
            flash(_("Your password is set. You are signed in."), "success")
            return redirect(url_for("contributors.tasks"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    return _set_password_page(token, "invitation")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_with_link(token: str):
    return _set_password_page(token, "reset")


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """The same answer whether the email has an account or not (it tells nobody which
    addresses have one); the link goes to the address itself."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = queries.user_with_email(ops.normalise_email(form.email.data))
        if user is not None and user.active and _resets_sent(user) < RESETS_PER_HOUR:
            send_reset(user)
            ops.record_reset_link_sent(user)
        flash(_("If an account has this address, a link to choose a new password is on its way. "
                "It works once, within an hour."), "info")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/forgot_password.html", form=form), 422 if form.errors else 200


#: Reset links mailed to one address within an hour: beyond, asking again sends nothing (the
#: page says the same), so nobody can fill someone's mailbox from the sign-in page.
RESETS_PER_HOUR = 3


def _resets_sent(user: User) -> int:
    return queries.audited_action_count(user, ops.RESET_LINK_SENT, utcnow() - timedelta(hours=1))


def send_reset(user: User) -> bool:
    """The link in the account's language, else the page's: someone who never chose one and
    asks from a French sign-in page reads French (the mail went out in English)."""
    link = links.link_for(user, "reset")
    with force_locale(user.locale or locale_code()):
        return mail.send(user.email, _("Choose a new password"), _(
            "Someone (we hope you) asked to choose a new password for %(email)s.\n\n"
            "Open this link to choose it. It works once, within an hour:\n%(link)s\n\n"
            "If you did not ask, ignore this mail: your password stays as it is.",
            email=user.email, link=link))
