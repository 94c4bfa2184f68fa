"""Benchmark of the pages people wait for, under gunicorn as production runs it.

Run: ``python tests/perf/bench_pages.py`` (or ``make perf``); ``--quick`` for a short run,
``--seconds``, ``--rounds``, ``--clients``, ``--autosaves``, ``--database-url`` (default: a
temporary SQLite file, seeded with the demo data).

In one run, against one database: the largest section page of the demo's draft, the results
page of a submitted assessment and the three-way compare page, each against two baselines
serving the very same HTML bytes under the same gunicorn settings (2 sync workers): a bare
Flask route (tests/perf/bare_pages.py: no session, database or template), and the
authenticated floor (tests/perf/floor_pages.py: the real app with one more route that signs
the user in from the session cookie, reads the assessment through the policy and returns
the saved bytes), so that the gap splits into the framework's share (floor vs bare) and the
page's own (app vs floor); the floor's share splits again at the open route (the same app
returning the same bytes to a request without a cookie: what the app costs any request). After a few warm-up requests per worker (templates compiled,
per-process caches filled: the steady state), rounds alternate app, floor, open and bare so that
load from other processes falls on all; the figures are requests/s (best round and median) and the ratios
(target for the section page against the bare route: >= 0.5, goal 0.6), and the CPU time
gunicorn's workers spent per request (from /proc), which a machine busy with other work does
not distort as much. Then autosave latency: the whole-section
POST the page's script sends (every field of the form, ``Accept: application/json``), one
after another, each changing a comment, as p50 and p95, and the workers' CPU per save. Then the bytes each page takes on
the wire uncompressed, gzipped and in brotli. Prints figures; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers import dispose, gunicorn_server, prepared_app  # noqa: E402  (after sys.path names the project root)

TARGET_SECTION_RATIO = 0.5
WORKERS = 2


# -- a minimal browser: cookies, forms -------------------------------------------------------------

class Browser:
    """Cookies kept across requests; one connection per request (gunicorn's sync workers close it)."""

    def __init__(self, base: str):
        self.base = urlsplit(base)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=60)
        try:
            hdrs = dict(headers or {})
            if self.cookies:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if form is not None:
                body = urlencode(form).encode()
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body, hdrs)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def login(self, email: str, password: str) -> None:
        _status, _h, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
        csrf = (token.group(1) or token.group(2)).decode()
        status, headers, _ = self.request("POST", "/login", [("csrf_token", csrf), ("email", email),
                                                               ("password", password)])
        if status != 302:
            raise RuntimeError(f"login of {email} failed: {status}")


class FormFields(HTMLParser):
    """The name/value pairs a browser's ``new FormData(form)`` sends for ``form#form_id``:
    checked radios and checkboxes, text, hidden fields, textareas, selected options; nothing
    inside a <template> (the blank evidence row the script clones)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.in_form, self.in_template = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, first value, selected

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, values, selected = self._select
            self.fields.append((name, (selected or values or [""])[0]))
            self._select = None
        elif tag == "form" and self.in_form and not self.in_template:
            self.in_form = False


def section_form(html: bytes) -> list[tuple[str, str]]:
    parser = FormFields("section-form")
    parser.feed(html.decode())
    return parser.fields


# -- the data ----------------------------------------------------------------------------------------

def seed(db_url: str, tmp: Path) -> dict:
    """The demo data; the ids and section keys the benchmark visits."""
    from sqlalchemy import select

    from app import demo
    from app.assessments import store
    from app.extensions import db
    from app.models import Assessment

    app = prepared_app(db_url, tmp)
    with app.app_context():
        demo.seed()
        db.session.commit()
        rows = db.session.scalars(select(Assessment).order_by(Assessment.id)).all()
        draft = next(a for a in rows if a.status == "draft")
        submitted = [a.id for a in rows if a.status != "draft"]
        q = store.questionnaire_of(draft)
        plan = {"draft": draft.id, "sections": [s.key for s in q.sections],
                "results": submitted[-2], "compare": submitted[:3]}
    dispose(app)
    return plan


# -- measuring ----------------------------------------------------------------------------------------

def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def measure(server, path: str, cookie: str, seconds: float, clients: int) -> tuple[float, float]:
    """(requests/s, server CPU ms per request): the second holds whatever else loads the machine."""
    pids = server.worker_pids()
    cpu_before, served_before = cpu_seconds(pids), time.perf_counter()
    rate = throughput(server.url, path, cookie, seconds, clients)
    served = rate * (time.perf_counter() - served_before)
    return rate, 1000 * (cpu_seconds(pids) - cpu_before) / max(served, 1)


def throughput(base: str, path: str, cookie: str, seconds: float, clients: int) -> float:
    """Requests/s of ``clients`` threads each sending GET ``path`` back to back."""
    parts = urlsplit(base)
    counts, failures = [0] * clients, []
    deadline = time.perf_counter() + seconds

    def run(i: int) -> None:
        while time.perf_counter() < deadline:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failures.append(response.status)
                counts[i] += 1
            finally:
                conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} responses were not 200 ({failures[:3]})")
    return sum(counts) / (time.perf_counter() - started)


SIDES = ("app", "floor", "open", "bare")


def compare_pages(app, floor, bare, pages: dict[str, tuple[str, str, int]], args) -> dict:
    """{page: {side: [rates], f"{side}_cpu": [ms]}} for the sides app, floor, open and bare,
    alternating round by round."""
    rates = {name: {key: [] for side in SIDES for key in (side, f"{side}_cpu")} for name in pages}
    warm_up(app, floor, pages)
    for _round in range(args.rounds):
        for name, (path, cookie, assessment_id) in pages.items():
            for side, server, url, sent in (("app", app, path, cookie),
                                            ("floor", floor, f"/floor/{name}/{assessment_id}", cookie),
                                            ("open", floor, f"/open/{name}", ""),
                                            ("bare", bare, f"/pages/{name}", "")):
                rate, cpu = measure(server, url, sent, args.seconds, args.clients)
                rates[name][side].append(rate)
                rates[name][f"{side}_cpu"].append(cpu)
    return rates


def warm_up(app, floor, pages: dict[str, tuple[str, str, int]], per_worker: int = 4) -> None:
    """A few requests of every page to each worker before measuring: each worker's first
    request of a page compiles templates and fills its per-process caches (the question
    skeletons, a stored score's sections), which a short round would otherwise count."""
    for name, (path, cookie, assessment_id) in pages.items():
        for server, url, sent in ((app, path, cookie), (floor, f"/floor/{name}/{assessment_id}", cookie),
                                  (floor, f"/open/{name}", "")):
            send_requests(server.url, url, sent, per_worker * WORKERS)


def send_requests(base: str, path: str, cookie: str, n: int) -> None:
    parts = urlsplit(base)
    for _ in range(n):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            conn.getresponse().read()
        finally:
            conn.close()


def autosave_latencies(browser: Browser, path: str, n: int) -> list[float]:
    """Seconds per whole-section autosave POST, each changing the first comment."""
    _s, _h, html = browser.request("GET", path)
    fields = section_form(html)
    comment = next(name for name, _v in fields if name.endswith("-comment"))
    timings = []
    for i in range(n):
        sent = [(k, f"Benchmark note {i}" if k == comment else v) for k, v in fields]
        started = time.perf_counter()
        status, _h, body = browser.request("POST", path, sent, {"Accept": "application/json",
                                                                 "X-Requested-With": "fetch"})
        timings.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"autosave {i}: {status} {body[:300]!r}")
        fields = _rebased(sent, json.loads(body))
    return timings


def _rebased(fields: list[tuple[str, str]], saved: dict) -> list[tuple[str, str]]:
    """The form after a save, as the script leaves it: new revision and answer fingerprints."""
    prints = {f"{k}-base": v for k, v in saved.get("fingerprints", {}).items()}
    out = []
    for k, v in fields:
        if k == "base_revision":
            v = str(saved["revision"])
        out.append((k, prints.get(k, v)))
    return out


def wire_bytes(browser: Browser, path: str) -> dict[str, int]:
    sizes = {}
    for encoding in ("identity", "gzip", "br"):
        _s, headers, body = browser.request("GET", path, headers={"Accept-Encoding": encoding})
        sizes[headers.get("content-encoding", "identity") if encoding != "identity" else "identity"] = len(body)
    return sizes


# -- the run ---------------------------------------------------------------------------------------------

def run(args) -> dict:
    from app import demo

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    plan = seed(db_url, tmp)
    with gunicorn_server(db_url, tmp, workers=WORKERS) as server:
        official, reviewer = Browser(server.url), Browser(server.url)
        official.login("official@ministry.example", demo.DEMO_PASSWORD)
        reviewer.login("reviewer@un.example", demo.DEMO_PASSWORD)
        section_paths = [f"/assessments/{plan['draft']}/sections/{k}" for k in plan["sections"]]
        sizes = {p: len(official.request("GET", p)[2]) for p in section_paths}
        largest = max(sizes, key=sizes.get)
        pages = {"section": (largest, official, plan["draft"]),
                 "results": (f"/assessments/{plan['results']}/results", official, plan["results"]),
                 "compare": ("/review/compare?" + urlencode([("ids", i) for i in plan["compare"]]), reviewer,
                             plan["compare"][0])}
        pages_dir = tmp / "bare"
        pages_dir.mkdir()
        for name, (path, browser, _id) in pages.items():
            status, _h, html = browser.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{path}: {status}")
            (pages_dir / f"{name}.html").write_bytes(html)
        with gunicorn_server(db_url, tmp, workers=WORKERS, app_spec="tests.perf.bare_pages:app",
                             ready_path="/ready", BARE_PAGES_DIR=str(pages_dir)) as bare, \
                gunicorn_server(db_url, tmp, workers=WORKERS, app_spec="tests.perf.floor_pages:app",
                                BARE_PAGES_DIR=str(pages_dir)) as floor:
            for name, (_path, browser, assessment_id) in pages.items():
                saved = (pages_dir / f"{name}.html").read_bytes()
                if Browser(bare.url).request("GET", f"/pages/{name}")[2] != saved:
                    raise RuntimeError(f"the bare route does not serve the saved {name} page")
                signed_in = Browser(floor.url)
                signed_in.cookies = dict(browser.cookies)
                if signed_in.request("GET", f"/floor/{name}/{assessment_id}")[2] != saved:
                    raise RuntimeError(f"the authenticated floor does not serve the saved {name} page")
                if Browser(floor.url).request("GET", f"/open/{name}")[2] != saved:
                    raise RuntimeError(f"the open route does not serve the saved {name} page")
            rates = compare_pages(server, floor, bare,
                                  {n: (p, b.cookie_header(), i) for n, (p, b, i) in pages.items()}, args)
        wire = {name: wire_bytes(browser, path) for name, (path, browser, _id) in pages.items()}
        pids = server.worker_pids()
        cpu_before = cpu_seconds(pids)
        saves = autosave_latencies(official, largest, args.autosaves)
        save_cpu_ms = 1000 * (cpu_seconds(pids) - cpu_before) / len(saves)
    figures = {"pages": {name: page_figures(rates[name]) | {
                    "path": pages[name][0], "html_bytes": (pages_dir / f"{name}.html").stat().st_size,
                    "wire": wire[name]} for name in pages},
               "autosave": {"n": len(saves), "p50_ms": 1000 * statistics.median(saves),
                            "p95_ms": 1000 * _p95(saves), "cpu_ms": save_cpu_ms}}
    report(figures, args)
    return figures


def page_figures(r: dict) -> dict:
    """Best rates and CPU per side; the ratios app/bare, floor/bare, app/floor, open/bare and
    floor/open (in requests/s; in CPU per request, the inverse: bare CPU / app CPU, and so on)."""
    cpu = {side: min(r[f"{side}_cpu"]) for side in SIDES}
    best = {side: max(r[side]) for side in SIDES}
    out = {side: r[side] for side in SIDES} | {f"{side}_cpu_ms": cpu[side] for side in SIDES}
    for top, bottom in (("app", "bare"), ("floor", "bare"), ("app", "floor"), ("open", "bare"), ("floor", "open")):
        suffix = "" if (top, bottom) == ("app", "bare") else f"_{top}_{bottom}"
        out[f"ratio{suffix}"] = best[top] / best[bottom]
        out[f"cpu_ratio{suffix}"] = cpu[bottom] / max(cpu[top], 1e-6)
    return out


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def report(figures: dict, args) -> None:
    print(f"gunicorn {WORKERS} sync workers; {args.clients} client threads; {args.rounds} round(s) of "
          f"{args.seconds:g} s per page, app and bare alternating")
    print(f"{'page':8s} {'HTML':>8s} {'app req/s (best, median)':>26s} {'bare req/s (best, median)':>27s} "
          f"{'ratio':>6s}   wire bytes identity / gzip / br")
    for name, f in figures["pages"].items():
        w = f["wire"]
        print(f"{name:8s} {f['html_bytes']:8d} {max(f['app']):12.1f} {statistics.median(f['app']):12.1f}"
              f" {max(f['bare']):13.1f} {statistics.median(f['bare']):13.1f} {f['ratio']:6.2f}   "
              f"{w.get('identity')} / {w.get('gzip', '-')} / {w.get('br', '-')}")
    print(f"{'':8s} {'':8s} {'floor req/s (best, median)':>26s}  ratios floor/bare, app/floor")
    for name, f in figures["pages"].items():
        print(f"{name:8s} {'':8s} {max(f['floor']):12.1f} {statistics.median(f['floor']):12.1f}"
              f"  {f['ratio_floor_bare']:6.2f} {f['ratio_app_floor']:6.2f}")
    print("server CPU per request (best round; holds on a loaded machine, where requests/s do not);"
          " ratios are bare/app, bare/floor, floor/app:")
    for name, f in figures["pages"].items():
        print(f"{name:8s} app {f['app_cpu_ms']:7.2f} ms   floor {f['floor_cpu_ms']:6.2f} ms   "
              f"bare {f['bare_cpu_ms']:6.2f} ms   ratios {f['cpu_ratio']:5.2f} {f['cpu_ratio_floor_bare']:5.2f} "
              f"{f['cpu_ratio_app_floor']:5.2f}")
    print("the floor split (server CPU per request): the app's open route, nobody signed in, against the bare "
          "route; signing in and the policy's read against the open route:")
    for name, f in figures["pages"].items():
        print(f"{name:8s} open {f['open_cpu_ms']:6.2f} ms   bare/open {f['cpu_ratio_open_bare']:5.2f}   "
              f"open/floor {f['cpu_ratio_floor_open']:5.2f}")
    section = figures["pages"]["section"]
    print(f"section page: {section['ratio']:.2f} of the bare route in requests/s, {section['cpu_ratio']:.2f} in CPU "
          f"per request (target >= {TARGET_SECTION_RATIO}, goal 0.6): "
          f"{'met' if section['ratio'] >= TARGET_SECTION_RATIO else 'NOT met'}; the authenticated floor alone "
          f"reaches {section['cpu_ratio_floor_bare']:.2f} of the bare route in CPU, the page "
          f"{section['cpu_ratio_app_floor']:.2f} of the floor; a route of the app that signs nobody in "
          f"reaches {section['cpu_ratio_open_bare']:.2f}")
    a = figures["autosave"]
    print(f"autosave (whole-section POST, {a['n']} in a row): p50 {a['p50_ms']:.1f} ms, p95 {a['p95_ms']:.1f} ms; "
          f"server CPU {a['cpu_ms']:.1f} ms per save")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one short round, few autosaves")
    parser.add_argument("--seconds", type=float, help="per page and round (default 3, quick 1)")
    parser.add_argument("--rounds", type=int, help="default 3, quick 1")
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--autosaves", type=int, help="default 100, quick 20")
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    defaults = (1.0, 1, 20) if args.quick else (3.0, 3, 100)
    args.seconds = args.seconds or defaults[0]
    args.rounds = args.rounds or defaults[1]
    args.autosaves = args.autosaves or defaults[2]
    return args


if __name__ == "__main__":
    run(parse_args())
