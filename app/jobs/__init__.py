"""Background jobs: work that must never run in a web worker (PDF renders for downloads, the
warm-up and batches).

One small interface, :class:`JobQueue`, with two backends chosen by configuration from the
registry :data:`BACKENDS` (not a branch per backend in the callers):

* ``rq``: `RQ <https://python-rq.org>`_ on Redis, when ``REDIS_URL`` is set (or
  ``JOB_BACKEND=rq``); jobs run in ``flask --app app jobs worker`` processes, on any machine
  that shares the PDF cache;
* ``embedded`` (the default, so that ``make run`` needs no server): a pool of separate
  processes started by each web process, with the jobs' state in files beside the PDF cache
  so that every web worker on the machine sees it.

Either way the web process only gathers the inputs and builds the HTML (cheap, needs the
database); the PDF engine runs in another process, so it never holds a web worker's CPU or
GIL, and a web worker never waits longer than ``PDF_DOWNLOAD_WAIT_SECONDS``.

A job is named by its caller (:func:`app.reports.render_job_id` derives the id from the PDF's
cache key), so two requests for the same report share one job.  A job whose process dies
(``kill -9``, out of memory) is run once more, then fails with a reason the user sees; an
expected failure (a render over its time limit) fails at once.

Tasks are plain functions in :data:`app.jobs.tasks.TASKS`, called with keyword arguments;
they return a JSON-able result and report progress with :func:`progress`.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from flask import Flask, current_app

log = logging.getLogger(__name__)

#: Job ids are ours (see app.reports.render_job_id), checked strictly wherever one comes in.
JOB_ID_PATTERN = r"[a-z][a-z0-9-]{2,79}"

STATUSES = ("queued", "running", "done", "failed")
ACTIVE = ("queued", "running")

#: The reason shown when a job's process died twice.
CRASHED = ("the job's worker process stopped unexpectedly (killed or out of memory), "
           "and it stopped again when the job was retried")


class QueueUnavailable(Exception):
    """The queue's server (Redis) does not answer: the caller answers 503, never 500."""


class JobFailed(Exception):
    """Raised by a task for an expected failure: the job fails at once with this reason
    (it is not retried: running it again would fail the same way)."""


@dataclass
class JobState:
    """What anyone may learn of a job: ``status`` (one of :data:`STATUSES`), progress as
    ``done`` of ``total``, the user-facing ``error`` of a failed job, and ``meta``: what the
    job is about (the assessments it reads, for authorization; its kind, file name, the
    cache key or result file it produces; the user who asked, for a batch)."""

    id: str
    status: str
    done: int = 0
    total: int = 1
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    result: Any = None

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE


class JobQueue:
    """The interface of a backend."""

    name: ClassVar[str]

    @classmethod
    def from_app(cls, app: Flask) -> "JobQueue":
        raise NotImplementedError

    def submit(self, job_id: str, task: str, kwargs: dict[str, Any], *,
               meta: dict[str, Any], total: int = 1) -> JobState:
        """Run ``task`` with ``kwargs`` as job ``job_id``, unless a job of that id is queued
        or running already: then that job's state (one job for two requests)."""
        raise NotImplementedError

    def get(self, job_id: str) -> JobState | None:
        """The job's state, or ``None`` for an unknown (or expired) job."""
        raise NotImplementedError

    def ping(self) -> None:
        """Raises :class:`QueueUnavailable` when the backend cannot take jobs."""

    def wait(self, job_id: str, timeout: float, poll: float = 0.1) -> JobState | None:
        """The job's state once it is finished, or when ``timeout`` seconds have passed."""
        deadline = time.monotonic() + max(timeout, 0)
        delay = 0.02
        while True:
            state = self.get(job_id)
            if state is None or state.finished or time.monotonic() >= deadline:
                return state
            # Short sleeps first: a small render is done in a fraction of a second.
            time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            delay = min(delay * 2, poll)


def _backends() -> dict[str, Callable[[Flask], JobQueue]]:
    from .embedded import EmbeddedQueue
    from .rq_backend import RqQueue

    return {EmbeddedQueue.name: EmbeddedQueue.from_app, RqQueue.name: RqQueue.from_app}


#: Backend name -> factory.  Filled lazily: RQ is imported only when it is used.
BACKENDS: dict[str, Callable[[Flask], JobQueue]] = {}


def backend_name(config) -> str:
    """``JOB_BACKEND`` when set; else ``rq`` when ``REDIS_URL`` is set; else ``embedded``."""
    return (config.get("JOB_BACKEND") or ("rq" if config.get("REDIS_URL") else "embedded")).lower()


def init_app(app: Flask) -> None:
    if not BACKENDS:
        BACKENDS.update(_backends())
    name = backend_name(app.config)
    if name not in BACKENDS:
        raise RuntimeError(f"JOB_BACKEND must be one of {', '.join(sorted(BACKENDS))}, not {name!r}")
    app.extensions["jobs"] = BACKENDS[name](app)
    from .cli import cli

    app.cli.add_command(cli)


def queue() -> JobQueue:
    return current_app.extensions["jobs"]


# -- inside a task ---------------------------------------------------------------------------
#: Set by the backend's runner around a task: ``sink(done, total)``.
_progress_sink: Callable[[int, int], None] | None = None


def progress(done: int, total: int) -> None:
    """Called by a task as it goes (``done`` of ``total``): shown by ``GET /api/v1/jobs/{id}``."""
    if _progress_sink is not None:
        _progress_sink(done, total)


def run_task(task: str, kwargs: dict[str, Any], sink: Callable[[int, int], None] | None = None) -> dict:
    """Runs ``task`` (in a worker process): ``{"result": ...}``, or ``{"error": reason}`` when
    it fails.  Only the death of the process is retried (by the backend): an exception would
    be raised again by the same inputs."""
    global _progress_sink
    from .tasks import TASKS

    _progress_sink = sink
    try:
        return {"result": TASKS[task](**kwargs)}
    except JobFailed as exc:
        return {"error": str(exc)}
    except Exception:
        log.exception("job task %s failed", task)
        return {"error": "the job failed with an unexpected error (it was logged)"}
    finally:
        _progress_sink = None
