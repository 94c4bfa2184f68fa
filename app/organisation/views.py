"""The organisation's logo, for its scorecards and gap reports: a small page and its form.

``GET /organisation/logo`` shows the current logo and the upload form; ``POST`` uploads a PNG
or an SVG (at most ``MAX_LOGO_BYTES``); ``POST /organisation/logo/remove`` removes it.  The
respondents of an organisation (and its administrators) manage its logo; reviewers do not.
Every upload is checked and cleaned by :func:`app.reports.logo.sanitise_logo` (PNG re-encoded,
SVG rebuilt from an allow-list) and recorded in the audit log (:mod:`.operations`).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from app.reports.context import logo_data_url
from app.reports.logo import LogoError, sanitise_logo

from ..auth.policy import Action, can
from ..auth.queries import organisation_by_id
from ..errors import TOO_LARGE_MESSAGES
from ..models import Organisation
from . import bp, operations as ops


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo file (PNG or SVG)"), validators=[FileRequired(_l("Choose a file."))],
                     render_kw={"accept": ".png,.svg,image/png,image/svg+xml"})
    submit = SubmitField(_l("Upload logo"))


class RemoveLogoForm(FlaskForm):
    submit = SubmitField(_l("Remove logo"))


def _organisation() -> Organisation:
    """The current user's organisation, if they may manage its logo (else 403)."""
    if not can(current_user, Action.MANAGE_LOGO):
        abort(403)
    return organisation_by_id(current_user.organisation_id)


def _page(org: Organisation, form: LogoForm, status: int = 200):
    preview = logo_data_url({"mime": org.logo_mime, "data": org.logo}) if org.logo else None
    return render_template("organisation/logo.html", organisation=org, form=form,
                           remove_form=RemoveLogoForm(), preview=preview,
                           max_kb=current_app.config["MAX_LOGO_BYTES"] // 1024), status


@bp.get("/organisation/logo")
@login_required
def logo():
    return _page(_organisation(), LogoForm())


@bp.post("/organisation/logo")
@login_required
def logo_upload():
    org = _organisation()
    form = LogoForm()
    if not form.validate_on_submit():
        return _page(org, form, 400)
    limit = current_app.config["MAX_LOGO_BYTES"]
    raw = form.logo.data.stream.read(limit + 1)
    try:
        if len(raw) > limit:
            raise LogoError(_("The logo is too large: at most %(kb)d KB.", kb=limit // 1024))
        data, mime = sanitise_logo(raw, limit)
    except LogoError as exc:
        form.logo.errors.append(str(exc))
        return _page(org, form, 413 if len(raw) > limit else 422)
    ops.set_logo(org, current_user, data, mime)
    flash(_("The logo is saved; it appears on your organisation's scorecards and reports."), "success")
    return redirect(url_for(".logo"))


@bp.post("/organisation/logo/remove")
@login_required
def logo_remove():
    org = _organisation()
    if RemoveLogoForm().validate_on_submit() and ops.remove_logo(org, current_user):
        flash(_("The logo is removed."), "info")
    return redirect(url_for(".logo"))


def _logo_too_large() -> str:
    return _("The logo is too large: at most %(kb)d KB. Nothing was saved.",
             kb=current_app.config["MAX_LOGO_BYTES"] // 1024)


# A file over the request limit never reaches the view: the error handler sends the user
# back to this page with this message (errors.TOO_LARGE_MESSAGES).
TOO_LARGE_MESSAGES["organisation.logo_upload"] = _logo_too_large
