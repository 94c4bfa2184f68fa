"""Benchmark of the scoring engine (a script, not a test: pytest collects ``test_*.py`` only).

    .venv/bin/python tests/perf/bench_scoring.py [--sizes 1000,2000,5000,10000] [--seed 1]
                                                 [--source random] [--no-explain]

For each definition (the mini test fixture, a synthetic 90-item definition built here, and
every definition ``app.questionnaire.load_directory()`` finds in ``questionnaires/``) it
loads N answer sets, scores the first 1,000, 2,000, 5,000 and 10,000 of them and prints the
wall and CPU time, the CPU time per assessment, the ratio of CPU time per assessment at the
largest size to the smallest (linear growth means a ratio near 1.0) and, measured in the
same run, a baseline: the cost of merely iterating over every answer of every set, so the
figures read relative to the machine.  CPU time is the process's own (``process_time``), so
the figures hold on a busy shared machine where the wall clock also counts waiting.

Where the answers come from is one step, ``load_answers``: the ``--source`` name picks a
function from ``ANSWER_SOURCES``.  To benchmark stored assessments, add a function with the
same signature (questionnaire, n, seed) -> list of {item key: AnswerData} that reads them
from the database, and register it there.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.questionnaire import load_definition, load_directory  # noqa: E402
from app.questionnaire.answers import EVIDENCE_TYPES, AnswerData, Evidence  # noqa: E402
from app.questionnaire.definition import Questionnaire  # noqa: E402
from app.questionnaire.schema import AREA_CODES, LAYER_CODES, WEIGHT_CLASSES  # noqa: E402
from app.scoring import plan_for, score_assessment  # noqa: E402

Answers = Mapping[str, AnswerData]
MINI = ROOT / "tests" / "fixtures" / "mini-1.0.yaml"


# -- definitions ------------------------------------------------------------------------------
def synthetic_definition(n_items: int = 90, seed: int = 7) -> Questionnaire:
    """A definition the size of the real one, with every item type, built from the mini
    fixture's rubric (so the figures do not wait for the real questionnaire)."""
    rnd = random.Random(seed)
    mini = load_definition(MINI).questionnaire
    items = []
    kinds = ["scale", "scale", "scale", "choice", "checklist", "number"]
    for i in range(n_items):
        kind = kinds[i % len(kinds)]
        item = {
            "key": f"q{i:03d}", "type": kind, "prompt": {"en": f"Question {i}"},
            "guidance": {"en": "Guidance."},
            "areas": sorted(rnd.sample(AREA_CODES, rnd.choice([1, 1, 1, 2]))),
            "layers": sorted(rnd.sample(LAYER_CODES, rnd.choice([1, 1, 2, 3]))),
            "weight": WEIGHT_CLASSES[i % 3], "enabler": i % 11 == 0, "allow_na": i % 7 == 0,
            "action": {"en": f"Act on {i}."},
            "sources": [{"document": "A/68/275", "paragraphs": [122]}],
        }
        if kind == "scale":
            item["levels"] = [{"level": n, "descriptor": {"en": f"L{n}"}} for n in range(5)]
        elif kind == "choice":
            item["options"] = [{"code": c, "label": {"en": c}, "score": s}
                               for c, s in (("no", 0), ("partly", 0.5), ("yes", 1))]
        elif kind == "checklist":
            item["options"] = [{"code": f"o{n}", "label": {"en": str(n)}, "score": n % 3 + 1}
                               for n in range(5)]
        else:
            item.update(min=0, max=100, bands=[{"min": 0, "max": 50, "score": 0},
                                               {"min": 50, "max": 90, "score": 0.5},
                                               {"min": 90, "max": 100, "score": 1}])
        items.append(item)
    q = Questionnaire.model_validate({
        "id": "synthetic", "version": "1.0", "title": {"en": "Synthetic"},
        "areas": [a.model_dump() for a in mini.areas],
        "layers": [layer.model_dump() for layer in mini.layers],
        "sections": [{"key": "s1", "title": {"en": "All"}, "items": [i["key"] for i in items]}],
        "items": items})
    return q.model_copy(update={"rubric": mini.rubric})


def definitions() -> list[tuple[str, Questionnaire]]:
    out = [("mini (fixture)", load_definition(MINI).questionnaire),
           ("synthetic-90", synthetic_definition())]
    try:
        shipped = load_directory()
    except Exception as exc:  # a definition being written may not validate yet
        print(f"note: questionnaires/ not loaded: {str(exc).splitlines()[0]}")
        shipped = []
    out += [(f"{d.questionnaire.id} {d.questionnaire.version} ({d.path.name})", d.questionnaire)
            for d in shipped]
    return out


# -- answers: the swappable loading step --------------------------------------------------------
DONT_KNOW = AnswerData(dont_know=True)
NOT_APPLICABLE = AnswerData(not_applicable=True, na_reason="n/a")


def random_answers(q: Questionnaire, n: int, seed: int) -> list[Answers]:
    """N random answer sets: mostly answered, some don't know, N/A where allowed, blanks."""
    rnd = random.Random(seed)
    scored = q.scored_items
    out = []
    for _ in range(n):
        answers: dict[str, AnswerData] = {}
        for item in scored:
            roll = rnd.random()
            if roll < 0.06:
                continue                                     # unanswered
            if roll < 0.14:
                answers[item.key] = DONT_KNOW
                continue
            if roll < 0.18 and item.allow_na:
                answers[item.key] = NOT_APPLICABLE
                continue
            evidence = tuple(Evidence(rnd.choice(EVIDENCE_TYPES), "ref")
                             for _ in range(rnd.choice([0, 1, 1, 2])))
            answers[item.key] = AnswerData(value=_random_value(item, rnd), evidence=evidence,
                                           confidence=rnd.choice(["high", "medium", "low"]))
        out.append(answers)
    return out


def _random_value(item, rnd: random.Random):
    if item.type == "scale":
        return rnd.randint(0, 4)
    if item.type == "choice":
        return rnd.choice(item.options).code
    if item.type == "checklist":
        return tuple(o.code for o in item.options if rnd.random() < 0.5)
    return round(rnd.uniform(item.min, item.max), 1)


ANSWER_SOURCES: dict[str, Callable[[Questionnaire, int, int], list[Answers]]] = {
    "random": random_answers,
    # "database": load_answers_from_db,   # (questionnaire, n, seed) -> list[Answers]
}


def load_answers(q: Questionnaire, n: int, seed: int, source: str = "random") -> list[Answers]:
    return ANSWER_SOURCES[source](q, n, seed)


# -- measuring -----------------------------------------------------------------------------
def iterate_only(answer_sets: Sequence[Answers]) -> int:
    """The baseline: touch every answer of every set once, doing nothing with it."""
    touched = 0
    for answers in answer_sets:
        for _key, answer in answers.items():
            if answer.value is not None or answer.dont_know:
                touched += 1
    return touched


def score_all(q: Questionnaire, answer_sets: Sequence[Answers], explain: bool) -> int:
    total = 0
    for answers in answer_sets:
        total += len(score_assessment(q, answers, explain=explain)["gaps"])
    return total


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """(wall, CPU) seconds of the best of ``repeat`` runs; the garbage collector stays on.

    CPU time (``time.process_time``) is what this process itself spent: on a shared machine
    it stays meaningful when the wall clock includes time the process waited for a core."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        run = (time.perf_counter() - wall, time.process_time() - cpu)
        best = min(best, run, key=lambda pair: pair[1])
    return best


def bench(name: str, q: Questionnaire, sizes: Sequence[int], seed: int, source: str,
          explain: bool, repeat: int = 1) -> None:
    n_scored = len(q.scored_items)
    start = time.perf_counter()
    answer_sets = load_answers(q, max(sizes), seed, source)
    load_s = time.perf_counter() - start
    # The loaded answers stay alive for the whole run, which a server never does (it loads one
    # assessment, scores it, drops it).  Freeze them out of the garbage collector's scans so
    # that the figures measure the engine, not the size of the benchmark's own heap.
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    plan_for(q)                                   # built once per definition, then cached
    plan_ms = (time.perf_counter() - start) * 1e3
    score_all(q, answer_sets[:50], explain)       # warm the per-value caches
    print(f"\n{name}: {n_scored} scored items; {len(answer_sets)} answer sets loaded "
          f"({source}) in {load_s:.2f} s; plan built in {plan_ms:.1f} ms")
    print(f"{'N':>7} {'wall s':>8} {'CPU s':>8} {'CPU us/assessment':>18} "
          f"{'baseline CPU us':>16} {'x baseline':>11}")
    per: dict[int, float] = {}
    for n in sizes:
        subset = answer_sets[:n]
        wall, cpu = timed(lambda: score_all(q, subset, explain), repeat)
        _, base = timed(lambda: iterate_only(subset), 3)
        per[n] = cpu / n
        print(f"{n:>7} {wall:>8.2f} {cpu:>8.2f} {per[n] * 1e6:>18.1f} "
              f"{base / n * 1e6:>16.2f} {cpu / max(base, 1e-9):>11.1f}")
    lo, hi = min(sizes), max(sizes)
    print(f"ratio of CPU time per assessment at {hi} vs {lo}: {per[hi] / per[lo]:.2f} "
          f"(1.0 = linear); median {statistics.median(per.values()) * 1e6:.1f} us/assessment")
    del answer_sets
    gc.unfreeze()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", default="random", choices=sorted(ANSWER_SOURCES))
    parser.add_argument("--no-explain", action="store_true",
                        help="score without the explanations block")
    parser.add_argument("--only", help="benchmark only definitions whose name contains this")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per size, the best is kept (the same for every size)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {load}; "
          f"explanations {'off' if args.no_explain else 'on'}")
    for name, q in definitions():
        if args.only and args.only not in name:
            continue
        bench(name, q, sizes, args.seed, args.source, explain=not args.no_explain,
              repeat=args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
