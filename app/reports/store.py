"""A PDF cache every web and worker machine shares: the disk cache in front of a table.

The default cache (:class:`~app.reports.render.PdfCache`) is a directory, which is shared only
when every machine mounts the same one.  With ``PDF_SHARED_STORE`` set (``database`` for the
app's own database, or any SQLAlchemy URL), a PDF one worker renders is written to the
``report_files`` table as well, and any machine that misses on its own disk reads it from
there and keeps a local copy.  Rows are content-addressed (the key digests everything that
shapes the PDF), so a second insert of the same key is simply dropped, and nothing needs a
lock.  It runs in job processes too, which have no Flask app: plain SQLAlchemy Core on an
engine per URL and process.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from ..models.files import ReportFile
from .render import PdfCache

TABLE = ReportFile.__table__
_engines: dict[tuple[int, str], Engine] = {}
_lock = threading.Lock()


def _engine(url: str) -> Engine:
    # One engine per process and URL: a forked job process must not reuse its parent's pool.
    key = (os.getpid(), url)
    with _lock:
        if key not in _engines:
            _engines[key] = create_engine(url, pool_pre_ping=True)
        return _engines[key]


class SharedPdfCache(PdfCache):
    """:class:`PdfCache` on local disk, backed by the ``report_files`` table at ``shared_url``;
    the table keeps at most ``max_files`` PDFs too (the oldest go first)."""

    def __init__(self, directory, max_files: int = 500, shared_url: str | None = None):
        super().__init__(directory, max_files)
        if not shared_url:
            raise ValueError("a shared PDF cache needs a database URL")
        self.shared_url = shared_url

    def get(self, key: str) -> Path | None:
        local = super().get(key)
        if local is not None:
            return local
        with _engine(self.shared_url).connect() as conn:
            pdf = conn.scalar(select(TABLE.c.pdf).where(TABLE.c.key == key))
        return None if pdf is None else super().put(key, bytes(pdf))

    def put(self, key: str, pdf: bytes) -> Path | None:
        path = super().put(key, pdf)
        try:
            with _engine(self.shared_url).begin() as conn:
                conn.execute(insert(TABLE).values(key=key, pdf=pdf, size=len(pdf)))
                self._trim_shared(conn)
        except IntegrityError:
            pass   # another machine stored the same PDF first: same key, same bytes
        return path

    def _trim_shared(self, conn) -> None:
        extra = conn.scalar(select(func.count()).select_from(TABLE)) - self.max_files
        if extra > 0:
            oldest = select(TABLE.c.key).order_by(TABLE.c.created_at).limit(extra)
            conn.execute(delete(TABLE).where(TABLE.c.key.in_(oldest.scalar_subquery())))

    def clear(self) -> int:
        n = super().clear()
        with _engine(self.shared_url).begin() as conn:
            n = max(n, conn.execute(delete(TABLE)).rowcount or 0)
        return n


def pdf_cache(directory, max_files: int = 500, shared_url: str | None = None) -> PdfCache:
    """The PDF cache for these settings: shared through the database when ``shared_url``
    is given, the local directory alone otherwise."""
    if shared_url:
        return SharedPdfCache(directory, max_files, shared_url)
    return PdfCache(directory, max_files)


def job_arguments(cache: PdfCache) -> dict:
    """What a render job needs to rebuild ``cache`` in its own process."""
    return {"cache_dir": str(cache.directory), "max_files": cache.max_files,
            "shared_url": getattr(cache, "shared_url", None)}
