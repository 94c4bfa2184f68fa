import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..questionnaire.catalog import VersionConflict
from ..questionnaire.export import normalised
from ..questionnaire.loader import DefinitionError, load_definition, load_directory


@click.group(help="Validate, list, export and publish questionnaire definitions.")
def cli():
    pass


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths):
    """Validate the shipped definitions, or the given files. Exit 1 on any problem."""
    problems, count = [], 0
    if paths:
        for path in paths:
            try:
                load_definition(path)
                count += 1
            except DefinitionError as exc:
                problems.extend(exc.problems)
    else:
        from config import Config

        try:
            count = len(load_directory(Path(Config.QUESTIONNAIRE_DIR)))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo(f"{count} definition(s) valid")


@cli.command("list")
@with_appcontext
def list_():
    """One line per questionnaire: id, version, title, item count."""
    for q in current_app.extensions["catalog"].all():
        click.echo(f"{q.id}\t{q.version}\t{q.title['en']}\t{len(q.scored_items)}")


@cli.command("export")
@click.argument("questionnaire_id")
@click.option("--version", default=None, help="Default: the latest version.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@with_appcontext
def export(questionnaire_id, version, fmt):
    """Print the normalised definition."""
    catalog = current_app.extensions["catalog"]
    q = catalog.get(questionnaire_id, version) if version else catalog.latest(questionnaire_id)
    if q is None:
        raise click.ClickException(f"no questionnaire {questionnaire_id}" + (f" version {version}" if version else ""))
    click.echo(json.dumps(normalised(q), ensure_ascii=False, indent=2))


@cli.command("publish")
@with_appcontext
def publish():
    """Record the installed definitions in the database (refuses changed published content)."""
    try:
        created = current_app.extensions["catalog"].publish(db.session)
    except VersionConflict as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    for row in created:
        click.echo(f"published {row.questionnaire_id} {row.version}")
    click.echo(f"{len(created)} new version(s) published")


@cli.command("schema")
def schema():
    """Print the JSON Schema of a definition file (for editor completion)."""
    from ..questionnaire.definition import Questionnaire

    click.echo(json.dumps(Questionnaire.model_json_schema(), indent=2))
