"""Sign in and out, API tokens, and user administration."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import timezones
from ..transaction import attempt
from . import bp, operations as ops, queries
from .admin import ID, users_page
from .forms import EmptyForm, LanguageForm, LoginForm, PasswordChangeForm, TimeZoneForm, TokenForm
from .policy import Action, can


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        if ops.login_locked(form.email.data, request.remote_addr or ""):
            form.email.errors.append(_("Too many failed attempts. Wait 15 minutes and try again."))
            status = 429
        else:
            user = ops.authenticate(form.email.data, form.password.data, request.remote_addr or "")
            if user is None:  # the failure is recorded: the request commits it with this page
                form.password.errors.append(_("Email or password is not correct."))
                status = 401
            else:
                login_user(user, remember=form.remember.data)
                if user.password_change_required:
                    return redirect(url_for("auth.account", _anchor="password"))
                return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        # Ends this session and every other one of the user's, remember-me cookies included:
        # a cookie copied before logout must not keep working.
        ops.end_sessions(current_user)
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


#: What a user who must replace a temporary password may still reach (GET /account too).
_WHILE_PASSWORD_CHANGE_REQUIRED = {"auth.change_password", "auth.logout", "static", "main.health"}


@bp.before_app_request
def require_password_change():
    """After an administrator's reset, the temporary password opens only the page to
    choose a new one (API tokens, being separate credentials, are not held up)."""
    if (request.endpoint in _WHILE_PASSWORD_CHANGE_REQUIRED
            or (request.endpoint == "auth.account" and request.method == "GET")
            or not current_user.is_authenticated or g.get("token_auth")
            or not current_user.password_change_required):
        return None
    from ..errors import json_error, wants_json

    message = _("Choose a new password to replace the temporary one before you continue.")
    if wants_json():
        return json_error(403, message)
    flash(message, "info")
    return redirect(url_for("auth.account", _anchor="password"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = ops.issue_token(current_user, form.name.data or "")
    return _account_page(form=form, new_token=new_token)


def _account_page(status: int = 200, **forms):
    tokens = queries.tokens_of(current_user)
    language_form = LanguageForm(formdata=None, language=current_user.locale or "")
    context = {"form": TokenForm(formdata=None), "new_token": None, "time_zone_form": _time_zone_form(formdata=None),
               "password_form": PasswordChangeForm(formdata=None)} | forms
    response = make_response(render_template(
        "auth/account.html", tokens=tokens, revoke_form=EmptyForm(), reader_zone=timezones.reader_zone,
        language_form=language_form.set_choices(current_app.config["LANGUAGES"]), **context), status)
    if context["new_token"]:
        response.headers["Cache-Control"] = "no-store"  # a token shown once is not kept by caches
    return response


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    """The user's own password change.  Every other session of theirs ends; this browser
    stays signed in under the new session generation."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with attempt(ops.AccountError) as outcome:
            ops.change_password(current_user, form.current_password.data, form.new_password.data)
        if isinstance(outcome.refused, ops.WeakPassword):
            form.new_password.errors.append(str(outcome.refused))
        elif outcome.refused is not None:
            form.current_password.errors.append(str(outcome.refused))
        else:
            # Keep "stay signed in" if this browser had it: the old remember-me cookie is
            # refused now, so a new one is issued.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password is changed. You were signed out on every other device."), "success")
            return redirect(url_for("auth.account"), 303)
    return _account_page(422, password_form=form)


@bp.route("/account/language", methods=["POST"])
@login_required
def set_language():
    """The user's language for pages and reports ("" = follow the browser)."""
    form = LanguageForm().set_choices(current_app.config["LANGUAGES"])
    if not form.validate_on_submit():
        flash(_("Choose one of the languages offered."), "error")
        return redirect(url_for("auth.account"), 303)
    ops.set_locale(current_user, form.language.data or None)
    # Said in the language just chosen (this request still runs in the previous one).
    with force_locale(form.language.data or str(get_locale() or "en")):
        flash(_("Language saved."), "success")
    return redirect(url_for("auth.account"), 303)


def _time_zone_form(**kwargs) -> TimeZoneForm:
    browser = request.cookies.get(timezones.COOKIE, "")
    form = TimeZoneForm(time_zone=current_user.time_zone or "", **kwargs)
    return form.set_choices(timezones.names(), browser if timezones.valid(browser) else timezones.UTC)


@bp.route("/account/time-zone", methods=["POST"])
@login_required
def set_time_zone():
    """The zone times are shown in ("" = the browser's, else UTC)."""
    form = _time_zone_form()
    if not form.validate_on_submit():
        flash(_("Choose one of the time zones offered."), "error")
        return redirect(url_for("auth.account"), 303)
    ops.set_time_zone(current_user, form.time_zone.data or None)
    flash(_("Time zone saved: times are now shown in %(zone)s.", zone=timezones.reader_zone()), "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/account/tokens/<int(max=2147483647):token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    form = EmptyForm()
    if not form.validate_on_submit() or not ops.revoke_token(current_user, token_id):
        abort(404)
    flash(_("The token is revoked."), "info")
    return redirect(url_for("auth.account"))


@bp.route(f"/admin/users/<{ID}:user_id>/toggle", methods=["POST"])
@login_required
def toggle_user(user_id: int):
    """Activate or deactivate; deactivation ends the user's sessions for good."""
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)
    user = queries.user_by_id(user_id)
    if user is None or not EmptyForm().validate_on_submit():
        abort(404)
    # The confirmation page says which state it saw: a second administrator's click in
    # between must not turn "deactivate" into "activate".
    if request.form.get("was_active") in ("0", "1") and request.form["was_active"] != str(int(user.active)):
        flash(_("The account was changed by someone else meanwhile; nothing was done."), "info")
        return redirect(url_for("auth.users"), 303)
    with attempt(ops.AccountError) as outcome:
        ops.set_active(current_user, user, not user.active)
    if outcome.refused is not None:
        flash(str(outcome.refused), "error")
    return redirect(url_for("auth.users"))


@bp.route(f"/admin/users/<{ID}:user_id>/reset-password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """An administrator's reset: a generated temporary password, shown once on the page
    that answers (never put in the session's flash messages, which live in a cookie); the
    user must replace it at their next sign-in, and their sessions end now."""
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)
    user = queries.user_by_id(user_id)
    if user is None or not EmptyForm().validate_on_submit():
        abort(404)
    with attempt(ops.AccountError) as outcome:
        temporary = ops.reset_password(current_user, user)
    if outcome.refused is not None:
        flash(str(outcome.refused), "error")
        return redirect(url_for("auth.users"), 303)
    return users_page(reset={"email": user.email, "password": temporary})
