"""Request input read strictly, in one place: integers, URL ids, JSON bodies, query strings
and form posts.

Why one module: ``str.isdigit()`` accepts "²" and "١٢", ``int()`` accepts any length, and
Python's ``json`` accepts NaN, 1e400 (as infinity), lone surrogates ("\\ud800") and nesting
until the interpreter's stack gives out. Each of those, passed on, became a 500 somewhere
further down: a ValueError, an OverflowError on SQLite, NumericValueOutOfRange or a refused
NUL byte on PostgreSQL, a UnicodeEncodeError when the driver encodes the text, a
RecursionError. Here every one of them is a 4xx with a message naming the field, before any
other code sees it.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Iterable

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

from .errors import RequestError

#: The largest value of the INTEGER columns that ids, revisions and numbers land in
#: (PostgreSQL ``integer``); anything beyond would fail in the database, not here.
MAX_INT = 2**31 - 1
_ASCII_INT = re.compile(r"[0-9]{1,10}")

#: Deeper JSON than this is refused: the patch body is four levels deep, so 64 leaves
#: room for any client while keeping every walk over the body short.
MAX_JSON_DEPTH = 64
#: Integer literals beyond 64 bits are refused before ``int()`` sees them (``int`` of a
#: 5,000-digit string raises, and every field's own range is far smaller).
MAX_JSON_INT = 2**63 - 1


def parse_int(raw: Any, lo: int = 0, hi: int = MAX_INT) -> int | None:
    """``raw`` as an integer if it is ASCII digits (surrounding blanks allowed) within
    ``lo..hi``; else None. Never raises, whatever ``raw`` is."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if lo <= raw <= hi else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def parse_id(raw: Any) -> int | None:
    """A row id: 1 to 2**31-1, as an int or ASCII digits; else None."""
    return parse_int(raw, 1, MAX_INT)


def parse_ids(raw: Iterable[str] | str | None) -> tuple[list[int], str | None]:
    """``"1,2,3"`` or ``["1", "2,3"]`` -> ([1, 2, 3], None), order kept and repeats
    dropped; ``(ids so far, the first part that is not an id)`` otherwise."""
    if raw is None:
        parts: list[str] = []
    elif isinstance(raw, str):
        parts = raw.split(",")
    else:
        parts = [p for chunk in raw for p in str(chunk).split(",")]
    ids: list[int] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        ident = parse_id(part)
        if ident is None:
            return ids, part
        if ident not in ids:
            ids.append(ident)
    return ids, None


def assessment_ids(raw: Iterable[str] | str | None, *, minimum: int, maximum: int) -> list[int]:
    """:func:`parse_ids` for a request naming ``minimum`` to ``maximum`` assessments: bad
    input is a 422 naming the problem, never a 500."""
    ids, bad = parse_ids(raw)
    if bad is not None:
        raise RequestError(422, _("ids must be a comma-separated list of assessment ids"),
                       {"ids": f"not an assessment id: {bad[:20]!r}"})
    if not minimum <= len(ids) <= maximum:
        raise RequestError(422, _("give %(low)s to %(high)s assessment ids", low=minimum, high=maximum),
                       {"ids": f"{len(ids)} given; between {minimum} and {maximum} needed"})
    return ids


def _digits_up_to(limit: int) -> str:
    """A regular expression matching exactly the ASCII numbers 0..limit (with at most as many
    digits as ``limit``): for 2**31-1, ``[0-9]{1,9}|[0-1][0-9]{9}|2[0-0][0-9]{8}|...``."""
    text = str(limit)
    alternatives = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            alternatives.append(f"{text[:i]}[0-{int(digit) - 1}][0-9]{{{len(text) - i - 1}}}")
    alternatives.append(text)
    return "(?:" + "|".join(alternatives) + ")"


class StrictIntConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits only and at most 2**31-1, so that an id
    beyond the integer column is a 404 like any other missing row, not an overflow in the
    database. (Werkzeug's own converter takes any length.) The bound is in the pattern
    itself: a value refused only by ``to_python`` lets Werkzeug answer 405 when a rule for
    another method has the same path."""

    regex = _digits_up_to(MAX_INT)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        cap = MAX_INT if max is None or max > MAX_INT else max
        super().__init__(map, fixed_digits, min, cap)
        self.regex = StrictIntConverter.regex  # never the signed pattern

    def to_python(self, value: str) -> int:
        if not _ASCII_INT.fullmatch(value):
            raise ValidationError()
        return super().to_python(value)


# -- JSON bodies ---------------------------------------------------------------------------------

class _OutOfRange:
    """A number literal the parser kept as text, reported with its path by the walk."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _parse_int(text: str):
    # 19 digits and a sign hold every 64-bit value; longer never reaches int().
    if len(text.lstrip("-")) > 19 or abs(int(text)) > MAX_JSON_INT:
        return _OutOfRange(text)
    return int(text)


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else _OutOfRange(text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def loads(data: bytes | str) -> Any:
    """Parse a JSON body strictly: 400 for what is not JSON (NaN and Infinity included) or
    nests deeper than MAX_JSON_DEPTH; 422 naming the path for a number out of range, a NUL
    character or a lone surrogate in any string or key."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError(400, _("the body must be JSON encoded as UTF-8"),
                           {"body": "not valid UTF-8"}) from None
    try:
        value = json.loads(data, parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_refuse_constant)
    except RecursionError:
        raise RequestError(400, _("the JSON body is nested too deeply"),
                       {"body": f"at most {MAX_JSON_DEPTH} levels"}) from None
    except ValueError as exc:  # JSONDecodeError included
        raise RequestError(400, _("the body must be valid JSON"), {"body": str(exc)[:200]}) from None
    problems = walk_problems(value)
    if problems:
        path, problem = problems[0]
        if problem.startswith("nested"):
            raise RequestError(400, _("the JSON body is nested too deeply"), {"body": f"{path}: {problem}"})
        # Details by top-level field, as every other 422 of the API (``ids``, ``answers``),
        # each naming the full path of its first problem.
        details: dict[str, str] = {}
        for where, what in problems:
            details.setdefault(re.split(r"[.\[]", where, maxsplit=1)[0] or "body", f"{where}: {what}")
        raise RequestError(422, _("%(path)s: %(problem)s; nothing was saved", path=path, problem=problem), details)
    return value


def walk_problems(value: Any) -> list[tuple[str, str]]:
    """(path, problem) for everything no field accepts, found without recursion; paths
    like ``answers.a1.evidence[0].note`` ("" for the body itself)."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return [(path or "body", f"nested deeper than {MAX_JSON_DEPTH} levels")]
        if isinstance(node, str):
            problem = text_problem(node)
            if problem:
                problems.append((path or "body", problem))
        elif isinstance(node, _OutOfRange):
            problems.append((path or "body", f"number out of range: {node.text[:20]}"
                                   f"{'...' if len(node.text) > 20 else ''}"))
        elif isinstance(node, dict):
            for key, child in node.items():
                problem = text_problem(key)
                name = key if not problem else ascii(key)
                child_path = f"{path}.{name}" if path else name
                if problem:
                    problems.append((child_path, f"key {problem}"))
                stack.append((child, child_path, depth + 1))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                stack.append((child, f"{path}[{index}]", depth + 1))
    problems.sort()
    return problems


def text_problem(text: str) -> str | None:
    """Why no text field can store ``text`` (None when it can): PostgreSQL refuses NUL in
    text, and a lone surrogate cannot be encoded as UTF-8 by either database driver."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (an unpaired \\ud800-\\udfff escape)"
    return None


def json_body() -> dict[str, Any]:
    """The request's JSON object, read strictly (see :func:`loads`). The body is read with
    ``get_data`` (not ``get_json(silent=True)``), so that a body over MAX_CONTENT_LENGTH is
    the 413 it is, not a cut body reported as malformed JSON (chunked bodies: see
    :func:`_read_unsized_body`)."""
    data = request.get_data(cache=True)
    if not data.strip():
        raise RequestError(400, _("the body must be a JSON object"), {"body": "empty"})
    value = loads(data)
    if not isinstance(value, dict):
        raise RequestError(400, _("the body must be a JSON object"), {"body": f"got {type(value).__name__}"})
    return value


# -- query strings, form posts and paths ---------------------------------------------------------

#: Endpoint -> its own request-size limit, where a route takes more than MAX_CONTENT_LENGTH
#: (attachments). Set before anything reads the body, so every check below uses it.
BODY_LIMITS: dict[str, Callable[[], int]] = {}


def _apply_body_limit() -> None:
    limit = BODY_LIMITS.get(request.endpoint or "")
    if limit is not None:
        request.max_content_length = limit()


def _read_unsized_body() -> None:
    """A body sent without a length (chunked) is read here, before anything parses it, and
    refused with 413 when it goes past MAX_CONTENT_LENGTH.

    Werkzeug limits such a stream (when the server terminates it, as gunicorn does) but its
    ``read()`` stops at the limit without a word: a JSON body was cut and reported as
    malformed JSON (400), and a url-encoded form was cut between two fields and parsed as if
    complete. Bodies with a Content-Length are refused by Werkzeug itself. The body read
    here is kept (``cache=True``); form and JSON parsing read it from there."""
    limit = request.max_content_length
    if (limit is None or request.content_length is not None
            or request.method not in ("POST", "PUT", "PATCH", "DELETE")
            or "wsgi.input_terminated" not in request.environ):
        return
    data = request.get_data(cache=True, parse_form_data=False)
    if len(data) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def _refuse_hostile_fields() -> None:
    """Before any view: nothing with a NUL character reaches a query (PostgreSQL refuses
    NUL in text, so it was a 500 wherever it was stored or compared), and no page sees a
    query parameter of plain digits beyond the integer columns (an id, a page or a year
    beyond 2**31-1 overflowed the column in the database).

    - The API refuses a query parameter with NUL: 422 naming it, like any other bad
      parameter value there. Its numeric parameters have their own strict parsers.
    - Pages drop such query parameters, as they ignore any other bad parameter (a filter
      that cannot match is no filter; the page still answers).
    - A form post with NUL is refused whole (400, nothing saved) rather than cleaned:
      cutting characters out of what someone typed would store something they did not
      write. Form fields are not checked for large numbers: they carry free text (a
      20-digit reference is text), and their numeric fields are parsed with their own
      bounds (levels, numbers, revisions)."""
    if "\x00" in request.path:
        raise RequestError(400, _("the address contains a NUL character"), {"path": "NUL (\\u0000)"})
    api = request.path.startswith("/api/")
    hostile = [(name, value) for name, value in request.args.items(multi=True)
               if "\x00" in name or "\x00" in value or (not api and _out_of_range(value))]
    if hostile and api:
        name = hostile[0][0]
        raise RequestError(422, _("the query parameter %(name)s contains a NUL character", name=ascii(name)),
                       {name: "NUL (\\u0000) is not allowed"})
    if hostile:
        request.args = request.parameter_storage_class(  # type: ignore[misc]
            [pair for pair in request.args.items(multi=True) if pair not in hostile])
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            if "\x00" in (name or "") or "\x00" in (value or ""):   # a part may carry no value
                raise RequestError(400, _("the form contains a NUL character (\\u0000), which no field "
                                 "accepts; nothing was saved"), {name: "NUL (\\u0000) is not allowed"})


def _out_of_range(value: str) -> bool:
    digits = value.strip()
    return digits.isascii() and digits.isdigit() and parse_int(digits) is None


def init_app(app: Flask) -> None:
    """Before the blueprints are registered: the strict ``int`` converter; and the check
    of paths, query strings and forms before every view."""
    app.url_map.converters["int"] = StrictIntConverter
    app.before_request(_apply_body_limit)
    app.before_request(_read_unsized_body)  # before CSRF or a view parses a form
    app.before_request(_refuse_hostile_fields)
