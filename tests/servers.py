"""The app as production runs it: gunicorn with several worker processes, for tests of
concurrency, crashes and stalls that a single-process test server would hide.

``gunicorn_server(db_url, tmp_path)`` starts ``gunicorn 'app:create_app()'`` (the real
factory and development config, configured only through the environment, as the README
runs it) against a database the caller has prepared with :func:`prepared_app`, and yields
a :class:`Server` with its base URL and worker pids (``app_spec`` serves another WSGI app
under the very same settings: the page benchmark's bare baseline).  Only the standard library talks to
it (``http_json``), so a test sees exactly what a client on the network sees.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    def worker_pids(self) -> list[int]:
        """The pids of gunicorn's worker processes (children of the master)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def server_env(db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a server process: the database, a private instance folder and
    PDF cache, no background warm-up unless asked for."""
    env = dict(os.environ)
    env.update({
        "APP_ENV": "development",
        "DATABASE_URL": db_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PDF_CACHE_DIR": str(tmp_path / "pdf-cache"),
        "REPORT_WARMING": "false",
        "PYTHONPATH": str(ROOT),
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextmanager
def gunicorn_server(db_url: str, tmp_path: Path, *, workers: int = 2, threads: int = 1,
                    timeout: int = 30, extra_args: tuple[str, ...] = (),
                    app_spec: str = "app:create_app()", ready_path: str = "/login",
                    **env: str) -> Iterator[Server]:
    port = free_port()
    log = tmp_path / f"gunicorn-{port}.log"
    full_env = server_env(db_url, tmp_path, **env)
    args = [str(GUNICORN), "--workers", str(workers), "--threads", str(threads),
            "--timeout", str(timeout), "--graceful-timeout", "5", "--bind", f"127.0.0.1:{port}",
            *extra_args, app_spec]
    with open(log, "wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log, full_env)
    try:
        _wait_ready(server, workers, ready_path)
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_ready(server: Server, workers: int, ready_path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + server.log_text()[-4000:])
        try:
            status, _ = http_json("GET", server.url + ready_path, timeout=2)
            if status == 200 and len(server.worker_pids()) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time:\n" + server.log_text()[-4000:])


def http_json(method: str, url: str, body: Any = None, token: str | None = None,
              timeout: float = 60, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """One request on a fresh connection; the status and the decoded JSON (or text)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        hdrs = {"Accept": "application/json"} | (headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), data, hdrs)
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw.decode(errors="replace")
    finally:
        conn.close()


def prepared_app(db_url: str, tmp_path: Path):
    """An app on ``db_url`` with the schema built and the questionnaires published, for
    seeding users and assessments before a server is started on the same database."""
    from tests.factories import make_app

    return make_app(db_url, tmp_path)


def seed_user_with_token(app, email: str, role: str = "respondent", org: str = "Org A",
                         kind: str = "government") -> tuple[int, str]:
    """A user (and their organisation) and a bearer token for them."""
    from app.auth import operations as ops
    from app.extensions import db

    with app.app_context():
        organisation = ops.get_or_create_organisation(org, kind, "KE")
        user = ops.create_user(email, "a-long-test-passphrase-9", organisation, role)
        token = ops.issue_token(user, "tests")
        db.session.commit()
        return user.id, token


def dispose(app) -> None:
    """Close the seeding app's connections before the server takes over the database."""
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# -- Redis and RQ workers (the rq job backend) -------------------------------------------------
def require_redis() -> None:
    """Skip (fail under CI=true) when no Redis server answers at REDIS_URL."""
    import pytest
    import redis

    from tests.conftest import IN_CI

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        reason = f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def delete_rq_keys(client, queue_name):
    """Everything a test left in Redis: its queue, registries and jobs."""
    from rq import Queue

    q = Queue(queue_name, connection=client)
    job_ids = set(q.job_ids)
    for registry in (q.started_job_registry, q.finished_job_registry, q.failed_job_registry,
                     q.scheduled_job_registry, q.deferred_job_registry):
        job_ids |= set(registry.get_job_ids())
    for job_id in job_ids:
        for key in client.scan_iter(match=f"rq:*{job_id}*"):
            client.delete(key)
    for key in client.scan_iter(match=f"*{queue_name}*"):
        client.delete(key)
    client.srem("rq:queues", f"rq:queue:{queue_name}")
    for worker_key in client.smembers("rq:workers"):         # workers of this queue, stopped
        queues = client.hget(worker_key, "queues") or b""
        if queue_name.encode() in queues:
            client.srem("rq:workers", worker_key)
            client.delete(worker_key)


def stop_worker(proc: subprocess.Popen) -> None:
    """Stop a worker process started in its own session (``start_new_session=True``)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            # An idle worker blocked on Redis takes its time over a warm shutdown; a test's
            # worker has nothing left to finish, so it is not waited for long.
            proc.wait(3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
