"""Smoke test of the stored-assessments path of tests/perf/bench_scoring.py, on SQLite.

Fifty assessments, a couple of seconds: the benchmark's database path runs, and answers
read back through ``queries.answers_for`` equal the generated ones and score identically.
No figure is asserted (growth and speed are the benchmark's to report, not a unit test's).
"""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from app.scoring import score_assessment

BENCH = Path(__file__).resolve().parents[1] / "perf" / "bench_scoring.py"
N = 50


@pytest.fixture(scope="module")
def bench():
    name = "bench_scoring_under_test"
    spec = importlib.util.spec_from_file_location(name, BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)


@pytest.mark.slow  # scores stored assessments (~9 s)
def test_stored_path_runs_and_loaded_answers_score_like_in_memory(bench, tmp_path):
    with bench.StoredDatabase("sqlite", tmp_path) as stored:
        q = stored.questionnaire
        answer_sets = bench.realistic_answers(q, N, seed=3)
        ids = stored.seed(answer_sets, seed=3)

        assert len(ids) == N
        assert stored.rows["assessments"] == N
        assert stored.rows["answers"] == sum(len(answers) for answers in answer_sets)
        assert stored.rows["evidence"] > 0

        loaded = stored.load(ids)
        for aid, generated in zip(ids, answer_sets):
            assert loaded[aid] == generated
            assert score_assessment(q, loaded[aid]) == score_assessment(q, generated)

        figures = bench.bench_stored(stored, answer_sets, [10, 25], explain=True, batch=16)

    assert set(figures) == {10, 25}
    for per_assessment in figures.values():
        assert all(math.isfinite(v) and v >= 0 for v in per_assessment.values())


def test_reports_floor_keeps_every_text_and_drops_all_markup():
    """The reports benchmark's floor document: the same text, one bare paragraph per block,
    no styles, tables or images; so the floor measures the text, not a lighter stand-in."""
    path = BENCH.with_name("bench_reports.py")
    spec = importlib.util.spec_from_file_location("bench_reports_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    html = ("<html><head><style>p { color: red }</style></head><body><h1>Title &amp; more</h1>"
            "<table><tr><td>a1</td><td>Level <strong>2</strong></td></tr></table>"
            "<div class='item'><p>First</p><p>Second<br>line</p></div>"
            "<img src='data:image/svg+xml,x'></body></html>")
    floor, chars = module.bare_text_html(html)
    body = floor.split("<body>", 1)[1]
    assert body.startswith("<p>Title &amp; more</p>")
    for text in ("a1", "Level 2", "First", "Second", "line"):
        assert f"<p>{text}</p>" in body
    assert "color: red" not in floor and "<img" not in floor and "<table" not in floor
    assert chars == len("Title & more") + len("a1") + len("Level 2") + len("First") + len("Second") + len("line")


def test_reports_bench_counts_the_cpu_of_the_child_process_that_renders():
    """A request's PDF is rendered in a job process: the reports benchmark counts that child's
    CPU with the request's (it counted only the web side's)."""
    import subprocess

    path = BENCH.with_name("bench_reports.py")
    spec = importlib.util.spec_from_file_location("bench_reports_children", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nsys.stdin.readline()\nt = time.process_time()\n"
         "while time.process_time() - t < 0.3: pass\nprint('done', flush=True)\nsys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        def request():                  # the child works while this process waits
            child.stdin.write("go\n")
            child.stdin.flush()
            return child.stdout.readline()
        answer, _wall, cpu = module.timed_with_children(request)
    finally:
        child.stdin.close()
        child.wait(timeout=10)
        child.stdout.close()
    assert answer == "done\n" and cpu >= 0.25, cpu


@pytest.mark.slow  # gunicorn
def test_pages_benchmark_runs_every_measure_once_under_gunicorn(tmp_path, capsys):
    """tests/perf/bench_pages.py in a tiny quick mode: the three servers answer every page with
    a 200, the bare route and the authenticated floor serve the very bytes the app sent (the
    floor signed in with the app's session cookie), autosaves are accepted (the benchmark
    raises on anything else), and every figure is printed."""
    path = BENCH.with_name("bench_pages.py")
    spec = importlib.util.spec_from_file_location("bench_pages_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.run(module.parse_args(["--quick", "--seconds", "0.3", "--autosaves", "3", "--clients", "2"]))

    assert set(figures["pages"]) == {"section", "results", "compare"}
    for page in figures["pages"].values():
        assert page["html_bytes"] > 10_000 and page["wire"]["identity"] > 0
        assert min(page["app"]) > 0 and min(page["bare"]) > 0 and page["ratio"] > 0
        assert min(page["floor"]) > 0 and page["ratio_floor_bare"] > 0 and page["cpu_ratio_app_floor"] > 0
    assert figures["autosave"]["n"] == 3 and 0 < figures["autosave"]["p50_ms"] <= figures["autosave"]["p95_ms"]
    out = capsys.readouterr().out
    assert "section page:" in out and "autosave" in out and "authenticated floor" in out


def test_gunicorn_workers_freeze_what_the_app_loaded():
    """gunicorn.conf.py: after a worker loads the app, the loaded objects leave the garbage
    collector's passes (gc.freeze), so full collections no longer walk the definitions."""
    import gc
    import runpy

    conf = runpy.run_path(str(BENCH.parents[2] / "gunicorn.conf.py"))
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
