from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length


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


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200)])
    org_kind = SelectField(_l("Organisation kind"), choices=[
        SelectChoice("government", _l("Government")),
        SelectChoice("ngo", _l("Non-governmental organisation")), SelectChoice("other", _l("Other"))])
    role = SelectField(_l("Role"), choices=[
        SelectChoice("respondent", _l("Respondent")), SelectChoice("reviewer", _l("Reviewer")),
        SelectChoice("admin", _l("Administrator"))])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=10)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create user"))
