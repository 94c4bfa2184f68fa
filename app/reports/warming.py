"""Reports rendered ahead of their first download.

A gap report of a full assessment is some 30 pages and 100,000 characters; WeasyPrint takes
seconds to lay that out (``tests/perf/bench_reports.py`` measures it).  Nobody should wait
for that when the report could not have changed since it was last possible to render it.  So
when an assessment's report changes *for good* (it is submitted, a reviewer moves it on or
returns it, a comment is added, its score is recomputed, its organisation's logo changes),
the web process renders its reports
into the PDF cache in the background, right after the change is committed; the download that
follows is a cache hit.  Drafts are not warmed: their answers change by the minute.

How a change is noticed: one pair of SQLAlchemy session hooks, so that every path that
changes an assessment (pages, API) is covered without a call in each view.  ``after_flush``
notes the assessments whose status, score or revision changed and those that received a
comment; ``after_commit`` hands them to the :class:`Warmer`; a rollback forgets them.  Only
changes made inside a request are warmed: the command line has ``report warm`` and would
otherwise wait for the renders before it could exit.

The :class:`Warmer` is one background thread per process that only *queues* renders: for
each report not in the cache it gathers the inputs and builds the HTML (the part that needs
the database), and hands the rendering to the job queue (:mod:`app.jobs`), the same queue
and the same job as a download of that report (the job id comes from the cache key): a
download of the very report being warmed waits for that job instead of starting another,
and no PDF is ever laid out in a web process.

Reports are warmed in the locale and time zone of the person who made the change (they
download next, often) and in those of the person who created the assessment: a report's
times are written in its reader's zone (:mod:`app.reports`, Times in the PDFs).

Configuration: ``REPORT_WARMING`` is ``True`` by default and ``False`` under ``TestConfig``
(tests that need it switch it on); ``REPORT_WARMING_KINDS`` lists the kinds to warm.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Iterable

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.lifecycle import LIVE_SCORE
from app.timezones import UTC, force_zone, reader_zone, valid

from .context import KINDS

log = logging.getLogger(__name__)

#: The session's ``info`` key under which changed assessment ids wait for the commit.
_PENDING = "reports.warm"
#: Attributes of an assessment whose change changes its reports for good.
_WATCHED = ("status", "score", "revision")


class Warmer:
    """Renders reports into the PDF cache on one background thread."""

    def __init__(self, app: Flask, kinds: Iterable[str] = KINDS):
        self.app = app
        self.kinds = tuple(k for k in kinds if k in KINDS)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-warm")
        self._lock = threading.Lock()
        self._queued: set[tuple[int, str, str]] = set()
        self._futures: list[Future] = []
        self._jobs: list[str] = []    # render jobs queued by this warmer, for wait()

    def schedule(self, assessment_ids: Iterable[int], lang: str, zone: str = UTC) -> None:
        """Queue the reports of ``assessment_ids`` in locale ``lang`` and time zone ``zone``
        (each at most once while queued: five comments in a row warm once)."""
        with self._lock:
            for assessment_id in sorted(set(assessment_ids)):
                if (assessment_id, lang, zone) in self._queued:
                    continue
                self._queued.add((assessment_id, lang, zone))
                self._futures.append(self._pool.submit(self._warm, assessment_id, lang, zone))
            self._futures = [f for f in self._futures if not f.done()]

    def schedule_organisations(self, organisation_ids: Iterable[int], lang: str, zone: str = UTC) -> None:
        """Queue the reports of every finished assessment of ``organisation_ids`` (their logo
        changed: it is on every report's cover)."""
        with self._lock:
            self._futures.append(self._pool.submit(self._expand, sorted(set(organisation_ids)), lang, zone))

    def _expand(self, organisation_ids: list[int], lang: str, zone: str) -> None:
        from app.assessments.queries import assessment_ids_of_organisations
        from app.extensions import db

        with self.app.app_context():
            try:
                ids = assessment_ids_of_organisations(organisation_ids, excluding=LIVE_SCORE)
            finally:
                db.session.remove()
        for assessment_id in ids:   # on this thread: the queue stays in order
            self._warm(assessment_id, lang, zone)

    def wait(self, timeout: float | None = None) -> None:
        """Block until everything queued so far is done, the render jobs included (tests)."""
        import time

        from app.jobs import queue

        deadline = time.monotonic() + (timeout if timeout is not None else 3600)
        with self._lock:
            futures = list(self._futures)
        for future in futures:
            future.result(timeout=max(deadline - time.monotonic(), 0))
        with self._lock:
            job_ids, self._jobs = list(self._jobs), []
        with self.app.app_context():
            jobs = queue()
            for job_id in job_ids:
                state = jobs.wait(job_id, max(deadline - time.monotonic(), 0))
                if state is not None and not state.finished:
                    raise TimeoutError(f"render job {job_id} still {state.status}")

    def _warm(self, assessment_id: int, lang: str, zone: str = UTC) -> None:
        with self._lock:
            self._queued.discard((assessment_id, lang, zone))
        from app.assessments.queries import assessment_by_id
        from app.extensions import db

        from .web import cache

        with self.app.app_context():
            try:
                store = cache()
                assessment = assessment_by_id(assessment_id)
                if not store.enabled or assessment is None:
                    return
                for locale, reader_zone in self.editions_for(assessment, lang, zone):
                    with force_zone(reader_zone):
                        self._warm_in(assessment, locale, store)
            except Exception:
                log.exception("warming the reports of assessment %s failed", assessment_id)
            finally:
                db.session.remove()

    def editions_for(self, assessment, lang: str, zone: str = UTC) -> list[tuple[str, str]]:
        """(locale, time zone) of the change (the person who made it downloads next, often)
        and of the person who created the assessment (their preferred locale when it is one
        the application offers, their zone when they chose one), when that is another."""
        editions = [(lang, zone)]
        owner = assessment.created_by
        if owner is not None:
            preferred = owner.locale if owner.locale in self.app.config.get("LANGUAGES", ()) else lang
            theirs = (preferred, owner.time_zone if valid(owner.time_zone) else zone)
            if theirs not in editions:
                editions.append(theirs)
        return editions

    def _warm_in(self, assessment, lang: str, store) -> None:
        import flask_babel

        from app.jobs import QueueUnavailable

        from . import start_render
        from .inputs import report_key

        if assessment.status in LIVE_SCORE:
            return
        # Not the download's limit: nobody waits on this, but a render must still end.
        limit = 4 * (self.app.config.get("PDF_RENDER_TIMEOUT_SECONDS") or 60)
        with flask_babel.force_locale(lang):
            for kind in self.kinds:
                key = report_key(assessment, kind, lang)
                if store.get(key) is not None:
                    continue
                try:
                    state = start_render(assessment, kind, cache=store, lang=lang, timeout=limit, key=key)
                except QueueUnavailable as exc:
                    log.warning("warming the %s report of assessment %s: %s", kind, assessment.id, exc)
                    return
                with self._lock:
                    self._jobs.append(state.id)


def init_app(app: Flask) -> None:
    """Installs the warmer when ``REPORT_WARMING`` is on (and a PDF cache is configured)."""
    if app.config.get("REPORT_WARMING", True) and app.config.get("PDF_CACHE_DIR"):
        app.extensions["report_warmer"] = Warmer(app, app.config.get("REPORT_WARMING_KINDS", KINDS))
        app.before_request(_note_locale)


def _note_locale() -> None:
    """The locale and time zone of a request that may change something, worked out at its start: after a
    commit no SQL may run, and the locale selector may need to load the user.  Reads (and
    static files) change nothing worth warming and skip this."""
    from flask import request

    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    from .inputs import render_locale

    g.report_locale = render_locale()
    g.report_zone = reader_zone()


def warmer() -> Warmer | None:
    return current_app.extensions.get("report_warmer")


def changed_assessments(session: Session) -> set[int]:
    """The ids of the assessments whose reports this flush changes for good: a watched
    attribute of a non-draft assessment changed, or a comment was added."""
    from app.models import Assessment, Comment

    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Comment) and obj.assessment_id is not None:
            ids.add(obj.assessment_id)
    for obj in session.dirty:
        if isinstance(obj, Assessment) and obj.status not in LIVE_SCORE:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _WATCHED):
                ids.add(obj.id)
    return ids


def changed_logos(session: Session) -> set[int]:
    """The ids of the organisations whose logo this flush changed (or removed)."""
    from app.models import Organisation

    return {obj.id for obj in session.dirty if isinstance(obj, Organisation)
            and inspect(obj).attrs["logo"].history.has_changes()}


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush_context) -> None:
    if not has_request_context() or warmer() is None:
        return
    pending = session.info.setdefault(_PENDING, {"assessments": set(), "organisations": set()})
    pending["assessments"] |= changed_assessments(session)
    pending["organisations"] |= changed_logos(session)


@event.listens_for(Session, "after_commit")
def _warm_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not any(pending.values()) or not has_request_context():
        return
    target = warmer()
    if target is None:
        return
    lang = g.get("report_locale") or target.app.config.get("BABEL_DEFAULT_LOCALE", "en")
    zone = g.get("report_zone") or UTC
    if pending["assessments"]:
        target.schedule(pending["assessments"], lang, zone)
    if pending["organisations"]:
        target.schedule_organisations(pending["organisations"], lang, zone)


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)
