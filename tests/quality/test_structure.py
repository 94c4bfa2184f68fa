"""Small modules, short functions (issue 17): no module under app/ over MAX_MODULE_LINES lines
and no function over MAX_FUNCTION_LINES, unless ALLOWED says why.  A plain count of lines, the
docstring and comments included (what a reader has to read), not ruff's statement counts.

And no module under tests/ imports from a test module (``test_*.py``, pytest.ini's
python_files): shared builders live in tests/factories/ (or tests/clients.py,
tests/servers.py), shared fixtures in a conftest.py, so that no test module's fixtures,
globals and tests are pulled into another."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
TESTS = ROOT / "tests"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60

#: Justified exceptions: a module's path (relative to the repository) or a function's
#: "path:qualname" -> why it may be longer.  Each entry must still be needed (see below).
ALLOWED: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualname, lines) of every function and method, nested ones included; a function's
    lines run from its ``def`` to its last line (decorators not counted)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node.end_lineno - node.lineno + 1
            yield from _functions(node, f"{prefix}{node.name}.<locals>.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def measure() -> dict[str, tuple[int, int]]:
    """Every module's and function's size over its limit: name -> (lines, limit)."""
    over: dict[str, tuple[int, int]] = {}
    for path in _modules():
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            over[name] = (lines, MAX_MODULE_LINES)
        for qualname, length in _functions(ast.parse(source, filename=name)):
            if length > MAX_FUNCTION_LINES:
                over[f"{name}:{qualname}"] = (length, MAX_FUNCTION_LINES)
    return over


def test_modules_and_functions_are_small():
    over = {name: size for name, size in measure().items() if name not in ALLOWED}
    assert not over, "over the limit (split it, or add it to ALLOWED with the reason):\n" + "\n".join(
        f"  {name}: {lines} lines (limit {limit})" for name, (lines, limit) in sorted(over.items()))


def test_every_exception_is_still_needed_and_says_why():
    over = measure()
    stale = sorted(name for name in ALLOWED if name not in over)
    assert not stale, f"no longer over the limit, remove from ALLOWED: {stale}"
    assert all(reason.strip() for reason in ALLOWED.values())


@pytest.mark.parametrize("source, expected", [
    ("def f():\n" + "    x = 1\n" * 60, {"f": 61}),
    ("class C:\n    def m(self):\n" + "        pass\n" * 59 + "\n", {"C.m": 60}),
    ("def outer():\n    def inner():\n" + "        pass\n" * 61, {"outer": 63, "outer.<locals>.inner": 62}),
])
def test_the_count_sees_functions_methods_and_nested_ones(source, expected):
    assert dict(_functions(ast.parse(source))) == expected


# -- no test module imports another -----------------------------------------------------------
def _is_test_module(dotted: str) -> bool:
    return any(part.startswith("test_") for part in dotted.split("."))


def imports_of_test_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import, at any depth, of a test module: ``import tests.a.test_b``,
    ``from tests.a.test_b import x``, ``from tests.a import test_b``, and the relative forms."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _is_test_module(module):
                found.append((node.lineno, module))
            else:
                joint = "" if module.endswith(".") else "."
                found += [(node.lineno, f"{module}{joint}{alias.name}") for alias in node.names
                          if alias.name.startswith("test_")]
    return found


def test_no_module_under_tests_imports_a_test_module():
    found = [f"  {path.relative_to(ROOT).as_posix()}:{line}: {module}"
             for path in sorted(TESTS.rglob("*.py"))
             for line, module in imports_of_test_modules(ast.parse(path.read_text(encoding="utf-8"), str(path)))]
    assert not found, ("a test module imported (move the helper to tests/factories/, or the fixture "
                       "to a conftest.py):\n" + "\n".join(found))


@pytest.mark.parametrize("source, expected", [
    ("from tests.auth.test_auth import org_id", [(1, "tests.auth.test_auth")]),
    ("import tests.scoring.test_scoring_rules as rules", [(1, "tests.scoring.test_scoring_rules")]),
    ("from tests.shadow import test_shadow", [(1, "tests.shadow.test_shadow")]),
    ("def f():\n    from .test_jobs import wait_for", [(2, ".test_jobs")]),
    ("from . import conftest, test_jobs", [(1, ".test_jobs")]),
    ("from .. import test_jobs", [(1, "..test_jobs")]),
    ("from test_workbooks import fill", [(1, "test_workbooks")]),
    ("from tests.factories import test_data\nimport pytest", [(1, "tests.factories.test_data")]),
    ("from tests.factories import world\nfrom tests.browser.conftest import login\n"
     "from tests import servers\nimport testing.postgresql\nfrom app.tests_util import x", []),
])
def test_the_scan_sees_every_form_of_import(source, expected):
    assert imports_of_test_modules(ast.parse(source)) == expected
