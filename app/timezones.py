"""The reader's time zone (issue 18: every time was shown in UTC only): their account's
setting, else their browser's (a cookie that static/js/timezone.js sets), else UTC.  Times
are stored in UTC and converted only when shown, always with the zone's offset after them.

Work done for a reader outside their request (a report warmed in the background for the
person who made a change) names the zone with :func:`force_zone`."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Iterator
from zoneinfo import ZoneInfo, available_timezones

#: The cookie the browser's zone comes in (an IANA name such as "Africa/Nairobi").
COOKIE = "tz"
UTC = "UTC"


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every zone offered: the IANA names with a region ("Europe/Paris"), and UTC."""
    return (UTC, *sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/"))))


def valid(name: str | None) -> bool:
    return bool(name) and name in names()


_FORCED: ContextVar[str | None] = ContextVar("forced_time_zone", default=None)


@contextmanager
def force_zone(name: str | None) -> Iterator[None]:
    """Within the block, :func:`reader_zone` is ``name`` (when valid), whoever asks."""
    token = _FORCED.set(name if valid(name) else None)
    try:
        yield
    finally:
        _FORCED.reset(token)


def reader_zone() -> str:
    """The zone of whoever reads the page: account, then browser, then UTC.  Outside a
    request (a report rendered by a job, the command line): UTC, and the times say so;
    inside :func:`force_zone`: that zone."""
    from flask import has_request_context, request
    from flask_login import current_user

    forced = _FORCED.get()
    if forced:
        return forced
    if not has_request_context():
        return UTC
    if getattr(current_user, "is_authenticated", False) and valid(getattr(current_user, "time_zone", None)):
        return current_user.time_zone
    cookie = request.cookies.get(COOKIE, "")
    return cookie if valid(cookie) else UTC


def zone(name: str | None = None) -> ZoneInfo:
    return ZoneInfo(name or reader_zone())


def local(moment, name: str | None = None):
    """(the moment in zone ``name``, by default the reader's, how to name the zone after the
    time): "UTC", or its offset then, "UTC+3", "UTC-5:30" (short, the same in every
    language, and never ambiguous the way abbreviations are)."""
    from datetime import timezone

    name = name if valid(name) else reader_zone()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(zone(name))
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if minutes == 0 and name == UTC:
        return moment, UTC
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return moment, f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
