"""Where SQL lives (issue 17, point 6): each statement in a module named for what it does.

The rule, as this test reads it from the syntax tree of every module under app/:

* **Reads** -- building a statement with sqlalchemy's ``select`` (``exists``, ``union``; a
  subquery too), and the session's ``get``, ``scalar``, ``scalars`` and ``query`` -- appear
  only in modules named ``queries``: ``app/<area>/queries.py``, one per area (app.auth.queries,
  app.assessments.queries, app.contributors.queries, app.review.queries, ...).  Their public
  functions are named for what they return (``user_with_email``, ``latest_submission``) and
  each name is defined in one queries module only, so an import says which area answers.
  They parse no request: a view or form turns what was sent into plain values first.
* **Writes** -- the session's ``add``, ``add_all``, ``delete``, ``merge``, ``flush``,
  ``refresh`` and ``expire``, and sqlalchemy ``update``/``insert``/``delete`` statements
  (e.g. the no-op UPDATE that is app.assessments.locking's lock) -- appear only in modules
  named ``operations``, ``locking`` or ``store``.  An operation that must read first asks its
  area's queries module.
* ``session.execute`` and raw ``text()`` SQL run reads or writes: in those two kinds of
  module only.
* **Views never touch the session**: a module that declares routes (``@bp.route``,
  ``@bp.get`` ...) does not name ``db.session`` at all; it calls queries and operations.
  (Who commits is tests/test_transaction.py's rule: the request, a command, a job.)
* **Authorization stays in app.auth.policy**, the one place that decides who sees what.  It
  hands out SQL *conditions* on ``Assessment`` (``visibility_clause``, ``reachable_clause``:
  column expressions; the contributor's part is a subquery app.auth.queries builds) and the
  queries modules put them in their ``where``.  The policy itself runs no statement: the two
  rows it needs (an assessment under its condition, a user's contribution) it asks of
  app.auth.queries, which imports nothing of the policy.
* Command-line commands and the demo seeding call queries and operations as views do.

``ALLOWED`` names the few modules excepted, each with its reason.
"""
from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

READ_MODULES = {"queries"}
WRITE_MODULES = {"operations", "locking", "store"}

#: sqlalchemy constructs by what they make.
READ_CONSTRUCTS = {"select", "exists", "union", "union_all"}
WRITE_CONSTRUCTS = {"update", "insert", "delete"}
RAW_SQL = {"text"}
#: Session methods by what they do.
READ_METHODS = {"get", "scalar", "scalars", "query"}
WRITE_METHODS = {"add", "add_all", "delete", "merge", "flush", "refresh", "expire", "expire_all",
                 "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
RUN_METHODS = {"execute"}

ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}

#: module (path under app/) -> {kind of finding: reason}.
ALLOWED: dict[str, dict[str, str]] = {
    "reports/store.py": {"read": "the shared PDF cache's own key-value table, on an engine of its own "
                                 "(job processes have no app session): its get and put are one class"},
    "demo.py": dict.fromkeys(("write", "run"), "dates the demo's past-year rows back into their year: a "
                             "demo-only UPDATE that no product operation makes"),
}


def _sqlalchemy_names(tree: ast.Module) -> tuple[dict[str, str], set[str], set[str]]:
    """(local name -> sqlalchemy construct, names of the sqlalchemy module itself, names of
    flask's cookie ``session``: not the database's)."""
    constructs: dict[str, str] = {}
    modules: set[str] = set()
    flask_session: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sqlalchemy":
            for alias in node.names:
                constructs[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "flask":
            flask_session |= {alias.asname or alias.name for alias in node.names if alias.name == "session"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "sqlalchemy"}
    return constructs, modules, flask_session


def _is_session(node: ast.AST, flask_session: set[str]) -> bool:
    """``db.session`` (any ``<x>.session``) or a ``session`` variable (a parameter)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "session"
    return isinstance(node, ast.Name) and node.id == "session" and node.id not in flask_session


def findings(path: Path) -> list[tuple[str, int, str]]:
    """(kind, line, what) for each SQL read, write or run in the module: kind is ``read``,
    ``write``, ``run`` (execute, text) or ``session`` (any naming of ``db.session``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    constructs, modules, flask_session = _sqlalchemy_names(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "session" and isinstance(node.value, ast.Name) \
                and node.value.id == "db":
            out.append(("session", node.lineno, "db.session"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        construct = None
        if isinstance(func, ast.Name) and func.id in constructs:
            construct = constructs[func.id]
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
            construct = func.attr
        if construct in READ_CONSTRUCTS:
            out.append(("read", node.lineno, f"{construct}()"))
        elif construct in WRITE_CONSTRUCTS:
            out.append(("write", node.lineno, f"{construct}()"))
        elif construct in RAW_SQL:
            out.append(("run", node.lineno, f"{construct}()"))
        if isinstance(func, ast.Attribute) and _is_session(func.value, flask_session):
            kind = ("read" if func.attr in READ_METHODS else "write" if func.attr in WRITE_METHODS
                    else "run" if func.attr in RUN_METHODS else None)
            if kind:
                out.append((kind, node.lineno, f"session.{func.attr}()"))
    return out


def declares_routes(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS \
                        and isinstance(target.value, ast.Name) and target.value.id.endswith("bp"):
                    return True
    return False


def _modules():
    for path in sorted(APP.rglob("*.py")):
        if "migrations" not in path.relative_to(APP).parts:
            yield path.relative_to(APP).as_posix(), path


def _misplaced(kinds_allowed) -> list[str]:
    out = []
    for name, path in _modules():
        stem = path.stem
        excepted = ALLOWED.get(name, {})
        for kind, line, what in findings(path):
            if kind in kinds_allowed(stem) or kind in excepted or kind == "session":
                continue
            out.append(f"app/{name}:{line}: {what} ({kind})")
    return out


def test_reads_only_in_queries_modules():
    """A read outside a queries module (select(), session.get/scalar/scalars/query)."""
    assert _misplaced(lambda stem: {"write", "run"} | ({"read"} if stem in READ_MODULES else set())) == []


def test_writes_only_in_operations_locking_or_store_modules():
    assert _misplaced(lambda stem: {"read", "run"} | ({"write"} if stem in WRITE_MODULES else set())) == []


def test_statements_run_only_in_queries_or_write_modules():
    """session.execute and text() SQL: reads or writes, so only where either belongs."""
    assert _misplaced(lambda stem: {"read", "write"} | (
        {"run"} if stem in READ_MODULES | WRITE_MODULES else set())) == []


def test_queries_modules_never_write():
    found = [f"app/{name}:{line}: {what}" for name, path in _modules() if path.stem in READ_MODULES
             for kind, line, what in findings(path) if kind == "write"]
    assert found == []


#: What parses a request: never imported by a queries module.
REQUEST_PARSING = {("flask", "request"), ("app.http_input", None), ("http_input", None)}


def _imports(path: Path) -> set[tuple[str, str]]:
    """(module, name) of each ``from module import name`` (relative modules without their dots)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {(node.module or "", alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names}


def test_queries_modules_parse_no_request():
    """A view or form turns what was sent into plain values (ids, codes, lists) first."""
    found = [f"app/{name}: from {module} import {imported}" for name, path in _modules()
             if path.stem in READ_MODULES for module, imported in _imports(path)
             if (module, imported) in REQUEST_PARSING or (module.split(".")[-1], None) in REQUEST_PARSING]
    assert found == []


def test_views_never_touch_the_session():
    found = [f"app/{name}:{line}: {what}" for name, path in _modules() if declares_routes(path)
             for kind, line, what in findings(path) if kind == "session"]
    assert found == []


def test_query_function_names_are_distinct_across_areas():
    """Each public function or class of a queries module is defined in that module only."""
    where: dict[str, list[str]] = {}
    for name, path in _modules():
        if path.stem not in READ_MODULES:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                where.setdefault(node.name, []).append(name)
    assert {n: places for n, places in where.items() if len(places) > 1} == {}


def test_allowlist_names_only_modules_that_need_it():
    """An exception nobody needs any more is removed, so the list stays the true one."""
    stale = []
    for name, kinds in ALLOWED.items():
        path = APP / name
        found = {kind for kind, _line, _what in findings(path)} if path.exists() else set()
        stale += [f"{name}: {kind}" for kind in kinds if kind not in found]
    assert stale == []


# -- the checker itself: each rule can fail --------------------------------------------------------
def _check(tmp_path, source: str, name: str = "module.py") -> list[tuple[str, int, str]]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return findings(path)


def test_the_checker_sees_reads_writes_and_runs(tmp_path):
    source = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy import select as pick, update, text\n"
        "from flask import session\n"
        "from app.extensions import db\n"
        "def f(model, s):\n"
        "    db.session.scalars(pick(model))\n"          # 6: read x2
        "    sa.select(model)\n"                         # 7: read
        "    db.session.add(model)\n"                    # 8: write
        "    db.session.execute(update(model))\n"        # 9: run + write
        "    text('SELECT 1')\n"                         # 10: run
        "    session.get('cookie')\n"                    # 11: flask's session: nothing
        "    {}.get('x'); db.session.get(model, 1)\n"    # 12: read
    )
    kinds = sorted((kind, line) for kind, line, _what in _check(tmp_path, source) if kind != "session")
    assert kinds == [("read", 6), ("read", 6), ("read", 7), ("read", 12), ("run", 9), ("run", 10),
                     ("write", 8), ("write", 9)]


def test_the_checker_knows_a_views_module(tmp_path):
    views = tmp_path / "views.py"
    views.write_text("from . import bp\n@bp.get('/x')\ndef x():\n    return db.session.get(A, 1)\n")
    helpers = tmp_path / "helpers.py"
    helpers.write_text("def x():\n    return 1\n")
    assert declares_routes(views) and not declares_routes(helpers)
    assert ("session", 4, "db.session") in findings(views)
