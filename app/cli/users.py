import secrets

import click
from flask.cli import with_appcontext

from ..auth import operations as ops, queries
from ..extensions import db


@click.group(help="Manage users and API tokens.")
def cli():
    pass


@cli.command("create")
@click.argument("email")
@click.option("--org", "org_name", required=True, help="Organisation name (created if new).")
@click.option("--org-kind", type=click.Choice(["government", "ngo", "other"]), default="other",
              show_default=True, help="Kind of a new organisation.")
@click.option("--country", default=None, help="ISO 3166-1 code of a new organisation.")
@click.option("--role", type=click.Choice(["respondent", "reviewer", "admin"]), required=True)
@click.option("--password", default=None,
              help="Password: at least 10 characters, not a common password nor the email "
                   "(a random one is generated and printed if omitted).")
@click.option("--name", default="", help="Display name.")
@with_appcontext
def create(email, org_name, org_kind, country, role, password, name):
    """Create a user (and the organisation if new)."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        org = ops.get_or_create_organisation(org_name, org_kind, country.upper() if country else None)
        user = ops.create_user(email, password, org, role, name)
    except ops.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email} in {org.name} ({org.kind})")
    if generated:
        click.echo(f"password: {password}")


@cli.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password(email):
    """Print a temporary password for that user (to be replaced at their next sign-in) and
    end their sessions: the way back in when the only administrator is locked out."""
    user = queries.user_with_email(ops.normalise_email(email))
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    temporary = ops.reset_password(None, user)
    db.session.commit()
    click.echo(f"temporary password for {user.email} (to be changed at the next sign-in): {temporary}")


@cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="A label for the token.")
@with_appcontext
def token(email, name):
    """Print a new API bearer token for that user."""
    user = queries.user_with_email(ops.normalise_email(email))
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    value = ops.issue_token(user, name)
    db.session.commit()
    click.echo(value)
