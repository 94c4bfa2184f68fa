"""Smoke test of the stored-assessments path of tests/perf/bench_scoring.py, on SQLite.

Fifty assessments, a couple of seconds: the benchmark's database path runs, and answers
read back through ``store.answers_for`` equal the generated ones and score identically.
No figure is asserted (growth and speed are the benchmark's to report, not a unit test's).
"""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from app.scoring import score_assessment

BENCH = Path(__file__).resolve().parent / "perf" / "bench_scoring.py"
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
