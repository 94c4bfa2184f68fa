"""Benchmark of the PDF reports (a script, not a test: pytest collects ``test_*.py`` only).

    .venv/bin/python tests/perf/bench_reports.py [--runs 7] [--kind gap|scorecard] [--no-check]

In one run, on a fresh SQLite database with the demo data (``app.demo.seed``) in a temporary
directory:

1. **ours**: ``GET /api/v1/assessments/{id}/report.pdf?kind=gap`` for the demo assessment (the
   ministry's submitted 2025 self-assessment) through the test client with a bearer token,
   the PDF cache emptied before each request, so each request does everything a first
   download does: authorization, reading the answers, the context, the HTML, the PDF.
2. **WeasyPrint alone**: the exact HTML our renderer gives WeasyPrint, written by
   ``flask report pdf ID --kind gap -o FILE --html FILE``, rendered by
   ``weasyprint.HTML(string=html).write_pdf()`` with WeasyPrint's defaults (its own URL
   fetcher, a new font configuration each time), in the same process.
3. **cached**: the same request again with the cache warm: no rendering at all.
4. **WeasyPrint floor**: the report's text alone (every block of the HTML as a bare
   paragraph: no stylesheet but the page size, margins and font, no tables, no charts), so
   the figure says what the *amount of text* costs WeasyPrint, whatever the template.  When
   the floor itself is above a time target, no template can meet that target with this
   content: the printout says so.

5. **against Chromium** (issue 14: a PDF no slower than Chromium printing the same HTML): for
   the draft gap report (the demo's 2026 draft), the submitted one (2025) and the submitted
   one's scorecard, the HTML our renderer gives WeasyPrint, rendered by our renderer
   (``reports.engine.write_pdf``: the tagged PDF/UA as shipped, and untagged; the same HTML,
   whose inline stylesheet our engine parses once per process) and by Chromium from a cold
   start (Playwright with ``/usr/bin/chromium``: launch, ``set_content``, ``page.pdf()``,
   close; the same fonts: the stylesheet names the system's DejaVu files), runs alternating;
   printed as the ratio ours / Chromium on CPU time (Chromium's: the CPU time of all its
   processes, read from /proc before it closes; target <= 1.0) and on the wall clock, and the
   cost of tagging, tagged / untagged on CPU time (target <= +15 %).  Then what each chart
   costs: the chart section alone minus the same page without it.  ``--no-chromium`` leaves
   this part out.

Runs of 1 and 2 alternate, after one warm-up of each, so that a change of load on a shared
machine hits both alike.  Printed: median, min and max wall time, the median CPU time of the
process (``process_time``: it holds better than the wall clock on a busy machine; for a
request, with its child processes: the job process that renders the PDF), our
overhead over WeasyPrint alone (checked on CPU time, which a shared machine's load does not
skew as it skews the wall clock), and the machine's load and a calibration loop, so the
figures read relative to the machine.  Targets (the reports issue): overhead <= 10 %, the demo gap
report <= 1.2 s median, a cached repeat <= 20 ms median; the exit status is 1 when one is
missed (``--no-check``: always 0).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"overhead": 0.10, "gap_seconds": 1.2, "cached_ms": 20.0, "chromium_ratio": 1.0,
           "tagging": 0.15}
DEMO_TITLE = "National prevention readiness self-assessment 2025"
DRAFT_TITLE = "National prevention readiness self-assessment 2026"
CHROMIUM = "/usr/bin/chromium"


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def timed_with_children(fn):
    """``timed``, the CPU time counting this process's child processes too: a request
    renders its PDF in a job process (app.jobs), whose CPU ``process_time`` never sees."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _descendants_cpu(os.getpid())
    result = fn()
    cpu = time.process_time() - cpu + _descendants_cpu(os.getpid()) - children
    return result, time.perf_counter() - wall, cpu


def summary(label: str, walls: list[float], cpus: list[float], unit: str = "s") -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    return (f"{label:<34} median {statistics.median(walls) * scale:8.3f} {unit}   "
            f"min {min(walls) * scale:8.3f}   max {max(walls) * scale:8.3f}   "
            f"cpu median {statistics.median(cpus) * scale:8.3f} {unit}")


BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|td|th|dd|dt|figcaption|caption|section)>|<br\s*/?>", re.I)


def bare_text_html(html: str) -> tuple[str, int]:
    """The text of ``html`` as bare paragraphs (one per block), in the report's page size,
    margins and font; and its length in characters."""
    import html as htmllib

    body = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", "", html)
    body = BLOCK_END.sub("\n\n", body)
    body = htmllib.unescape(re.sub(r"<[^>]+>", "", body))
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    text = "".join(f"<p>{htmllib.escape(p)}</p>" for p in paragraphs)
    page = ("<style>@page { size: A4; margin: 22mm 19mm 20mm 19mm } "
            "html { font-family: 'DejaVu Sans'; font-size: 9.2pt; line-height: 1.42 } "
            "p { margin: 0 0 2.2mm }</style>")
    return f"<!doctype html><html><head>{page}</head><body>{text}</body></html>", sum(map(len, paragraphs))


def calibration() -> float:
    started = time.process_time()
    total = 0
    for n in range(3_000_000):
        total += n
    return time.process_time() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--kind", choices=["gap", "scorecard"], default="gap")
    parser.add_argument("--no-check", action="store_true", help="exit 0 even when a target is missed")
    parser.add_argument("--no-chromium", action="store_true", help="leave out the comparison with Chromium")
    parser.add_argument("--lang", default="en", help="the reports' language for the Chromium comparison")
    args = parser.parse_args(argv)

    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from app import create_app, demo
    from app.auth import operations as accounts
    from app.extensions import db
    from app.models import Assessment, User
    from config import TestConfig
    from app.reports.web import cache as report_cache

    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'bench.sqlite3'}",
                     PDF_CACHE_DIR=str(tmp / "pdf-cache"), PROPAGATE_UNEXPECTED=False,
                     PDF_RENDER_TIMEOUT_SECONDS=600)
    with app.app_context():
        db.create_all()
        app.extensions["catalog"].publish(db.session)
        demo.seed()
        assessment = db.session.query(Assessment).filter_by(title=DEMO_TITLE).one()
        owner = db.session.get(User, assessment.created_by_id)
        token = accounts.issue_token(owner, "bench")
        db.session.commit()
        assessment_id = assessment.id
    client = app.test_client()
    path = f"/api/v1/assessments/{assessment_id}/report.pdf?kind={args.kind}"
    headers = {"Authorization": f"Bearer {token}"}

    def ours():
        with app.app_context():
            report_cache().clear()
        response = client.get(path, headers=headers)
        assert response.status_code == 200 and response.headers["X-Report-Cache"] == "miss", response.status
        return response.data

    def cached():
        response = client.get(path, headers=headers)
        assert response.headers["X-Report-Cache"] == "hit"
        return response.data

    html_file, pdf_file = tmp / "report.html", tmp / "report.pdf"
    result = app.test_cli_runner().invoke(args=["report", "pdf", str(assessment_id), "--kind", args.kind,
                                                "-o", str(pdf_file), "--html", str(html_file)])
    assert result.exit_code == 0, result.output
    html = html_file.read_text(encoding="utf-8")

    def alone():
        return weasyprint.HTML(string=html).write_pdf(font_config=FontConfiguration())

    floor_html, text_chars = bare_text_html(html)

    def floor():
        return weasyprint.HTML(string=floor_html).write_pdf(font_config=FontConfiguration())

    # warm-up (imports, fonts, templates), then alternate the timed runs
    pdf, _, _ = timed_with_children(ours)
    timed(alone)
    ours_wall, ours_cpu, alone_wall, alone_cpu = [], [], [], []
    for _ in range(args.runs):
        _, wall, cpu = timed_with_children(ours)
        ours_wall.append(wall)
        ours_cpu.append(cpu)
        _, wall, cpu = timed(alone)
        alone_wall.append(wall)
        alone_cpu.append(cpu)
    floor_wall, floor_cpu = [], []
    floor_pdf, _, _ = timed(floor)
    for _ in range(args.runs):
        _, wall, cpu = timed(floor)
        floor_wall.append(wall)
        floor_cpu.append(cpu)
    cached()
    cached_wall, cached_cpu = [], []
    for _ in range(max(args.runs * 3, 20)):
        _, wall, cpu = timed_with_children(cached)
        cached_wall.append(wall)
        cached_cpu.append(cpu)

    import pypdf
    import io

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    floor_pages = len(pypdf.PdfReader(io.BytesIO(floor_pdf)).pages)
    overhead = statistics.median(ours_wall) / statistics.median(alone_wall) - 1
    overhead_cpu = statistics.median(ours_cpu) / statistics.median(alone_cpu) - 1
    load = os.getloadavg()
    print(f"PDF reports benchmark: {args.kind} report of demo assessment {assessment_id} "
          f"({pages} pages, {len(pdf) // 1024} KB; HTML {len(html) // 1024} KB), "
          f"WeasyPrint {weasyprint.__version__}, {args.runs} runs")
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"calibration loop {calibration():.3f} s CPU")
    print(summary("ours (request, cache miss)", ours_wall, ours_cpu))
    print(summary("WeasyPrint alone, same HTML", alone_wall, alone_cpu))
    print(summary("cached repeat (request)", cached_wall, cached_cpu, unit="ms"))
    print(summary("WeasyPrint floor, bare text", floor_wall, floor_cpu))
    print(f"  the floor: the report's {text_chars:,} characters of text as {floor_pages} pages of bare "
          f"paragraphs; ours takes {statistics.median(ours_wall) / statistics.median(floor_wall):.2f}x "
          f"the floor's time")
    print(f"our overhead over WeasyPrint alone: {overhead * 100:+.1f} % wall, {overhead_cpu * 100:+.1f} % CPU")

    checks = [
        # CPU time: on a shared machine the wall clock of two 6-second runs differs by more than
        # 10 % from load alone; both runs are in this process, and process_time counts the
        # render thread, so the CPU figures compare the work done.
        ("overhead <= 10 % (CPU)", overhead_cpu <= TARGETS["overhead"]),
        (f"{args.kind} report <= {TARGETS['gap_seconds']} s median",
         statistics.median(ours_wall) <= TARGETS["gap_seconds"]),
        (f"cached repeat <= {TARGETS['cached_ms']:.0f} ms median",
         statistics.median(cached_wall) * 1000 <= TARGETS["cached_ms"]),
    ]
    if not args.no_chromium:
        checks += engines(app, args.runs, args.lang, tmp)
    for label, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {label}")
    if statistics.median(floor_wall) > TARGETS["gap_seconds"]:
        print(f"  note: WeasyPrint needs {statistics.median(floor_wall):.2f} s for this much text without any "
              f"styling, above the {TARGETS['gap_seconds']} s target: no template meets it with this content")
    return 0 if args.no_check or all(ok for _, ok in checks) else 1


def report_html(app, title: str, kind: str, lang: str, tmp: Path) -> str:
    """The HTML our renderer gives WeasyPrint for the demo assessment ``title``."""
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        assessment_id = db.session.query(Assessment).filter_by(title=title).one().id
    html_file = tmp / f"{assessment_id}-{kind}-{lang}.html"
    result = app.test_cli_runner().invoke(args=[
        "report", "pdf", str(assessment_id), "--kind", kind, "--lang", lang,
        "-o", str(tmp / "engines.pdf"), "--html", str(html_file)])
    assert result.exit_code == 0, result.output
    return html_file.read_text(encoding="utf-8")


def _descendants_cpu(root: int) -> float:
    """CPU seconds (user + system) of the live processes below ``root``, from /proc."""
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], cpu[pid] = int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    below, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return sum(cpu[pid] for pid in below)


def chromium_pdf(playwright, html: str, cpu: list[float]) -> bytes:
    """Chromium from a cold start: launch, the HTML, ``page.pdf()``, close.  Appends to
    ``cpu`` the CPU time its processes used (read just before closing: the browser's
    processes are the only ones the Playwright driver starts)."""
    before = _descendants_cpu(os.getpid())
    browser = playwright.chromium.launch(executable_path=CHROMIUM)
    try:
        page = browser.new_page()
        page.set_content(html)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        cpu.append(_descendants_cpu(os.getpid()) - before)
        return pdf
    finally:
        browser.close()


def engines(app, runs: int, lang: str, tmp: Path) -> list[tuple[str, bool]]:
    """Part 5 of the docstring: ours against Chromium, tagged against untagged, per chart."""
    from playwright.sync_api import sync_playwright
    from weasyprint.text.fonts import FontConfiguration

    from app.reports import render

    fonts = FontConfiguration()
    checks = []
    with sync_playwright() as playwright:
        for name, title, kind in (("draft gap report", DRAFT_TITLE, "gap"),
                                  ("submitted gap report", DEMO_TITLE, "gap"),
                                  ("scorecard", DEMO_TITLE, "scorecard")):
            html = report_html(app, title, kind, lang, tmp)
            if kind == "gap":
                gap_html = html
            chromium_cpu: list[float] = []
            engines_ = {"tagged": lambda h=html: render.write_pdf(h, fonts),
                        "untagged": lambda h=html: render.write_pdf(h, fonts, pdf_variant=None),
                        "chromium": lambda h=html, c=chromium_cpu: chromium_pdf(playwright, h, c)}
            figures = {key: ([], []) for key in engines_}
            for fn in engines_.values():  # warm-up
                fn()
            del chromium_cpu[:]
            for _ in range(runs):
                for key, fn in engines_.items():
                    _, wall, cpu = timed(fn)
                    figures[key][0].append(wall)
                    figures[key][1].append(cpu)
            figures["chromium"] = (figures["chromium"][0], chromium_cpu)
            checks += _engine_lines(name, lang, html, figures)
    print(chart_costs(gap_html, fonts, runs))
    return checks


def _engine_lines(name: str, lang: str, html: str, figures) -> list[tuple[str, bool]]:
    med = {key: (statistics.median(w), statistics.median(c)) for key, (w, c) in figures.items()}
    ratio_wall = med["tagged"][0] / med["chromium"][0]
    ratio_cpu = med["tagged"][1] / med["chromium"][1]
    tagging = med["tagged"][1] / med["untagged"][1] - 1
    print(f"\n{name} ({lang}, HTML {len(html) // 1024} KB):")
    print(summary("  ours, tagged PDF/UA (as shipped)", *figures["tagged"]))
    print(summary("  ours, untagged", *figures["untagged"]))
    print(summary("  Chromium, cold start", *figures["chromium"]) + "  (CPU: its processes)")
    print(f"  ours / Chromium: CPU {ratio_cpu:.2f} (untagged {med['untagged'][1] / med['chromium'][1]:.2f}), "
          f"wall {ratio_wall:.2f} (untagged {med['untagged'][0] / med['chromium'][0]:.2f})")
    print(f"  tagging costs {tagging * 100:+.1f} % CPU ({(med['tagged'][1] - med['untagged'][1]) * 1000:+.0f} ms)")
    return [(f"{name}: ours / Chromium <= {TARGETS['chromium_ratio']:.1f} (CPU)",
             ratio_cpu <= TARGETS["chromium_ratio"]),
            (f"{name}: tagging <= +{TARGETS['tagging'] * 100:.0f} % CPU", tagging <= TARGETS["tagging"])]


def chart_costs(html: str, fonts, runs: int) -> str:
    """What each chart of the report costs WeasyPrint: the report's head with one chart
    (``<figure>`` of the glance chapter) against the same head with none, median CPU."""
    from app.reports import render

    head = html.split("<body", 1)[0]
    figures = re.findall(r"(?s)<figure\b.*?</figure>", html.split('id="glance"', 1)[-1].split("</section>", 1)[0])

    def cost(body: str) -> float:
        doc = f'{head}<body class="gap">{body}</body></html>'
        render.write_pdf(doc, fonts)
        return statistics.median(timed(lambda: render.write_pdf(doc, fonts))[2] for _ in range(runs))

    empty = cost("<p>.</p>")
    lines = [f"charts of the last report, CPU per chart over a one-paragraph page ({empty * 1000:.0f} ms):"]
    for figure in figures:
        name = re.search(r'class="([^"]+)"', figure).group(1)
        lines.append(f"  {name:<12} {(cost(figure) - empty) * 1000:7.0f} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
