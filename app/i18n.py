"""Translation helpers: questionnaire texts are maps from language code to text."""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from datetime import datetime
from typing import Any, Iterator, NamedTuple

from flask import Flask
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton
from flask_babel import get_locale
from markupsafe import Markup


class _Resolved(NamedTuple):
    code: str
    translations: Any


#: The locale and its catalogue inside :func:`one_locale` (None: look them up each time).
_resolved: ContextVar[_Resolved | None] = ContextVar("resolved_locale", default=None)


@contextmanager
def one_locale() -> Iterator[None]:
    """Within the block, :func:`locale_code` and :func:`translate` answer from the locale and
    catalogue as they are on entry, looked up once: Flask-Babel looks them up through the
    request's context on every call (some 10 microseconds), and a results page writes some
    3,000 numbers and a thousand strings (issue 14).  For a render that does not change the
    locale itself: a ``force_locale`` entered inside the block would not be seen (one around
    it is)."""
    import flask_babel

    token = _resolved.set(_Resolved(locale_code(), flask_babel.get_translations()))
    try:
        yield
    finally:
        _resolved.reset(token)


def translate(string: str, **variables: Any) -> str:
    """``string`` translated by Flask-Babel into the current locale (then ``%(name)s``
    placeholders filled from ``variables``); the English string outside an app context, so
    that pure code (charts, report contexts) can run without Flask (tests).  Modules import it
    as ``_`` so that string extraction finds the calls."""
    import flask_babel

    resolved = _resolved.get()
    if resolved is not None:  # what Flask-Babel's Domain.gettext does, on the catalogue at hand
        text = resolved.translations.ugettext(string)
        return text % variables if variables else text
    try:
        return flask_babel.gettext(string, **variables)
    except RuntimeError:
        return string % variables if variables else string


def translate_plural(singular: str, plural: str, num: int, **variables: Any) -> str:
    """:func:`translate` for a text with a count (``%(num)s`` in it): Flask-Babel's
    ``ngettext``; the English text outside an app context."""
    import flask_babel

    resolved = _resolved.get()
    if resolved is not None:  # what Flask-Babel's Domain.ngettext does
        variables.setdefault("num", num)
        return resolved.translations.ungettext(singular, plural, num) % variables
    try:
        return flask_babel.ngettext(singular, plural, num, **variables)
    except RuntimeError:
        return (singular if num == 1 else plural) % dict(variables, num=num)


def N_(string: str) -> str:
    """Marks ``string`` for extraction only: translated where it is used, with ``_``."""
    return string


def localize(text: dict[str, str] | None, lang: str | None = None) -> str:
    """The text in the user's language, falling back to English."""
    if not text:
        return ""
    lang = lang or locale_code()
    return text.get(lang) or text.get(lang.split("_")[0]) or text.get("en", "")


def locale_code() -> str:
    """The current locale's code ('en' outside an app or request context)."""
    resolved = _resolved.get()
    if resolved is not None:
        return resolved.code
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside an app context: English
        return "en"


def _moment(value: Any) -> Any:
    """A datetime from one, or from its ISO text; other text as it is; None for nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def when(value: Any, zone: str | None = None, month: str = "MMM") -> str:
    """A time people read, the same on every page, in the reader's language and time zone
    (:mod:`app.timezones`; ``zone``: this IANA zone instead), the zone named: '3 May 2026,
    14:02 UTC', '3 mai 2026, 16:02 UTC+2' (``month="MMMM"``: the month written out, as in
    the reports: '3 mai 2026, 16:02 UTC+2')."""
    from .timezones import local

    value = _moment(value)
    if value is None or isinstance(value, str):
        return value or ""
    value, zone_name = local(value, zone)
    if locale_code().split("_")[0] in YEAR_FIRST:
        return (format_skeleton(f"y{month}d", value, locale=locale_code()) + " "
                + format_datetime(value, "HH:mm", locale=locale_code()) + " " + zone_name)
    comma = DATE_TIME_COMMA.get(locale_code().split("_")[0], ",")
    return format_datetime(value, f"d {month} y'{comma}' HH:mm", locale=locale_code()) + " " + zone_name


def day(value: Any, pattern: str = "d MMM y") -> str:
    """A date in the same style: '3 May 2026' (``pattern="d MMMM y"``: '3 mai 2026' in the
    reports, with the month written out)."""
    value = _moment(value)
    if value is None or isinstance(value, str):
        return value or ""
    if locale_code().split("_")[0] in YEAR_FIRST:  # 2026年12月4日, not "4 十二月 2026"
        return format_skeleton("yMMMMd" if "MMMM" in pattern else "yMMMd", value, locale=locale_code())
    return format_date(value, pattern, locale=locale_code())


#: Languages whose dates read year first: their CLDR pattern is used instead of "d MMM y".
YEAR_FIRST = frozenset({"zh", "ja", "ko"})
#: The comma between a date and its time where it is not ",": Arabic writes "،".
DATE_TIME_COMMA = {"ar": "،"}
#: What separates the items of a list where it is not ", ": the Arabic comma, and the
#: Chinese enumeration comma.
LIST_SEPARATOR = {"ar": "، ", "zh": "、"}


def list_separator() -> str:
    """The separator of a list's items in the reader's language (", ", "، ", "、")."""
    return LIST_SEPARATOR.get(locale_code().split("_")[0], ", ")


def listed(items: Any) -> str:
    """``items`` joined as the reader's language lists them (a Jinja filter: ``|listed``)."""
    return list_separator().join(str(i) for i in items)


#: The comma between two parts of a line ("Submission 1, 28 Nov 2025") where it is not ", ":
#: the Arabic comma, and the Chinese full-width comma (not the enumeration comma of lists).
CLAUSE_COMMA = {"ar": "\u060c ", "zh": "\uff0c"}


def comma() -> str:
    """The comma between two parts of a line in the reader's language (", ", "، ", "，")."""
    return CLAUSE_COMMA.get(locale_code().split("_")[0], ", ")


#: What follows a label ("Evidence: ...") where it is not ": ": French puts a no-break space
#: before the colon, Chinese writes the full-width colon (its space included).
LABEL_COLON = {"fr": "\u00a0: ", "zh": "\uff1a"}
#: What separates entries that may hold commas where it is not "; ": French puts a no-break
#: space before the semicolon, Chinese and Arabic have their own.
SEMICOLON = {"fr": "\u00a0; ", "zh": "\uff1b", "ar": "\u061b "}


def colon() -> str:
    """The colon after a label, with its space, in the reader's language (": ", " : ", "："):
    a template writes ``{{ label }}{{ colon() }}{{ text }}``, never a Latin colon glued on."""
    return LABEL_COLON.get(locale_code().split("_")[0], ": ")


def semicolon() -> str:
    """The separator of entries that may hold commas in the reader's language ("; ", " ; ")."""
    return SEMICOLON.get(locale_code().split("_")[0], "; ")


#: The brackets around words in parentheses where they are not " (…)": Chinese text takes
#: full-width ones, with no space before them ("部委（政府）").  Arabic keeps the ASCII ones: the
#: bidi algorithm mirrors them.
PARENTHESES = {"zh": ("（", "）")}


def paren(text: Any, lang: str | None = None) -> str:
    """`` (text)`` after the word it qualifies, as the reader's language (or ``lang``) writes
    it: "Ministry (government)", "部委（政府）".  For translated words only: a code or a number
    keeps its ASCII brackets ("(KE)", "(a)").  Markup in, Markup out; a plain string is left
    to the template's escaping (a Jinja global and filter)."""
    opening, closing = PARENTHESES.get((lang or locale_code()).split("_")[0], (" (", ")"))
    if hasattr(text, "__html__"):
        return Markup(opening) + text + Markup(closing)
    return f"{opening}{text}{closing}"


#: Each language's name in itself (the language chooser), and those written right to left.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文",
                  "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})


def script_direction(text: str | None) -> str:
    """``rtl`` when the first strongly directional character of ``text`` is right-to-left
    (Arabic, Hebrew, ...), else ``ltr`` (the Unicode bidi algorithm's rule P2): the
    direction a user's own text or a label is laid out in, whatever the page's."""
    for ch in text or "":
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def text_direction(lang: str | None = None) -> str:
    """``rtl`` or ``ltr``, for ``<html dir>`` on pages and in the reports."""
    lang = (lang or str(get_locale() or "en")).split("_")[0]
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def is_draft_translation(lang: str | None = None) -> bool:
    """Whether ``lang``'s translation is still a draft made by machine (``DRAFT_LANGUAGES``):
    pages and reports in it say so."""
    from flask import current_app, has_app_context

    lang = (lang or str(get_locale() or "en")).split("_")[0]
    return has_app_context() and lang in current_app.config.get("DRAFT_LANGUAGES", ())


def language_name(code: str | None) -> str:
    """The name of language ``code`` in the reader's language ("French", "français",
    "французский"): for telling a reader which language someone else's text is in."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(locale_code()) or code
    except (ValueError, UnknownLocaleError):
        return code


#: The cookie that keeps the language a visitor chose before signing in (the sign-in page's
#: language switch, a GET form with ``?lang=``): a year, then the browser's language again.
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def chosen_language(languages) -> str | None:
    """The language chosen on the sign-in page: ``?lang=`` on this request, else the cookie
    that keeps it; ``None`` when neither names one of ``languages``."""
    from flask import request

    for value in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if value in languages:
            return value
    return None


def _keep_chosen_language(response):
    """Keeps a signed-out visitor's ``?lang=`` choice in a cookie ("" forgets it)."""
    from flask import current_app, request
    from flask_login import current_user

    value = request.args.get("lang")
    if value is None or getattr(current_user, "is_authenticated", False):
        return response
    if value in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, value, max_age=LANGUAGE_COOKIE_AGE, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    elif value == "":
        response.delete_cookie(LANGUAGE_COOKIE)
    return response


#: Counts that between them reach every CLDR plural category an integer can have, in each
#: of the six languages (Arabic: zero, one, two, few, many, other).
_PLURAL_PROBES = (0, 1, 2, 3, 5, 11, 21, 100, 101, 1000000)


@lru_cache(maxsize=16)
def _plural_samples(code: str) -> tuple[tuple[str, int], ...]:
    try:
        rule = Locale.parse(code).plural_form
    except (ValueError, UnknownLocaleError):
        rule = Locale.parse("en").plural_form
    samples: dict[str, int] = {}
    for n in _PLURAL_PROBES:
        samples.setdefault(rule(n), n)
    return tuple(samples.items())


def plural_samples() -> tuple[tuple[str, int], ...]:
    """Each CLDR plural category of the reader's language with a count that falls in it
    (Russian: one 1, few 2, many 0), so that a page can give its script a message per
    category and the script pick one with ``Intl.PluralRules``, the same rules."""
    return _plural_samples(locale_code())


def init_app(app: Flask) -> None:
    from .display.bidi import isolate, ltr
    from .display.labels import questionnaire_name, status_label   # the display vocabulary builds on this module

    app.jinja_env.filters["ltr"] = app.jinja_env.globals["ltr"] = ltr
    app.jinja_env.filters["bdi"] = app.jinja_env.globals["bdi"] = isolate
    app.jinja_env.globals["plural_samples"] = plural_samples
    app.jinja_env.globals["list_separator"] = list_separator
    app.jinja_env.globals["colon"] = colon
    app.jinja_env.globals["comma"] = comma
    app.jinja_env.globals["semicolon"] = semicolon
    app.jinja_env.filters["paren"] = app.jinja_env.globals["paren"] = paren
    app.jinja_env.filters["listed"] = listed
    app.jinja_env.filters["t"] = localize
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["status_label"] = status_label
    app.jinja_env.globals["questionnaire_name"] = questionnaire_name
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day

    @app.context_processor
    def _locale():
        return {"current_locale": lambda: str(get_locale() or "en"),
                "current_dir": text_direction,
                "draft_translation": is_draft_translation, "language_names": LANGUAGE_NAMES}

    app.after_request(_keep_chosen_language)
