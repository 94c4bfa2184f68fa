"""``flask --app app report ...``: PDF reports from the command line (CONTRACTS.md).

``report pdf ASSESSMENT_ID --kind gap|scorecard -o FILE [--html FILE]`` writes the PDF (``-o -``
writes it to standard output); ``--html`` also writes the exact HTML given to the PDF
engine, so that the engine can be timed or debugged alone.  The command line is an operator's
tool: it reads any assessment and neither reads nor fills the PDF cache.
``report warm [ID ...]`` renders reports into the cache ahead of their first download;
``report clear-cache`` empties it."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..assessments.queries import assessment_by_id, assessments_in_id_order


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
@click.option("--lang", default="en", show_default=True,
              help="The report's language: en, fr, es, ru, zh or ar.")
@with_appcontext
def pdf(assessment_id, kind, output, html_path, lang):
    """Write the PDF report of ASSESSMENT_ID."""
    import flask_babel

    from app import reports

    if lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(f"--lang must be one of {', '.join(current_app.config['LANGUAGES'])}")
    assessment = assessment_by_id(assessment_id)
    if assessment is None:
        raise click.ClickException(f"no assessment with id {assessment_id}")
    started = time.perf_counter()
    with flask_babel.force_locale(lang):
        inputs = reports.gather(assessment, kind, lang)
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
    from app.reports.web import cache

    click.echo(f"removed {cache().clear()} cached PDF(s)")


@cli.command("warm")
@click.argument("assessment_ids", nargs=-1, type=int)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["gap", "scorecard"]),
              help="Which reports (default: both).")
@with_appcontext
def warm(assessment_ids, kinds):
    """Render reports into the PDF cache ahead of their first download: the given
    assessments, or every assessment that is no longer a draft (run it after a deploy, or
    from cron: a download of an unchanged report is then served at once)."""
    from app import reports
    from app.lifecycle import LIVE_SCORE
    from app.reports.web import cache

    store = cache()
    if not store.enabled:
        raise click.ClickException("PDF_CACHE_DIR is not set: there is no cache to fill")
    # The given ones, whatever their status; else every one past its live score.
    chosen = assessments_in_id_order(assessment_ids or None, excluding=() if assessment_ids else LIVE_SCORE)
    timeout = current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS") or None
    for assessment in chosen:
        for kind in kinds or ("gap", "scorecard"):
            started = time.perf_counter()
            try:
                result = reports.produce(assessment, kind, cache=store, timeout=timeout)
            except reports.RenderTimeout as exc:
                click.echo(f"assessment {assessment.id} {kind}: {exc}", err=True)
                continue
            state = "already cached" if result.cached else f"rendered in {time.perf_counter() - started:.1f} s"
            click.echo(f"assessment {assessment.id} {kind}: {state}")
