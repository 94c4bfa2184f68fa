"""Benchmark of the scoring engine (a script, not a test: pytest collects ``test_*.py`` only).

    .venv/bin/python tests/perf/bench_scoring.py [--sizes 1000,2000,5000,10000] [--seed 1]
                                                 [--source random] [--no-explain] [--quick]
                                                 [--part all|memory|stored]
                                                 [--postgres auto|yes|no] [--batch 500]

Two parts, both by default (``--part`` picks one; ``--quick`` uses 100/200/500/1,000 for a
smoke run).

*memory*: for each definition (the mini test fixture, a synthetic 90-item definition built
here, and every definition ``app.questionnaire.load_directory()`` finds in
``questionnaires/``) it loads N answer sets, scores the first 1,000, 2,000, 5,000 and 10,000
of them and prints the wall and CPU time, the CPU time per assessment, the ratio of CPU time
per assessment at the largest size to the smallest (linear growth means a ratio near 1.0)
and, measured in the same run, a baseline: the cost of merely iterating over every answer of
every set, so the figures read relative to the machine.  CPU time is the process's own
(``process_time``), so the figures hold on a busy shared machine where the wall clock also
counts waiting.

*stored*: the scoring issue's "score 10,000 stored assessments".  An app is created on a
fresh SQLite file in a temporary directory and, when PostgreSQL answers at
``TEST_DATABASE_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), in a
throw-away schema there too (``--postgres auto``; ``yes`` makes a missing server an error,
``no`` skips it).  The tables are created, the catalog published and 10,000 assessments of
the real questionnaire bulk-inserted (``insert()`` executemany, and COPY for the answers and
evidence on PostgreSQL; answers and evidence in the manner of ``app.demo``, varied by a seeded
RNG).  Then, for the first N stored assessments, it loads them with ``queries.answers_for`` in
batches of ``--batch`` ids and scores them, printing the time per assessment split into load
and score, the ratio at the largest size to the smallest and, from the same run, the
in-memory baseline: the same answers scored without the database.  Before timing, it checks that loaded answers equal the generated ones and
score identically.  The temporary database and schema are dropped at the end.

Where the answers of the *memory* part come from is one step, ``load_answers``: the
``--source`` name picks a function from ``ANSWER_SOURCES`` (``random``; ``realistic``, the
generator the stored part uses; ``database``, those answers stored in SQLite and read back).
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.questionnaire import load_definition, load_directory  # noqa: E402  (after sys.path names the project root)
from app.questionnaire.answers import EVIDENCE_TYPES, AnswerData, Evidence  # noqa: E402  (after sys.path names the project root)
from app.questionnaire.definition import Questionnaire  # noqa: E402  (after sys.path names the project root)
from app.questionnaire.schema import AREA_CODES, LAYER_CODES, WEIGHT_CLASSES  # noqa: E402  (after sys.path names the project root)
from app.scoring import plan_for, score_assessment  # noqa: E402  (after sys.path names the project root)

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


#: Demo profiles (``app.demo.Profile.mean_level``): how well an organisation rates itself.
PROFILE_LEVELS = (1.2, 1.6, 2.0, 2.4, 2.8, 3.2)
PROFILE_SETS = 40          # demo answer sets generated per profile level (fewer when N < 1,000)
DRAFT_SHARE = 0.35         # assessments still in draft, with some items left blank


def realistic_answers(q: Questionnaire, n: int, seed: int) -> list[Answers]:
    """N answer sets in the manner of ``app.demo``: each assessment takes a profile level and,
    item by item, the answer one of that level's demo answer sets gives (parsed by the same
    ``parse_patch`` the API uses); about a third are drafts with some items still blank.

    ``demo_answers`` costs about a millisecond and a half per set, so it is called for a pool
    of ``PROFILE_SETS`` sets per profile level (fewer for a small N) and the N sets are drawn
    from the pool."""
    from app.demo import Profile, demo_answers
    from app.questionnaire.patch import parse_patch

    rnd = random.Random(seed)
    pools: list[dict[str, list[AnswerData | None]]] = []
    per_level = max(2, min(PROFILE_SETS, n // 25))
    for level in PROFILE_LEVELS:
        sets = []
        for _ in range(per_level):
            profile = Profile(mean_level=level + rnd.uniform(-0.2, 0.2),
                              dont_know_rate=rnd.uniform(0.02, 0.10), seed=rnd.getrandbits(32))
            parsed, errors = parse_patch(q, demo_answers(q, profile))
            if errors:
                raise ValueError(f"demo answers of {q.id} {q.version} do not parse: {errors}")
            sets.append(parsed)
        pools.append({item.key: [s.get(item.key) for s in sets] for item in q.items})
    keys = [item.key for item in q.items]
    out: list[Answers] = []
    for _ in range(n):
        pool = rnd.choice(pools)
        keep = rnd.uniform(0.4, 0.95) if rnd.random() < DRAFT_SHARE else 1.0
        answers: dict[str, AnswerData] = {}
        for key in keys:
            if keep < 1.0 and rnd.random() > keep:
                continue                                     # not answered yet (a draft)
            answer = rnd.choice(pool[key])
            if answer is not None:
                answers[key] = answer
        out.append(answers)
    return out


class NotStorable(LookupError):
    """The definition is not one the app's catalog publishes, so it cannot be stored."""


def database_answers(q: Questionnaire, n: int, seed: int) -> list[Answers]:
    """``realistic_answers`` stored in a fresh SQLite database and read back, in id order."""
    with tempfile.TemporaryDirectory(prefix="bench-scoring-") as tmp:
        with StoredDatabase("sqlite", Path(tmp), (q.id, q.version)) as stored:
            ids = stored.seed(realistic_answers(stored.questionnaire, n, seed))
            loaded: list[Answers] = []
            for chunk in _chunks(ids, 500):
                batch = stored.load(chunk)
                loaded += [batch.get(i, {}) for i in chunk]
            return loaded


ANSWER_SOURCES: dict[str, Callable[[Questionnaire, int, int], list[Answers]]] = {
    "random": random_answers,
    "realistic": realistic_answers,
    "database": database_answers,
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


# -- stored assessments ----------------------------------------------------------------------
SIZES = "1000,2000,5000,10000"
QUICK_SIZES = "100,200,500,1000"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STORED_QUESTIONNAIRE = ("prevention-readiness", "1.0")
LOAD_BATCH = 500               # ids per queries.answers_for call
INSERT_CHUNK = 500             # assessments whose answers and evidence go in one executemany
ORGANISATIONS = 25


def _chunks(seq: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def postgres_problem() -> str | None:
    """None if PostgreSQL answers at PG_URL, else why not (as in tests/conftest.py)."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"


class StoredDatabase:
    """An app on a fresh database: a SQLite file under ``workdir`` or a throw-away schema of
    the PostgreSQL at PG_URL (as tests/conftest.py's PgSchema).  Tables created and the
    catalog published on entry; an app context stays pushed until exit, which drops the
    schema (the SQLite file goes with the caller's temporary directory)."""

    def __init__(self, backend: str, workdir: Path, ref: tuple[str, str] = STORED_QUESTIONNAIRE):
        self.backend, self.workdir, self.ref = backend, Path(workdir), ref
        self.schema: str | None = None
        self._admin = None

    def __enter__(self) -> StoredDatabase:
        import sqlalchemy as sa

        from app import create_app
        from app.extensions import db
        from config import TestConfig

        if self.backend == "sqlite":
            url = f"sqlite:///{self.workdir / 'bench.sqlite3'}"
        else:
            self.schema = "bench_" + uuid.uuid4().hex[:16]
            self._admin = sa.create_engine(PG_URL)
            with self._admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
            sep = "&" if "?" in PG_URL else "?"
            url = f"{PG_URL}{sep}options=-csearch_path%3D{self.schema}"
        self._ctx = None
        try:
            self.app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url,
                                  PDF_CACHE_DIR=str(self.workdir / "pdf-cache"))
            self._ctx = self.app.app_context()
            self._ctx.push()
            db.create_all()
            catalog = self.app.extensions["catalog"]
            catalog.publish(db.session)
            db.session.commit()
            q = catalog.get(*self.ref)
            if q is None:
                raise NotStorable(f"{self.ref[0]} {self.ref[1]} is not in the app's catalog")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.questionnaire: Questionnaire = q
        return self

    def __exit__(self, *exc) -> None:
        from app.extensions import db

        if self._ctx is not None:
            db.session.remove()
            db.engine.dispose()
            self._ctx.pop()
            self._ctx = None
        self._drop_schema()

    def _drop_schema(self) -> None:
        import sqlalchemy as sa

        if self._admin is not None:
            with self._admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self._admin.dispose()
            self._admin = None

    # -- seeding ----------------------------------------------------------------------------
    def seed(self, answer_sets: Sequence[Answers], seed: int = 1) -> list[int]:
        """Bulk-insert one assessment per answer set (with organisations and users to own
        them); returns the assessment ids, in the order of ``answer_sets``."""
        from sqlalchemy import insert, select, text

        from app.extensions import db
        from app.models import (
            Answer, Assessment, EvidenceEntry, Organisation, QuestionnaireVersion, User,
        )

        rnd = random.Random(seed)
        conn = db.session.connection()
        now = datetime.now(timezone.utc)
        version_id = db.session.scalar(select(QuestionnaireVersion.id).where(
            QuestionnaireVersion.questionnaire_id == self.ref[0],
            QuestionnaireVersion.version == self.ref[1]))
        countries = ("KE", "UG", "TZ", "RW", "GH", "SN", "FR", "BR", "PH", "NP")
        orgs = [{"id": i, "name": f"Benchmark organisation {i}", "kind": ("government", "ngo")[i % 2],
                 "country": countries[i % len(countries)], "logo_mime": None, "created_at": now}
                for i in range(1, ORGANISATIONS + 1)]
        conn.execute(insert(Organisation.__table__), orgs)
        conn.execute(insert(User.__table__), [
            {"id": o["id"], "email": f"user{o['id']}@bench.example", "name": f"User {o['id']}",
             "password_hash": "!", "role": "respondent", "organisation_id": o["id"],
             "active": True, "locale": None, "created_at": now, "last_login_at": None}
            for o in orgs])
        n_items = len(self.questionnaire.items)
        ids, answer_id, evidence_id = [], 0, 0
        for start in range(0, len(answer_sets), INSERT_CHUNK):
            assessments, answers, evidence = [], [], []
            for offset, answer_set in enumerate(answer_sets[start:start + INSERT_CHUNK]):
                aid = start + offset + 1
                org = orgs[rnd.randrange(len(orgs))]
                submitted = len(answer_set) == n_items
                assessments.append({
                    "id": aid, "organisation_id": org["id"], "questionnaire_version_id": version_id,
                    "jurisdiction": org["country"], "period": str(2020 + aid % 7),
                    "title": f"Readiness self-assessment {aid}",
                    "status": "submitted" if submitted else "draft", "revision": 1,
                    "based_on_id": None, "created_by_id": org["id"], "updated_by_id": org["id"],
                    "created_at": now, "updated_at": now, "submitted_at": now if submitted else None,
                    "score": None, "score_rubric_version": None, "scored_at": None})
                ids.append(aid)
                for key, answer in answer_set.items():
                    answer_id += 1
                    value = answer.value
                    answers.append({
                        "id": answer_id, "assessment_id": aid, "item_key": key,
                        "value": list(value) if isinstance(value, tuple) else value,
                        "dont_know": answer.dont_know, "not_applicable": answer.not_applicable,
                        "na_reason": answer.na_reason, "confidence": answer.confidence,
                        "comment": answer.comment, "updated_by_id": org["id"], "updated_at": now})
                    for position, entry in enumerate(answer.evidence):
                        evidence_id += 1
                        evidence.append({
                            "id": evidence_id, "answer_id": answer_id, "position": position,
                            "type": entry.type, "reference": entry.reference, "note": entry.note})
            conn.execute(insert(Assessment.__table__), assessments)
            self._bulk(conn, Answer.__table__, answers)
            self._bulk(conn, EvidenceEntry.__table__, evidence)
        db.session.commit()
        for table in ("assessments", "answers", "evidence_entries"):   # fresh planner statistics
            db.session.execute(text(f"ANALYZE {table}"))
        db.session.commit()
        self.rows = {"assessments": len(ids), "answers": answer_id, "evidence": evidence_id}
        return ids

    def _bulk(self, conn, table, rows: list[dict]) -> None:
        """``insert()`` executemany; on PostgreSQL, COPY, because psycopg's executemany is
        three times slower there: the 1.5 million answer and evidence rows of 10,000
        assessments took 185 s (wall) that way against 56 s by COPY, on a busy 2-CPU machine
        where SQLite's executemany took 56 s."""
        from sqlalchemy import JSON, insert

        if not rows:
            return
        if self.backend != "postgresql":
            conn.execute(insert(table), rows)
            return
        import json

        columns = list(rows[0])
        as_json = [isinstance(table.c[name].type, JSON) for name in columns]
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[name]) if js else row[name]
                                for name, js in zip(columns, as_json)])

    # -- loading ----------------------------------------------------------------------------
    def first_ids(self, n: int) -> list[int]:
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Assessment

        return list(db.session.scalars(select(Assessment.id).order_by(Assessment.id).limit(n)))

    def load(self, ids: Sequence[int]) -> dict[int, dict[str, AnswerData]]:
        """One batch through ``queries.answers_for``; the session is closed after it (as a
        request's teardown would), so no ORM row outlives its batch."""
        from app.assessments import queries
        from app.extensions import db

        try:
            return queries.answers_for(ids)
        finally:
            db.session.close()

    def check(self, answer_sets: Sequence[Answers], ids: Sequence[int], batch: int = LOAD_BATCH,
              explain: bool = True) -> list[int]:
        """Ids whose loaded answers differ from the generated ones or score differently."""
        q, wrong = self.questionnaire, []
        for chunk_start in range(0, len(ids), batch):
            chunk = ids[chunk_start:chunk_start + batch]
            loaded = self.load(chunk)
            for offset, aid in enumerate(chunk):
                mine, theirs = answer_sets[chunk_start + offset], loaded.get(aid, {})
                if dict(mine) != dict(theirs) or (score_assessment(q, mine, explain=explain)
                                                  != score_assessment(q, theirs, explain=explain)):
                    wrong.append(aid)
        return wrong

    def load_and_score(self, n: int, batch: int, explain: bool) -> dict[str, float]:
        """Load the first N stored assessments in batches and score each: wall and CPU
        seconds of loading (ids query included) and of scoring."""
        q = self.questionnaire
        clocks = {"load_wall": 0.0, "load_cpu": 0.0, "score_wall": 0.0, "score_cpu": 0.0}
        wall, cpu = time.perf_counter(), time.process_time()
        ids = self.first_ids(n)
        clocks["load_wall"] += time.perf_counter() - wall
        clocks["load_cpu"] += time.process_time() - cpu
        scored = 0
        for chunk in _chunks(ids, batch):
            wall, cpu = time.perf_counter(), time.process_time()
            loaded = self.load(chunk)
            mid_wall, mid_cpu = time.perf_counter(), time.process_time()
            for aid in chunk:
                score_assessment(q, loaded.get(aid, {}), explain=explain)
                scored += 1
            clocks["load_wall"] += mid_wall - wall
            clocks["load_cpu"] += mid_cpu - cpu
            clocks["score_wall"] += time.perf_counter() - mid_wall
            clocks["score_cpu"] += time.process_time() - mid_cpu
            del loaded
        if scored != n:
            raise RuntimeError(f"asked for {n} stored assessments, found {scored}")
        return clocks


def bench_stored(stored: StoredDatabase, answer_sets: Sequence[Answers], sizes: Sequence[int],
                 explain: bool, repeat: int = 1, batch: int = LOAD_BATCH) -> dict[int, dict]:
    """The table of the stored part for one database; returns the figures per N (seconds per
    assessment, and ``memory_cpu``: the same answers scored in memory)."""
    q = stored.questionnaire
    score_all(q, answer_sets[:50], explain)           # warm the plan and per-value caches
    stored.load_and_score(min(sizes[0], 50), batch, explain)
    print(f"{'N':>7} {'wall s':>8} {'CPU s':>8} {'load wall':>10} {'load CPU':>9} "
          f"{'score CPU':>10} {'total CPU':>10} {'memory CPU':>11} {'x memory':>9}")
    print(f"{'':>7} {'':>8} {'':>8} {'-- microseconds per assessment ' + '-' * 23:>54}")
    figures: dict[int, dict] = {}
    for n in sizes:
        best = None
        for _ in range(max(1, repeat)):
            gc.collect()
            run = stored.load_and_score(n, batch, explain)
            if best is None or run["load_cpu"] + run["score_cpu"] < best["load_cpu"] + best["score_cpu"]:
                best = run
        subset = answer_sets[:n]
        _, memory_cpu = timed(lambda: score_all(q, subset, explain), repeat)
        f = {k: v / n for k, v in best.items()}
        f["wall"] = f["load_wall"] + f["score_wall"]
        f["cpu"] = f["load_cpu"] + f["score_cpu"]
        f["memory_cpu"] = memory_cpu / n
        figures[n] = f
        us = 1e6
        print(f"{n:>7} {f['wall'] * n:>8.2f} {f['cpu'] * n:>8.2f} {f['load_wall'] * us:>10.1f} "
              f"{f['load_cpu'] * us:>9.1f} {f['score_cpu'] * us:>10.1f} {f['cpu'] * us:>10.1f} "
              f"{f['memory_cpu'] * us:>11.1f} {f['cpu'] / f['memory_cpu']:>9.2f}")
    lo, hi = min(sizes), max(sizes)
    ratio = {k: figures[hi][k] / figures[lo][k]
             for k in ("cpu", "load_cpu", "score_cpu", "wall", "memory_cpu")}
    print(f"ratio per assessment at {hi} vs {lo} (1.0 = linear): total CPU {ratio['cpu']:.2f} "
          f"(load {ratio['load_cpu']:.2f}, score {ratio['score_cpu']:.2f}); wall {ratio['wall']:.2f}; "
          f"in-memory baseline {ratio['memory_cpu']:.2f}")
    return figures


def bench_stored_all(sizes: Sequence[int], seed: int, explain: bool, repeat: int, batch: int,
                     postgres: str) -> int:
    backends = ["sqlite"]
    if postgres != "no":
        problem = postgres_problem()
        if problem is None:
            backends.append("postgresql")
        elif postgres == "yes":
            print(f"\nerror: --postgres yes but {problem}")
            return 1
        else:
            print(f"\npostgresql: skipped ({problem}; set TEST_DATABASE_URL to a server, "
                  "or pass --postgres no)")
    answer_sets: list[Answers] | None = None
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="bench-scoring-") as tmp, \
                StoredDatabase(backend, Path(tmp)) as stored:
            q = stored.questionnaire
            if answer_sets is None:
                start = time.perf_counter()
                answer_sets = realistic_answers(q, max(sizes), seed)
                gen_s = time.perf_counter() - start
                gc.collect()
                gc.freeze()        # as in bench(): the generated sets stay out of GC scans
                print(f"\nstored assessments: {q.id} {q.version}, {len(q.scored_items)} scored "
                      f"items; {len(answer_sets)} realistic answer sets generated in {gen_s:.2f} s")
            start = time.perf_counter()
            ids = stored.seed(answer_sets, seed)
            seed_s = time.perf_counter() - start
            where = "SQLite file in a temporary directory" if backend == "sqlite" else \
                f"PostgreSQL schema {stored.schema} (dropped afterwards)"
            rows = stored.rows
            print(f"\n{backend}: {where}; seeded {rows['assessments']} assessments, "
                  f"{rows['answers']} answers, {rows['evidence']} evidence entries in "
                  f"{seed_s:.1f} s; answers_for in batches of {batch} ids")
            sample = ids[:min(len(ids), batch)]
            wrong = stored.check(answer_sets, sample, batch, explain)
            if wrong:
                print(f"error: {len(wrong)} of {len(sample)} loaded assessments differ from the "
                      f"generated answers or score differently (ids {wrong[:10]})")
                return 1
            print(f"check: the first {len(sample)} loaded assessments equal the generated answers "
                  "and score identically")
            bench_stored(stored, answer_sets, sizes, explain, repeat, batch)
    if answer_sets is not None:
        del answer_sets
        gc.unfreeze()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated N (default 1000,2000,5000,10000; "
                        "with --quick 100,200,500,1000)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller N for a smoke run (unless --sizes is given)")
    parser.add_argument("--part", default="all", choices=("all", "memory", "stored"),
                        help="in-memory definitions, stored assessments, or both")
    parser.add_argument("--postgres", default="auto", choices=("auto", "yes", "no"),
                        help="stored part on PostgreSQL too: when it answers at "
                             "TEST_DATABASE_URL (auto), always (yes: fail if absent), never")
    parser.add_argument("--batch", type=int, default=LOAD_BATCH,
                        help="assessment ids per queries.answers_for call (stored part)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", default="random", choices=sorted(ANSWER_SOURCES))
    parser.add_argument("--no-explain", action="store_true",
                        help="score without the explanations block")
    parser.add_argument("--only", help="benchmark only definitions whose name contains this")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per size, the best is kept (the same for every size)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in (args.sizes or (QUICK_SIZES if args.quick else SIZES))
                   .split(","))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {load}; "
          f"explanations {'off' if args.no_explain else 'on'}")
    if args.part in ("all", "memory"):
        for name, q in definitions():
            if args.only and args.only not in name:
                continue
            try:
                bench(name, q, sizes, args.seed, args.source, explain=not args.no_explain,
                      repeat=args.repeat)
            except NotStorable as exc:
                print(f"\n{name}: skipped ({exc})")
    if args.part in ("all", "stored"):
        return bench_stored_all(sizes, args.seed, explain=not args.no_explain,
                                repeat=args.repeat, batch=args.batch, postgres=args.postgres)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
