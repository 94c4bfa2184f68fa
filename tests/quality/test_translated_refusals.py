"""No refusal is written in English only: every message given to RequestError (ApiError) or
json_error in app/ is a translated text (gettext), a variable or an expression, never a bare
string literal or f-string (which would reach every client in English)."""
from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
CALLEES = {"RequestError", "ApiError", "json_error", "_storage_refused"}


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def bare_messages(source: str) -> list[int]:
    """Line numbers of calls whose message (second argument) is a literal or an f-string."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in CALLEES and len(node.args) >= 2:
            message = node.args[1]
            if isinstance(message, ast.JoinedStr) or (
                    isinstance(message, ast.Constant) and isinstance(message.value, str)):
                lines.append(node.lineno)
    return lines


def test_the_scan_sees_literals_and_f_strings():
    assert bare_messages('raise RequestError(409, "not open")\njson_error(400, f"bad {x}")\n') == [1, 2]
    assert bare_messages('raise RequestError(409, _("not open"))\nerrors.json_error(400, message)\n') == []


def test_no_refusal_message_is_a_bare_english_literal():
    found = [f"{path.relative_to(APP.parent)}:{line}" for path in sorted(APP.rglob("*.py"))
             for line in bare_messages(path.read_text(encoding="utf-8"))]
    assert found == []
