"""The embedded job backend: no server to run (``make run``), one machine.

Jobs run in a separate process of each web process, started with ``spawn``: a fresh
interpreter, so the PDF engine never shares a web worker's CPU time or GIL, and nothing of the
web process (sockets, database connections, threads) is inherited.  The process stays up
between jobs (WeasyPrint is imported once).  At most ``JOB_WORKERS``
jobs (default 1) run at once on the machine, whichever web process started them: each takes
one of that many slots (file locks) and waits, still "queued", for a free one.

State is one JSON file per job under ``JOB_STATE_DIR`` (default: ``jobs/`` in the PDF cache
directory), written atomically, so every web worker of the machine sees every job; a
per-job lock file (``flock``) makes "is it running already? else start it" one step, so two
workers asked for the same report start one job.  The inputs are kept beside the state
(``<id>.input.json``), so that a job can be started again by anyone:

* when its process dies (``kill -9``, out of memory), the pool breaks: the web process that
  owns it runs the job once more on a fresh pool, then marks it failed with a reason;
* when the web process that owned it is gone (its pool with it), the next process that
  reads the job's state does the same.
"""
from __future__ import annotations

import fcntl
import json
import logging
import multiprocessing
import os
import tempfile
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from . import ACTIVE, CRASHED, JobQueue, JobState, run_task

log = logging.getLogger(__name__)

#: Finished jobs' files are removed after this long (their PDFs stay in the cache).
KEEP_SECONDS = 24 * 3600


class EmbeddedQueue(JobQueue):
    name = "embedded"

    def __init__(self, state_dir: str | os.PathLike, workers: int = 1, retries: int = 1):
        self.dir = Path(state_dir)
        # Jobs running at once on the machine, all web processes together (a render takes a
        # core: more than the machine has would only slow the pages down).
        self.workers = max(int(workers), 1)
        self.retries = retries

    @classmethod
    def from_app(cls, app: Flask) -> "EmbeddedQueue":
        config = app.config
        directory = config.get("JOB_STATE_DIR") or (
            Path(config["PDF_CACHE_DIR"]) / "jobs" if config.get("PDF_CACHE_DIR")
            else Path(app.instance_path) / "jobs")
        return cls(directory, config.get("JOB_WORKERS", 1), config.get("JOB_RETRIES", 1))

    # -- the interface ------------------------------------------------------------------------
    def submit(self, job_id, task, kwargs, *, meta, total=1) -> JobState:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self._locked(job_id):
            state = self._read(job_id)
            if state is not None and state["status"] in ACTIVE and _alive(state.get("owner")):
                return _public(job_id, state)
            self._write_json(self._input_path(job_id), {"task": task, "kwargs": kwargs})
            state = {"status": "queued", "done": 0, "total": total, "error": None, "meta": meta,
                     "attempts": 0, "owner": os.getpid(), "created": time.time()}
            self._write(job_id, state)
        self._start(job_id, task, kwargs)
        self._sweep()
        return _public(job_id, state)

    def get(self, job_id) -> JobState | None:
        state = self._read(job_id)
        if state is None:
            return None
        if state["status"] in ACTIVE and not _alive(state.get("owner")):
            state = self._adopt(job_id) or state
        return _public(job_id, state)

    # -- running ------------------------------------------------------------------------------
    def _start(self, job_id: str, task: str, kwargs: dict[str, Any]) -> None:
        pool = _pool(self.workers)
        try:
            future = pool.submit(_child, str(self.dir), job_id, task, kwargs, self.workers)
        except BrokenProcessPool:
            _discard_pool(pool)
            future = _pool(self.workers).submit(_child, str(self.dir), job_id, task, kwargs, self.workers)
        future.add_done_callback(lambda f: self._finished(job_id, task, kwargs, f, pool))

    def _finished(self, job_id: str, task: str, kwargs: dict, future: Future, pool) -> None:
        """In this process, when the pool hands the job back.  The child wrote ``done`` or
        ``failed`` itself; a broken pool means a child died: run the job again, once (a job
        that had not started yet is simply started again)."""
        exc = None if future.cancelled() else future.exception()
        if exc is None and not future.cancelled():
            return
        if exc is not None and not isinstance(exc, BrokenProcessPool):
            self._update(job_id, status="failed", error=f"the job could not be run ({type(exc).__name__})")
            return
        _discard_pool(pool)
        self._retry(job_id, task, kwargs)

    def _retry(self, job_id: str, task: str, kwargs: dict) -> dict | None:
        with self._locked(job_id):
            state = self._read(job_id)
            if state is None or state["status"] not in ACTIVE:
                return state
            # A job still queued when a neighbour's crash broke the pool did not crash itself.
            crashed = state["status"] == "running"
            attempts = state.get("attempts", 0) + (1 if crashed else 0)
            if attempts > self.retries:
                state.update(status="failed", error=CRASHED, attempts=attempts)
                self._write(job_id, state)
                log.warning("job %s failed: %s", job_id, CRASHED)
                return state
            log.warning("job %s: its process stopped; running it again (attempt %s)", job_id, attempts + 1)
            state.update(status="queued", attempts=attempts, owner=os.getpid())
            self._write(job_id, state)
        self._start(job_id, task, kwargs)
        return state

    def _adopt(self, job_id: str) -> dict | None:
        """A job whose owning web process is gone: run it again here (it counts as a crash
        when it had started)."""
        inputs = self._read_json(self._input_path(job_id))
        if inputs is None:
            return self._update(job_id, status="failed", error=CRASHED)
        return self._retry(job_id, inputs["task"], inputs["kwargs"])

    # -- files --------------------------------------------------------------------------------
    def _path(self, job_id: str) -> Path:
        return self.dir / f"{job_id}.json"

    def _input_path(self, job_id: str) -> Path:
        return self.dir / f"{job_id}.input.json"

    @contextmanager
    def _locked(self, job_id: str):
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / f"{job_id}.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read(self, job_id: str) -> dict | None:
        return self._read_json(self._path(job_id))

    @staticmethod
    def _read_json(path: Path) -> dict | None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def _write(self, job_id: str, state: dict) -> None:
        state["updated"] = time.time()
        self._write_json(self._path(job_id), state)

    @staticmethod
    def _write_json(path: Path, data: dict) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, path)   # readers see the old state or the new one, never half
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _update(self, job_id: str, **changes) -> dict | None:
        with self._locked(job_id):
            state = self._read(job_id)
            if state is None:
                return None
            state.update(changes)
            self._write(job_id, state)
            return state

    def _sweep(self) -> None:
        """Removes the files of jobs finished long ago (cheap: only when a job is submitted)."""
        cutoff = time.time() - KEEP_SECONDS
        try:
            entries = list(os.scandir(self.dir))
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.name.startswith("slot-"):   # held by running jobs: never removed
                continue
            try:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
            except FileNotFoundError:
                pass


def _public(job_id: str, state: dict) -> JobState:
    return JobState(id=job_id, status=state["status"], done=state.get("done", 0),
                    total=state.get("total", 1), error=state.get("error"),
                    meta=state.get("meta") or {}, result=state.get("result"))


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the process pool (one per web process) ---------------------------------------------------
_pool_lock = threading.Lock()
_executor: ProcessPoolExecutor | None = None
_executor_pid: int | None = None


def _pool(workers: int) -> ProcessPoolExecutor:
    global _executor, _executor_pid
    with _pool_lock:
        if _executor is None or _executor_pid != os.getpid():   # none yet, or forked from a parent
            _executor = ProcessPoolExecutor(max_workers=workers,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_job_process, initargs=(os.getpid(),))
            _executor_pid = os.getpid()
        return _executor


def _discard_pool(broken: ProcessPoolExecutor) -> None:
    """Forgets ``broken`` (if it is still the current pool: every job of a broken pool
    reports the break, and only the first one replaces it)."""
    global _executor
    with _pool_lock:
        if _executor is broken:
            _executor = None
    broken.shutdown(wait=False)


def pool_pids() -> list[int]:
    """The pids of this process's job processes (tests kill them)."""
    with _pool_lock:
        if _executor is None:
            return []
        return [p.pid for p in (_executor._processes or {}).values()]


# -- in the job process ---------------------------------------------------------------------
def _job_process(parent: int) -> None:
    """A job process yields the CPU to the web processes (a render may wait a little; a page
    may not), and leaves when its web process is gone (the pool would otherwise keep it
    waiting for work forever); a job it was running is then adopted by another process."""
    try:
        os.nice(10)
    except OSError:
        pass

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


@contextmanager
def _slot(directory: Path, slots: int):
    """One of the machine's ``slots`` job slots (a file lock each, released by the kernel
    even when the process is killed): a job waits here, still "queued", while as many jobs
    as there are slots run in the job processes of any web process."""
    handles = [open(directory / f"slot-{n}.lock", "a") for n in range(slots)]
    try:
        while True:
            for handle in handles:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
            time.sleep(0.05)
    finally:
        for handle in handles:
            handle.close()


def _child(state_dir: str, job_id: str, task: str, kwargs: dict, slots: int = 1) -> None:
    queue = EmbeddedQueue(state_dir)

    def sink(done: int, total: int) -> None:
        queue._update(job_id, done=done, total=total)

    with _slot(queue.dir, slots):
        _run(queue, job_id, task, kwargs, sink)


def _run(queue: "EmbeddedQueue", job_id: str, task: str, kwargs: dict, sink) -> None:
    state = queue._update(job_id, status="running", started=time.time(), worker=os.getpid())
    if state is None:
        return
    outcome = run_task(task, kwargs, sink)
    if "error" in outcome:
        queue._update(job_id, status="failed", error=outcome["error"])
    else:
        queue._update(job_id, status="done", result=outcome["result"])
    # The inputs (a report's HTML: confidential answers) are kept only while the job may
    # have to run again.
    queue._input_path(job_id).unlink(missing_ok=True)
