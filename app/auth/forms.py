from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange

from ..display.labels import ORGANISATION_KIND, lazy_labels, organisation_kind_label as org_kind_label

#: The one set of labels of the organisation kinds (:mod:`app.display.labels`), wherever a
#: kind is shown or chosen: the admin's users page, the review area.
ORG_KIND_LABELS = lazy_labels(ORGANISATION_KIND)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this computer"))
    submit = SubmitField(_l("Sign in"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[Length(max=100)],
                       description=_l("What the token is for, e.g. 'statistics office script'."))
    submit = SubmitField(_l("Create token"))


#: Each offered language by its own name (a reader who does not know the current language
#: still finds theirs).  Keys: ``Config.LANGUAGES``.
from ..i18n import LANGUAGE_NAMES, paren  # noqa: E402  (each language named in itself)


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language of the pages and reports"))
    submit = SubmitField(_l("Save language"))

    def set_choices(self, languages) -> "LanguageForm":
        self.language.choices = [SelectChoice("", _l("The browser's language"))] + [
            SelectChoice(code, LANGUAGE_NAMES.get(code, code), render_kw={"lang": code}) for code in languages]
        return self


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(_l("Time zone of the times shown"))
    submit = SubmitField(_l("Save time zone"))

    def set_choices(self, names, browser: str) -> "TimeZoneForm":
        self.time_zone.choices = [SelectChoice("", _l("The browser's time zone (now: %(zone)s)", zone=browser))] + [
            SelectChoice(name, name.replace("_", " ")) for name in names]
        return self


class PasswordChangeForm(FlaskForm):
    """The user's own change; the rules a new password must meet are checked by the
    operation (``passwords.password_problem``), so a form, the admin page and the command
    line all apply the same ones."""
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password."))], render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password."))],
        description=_l("At least 10 characters; not a common password, nor your email address."),
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password a second time.")),
        EqualTo("new_password", _l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Change password"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


ROLE_CHOICES = [SelectChoice("respondent", _l("Respondent")), SelectChoice("reviewer", _l("Reviewer")),
                SelectChoice("admin", _l("Administrator"))]


class _OrganisationChoice:
    """An organisation chosen from a list of the existing ones (never typed: a typing
    variant made a second organisation by accident, issue 18).  ``set_organisations``
    fills the list; 0 is the "choose" placeholder, refused."""

    organisation = SelectField(_l("Organisation"), coerce=int, validators=[
        NumberRange(min=1, message=_l("Choose the user's organisation in the list."))])

    def set_organisations(self, organisations):
        self.organisation.choices = [SelectChoice(0, _l("Choose an organisation"))] + [
            SelectChoice(org.id, f"{org.name}{paren(org_kind_label(org.kind))}") for org in organisations]
        return self


class UserForm(_OrganisationChoice, FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=10)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create user"))


class EditUserForm(_OrganisationChoice, FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Save changes"))


class OrganisationForm(FlaskForm):
    """A new organisation: a separate, confirmed step (``confirmed`` is set by the
    confirmation page's button)."""
    org_name = StringField(_l("Name of the new organisation"), validators=[DataRequired(), Length(max=200)])
    org_kind = SelectField(_l("Organisation kind"), choices=[
        SelectChoice(kind, label) for kind, label in ORG_KIND_LABELS.items()])
    confirmed = HiddenField(default="")
    submit = SubmitField(_l("Create organisation"))


class RenameOrganisationForm(FlaskForm):
    """An organisation's new name; the operation checks it (empty, too long, another
    organisation's), so the page and any other caller refuse the same names."""
    name = StringField(_l("New name"), render_kw={"autocomplete": "off"},
                       description=_l("As the organisation writes its own name; its users, assessments and "
                                      "reports show the new name from now on."))
    submit = SubmitField(_l("Rename"))


class SetPasswordForm(PasswordChangeForm):
    """Choosing a password from a link sent by mail (an invitation or a reset): the link
    proves who it is, so no current password."""
    current_password = None
    submit = SubmitField(_l("Set password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Send me a link"))
