"""``odk import``: submissions exported from ODK Central or KoboToolbox into new drafts."""
import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..auth.queries import user_with_email
from ..errors import RequestError
from ..extensions import db


@click.group(help="Field data from ODK Central and KoboToolbox (XLSForm: questionnaire export --format xlsform).")
def cli():
    pass


@cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="The importer: the drafts belong to their organisation.")
@click.option("--questionnaire", default="prevention-readiness", show_default=True)
@click.option("--version", required=True, help="The questionnaire version the form was made from.")
@click.option("--jurisdiction", required=True, help="ISO 3166 code, e.g. KE or KE-30.")
@click.option("--period", required=True, help="e.g. 2026")
@click.option("--title", default="", help="Title of the new assessments (each gets its submission id).")
@with_appcontext
def import_(csv_file, email, questionnaire, version, jurisdiction, period, title):
    """One new draft assessment per submission; prints the report as JSON."""
    from ..auth.policy import can_create_assessment
    from ..workbooks import odk_import

    user = user_with_email(email.strip().lower())
    if user is None or not can_create_assessment(user):
        raise click.ClickException(f"{email}: no active respondent or administrator with this email")
    meta = {"questionnaire": questionnaire, "version": version, "jurisdiction": jurisdiction,
            "period": period, "title": title}
    try:
        report = odk_import.import_submissions(user, csv_file.read_bytes(), meta)
    except RequestError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.message} {json.dumps(exc.details, ensure_ascii=False)}") from None
    db.session.commit()
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
