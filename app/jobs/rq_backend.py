"""The RQ backend: jobs in Redis (``REDIS_URL``), run by ``flask --app app jobs worker``
processes (any number, on any machine that shares ``PDF_CACHE_DIR``).

RQ runs each job in a forked "work horse" process; when the horse dies (``kill -9``, out of
memory) the worker retries the job (``Retry(max=JOB_RETRIES)``, one by default), and a job
left behind by a worker that died altogether is retried by the next worker's clean-up of its
registries.  Our own outcome (a user-facing ``error``, progress) travels in the job's
``meta``.  Every Redis error becomes :class:`~app.jobs.QueueUnavailable` (a 503 for the user,
never a 500), and the client gives up after a second, so a dead Redis never holds a web worker.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from . import CRASHED, JobQueue, JobState, QueueUnavailable, run_task

log = logging.getLogger(__name__)

#: RQ's statuses in our words.
STATUS = {"queued": "queued", "deferred": "queued", "scheduled": "queued", "started": "running",
          "finished": "done", "failed": "failed", "stopped": "failed", "canceled": "failed"}


class RqQueue(JobQueue):
    name = "rq"

    def __init__(self, url: str, queue_name: str = "readiness", retries: int = 1,
                 job_timeout: int = 300, keep_seconds: int = 3600):
        # keep_seconds: how long a finished job (and its inputs: a report's HTML) stays in
        # Redis; its PDF stays in the cache, and asking again finds it there.
        import redis

        self.url, self.queue_name, self.retries = url, queue_name, retries
        self.job_timeout, self.keep_seconds = job_timeout, keep_seconds
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=3)
        self._errors = (redis.exceptions.RedisError, OSError)

    @classmethod
    def from_app(cls, app: Flask) -> "RqQueue":
        config = app.config
        url = config.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        render = config.get("PDF_RENDER_TIMEOUT_SECONDS") or 60
        return cls(url, config.get("RQ_QUEUE") or "readiness", config.get("JOB_RETRIES", 1),
                   job_timeout=int(render * 2 + 60))

    def rq_queue(self):
        from rq import Queue

        return Queue(self.queue_name, connection=self.redis)

    def submit(self, job_id, task, kwargs, *, meta, total=1) -> JobState:
        from rq import Retry

        try:
            # One job per id: the check and the enqueue under a short Redis lock, so that two
            # web workers asked for the same report at once start one job.
            with self.redis.lock(f"readiness:job-lock:{job_id}", timeout=10, blocking_timeout=5):
                current = self._fetch(job_id)
                if current is not None and STATUS.get(_status(current)) in ("queued", "running"):
                    return self._public(current)
                job = self.rq_queue().enqueue_call(
                    func=perform, kwargs={"task": task, "kwargs": kwargs}, job_id=job_id,
                    timeout=self.job_timeout, result_ttl=self.keep_seconds,
                    failure_ttl=self.keep_seconds, ttl=self.keep_seconds,
                    retry=Retry(max=self.retries) if self.retries else None,
                    meta={"info": meta, "done": 0, "total": total})
                return self._public(job)
        except self._errors as exc:
            raise QueueUnavailable(f"the job queue (Redis) does not answer: {type(exc).__name__}") from None

    def get(self, job_id) -> JobState | None:
        try:
            job = self._fetch(job_id)
            return None if job is None else self._public(job)
        except self._errors as exc:
            raise QueueUnavailable(f"the job queue (Redis) does not answer: {type(exc).__name__}") from None

    def ping(self) -> None:
        try:
            self.redis.ping()
        except self._errors as exc:
            raise QueueUnavailable(f"the job queue (Redis) does not answer: {type(exc).__name__}") from None

    def _fetch(self, job_id):
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            return Job.fetch(job_id, connection=self.redis)
        except NoSuchJobError:
            return None

    def _public(self, job) -> JobState:
        status = STATUS.get(_status(job), "queued")
        meta = job.meta or {}
        error = meta.get("error")
        if error:
            status = "failed"
        elif status == "failed":
            error = _failure_reason(job)
        return JobState(id=job.id, status=status, done=int(meta.get("done", 0)),
                        total=int(meta.get("total", 1)), error=error, meta=meta.get("info") or {},
                        result=meta.get("result"))


def _status(job) -> str:
    status = job.get_status(refresh=False)
    return getattr(status, "value", status) or "queued"


def _failure_reason(job) -> str:
    """What the user is told of a job RQ marked failed: our own tasks never raise, so it
    is the death of its process (twice, with the retry), or a worker that vanished."""
    try:
        result = job.latest_result()
        text = (result.exc_string or "") if result is not None else ""
    except Exception:
        text = ""
    if "Work-horse terminated" in text or "Abandoned" in text or not text:
        return CRASHED
    if "JobTimeoutException" in text:
        return "the job took longer than its time limit and was stopped"
    return "the job failed with an unexpected error (it was logged)"


def perform(task: str, kwargs: dict[str, Any]) -> dict:
    """What an RQ worker runs: the task, with progress and the outcome in the job's meta."""
    from rq import get_current_job

    job = get_current_job()

    def sink(done: int, total: int) -> None:
        job.meta.update(done=done, total=total)
        job.save_meta()

    job.meta.pop("error", None)
    outcome = run_task(task, kwargs, sink)
    job.meta.update(outcome)
    job.save_meta()
    return outcome
