"""``flask --app app jobs ...``: the queue from the command line.

``jobs worker`` runs an RQ worker on the configured queue (``REDIS_URL``, ``RQ_QUEUE``); run
one or more next to the web servers (the ``worker`` line of the ``Procfile``).  With the
embedded backend there is nothing to run: each web process starts its own job processes.
``jobs status ID`` prints a job's state."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("jobs", help="Background jobs: PDF renders, the warm-up and batches.")
def cli():
    pass


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, cron).")
@with_appcontext
def worker(burst):
    """Run an RQ worker for the report queue (needs REDIS_URL)."""
    from rq import Worker

    from . import QueueUnavailable, queue

    jobs = queue()
    if jobs.name != "rq":
        raise click.ClickException(
            "the job backend is 'embedded' (no REDIS_URL): web processes run their own jobs, "
            "there is no worker to start")
    try:
        jobs.ping()
    except QueueUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    # Loaded once here: each job runs in a process forked from this one (RQ's work horse),
    # which then starts with the PDF engine imported (half a second saved per job).
    import app.reports.render  # noqa: F401  (imported for its side effect: the PDF engine loaded before forking)

    Worker([jobs.rq_queue()], connection=jobs.redis).work(burst=burst, with_scheduler=True)


@cli.command("status")
@click.argument("job_id")
@with_appcontext
def status(job_id):
    """Print a job's state as JSON."""
    from . import queue

    state = queue().get(job_id)
    if state is None:
        raise click.ClickException(f"no job {job_id}")
    click.echo(json.dumps({"job": state.id, "status": state.status, "done": state.done,
                           "total": state.total, "error": state.error,
                           "backend": current_app.extensions["jobs"].name}))
