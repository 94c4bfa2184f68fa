import click
from flask.cli import with_appcontext

from .. import demo
from ..extensions import db


@click.group(help="Demo data.")
def cli():
    pass


@cli.command("seed")
@with_appcontext
def seed():
    """Load demo organisations, users and assessments (idempotent)."""
    created = demo.seed()
    db.session.commit()
    for line in created:
        click.echo(f"created {line}")
    if not created:
        click.echo("demo data already present")
    click.echo("")
    click.echo("Demo logins (password for all: %s):" % demo.DEMO_PASSWORD)
    for email, _password, what in demo.logins():
        click.echo(f"  {email:32s} {what}")
