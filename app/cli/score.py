import click
from flask.cli import with_appcontext

from ..assessments.queries import assessments_in_id_order
from ..extensions import db
from ..lifecycle import DRAFT
from ..results.operations import recompute


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
    rows = assessments_in_id_order([assessment_id]) if assessment_id else assessments_in_id_order(excluding=[DRAFT])
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
