"""The administrator's pages: users (create, change role and organisation), the explicit,
confirmed creation of an organisation (issue 18: a typed organisation name made a second
organisation by accident), and the list of organisations with their users and assessments,
where one is renamed (an invitation names a new organisation after an address's domain).

Every page asks the policy first (``MANAGE_USERS``); the assessments counted are those the
policy's ``visibility_clause`` lets the administrator see (another organisation's drafts are
not theirs to know of, not even as a number)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..transaction import attempt
from . import bp, operations as ops, queries
from .forms import EditUserForm, EmptyForm, OrganisationForm, RenameOrganisationForm, UserForm, org_kind_label
from .policy import Action, can, visibility_clause

#: Ids in paths: ASCII digits that fit the 32-bit id columns (larger ones: 404, not a
#: database overflow).
ID = "int(max=2147483647)"


def _require_admin() -> None:
    if not can(current_user, Action.MANAGE_USERS):
        abort(403)


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def users():
    _require_admin()
    form = UserForm().set_organisations(queries.organisations_by_name())
    if form.validate_on_submit():
        with attempt(ops.AccountError) as outcome:
            ops.create_user(form.email.data, form.password.data, queries.organisation_by_id(form.organisation.data),
                            form.role.data, form.name.data or "")
        if isinstance(outcome.refused, ops.WeakPassword):
            form.password.errors.append(str(outcome.refused))
        elif outcome.refused is not None:
            form.email.errors.append(str(outcome.refused))
        else:
            flash(_("User %(email)s created.", email=form.email.data), "success")
            return redirect(url_for("auth.users"))
    return users_page(form, 422 if form.errors else 200)


def _found(row):
    """``row``, or a 404 when the path named none."""
    if row is None:
        abort(404)
    return row


def _edit_page(form, field, change: Callable[[], Any], message: Callable[[Any], str | None], back: str,
               template: str, **context):
    """The edit pages' one flow: a valid post runs ``change`` (an operation that may refuse
    with an AccountError) and goes back to the ``back`` page with the ``message`` its result
    calls for (none: nothing to say); a refusal is shown next to ``field``, as typed (422)."""
    if form.validate_on_submit():
        with attempt(ops.AccountError) as outcome:
            result = change()
        if outcome.refused is None:
            if (text := message(result)) is not None:
                flash(text, "success")
            return redirect(url_for(back), 303)
        field.errors.append(str(outcome.refused))
    return render_template(template, form=form, **context), 422 if form.errors else 200


def users_page(form: UserForm | None = None, status: int = 200, reset=None, org_form=None):
    organisations = queries.organisations_by_name()
    form = form or UserForm(formdata=None).set_organisations(organisations)
    response = make_response(render_template(
        "auth/users.html", form=form, org_form=org_form or OrganisationForm(formdata=None),
        users=queries.users_by_organisation(),
        toggle_form=EmptyForm(), kind_label=org_kind_label, reset=reset), status)
    if reset is not None:
        response.headers["Cache-Control"] = "no-store"  # the temporary password is shown once
    return response


@dataclass(frozen=True)
class UserAction:
    """An administrator's action on an account that is asked for once more before it is done:
    it signs the person out everywhere (what they had open is lost)."""

    question: Callable[[str], str]
    consequences: Callable[[], str]
    button: Callable[[], str]
    endpoint: str          # the POST that does it
    fields: tuple[tuple[str, str], ...] = ()   # sent with it


USER_ACTIONS: dict[str, UserAction] = {
    "deactivate": UserAction(
        question=lambda email: _("Deactivate %(email)s?", email=email),
        consequences=lambda: _("They are signed out everywhere at once and can no longer sign in or use their "
                               "API tokens until an administrator activates the account again. Nothing they "
                               "wrote is deleted."),
        button=lambda: _("Yes, deactivate"), endpoint="auth.toggle_user", fields=(("was_active", "1"),)),
    "reset-password": UserAction(
        question=lambda email: _("Reset the password of %(email)s?", email=email),
        consequences=lambda: _("A temporary password is made and shown to you once. They are signed out "
                               "everywhere and must choose a new password at their next sign-in."),
        button=lambda: _("Yes, reset the password"), endpoint="auth.reset_password"),
}


@bp.route(f"/admin/users/<{ID}:user_id>/confirm/<action>", methods=["GET"])
@login_required
def confirm_user_action(user_id: int, action: str):
    """The page that asks before an action of :data:`USER_ACTIONS` (the list links here)."""
    _require_admin()
    user = _found(queries.user_by_id(user_id))
    chosen = _found(USER_ACTIONS.get(action))
    if action == "deactivate" and not user.active:
        return redirect(url_for("auth.users"), 303)
    return render_template("auth/user_confirm.html", user=user, action=chosen, form=EmptyForm())


@bp.route("/admin/organisations", methods=["POST"])
@login_required
def create_organisation():
    """First post: a confirmation page naming the organisations with similar names; the
    confirmation page's button posts again with ``confirmed``, which creates it."""
    _require_admin()
    form = OrganisationForm()
    if not form.validate_on_submit():
        return users_page(status=422, org_form=form)
    existing = ops.organisation_named(form.org_name.data)
    if existing is not None:
        form.org_name.errors.append(_("%(org)s already exists: choose it in the list.", org=existing.name))
        return users_page(status=422, org_form=form)
    if form.confirmed.data != "yes":
        return render_template("auth/organisation_confirm.html", form=form,
                               kind=org_kind_label(form.org_kind.data),
                               similar=ops.similar_organisations(form.org_name.data), kind_label=org_kind_label)
    org = ops.create_organisation(current_user, form.org_name.data, form.org_kind.data)
    flash(_("Organisation %(org)s created. You can now choose it for a user.", org=org.name), "success")
    return redirect(url_for("auth.users", _anchor="create"), 303)


@bp.route(f"/admin/users/<{ID}:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    """Change a user's role or organisation (audited)."""
    _require_admin()
    user = _found(queries.user_by_id(user_id))
    # Posted values win over these (WTForms), so a refused change shows what was chosen.
    form = EditUserForm(data={"role": user.role, "organisation": user.organisation_id})
    form.set_organisations(queries.organisations_by_name())
    return _edit_page(form, form.role, lambda: ops.update_user(
        current_user, user, form.role.data, queries.organisation_by_id(form.organisation.data)),
        lambda _done: _("Changes to %(email)s saved.", email=user.email),
        "auth.users", "auth/user_edit.html", user=user)


@bp.route("/admin/organisations", methods=["GET"])
@login_required
def organisations():
    _require_admin()
    return render_template("auth/organisations.html", kind_label=org_kind_label,
                           rows=queries.organisations_with_counts(visibility_clause(current_user)))


@bp.route(f"/admin/organisations/<{ID}:organisation_id>/rename", methods=["GET", "POST"])
@login_required
def rename_organisation(organisation_id: int):
    """Rename (audited); a refused name is shown next to the field, as typed."""
    _require_admin()
    org = _found(queries.organisation_by_id(organisation_id))
    form = RenameOrganisationForm(data={"name": org.name})
    old_name = org.name
    return _edit_page(form, form.name, lambda: ops.rename_organisation(current_user, org, form.name.data),
                      lambda renamed: _("%(old)s is now called %(new)s.", old=old_name, new=org.name)
                      if renamed else None,
                      "auth.organisations", "auth/organisation_rename.html",
                      org=org, old_name=old_name, kind=org_kind_label(org.kind))
