"""The tasks a job can run, by name (:data:`TASKS`): plain functions of JSON-able keyword
arguments, run in a worker process (never a web worker).  They need no app: the web process
hands them everything (the HTML, the cache directory), so ``rq worker`` or a spawned process
runs them as they are."""
from __future__ import annotations

from typing import Any, Callable

from . import JobFailed, progress


def render_pdf(*, html: str, key: str, cache_dir: str, max_files: int = 500,
               timeout: float | None = None) -> dict[str, Any]:
    """The PDF of ``html`` into the PDF cache under ``key``."""
    from reports.render import PdfCache, RenderTimeout, html_to_pdf

    cache = PdfCache(cache_dir, max_files)
    hit = cache.get(key)
    if hit is None:   # a job retried after its first run stored the PDF needs no second render
        try:
            pdf = html_to_pdf(html, timeout=timeout)
        except RenderTimeout as exc:
            raise JobFailed(str(exc)) from None
        hit = cache.put(key, pdf)
    progress(1, 1)
    return {"path": str(hit)}


def render_zip(*, documents: list[dict[str, Any]], cache_dir: str, result_path: str,
               max_files: int = 500, timeout: float | None = None) -> dict[str, Any]:
    """A batch: each document (``{"name", "key"}`` and the ``html`` when its PDF is not
    cached) rendered into the cache, then all of them in one ZIP at ``result_path``;
    progress counts the documents."""
    import os
    import tempfile
    import zipfile
    from pathlib import Path

    from reports.render import PdfCache, RenderTimeout, html_to_pdf

    cache = PdfCache(cache_dir, max_files)
    total = len(documents)
    files: list[tuple[str, Path]] = []
    for n, doc in enumerate(documents):
        path = cache.get(doc["key"])
        if path is None:
            try:
                path = cache.put(doc["key"], html_to_pdf(doc["html"], timeout=timeout))
            except RenderTimeout as exc:
                raise JobFailed(f"{doc['name']}: {exc}") from None
        files.append((doc["name"], path))
        progress(n + 1, total)
    target = Path(result_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as archive:
            for name, path in files:   # PDFs are compressed already
                archive.write(path, name)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"path": str(target)}


def sleep(*, seconds: float, marker: str | None = None) -> dict[str, Any]:
    """A job that only waits (tests of the queue itself: crashes, retries, progress)."""
    import time
    from pathlib import Path

    if marker:
        Path(marker).write_text(str(__import__("os").getpid()))
    steps = max(int(seconds * 10), 1)
    for n in range(steps):
        time.sleep(seconds / steps)
        progress(n + 1, steps)
    return {"slept": seconds}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "render_pdf": render_pdf,
    "render_zip": render_zip,
    "sleep": sleep,
}
