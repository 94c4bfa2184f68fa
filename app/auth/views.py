"""Sign in and out, API tokens, and user administration."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, Organisation, User
from . import bp, operations as ops
from .forms import EmptyForm, LanguageForm, LoginForm, TokenForm, UserForm, org_kind_label
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
            if user is None:
                db.session.commit()  # keep the recorded failure
                form.password.errors.append(_("Email or password is not correct."))
                status = 401
            else:
                db.session.commit()
                login_user(user, remember=form.remember.data)
                return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = ops.issue_token(current_user, form.name.data or "")
        db.session.commit()
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    language_form = LanguageForm(formdata=None, language=current_user.locale or "")
    return render_template("auth/account.html", form=form, tokens=tokens, new_token=new_token,
                           revoke_form=EmptyForm(),
                           language_form=language_form.set_choices(current_app.config["LANGUAGES"]))


@bp.route("/account/language", methods=["POST"])
@login_required
def set_language():
    """The user's language for pages and reports ("" = follow the browser)."""
    form = LanguageForm().set_choices(current_app.config["LANGUAGES"])
    if not form.validate_on_submit():
        flash(_("Choose one of the languages offered."), "error")
        return redirect(url_for("auth.account"), 303)
    ops.set_locale(current_user, form.language.data or None)
    db.session.commit()
    # Said in the language just chosen (this request still runs in the previous one).
    with force_locale(form.language.data or str(get_locale() or "en")):
        flash(_("Language saved."), "success")
    return redirect(url_for("auth.account"), 303)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    form = EmptyForm()
    if not form.validate_on_submit() or not ops.revoke_token(current_user, token_id):
        abort(404)
    db.session.commit()
    flash(_("The token is revoked."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def users():
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)
    form = UserForm()
    if form.validate_on_submit():
        existing = db.session.scalar(select(Organisation).where(
            Organisation.name == form.organisation.data.strip()))
        if existing is not None and existing.kind != form.org_kind.data:
            # Never change an organisation's kind silently through a new user.
            form.org_kind.errors.append(_(
                "%(org)s already exists as kind '%(kind)s'. Choose that kind, or another name for a "
                "new organisation.", org=existing.name, kind=org_kind_label(existing.kind)))
            return _users_page(form, 422)
        try:
            org = ops.get_or_create_organisation(form.organisation.data.strip(), form.org_kind.data)
            ops.create_user(form.email.data, form.password.data, org, form.role.data, form.name.data or "")
        except ops.AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("User %(email)s created.", email=form.email.data), "success")
            return redirect(url_for("auth.users"))
    return _users_page(form, 422 if form.errors else 200)


def _users_page(form: UserForm, status: int):
    return render_template("auth/users.html", form=form, users=_all_users(), toggle_form=EmptyForm(),
                           kind_label=org_kind_label), status


def _all_users():
    return db.session.scalars(select(User).join(Organisation).order_by(Organisation.name, User.email)).all()


@bp.route("/admin/users/<int:user_id>/toggle", methods=["POST"])
@login_required
def toggle_user(user_id: int):
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)
    user = db.session.get(User, user_id)
    if user is None or not EmptyForm().validate_on_submit():
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        user.active = not user.active
        db.session.commit()
    return redirect(url_for("auth.users"))
