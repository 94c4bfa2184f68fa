"""Report render time per language against English, in one run (issue 12: CJK and Arabic
fonts must not make reports much slower; WeasyPrint subsets every embedded font).

    .venv/bin/python tests/perf/bench_languages.py [--runs 3] [--kinds scorecard,gap]

Renders a fully answered questionnaire 1.1 assessment in each of the six UN languages (HTML
built once per language, then WeasyPrint timed alone, median of the runs) and prints seconds,
pages, PDF size and the ratio to English.  Figures, not assertions: the machine is shared.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LANGS = ("en", "fr", "es", "ru", "zh", "ar")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", default="scorecard,gap")
    args = parser.parse_args()

    import flask_babel
    from pypdf import PdfReader

    from app import reports
    from app.extensions import db
    from app.models import Assessment
    from tests.factories import create_assessment, full_answers, make_app
    from tests.servers import seed_user_with_token

    tmp = Path(tempfile.mkdtemp())
    app = make_app(f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
    user_id, _ = seed_user_with_token(app, "official@gov.example")
    q = app.extensions["catalog"].latest("prevention-readiness")
    aid = create_assessment(app, user_id, full_answers(q, level=3), submit=True)
    print(f"questionnaire {q.id} {q.version}, {args.runs} runs per cell, median seconds of WeasyPrint")
    for kind in args.kinds.split(","):
        base = None
        print(f"\n{kind:9} {'lang':4} {'seconds':>8} {'ratio':>6} {'pages':>6} {'KB':>6}")
        for lang in LANGS:
            with app.test_request_context(), flask_babel.force_locale(lang):
                html = reports.render_html(reports.gather(db.session.get(Assessment, aid), kind, lang).context())
            times, pdf = [], b""
            for _ in range(args.runs):
                started = time.perf_counter()
                pdf = reports.html_to_pdf(html)
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            base = base or median
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(f"{kind:9} {lang:4} {median:8.2f} {median / base:6.2f} {pages:6d} {len(pdf) // 1024:6d}")


if __name__ == "__main__":
    main()
