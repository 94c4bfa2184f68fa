from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    organisation = StringField(_l("Their organisation"), validators=[Length(max=150)],
                               description=_l("Used only when the address has no account yet: the new account gets an "
                                              "organisation of its own by this name, never an existing one (whose "
                                              "work it would then see); an administrator can move it later."))
    role = SelectField(_l("Role"), choices=[
        SelectChoice("contributor", _l("Contributor: answers the sections")),
        SelectChoice("informant", _l("Informant: rates the sections independently")),
        SelectChoice("reader", _l("Reader: reads the sections"))])
    sections = SelectMultipleField(_l("Sections"), widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())
    due_date = DateField(_l("Due date"), validators=[Optional()])
    submit = SubmitField(_l("Invite"))
