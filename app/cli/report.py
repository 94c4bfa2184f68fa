"""``flask --app app report ...``: PDF reports from the command line (CONTRACTS.md).

``report pdf ASSESSMENT_ID --kind gap|scorecard -o FILE [--html FILE]`` writes the PDF (``-o -``
writes it to standard output); ``--html`` also writes the exact HTML given to the PDF
engine, so that the engine can be timed or debugged alone.  The command line is an operator's
tool: it reads any assessment and neither reads nor fills the PDF cache.
``report clear-cache`` empties the PDF cache."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Assessment


@click.group(help="PDF reports: gap reports and scorecards.")
def cli():
    pass


@cli.command("pdf")
@click.argument("assessment_id", type=int)
@click.option("--kind", type=click.Choice(["gap", "scorecard"]), default="gap", show_default=True,
              help="The gap report or the one-page scorecard.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the PDF ('-' for standard output).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write the exact HTML given to the PDF engine.")
@with_appcontext
def pdf(assessment_id, kind, output, html_path):
    """Write the PDF report of ASSESSMENT_ID."""
    import reports

    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise click.ClickException(f"no assessment with id {assessment_id}")
    started = time.perf_counter()
    inputs = reports.gather(assessment, kind)
    html = reports.render_html(inputs.context())
    if html_path:
        with open(html_path, "w", encoding="utf-8") as fh:
            fh.write(html)
    try:
        data = reports.html_to_pdf(html, timeout=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS") or None)
    except reports.RenderTimeout as exc:
        raise click.ClickException(str(exc)) from None
    with click.open_file(output, "wb") as fh:
        fh.write(data)
    if output != "-":
        click.echo(f"wrote {output}: {kind} report of assessment {assessment_id}, "
                   f"{len(data) // 1024} KB in {time.perf_counter() - started:.2f} s", err=True)


@cli.command("clear-cache")
@with_appcontext
def clear_cache():
    """Remove every cached PDF (they are rendered again on the next download)."""
    from reports.web import cache

    click.echo(f"removed {cache().clear()} cached PDF(s)")
