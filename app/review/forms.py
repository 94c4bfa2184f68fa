"""Forms of the review area.  Choices that depend on data are set on the instance, per
request (never on the shared class)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.forms import ORG_KIND_LABELS
from ..display.labels import STATUS, lazy_labels, questionnaire_name
from ..i18n import colon
from ..lifecycle import REVIEWABLE
from ..questionnaire.answers import MAX_TEXT
from .queries import PER_PAGE_CHOICES

STATUS_LABELS = lazy_labels(STATUS)
KIND_LABELS = ORG_KIND_LABELS      # one set of organisation-kind labels, the admin's too
SORT_LABELS = {"submitted": _l("Date submitted"), "jurisdiction": _l("Jurisdiction"),
               "period": _l("Period"), "organisation": _l("Organisation"), "status": _l("Status"),
               "title": _l("Title"), "score": _l("Overall score")}


def version_choices(catalog) -> list[tuple[str, str]]:
    """The questionnaire filter's choices: every installed version, "id@version", named by
    its title in the reader's language."""
    return [(f"{q.id}@{q.version}", questionnaire_name(q.title, q.version)) for q in catalog.all()]


class GetForm(FlaskForm):
    """A form read from the query string: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FilterForm(GetForm):
    questionnaire = SelectField(_l("Questionnaire version"), validators=[Optional()])
    jurisdiction = SelectField(_l("Jurisdiction"), validators=[Optional()])
    period = SelectField(_l("Period"), validators=[Optional()])
    organisation_kind = SelectField(_l("Organisation kind"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any kind"))] + [SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    status = CheckboxesField(_l("Review status"), validators=[Optional()], choices=[
        SelectChoice(s, STATUS_LABELS[s]) for s in REVIEWABLE])
    sort = SelectField(_l("Sort by"), choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()],
                       default="submitted")
    direction = SelectField(_l("Order"), choices=[
        SelectChoice("desc", _l("Descending")),
        SelectChoice("asc", _l("Ascending"))], default="desc")
    per_page = SelectField(_l("Rows per page"), coerce=int, default=PER_PAGE_CHOICES[0],
                           choices=[SelectChoice(str(n), str(n)) for n in PER_PAGE_CHOICES])
    submit = SubmitField(_l("Apply filters"))

    def set_choices(self, versions: list[tuple[str, str]], jurisdictions: list[tuple[str, str]],
                    periods: list[str]) -> None:
        self.questionnaire.choices = [SelectChoice("", _l("Any version"))] + [
            SelectChoice(v, label) for v, label in versions]
        self.jurisdiction.choices = [SelectChoice("", _l("Any jurisdiction"))] + [
            SelectChoice(code, f"{name} ({code})") for code, name in jurisdictions]
        self.period.choices = [SelectChoice("", _l("Any period"))] + [SelectChoice(p, p) for p in periods]

    def valid_data(self) -> dict:
        """The submitted values that passed validation (an unknown value is ignored)."""
        self.validate()
        return {name: f.data for name, f in self._fields.items() if not f.errors}


class CompareOptionsForm(GetForm):
    ids = HiddenField()
    large_only = BooleanField(_l("Only where levels differ by 2 or more"))
    submit = SubmitField(_l("Show"))


class DivergenceForm(GetForm):
    jurisdiction = SelectField(_l("Jurisdiction"))
    period = SelectField(_l("Period"))
    large_only = BooleanField(_l("Only where levels differ by 2 or more"))
    submit = SubmitField(_l("Compare government and civil society"))


class TrendForm(GetForm):
    jurisdiction = SelectField(_l("Jurisdiction"))
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    submit = SubmitField(_l("Show the trend"))


class TransitionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for returning"), validators=[Length(max=MAX_TEXT)],
                           description=_l("Required: tell the organisation what to change. "
                                          "The reason is kept in the assessment's history."))


_COMMENT_NEEDED = _l("Write the comment (at most 20,000 characters).")


class CommentForm(FlaskForm):
    item = SelectField(_l("About"), validators=[Optional()])
    text = TextAreaField(_l("Comment"), validators=[
        DataRequired(message=_COMMENT_NEEDED), Length(max=MAX_TEXT, message=_COMMENT_NEEDED)],
                         description=_l("Comments cannot be edited or deleted after posting. "
                                        "The organisation sees them, and they appear in exports "
                                        "and in the gap report."))
    submit = SubmitField(_l("Post comment"))

    def set_items(self, questionnaire, localize) -> None:
        self.item.choices = [SelectChoice("", _l("The whole assessment"))] + [
            SelectChoice(it.key, f"{it.key}{colon()}{_short(localize(it.prompt))}") for it in questionnaire.items]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
