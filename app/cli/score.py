import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..lifecycle import DRAFT
from ..models import Assessment
from ..results.scores import recompute


@click.group(help="Scores.")
def cli():
    pass


@cli.command("recompute")
@click.option("--assessment", "assessment_id", type=int, help="One assessment.")
@click.option("--all", "all_", is_flag=True, help="Every submitted assessment.")
@with_appcontext
def recompute_cmd(assessment_id, all_):
    """Recompute stored scores explicitly; each recomputation is recorded in the audit log.
    Drafts are scored live and have nothing stored."""
    if bool(assessment_id) == bool(all_):
        raise click.UsageError("give either --assessment ID or --all")
    query = select(Assessment).where(Assessment.status != DRAFT).order_by(Assessment.id)
    if assessment_id:
        query = select(Assessment).where(Assessment.id == assessment_id)
    rows = db.session.scalars(query).all()
    if assessment_id and not rows:
        raise click.ClickException(f"no assessment {assessment_id}")
    count = 0
    for a in rows:
        if a.status == DRAFT:
            click.echo(f"assessment {a.id}: a draft is scored live; nothing stored")
            continue
        old, new = recompute(a)
        before = f"{old['overall']['score']:.1f}" if old and old["overall"]["score"] is not None else "-"
        after = f"{new['overall']['score']:.1f}" if new["overall"]["score"] is not None else "-"
        click.echo(f"assessment {a.id}: {before} -> {after} (rubric {new.get('rubric_version')})")
        count += 1
    db.session.commit()
    click.echo(f"{count} score(s) recomputed")
